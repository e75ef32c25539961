// A scenario as one self-contained C program that replays it on the running kernel and says,
// step by step in KTAP, whether the kernel agrees with the model: the executor's own C
// (repro/amalgamate.ts), the scenario as a table of ops with one function per step, the model's
// expected results (repro/expect.ts) and a driver (repro/driver.c). The op table is the request
// `strata conform` sends the executor (conformance/runner.ts encodeRun), written out as C
// initialisers instead of protocol text, so both run the same ops with the same skips.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Op, OpName, SigsysOpAction } from '../model/ops.js';
import { SIGSYS_ACTIONS } from '../model/ops.js';
import type { OpResult } from '../model/result.js';
import type { ModelTrace } from '../properties/trace.js';
import type { Scenario } from '../scenario/types.js';
import type { KernelFeatures } from '../conformance/result.js';
import { encodeRun } from '../conformance/runner.js';
import { disasmInsn } from '../model/bpf/insn.js';
import { MOUNT_CALLS } from '../model/landlock/mount.js';
import { PROC_FILES } from '../model/landlock/procfs.js';
import type { MountCall, ProcFile } from '../model/request.js';
import { resultWords, stepWords } from '../reports/index.js';
import { amalgamatedExecutor, driverParts } from './amalgamate.js';
import { stepExpectation } from './expect.js';

/** The scenario has something a C reproducer cannot say (exit 2 in `strata repro`). */
export class ReproError extends Error {
  override readonly name = 'ReproError';
}

export const TASK_IMAGE = fileURLToPath(new URL('../conformance/build/strata-task', import.meta.url));

export interface ReproOptions {
  /** The kernel features the op table's skips are decided for (conformance/skips.ts). */
  readonly features: KernelFeatures;
  /** Where the features came from, for the header comment. */
  readonly featuresFrom: string;
  readonly opTimeoutMs?: number;
  readonly scenarioTimeoutMs?: number;
  /** The model results written in as expected (default: the trace's own). The test of a fixed
   * model bug passes the pre-fix model's results here. */
  readonly expected?: readonly OpResult[];
  /** The source file named in the header (the scenario's path). */
  readonly source?: string;
  /** The exec image (default conformance/build/strata-task); read only when an op execs. */
  readonly taskImage?: string;
}

/** Text safe inside a C block comment. */
const comment = (s: string): string => s.replace(/\*\//g, '* /').replace(/\n/g, ' ');

/** A C string literal. */
export function cString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\' || ch === '?') out += `\\${ch}`; // '\\?': no trigraphs
    else if (c >= 0x20 && c !== 0x7f) out += ch; // UTF-8 stays readable
    else out += `\\${c.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/** Percent-decoding as conformance/native/proto.c decode(). */
function decode(s: string): string {
  return Buffer.from(s.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
}

/** The executor's op kinds (proto.h) by op name: every op Linux has (the variant-only ones never
 * reach a kernel), so that a new op cannot be left out unnoticed. */
type KernelOpName = Exclude<OpName, 'ruleset_supervisee' | 'modify' | 'map_create' | 'map_put'>;
const OP_KINDS: Readonly<Record<KernelOpName | 'skip', string>> & Readonly<Record<string, string | undefined>> = {
  fork: 'OP_FORK', thread: 'OP_THREAD', exec: 'OP_EXEC', exit: 'OP_EXIT', set_nnp: 'OP_SET_NNP', drop_cap: 'OP_DROP_CAP',
  compromise: 'OP_COMPROMISE', seccomp_strict: 'OP_STRICT', observe: 'OP_OBSERVE', seccomp_filter: 'OP_FILTER',
  ruleset_create: 'OP_RULESET_CREATE', ruleset_add_rule: 'OP_ADD_RULE', restrict_self: 'OP_RESTRICT', send_fd: 'OP_SEND_FD',
  close_fd: 'OP_CLOSE_FD', probe: 'OP_PROBE', skip: 'OP_SKIP',
  notif_supervise: 'OP_NOTIF_SUPERVISE', notif_recv: 'OP_NOTIF_RECV', notif_send: 'OP_NOTIF_SEND',
  notif_id_valid: 'OP_NOTIF_ID_VALID', notif_addfd: 'OP_NOTIF_ADDFD', notif_set_flags: 'OP_NOTIF_SET_FLAGS',
  notif_sizes: 'OP_NOTIF_SIZES', notif_poll: 'OP_NOTIF_POLL', notif_return: 'OP_NOTIF_RETURN',
  seccomp_action_avail: 'OP_ACTION_AVAIL',
  ptrace_attach: 'OP_PTRACE_ATTACH', ptrace_traceme: 'OP_PTRACE_TRACEME', ptrace_setoptions: 'OP_PTRACE_SETOPTIONS',
  ptrace_response: 'OP_PTRACE_RESPONSE', ptrace_get_filter: 'OP_PTRACE_GET_FILTER', fd_call: 'OP_FD_CALL',
  keyctl: 'OP_KEYCTL', socketpair: 'OP_SOCKETPAIR', fown_set: 'OP_FOWN_SET', unix_listen: 'OP_UNIX_LISTEN',
  chdir: 'OP_CHDIR', umount: 'OP_UMOUNT', sigsys: 'OP_SIGSYS', setpgid: 'OP_SETPGID',
};
const FS_ACCESS = ['execute', 'write_file', 'read_file', 'read_dir', 'remove_dir', 'remove_file', 'make_char', 'make_dir', 'make_reg',
  'make_sock', 'make_fifo', 'make_block', 'make_sym', 'refer', 'truncate', 'ioctl_dev'];
const FS_ACCESS_C = FS_ACCESS.map((a) => `FA_${a.toUpperCase()}`);

/** Fields an op may carry that only a model variant has (no kernel call stands for them). */
function unexpressible(op: Op): string | null {
  const o = op as unknown as Record<string, unknown>;
  for (const f of ['mutability', 'export', 'supervisor']) if (o[f] !== undefined && o[f] !== false) return `its "${f}" field exists only in a model variant`;
  return null;
}

/** One "op ..." request line as the C statements that fill `struct op *o` (proto.c parse_op). */
function opStatements(w: readonly string[], op: Op): { name: string; body: string[] } {
  const [, kind, task, pin] = w as [string, string, string, string];
  const body = [`o->kind = ${OP_KINDS[kind]};`, `o->task = ${task};`];
  if (pin !== '-') body.push(`o->has_pin = 1;`, `o->pin = ${pin};`);
  let name = kind;
  switch (kind) {
    case 'seccomp_filter': {
      const n = Number(w[5]);
      const source = op.op === 'seccomp_filter' ? op.source : undefined;
      const lines: string[] = [];
      if (source) lines.push(`/* policy: ${comment(source)} */`);
      lines.push('static struct sock_filter prog[] = {');
      for (let i = 0; i < n; i++) {
        const [c, jt, jf, k] = w.slice(6 + 4 * i, 10 + 4 * i).map(Number) as [number, number, number, number];
        lines.push(`\t{0x${c.toString(16).padStart(2, '0')}, ${jt}, ${jf}, 0x${k.toString(16).padStart(8, '0')}}, /* ${comment(disasmInsn([c, jt, jf, k], i))} */`);
      }
      if (n === 0) lines.push('\t{0, 0, 0, 0}, /* (an empty program: the kernel says EINVAL) */');
      lines.push('};');
      body.unshift(...lines);
      body.push(`o->n[0] = ${w[4]}; /* flags */`, `o->ninsn = ${n};`, 'o->insns = prog;');
      break;
    }
    case 'ruleset_create':
      body.push(`o->n[0] = ${u64C(w[4]!)}; /* handled fs */`, `o->n[1] = ${u64C(w[5]!)}; /* handled net */`, `o->n[2] = ${u64C(w[6]!)}; /* scoped */`);
      if (w[7] !== undefined) body.push(`o->n[3] = ${w[7]}; /* query flags */`);
      break;
    case 'ruleset_add_rule':
      body.push(...fdRefC(w[4]!), `o->n[1] = ${u64C(w[6]!)}; /* access */`);
      if (w[5] === 'path') body.push(`o->s1 = (char *)${cString(decode(w[7]!))};`);
      else body.push('o->rule_port = 1;', `o->n[2] = ${u64C(w[7]!)}; /* port */`);
      break;
    case 'restrict_self':
      if (w[4] !== '-') body.push('o->has_ruleset = 1;', ...fdRefC(w[4]!));
      body.push(`o->n[1] = ${w[5]}; /* flags */`);
      break;
    case 'send_fd':
      body.push(`o->n[0] = ${w[4]}; /* fd */`, `o->n[1] = ${w[5]}; /* to task */`);
      break;
    case 'close_fd':
      body.push(`o->n[0] = ${w[4]}; /* fd */`);
      break;
    case 'skip':
      body.push(`o->s1 = (char *)${cString(decode(w[4]!))};`);
      break;
    case 'fd_call':
      body.push(`o->n[0] = ${w[4]}; /* fd */`, `o->n[1] = ${w[5]}; /* ${['read', 'write', 'lseek', 'ioctl(FIONREAD)', 'open(/proc/self/fd/N)'][Number(w[5])] ?? 'call'} */`);
      break;
    case 'keyctl':
      body.push(`o->n[0] = ${w[4]}; /* ${['JOIN_SESSION_KEYRING', 'SESSION_TO_PARENT'][Number(w[4])] ?? 'call'} */`);
      break;
    case 'fown_set':
      body.push(`o->n[0] = ${w[4]}; /* socket fd */`, `o->n[1] = ${w[5]}; /* owner task */`, `o->n[2] = ${w[6] ?? 0}; /* ${['F_SETOWN, its process', 'F_SETOWN_EX, F_OWNER_TID', 'F_SETOWN, minus its process group'][Number(w[6] ?? 0)] ?? 'owner type'} */`);
      break;
    case 'setpgid':
      body.push(`o->n[0] = ${w[4]}; /* pid: ${w[4] === '-1' ? '0, the caller' : 'the tid of this task'} */`, `o->n[1] = ${w[5]}; /* pgid: ${w[5] === '-1' ? '0, the pid' : 'this task\'s process group'} */`);
      break;
    case 'chdir':
      body.push(`o->s1 = (char *)${cString(decode(w[4]!))}; /* path */`);
      break;
    case 'umount':
      body.push(`o->s1 = (char *)${cString(decode(w[4]!))}; /* path: umount2(path, 0) */`);
      break;
    case 'sigsys': {
      // chan.h enum sigsys_action, in the order of the op's words (proto.c SIGSYS_WORDS)
      const k = SIGSYS_ACTIONS.indexOf(w[4] as SigsysOpAction);
      body.push(`o->n[0] = SIGSYS_${w[4]!.toUpperCase()}; /* ${['rt_sigaction(SIGSYS, SIG_IGN)', 'rt_sigaction(SIGSYS, SIG_DFL)', 'rt_sigaction(SIGSYS, the trap handler)', 'rt_sigprocmask(SIG_BLOCK, {SIGSYS})', 'rt_sigprocmask(SIG_UNBLOCK, {SIGSYS})'][k] ?? 'action'} */`);
      break;
    }
    case 'seccomp_action_avail':
      body.push(`o->n[0] = ${w[4]}LL; /* action */`, `o->n[1] = ${w[5]}LL; /* flags */`);
      break;
    // the supervisor protocol, as proto.c parses it
    case 'notif_recv': case 'notif_poll':
      body.push(`o->n[0] = ${w[4]}; /* fd */`);
      break;
    case 'notif_set_flags':
      body.push(`o->n[0] = ${w[4]}; /* fd */`, `o->n[1] = ${w[5]}; /* flags */`);
      break;
    case 'notif_id_valid':
      body.push(`o->n[0] = ${w[4]}; /* fd */`, `o->n[1] = ${w[5]}; /* target task */`);
      break;
    case 'notif_send':
      body.push(`o->n[0] = ${w[4]}; /* fd */`, `o->n[1] = ${w[5]}; /* target task */`, `o->n[2] = ${w[6]}LL; /* val */`, `o->n[3] = ${w[7]}LL; /* error */`, `o->args[0] = ${w[8]}ULL; /* flags */`);
      break;
    case 'notif_addfd':
      body.push(`o->n[0] = ${w[4]}; /* fd */`, `o->n[1] = ${w[5]}; /* target task */`, `o->n[2] = ${w[6]}; /* src fd */`, `o->args[0] = ${w[7]}ULL; /* flags */`, `o->args[1] = ${w[8]}ULL; /* cloexec */`);
      break;
    // tracers (conformance/native/ptrace_op.c), as proto.c parses them
    case 'ptrace_attach':
      body.push(`o->n[0] = ${w[4]}; /* target task */`, `o->n[1] = ${w[5]}; /* seize */`, `o->n[2] = ${w[6]}; /* options */`);
      break;
    case 'ptrace_get_filter':
      body.push(`o->n[0] = ${w[4]}; /* target task */`, `o->n[1] = ${w[5]}; /* filter index */`, `o->n[2] = ${w[6]}; /* metadata */`);
      break;
    case 'ptrace_setoptions':
      body.push(`o->n[0] = ${w[4]}; /* target task */`, `o->n[1] = ${w[5]}; /* options */`);
      break;
    case 'ptrace_response': {
      const nargs = Number(w[6]);
      body.push(`o->n[0] = ${w[4]}; /* ${['continue', 'skip', 'rewrite'][Number(w[4])] ?? 'response'} */`, `o->n[1] = ${w[5]}; /* errno or nr */`, `o->n[2] = ${nargs}; /* arguments */`);
      for (let k = 0; k < nargs; k++) body.push(`o->args[${k}] = ${w[7 + k]}ULL;`);
      break;
    }
    case 'probe': {
      const k = w[4]!;
      name = `probe_${k}`;
      if (k === 'sys') {
        body.push('o->probe = PR_SYS;', `o->n[0] = ${w[5]}; /* nr */`, `o->n[1] = ${w[6]}LL; /* arch */`, `o->n[2] = ${u64C(w[7]!)}; /* ip */`);
        for (let i = 0; i < 6; i++) body.push(`o->args[${i}] = ${w[8 + i]}ULL;`);
      } else if (k === 'fs') {
        body.push('o->probe = PR_FS;', `o->sub = ${FS_ACCESS_C[FS_ACCESS.indexOf(w[5]!)]};`, `o->s1 = (char *)${cString(decode(w[6]!))};`);
      } else if (k === 'rename' || k === 'link' || k === 'exchange') {
        body.push(`o->probe = ${k === 'rename' ? 'PR_RENAME' : k === 'link' ? 'PR_LINK' : 'PR_EXCHANGE'};`, `o->s1 = (char *)${cString(decode(w[5]!))};`, `o->s2 = (char *)${cString(decode(w[6]!))};`);
      } else if (k === 'mount') {
        const call = MOUNT_CALLS.indexOf((w[5] ?? 'new') as MountCall);
        body.push('o->probe = PR_MOUNT;', `o->sub = ${call}; /* ${w[5]} */`);
      } else if (k === 'sigurg') {
        body.push('o->probe = PR_SIGURG;', `o->n[0] = ${w[5]}; /* socket fd */`);
        if (w[6] === 'to') body.push(`o->n[1] = ${w[7]}; /* the task whose delivery is observed */`, 'o->n[2] = 1;');
      } else if (k === 'proc') {
        body.push('o->probe = PR_PROC;', `o->n[0] = ${w[5]}; /* target task */`, `o->sub = ${PROC_FILES.indexOf(w[6] as ProcFile)}; /* ${w[6]} */`);
      } else if (k === 'net') {
        body.push('o->probe = PR_NET;', `o->sub = ${w[5] === 'bind' ? 0 : 1}; /* ${w[5]} */`, `o->n[0] = ${w[6]}; /* port */`, `o->n[1] = ${w[7]}; /* family */`, `o->n[2] = ${w[8] === 'udp' ? 1 : 0}; /* ${w[8]} */`);
      } else {
        body.push(`o->probe = ${k === 'signal' ? 'PR_SIGNAL' : k === 'abstract_unix' ? 'PR_ABSTRACT' : 'PR_PTRACE'};`, `o->n[0] = ${w[5]}; /* target task */`);
        if (w[6] === 'dgram') body.push('o->sub = 1; /* a datagram socket */');
        const li = w.indexOf('listener');
        if (li > 0) body.push(`o->n[1] = ${w[li + 1]}; /* the target's listener socket */`, 'o->n[2] = 1;');
      }
      break;
    }
    default:
      break;
  }
  return { name, body };
}

/** A u64 token of the line protocol (decimal) as a C expression for a long long field. */
const u64C = (tok: string): string => `(long long)${tok}ULL`;

/** A ruleset reference token: "N", or "aN" for the N-th descriptor of any kind (anyFd). */
function fdRefC(tok: string): string[] {
  return tok.startsWith('a') ? ['o->any_fd = 1;', `o->n[0] = ${tok.slice(1)}; /* descriptor, any kind */`] : [`o->n[0] = ${tok}; /* ruleset */`];
}

const cArray = (name: string, pats: readonly string[]): string =>
  `static const char *const ${name}[] = {${[...pats.map(cString), 'NULL'].join(', ')}};`;

/** The reproducer's C source for `scenario`, whose model trace is `trace`. */
export function reproducerSource(scenario: Scenario, trace: ModelTrace, o: ReproOptions): string {
  const ops = scenario.ops;
  ops.forEach((op, i) => {
    const why = unexpressible(op);
    if (why) throw new ReproError(`step #${i} (${op.op}): ${why}; the C reproducer runs only what the kernel has`);
  });
  const w = scenario.world;
  const run = encodeRun(ops, { abi: w.abi, nnp: w.nnp, capSysAdmin: w.capSysAdmin, fs: w.fs }, {
    id: 'repro',
    ...(o.opTimeoutMs !== undefined ? { opTimeoutMs: o.opTimeoutMs } : {}),
    ...(o.scenarioTimeoutMs !== undefined ? { scenarioTimeoutMs: o.scenarioTimeoutMs } : {}),
  }, o.features);
  for (const [i, why] of run.invalid) throw new ReproError(`step #${i}: ${why}: the C reproducer cannot express it`);
  const lines = run.text.split('\n').filter((l) => l.length > 0);
  const header = lines[0]!.split(' ');
  const fsLines = lines.filter((l) => l.startsWith('fs '));
  const mountLines = lines.filter((l) => l.startsWith('mount '));
  const opLines = lines.filter((l) => l.startsWith('op '));
  if (opLines.length !== ops.length) throw new Error('repro: the request has not one op line per op');
  const hasExec = opLines.some((l) => l.split(' ')[1] === 'exec');

  const out: string[] = [];
  const title = `strata repro: ${scenario.description ?? `${scenario.kind} of ${ops.length} ops`} (variant ${trace.variant.id}${o.source ? `, ${o.source}` : ''})`;
  out.push(
    '/* A stand-alone reproducer written by `strata repro` (strata: property tests',
    ' * for the layering semantics of seccomp filter stacks and Landlock domains).',
    ` * ${comment(title)}`,
    ' *',
    ' * Build and run (as root: each run gets its own mount and network namespaces):',
    ' *   cc -Wall -Werror -o repro repro.c && sudo ./repro',
    ' * It prints KTAP: one test point per step of the scenario, `ok` when the kernel agrees with',
    ' * the model strata checked, `not ok` with the expected and the observed result otherwise.',
    ` * Steps skipped as this kernel's features demand were decided from ${comment(o.featuresFrom)}.`,
    ' * The top process never sandboxes itself: every task is a disposable child in a process group',
    ' * of its own, killed (SIGKILL to the group) when the scenario ends or its deadline passes.',
    ' *',
    ' * Contents: strata\'s conformance executor (conformance/executor.c, conformance/native/ *.c,',
    ' * verbatim), then the scenario (one function per step, the trace\'s step line above each),',
    ' * the model\'s expected results, and the driver (repro/driver.c).',
    ...(hasExec ? [' * The exec op runs the executor\'s libc-free task image (conformance/native/helper.c with',
      ' * task.c, probe.c, oracle.c, disposable.c, built -nostdlib by conformance/build.sh), carried',
      ' * below as bytes: a libc start-up would make system calls the model does not know of.'] : []),
    ' */',
  );
  out.push(amalgamatedExecutor());
  out.push(driverParts().head);
  out.push(`#define REPRO_TITLE ${cString(title)}`);
  out.push(`#define NSTEPS ${ops.length}`, '');
  out.push('/* The file tree each run builds in a tmpfs of its own mount namespace. */');
  out.push('static struct fsent FS_TREE[] = {');
  for (const l of fsLines) {
    const [, t, p] = l.split(' ') as [string, string, string];
    out.push(`\t{'${t}', (char *)${cString(decode(p))}},`);
  }
  out.push('};', '');
  if (mountLines.length) {
    out.push('/* The tree\'s mounts (conformance/native/fstree.c makes them, in order, after the tree): a bind',
      ' * mount of a directory on an empty one, or a detached copy of one (open_tree OPEN_TREE_CLONE),',
      ' * named by a top-level path outside the tree and reached through its descriptor. */');
    out.push('static struct fsmount MOUNTS[] = {');
    for (const l of mountLines) {
      const [, kind, source, at] = l.split(' ') as [string, string, string, string];
      out.push(`\t{${kind === 'detached' ? 1 : 0}, (char *)${cString(decode(source))}, (char *)${cString(decode(at))}}, /* ${kind} */`);
    }
    out.push('};', '');
  }

  const names: string[] = [];
  const exp: string[] = [];
  opLines.forEach((l, i) => {
    const step = trace.steps[i]!;
    const result = o.expected?.[i] ?? step.out.result;
    const lineWords = `${stepWords(step)} → ${resultWords(step.op, result)}`;
    const { name, body } = opStatements(l.split(' '), ops[i]!);
    const fn = `step_${i}_${name}`;
    names.push(fn);
    out.push(`/* #${i} ${comment(lineWords)} */`);
    if (l.split(' ')[1] === 'skip') out.push('/* (not run on this kernel: the executor reports the skip with its reason) */');
    out.push(`static void ${fn}(struct op *o)`, '{', ...body.map((b) => `\t${b.replace(/\n/g, '\n\t')}`), '}', '');
    const e = stepExpectation(step, result);
    out.push(cArray(`AGREE_${i}`, e.agree), cArray(`UNKNOWN_${i}`, e.unknown), cArray(`EXPLAINED_${i}`, e.explained), '');
    exp.push(`\t{${cString(fn)}, ${cString(lineWords)}, ${cString(resultWords(step.op, result))}, ${step.out.tid}, AGREE_${i}, UNKNOWN_${i}, EXPLAINED_${i}, ${e.explainedId !== null ? cString(e.explainedId) : 'NULL'}, ${e.explainedStop ? 1 : 0}, ${step.after !== step.before ? 1 : 0}, ${step.op.op === 'probe' ? 1 : 0}},`);
  });
  out.push('/* What the model expects of each step (repro/expect.ts). */');
  out.push('/* (one entry more than there are steps: a scenario may have none) */', 'static const struct expect EXPECT[NSTEPS + 1] = {', ...exp, '\t{NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, 0, 0, 0},', '};', '');
  out.push(`static void (*const STEPS[NSTEPS + 1])(struct op *) = {`, ...names.map((n) => `\t${n},`), '\tNULL,', '};', '');
  out.push(
    'static void build_scenario(struct scenario *sc)',
    '{',
    '\tstatic struct op ops[NSTEPS + 1];',
    '\tmemset(sc, 0, sizeof *sc);',
    '\tsnprintf(sc->id, sizeof sc->id, "repro");',
    `\tsc->op_timeout_ms = ${header[2]};`,
    `\tsc->scen_timeout_ms = ${header[3]};`,
    `\tsc->nnp = ${header[4]}; /* the first task starts with no_new_privs */`,
    `\tsc->cap = ${header[5]}; /* ... and with CAP_SYS_ADMIN */`,
    `\tsc->opt_netns = ${header[6]!.split(',').includes('netns') ? 1 : 0}; /* a private network namespace for net probes */`,
    '\tsc->fs = FS_TREE;',
    `\tsc->nfs = ${fsLines.length};`,
    ...(mountLines.length ? [
      '\tsc->mounts = MOUNTS;',
      `\tsc->nmounts = ${mountLines.length};`,
      `\tsc->ndetached = ${mountLines.filter((l) => l.split(' ')[1] === 'detached').length};`,
    ] : []),
    '\tfor (int i = 0; STEPS[i]; i++) /* ops[] is static: every field starts at 0 */',
    '\t\tSTEPS[i](&ops[i]);',
    '\tsc->ops = ops;',
    '\tsc->nops = NSTEPS;',
    '}',
    '',
  );
  if (hasExec) out.push(taskImageC(o.taskImage ?? TASK_IMAGE));
  out.push(driverParts().tail);
  return out.join('\n');
}

/** The libc-free exec image as bytes, and the code that puts it where the executor's exec op
 * looks for it (a memfd at EXEC_FD, as executor.c setup_exec_fd does with build/strata-task). */
function taskImageC(path: string): string {
  if (!existsSync(path)) throw new ReproError(`the scenario execs, and the task image ${path} is not built: run "sh conformance/build.sh"`);
  const b = readFileSync(path);
  const rows: string[] = [];
  for (let i = 0; i < b.length; i += 16) rows.push(`\t${[...b.subarray(i, i + 16)].map((x) => `0x${x.toString(16).padStart(2, '0')}`).join(',')},`);
  return [
    '#define STRATA_REPRO_HAS_TASK_IMAGE 1',
    `/* conformance/build/strata-task, ${b.length} bytes (x86_64 ELF, static, no libc). */`,
    'static const unsigned char TASK_IMAGE[] = {',
    ...rows,
    '};',
    '',
    'static void install_task_image(void)',
    '{',
    '\tint mfd = memfd_create("strata-task", 0x10 /* MFD_EXEC */);',
    '\tif (mfd < 0) mfd = memfd_create("strata-task", 0);',
    '\tif (mfd < 0) return;',
    '\tsize_t off = 0;',
    '\twhile (off < sizeof TASK_IMAGE) {',
    '\t\tssize_t n = write(mfd, TASK_IMAGE + off, sizeof TASK_IMAGE - off);',
    '\t\tif (n <= 0) break;',
    '\t\toff += (size_t)n;',
    '\t}',
    '\tdup2(mfd, EXEC_FD);',
    '\tclose(mfd);',
    '\tg_exec_image = "task";',
    '}',
    '',
  ].join('\n');
}
