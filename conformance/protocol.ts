// The Node half of the executor's line protocol (grammar: conformance/protocol.md):
// encodeScenario() writes one request, parseReply()/parseFeatures() read one reply. Pure.
import { isU64, u64Decimal } from '../model/u64.js';
import { constants as osConstants } from 'node:os';
import type { Op, Insn } from '../model/ops.js';
import { SIGSYS_ACTIONS, FOWN_TYPES } from '../model/ops.js';
import { FD_CALLS } from '../model/task/fd-call.js';
import { KEYCTL_CALLS } from '../model/task/keyctl.js';
import { MOUNT_CALLS } from '../model/landlock/mount.js';
import { PROC_FILES } from '../model/landlock/procfs.js';
import { isRelativePath } from '../model/task/cwd.js';
import type { FsTree } from '../model/landlock/fstree.js';
import type { Request, FsAccess } from '../model/request.js';
import type { ExecutorEnvironment, KernelFeatures, KernelOpResult, KernelOutcome, KernelStep, KernelRunStatus } from './result.js';
import type { KernelTableEntry } from '../scenario/kernel-result.js';

/** Classic programs longer than this are sent truncated: the kernel rejects any length above
 * BPF_MAXINSNS (4096) with EINVAL before it reads the instructions. */
export const MAX_SENT_INSNS = 4097;

export interface EncodeOptions {
  readonly id: string;
  readonly opTimeoutMs: number;
  readonly scenarioTimeoutMs: number;
  readonly nnp: boolean;
  readonly capSysAdmin: boolean;
  readonly fs: FsTree;
  /** Run the scenario in its own network namespace (with loopback up). */
  readonly netns: boolean;
  /** Leave user notifications unanswered (the task then blocks until the op times out). */
  readonly noAnswer: boolean;
  /** Per op: a reason to skip it instead of running it, or null. */
  readonly skips: readonly (string | null)[];
  /** Full-table observes over these requests (sent as `table` lines; entries name them by
   * their index here); absent: none. */
  readonly table?: readonly Request[];
}

/** Percent-encoding of a string token: bytes outside [A-Za-z0-9/._-] become %XX. */
export function encodeToken(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9/._-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out === '' ? '%20' : out;
}

class EncodeError extends Error {}

/** LANDLOCK_ACCESS_FS_* in bit order (include/uapi/linux/landlock.h); the C side's enum fs_access. */
export const FS_ACCESS: readonly FsAccess[] = [
  'execute', 'write_file', 'read_file', 'read_dir', 'remove_dir', 'remove_file', 'make_char', 'make_dir',
  'make_reg', 'make_sock', 'make_fifo', 'make_block', 'make_sym', 'refer', 'truncate', 'ioctl_dev',
];

function int(v: unknown, what: string): string {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new EncodeError(`${what} must be a safe integer, got ${JSON.stringify(v)}`);
  return String(v);
}

function uint(v: unknown, what: string, max = Number.MAX_SAFE_INTEGER): string {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) {
    throw new EncodeError(`${what} must be an integer in [0, ${max}], got ${JSON.stringify(v)}`);
  }
  return String(v);
}

/** A u64 of the scenario (model/u64.ts: a number, or a hex string at or above 2^53), in decimal. */
function u64Field(v: unknown, what: string): string {
  if (!isU64(v)) throw new EncodeError(`${what} must be a u64 (a non-negative safe integer, or a canonical 0x hex string), got ${JSON.stringify(v)}`);
  return u64Decimal(v);
}

function path(v: unknown, what: string): string {
  if (typeof v !== 'string' || !v.startsWith('/') || v.includes('\0') || v.split('/').includes('..')) {
    throw new EncodeError(`${what} must be an absolute model path, got ${JSON.stringify(v)}`);
  }
  return encodeToken(v);
}

/** A model path, absolute, or relative to the task's working directory (model/task/cwd.ts). */
function anyPath(v: unknown, what: string): string {
  if (typeof v === 'string' && isRelativePath(v) && v !== '' && !v.includes('\0') && !v.split('/').includes('')) return encodeToken(v);
  return path(v, what);
}

function insn(i: Insn, n: number): string {
  if (!Array.isArray(i) || i.length !== 4) throw new EncodeError(`instruction ${n} is not [code, jt, jf, k]`);
  return `${uint(i[0], `insn ${n} code`, 0xffff)} ${uint(i[1], `insn ${n} jt`, 0xff)} ${uint(i[2], `insn ${n} jf`, 0xff)} ${uint(i[3], `insn ${n} k`, 0xffffffff)}`;
}

function request(r: Request): string {
  switch (r.kind) {
    case 'syscall':
      if (!Array.isArray(r.args) || r.args.length !== 6) throw new EncodeError('syscall request needs 6 args');
      return `sys ${uint(r.nr, 'nr', 0xffffffff)} ${uint(r.arch, 'arch', 0xffffffff)} ${u64Field(r.ip, 'ip')} ${r.args.map((a, k) => u64Field(a, `arg ${k}`)).join(' ')}`;
    case 'fs':
      if (!FS_ACCESS.includes(r.access)) throw new EncodeError(`unknown fs access ${JSON.stringify(r.access)}`);
      return `fs ${r.access} ${anyPath(r.path, 'path')}`;
    case 'rename':
    case 'link':
    case 'exchange':
      return `${r.kind} ${path(r.from, 'from')} ${path(r.to, 'to')}`;
    case 'mount': {
      const call = r.call ?? 'new';
      if (!MOUNT_CALLS.includes(call)) throw new EncodeError(`mount call ${JSON.stringify(r.call)}`);
      return `mount ${call}`;
    }
    case 'net':
      if (r.op !== 'bind' && r.op !== 'connect') throw new EncodeError(`net op ${JSON.stringify(r.op)}`);
      if (r.family !== undefined && r.family !== 4 && r.family !== 6) throw new EncodeError(`net family ${JSON.stringify(r.family)}`);
      if (r.proto !== undefined && r.proto !== 'tcp' && r.proto !== 'udp') throw new EncodeError(`net proto ${JSON.stringify(r.proto)}`);
      return `net ${r.op} ${uint(r.port, 'port')} ${r.family ?? 4} ${r.proto ?? 'tcp'}`;
    case 'abstract_unix':
      if (r.type !== undefined && r.type !== 'stream' && r.type !== 'dgram') throw new EncodeError(`abstract_unix type ${JSON.stringify(r.type)}`);
      return `abstract_unix ${int(r.target, 'target')}${r.type === 'dgram' ? ' dgram' : ''}${r.listener !== undefined ? ` listener ${int(r.listener, 'listener')}` : ''}`;
    case 'signal':
    case 'ptrace':
      return `${r.kind} ${int(r.target, 'target')}`;
    case 'sigurg':
      return `sigurg ${int(r.fd, 'fd')}${r.to !== undefined ? ` to ${int(r.to, 'to')}` : ''}`;
    case 'proc':
      if (!PROC_FILES.includes(r.file)) throw new EncodeError(`proc file ${JSON.stringify(r.file)}`);
      return `proc ${int(r.target, 'target')} ${r.file}`;
    default:
      throw new EncodeError(`unknown request kind ${JSON.stringify((r as { kind?: unknown }).kind)}`);
  }
}

function opBody(op: Op): string {
  switch (op.op) {
    case 'fork': case 'thread': case 'exec': case 'exit': case 'set_nnp': case 'drop_cap':
    case 'compromise': case 'seccomp_strict': case 'observe':
      return '';
    case 'seccomp_filter': {
      if (!Array.isArray(op.program)) throw new EncodeError('seccomp_filter needs a program');
      const prog = op.program.slice(0, MAX_SENT_INSNS);
      return ` ${uint(op.flags, 'flags', 0xffffffff)} ${prog.length}${prog.map((i, n) => ` ${insn(i, n)}`).join('')}`;
    }
    case 'ruleset_create':
      return ` ${u64Field(op.fs, 'fs')} ${u64Field(op.net, 'net')} ${u64Field(op.scoped, 'scoped')}${op.flags ? ` ${uint(op.flags, 'flags', 0xffffffff)}` : ''}`;
    case 'ruleset_add_rule': {
      const r = op.rule;
      const rs = `${op.anyFd ? 'a' : ''}${int(op.ruleset, 'ruleset')}`;
      if (r?.type === 'path_beneath') return ` ${rs} path ${u64Field(r.access, 'access')} ${path(r.path, 'rule path')}`;
      if (r?.type === 'net_port') return ` ${rs} port ${u64Field(r.access, 'access')} ${u64Field(r.port, 'port')}`;
      throw new EncodeError(`unknown rule type ${JSON.stringify((r as { type?: unknown } | undefined)?.type)}`);
    }
    case 'restrict_self':
      return ` ${op.ruleset === null ? '-' : `${op.anyFd ? 'a' : ''}${int(op.ruleset, 'ruleset')}`} ${uint(op.flags, 'flags', 0xffffffff)}`;
    case 'send_fd':
      return ` ${int(op.fd, 'fd')} ${int(op.to, 'to')}`;
    case 'close_fd':
      return ` ${int(op.fd, 'fd')}`;
    case 'probe':
      return ` ${request(op.request)}`;
    case 'ptrace_attach':
      return ` ${int(op.target, 'target')} ${op.seize ? 1 : 0} ${uint(op.options, 'options', 0xffffffff)}`;
    case 'ptrace_traceme':
      return '';
    case 'ptrace_setoptions':
      return ` ${int(op.target, 'target')} ${uint(op.options, 'options', 0xffffffff)}`;
    case 'ptrace_get_filter':
      return ` ${int(op.target, 'target')} ${int(op.index, 'index')} ${op.metadata ? 1 : 0}`;
    case 'ptrace_response': {
      const r = op.response;
      if (r?.kind === 'allow') return ' 0 0 0';
      if (r?.kind === 'skip') return ` 1 ${uint(r.errno, 'errno', 4095)} 0`;
      if (r?.kind === 'rewrite') {
        if (!Array.isArray(r.args) || r.args.length > 3) throw new EncodeError('ptrace_response: the executor rewrites at most 3 arguments');
        return ` 2 ${uint(r.nr, 'nr', 0x7fffffff)} ${r.args.length}${r.args.map((a, k) => ` ${uint(a, `arg ${k}`)}`).join('')}`;
      }
      throw new EncodeError(`unknown ptrace response ${JSON.stringify((r as { kind?: unknown } | undefined)?.kind)}`);
    }
    case 'notif_supervise': case 'notif_sizes': case 'notif_return':
      return '';
    case 'fd_call': {
      const k = FD_CALLS.indexOf(op.call);
      if (k < 0) throw new EncodeError(`fd_call: unknown call ${JSON.stringify(op.call)}`);
      return ` ${int(op.fd, 'fd')} ${k}`;
    }
    case 'seccomp_action_avail':
      return ` ${uint(op.action, 'action', 0xffffffff)} ${uint(op.flags, 'flags', 0xffffffff)}`;
    case 'socketpair': case 'unix_listen':
      return '';
    case 'fown_set': {
      // the owner type's number (socket_op.c): process, thread, group
      const k = FOWN_TYPES.indexOf(op.owner ?? 'process');
      if (k < 0) throw new EncodeError(`fown_set: unknown owner ${JSON.stringify(op.owner)}`);
      return ` ${int(op.fd, 'fd')} ${int(op.target, 'target')} ${k}`;
    }
    case 'setpgid':
      // -1 stands for a field left out (0 in the call); a reference is never negative (schema)
      return ` ${op.pid === undefined ? -1 : uint(op.pid, 'pid')} ${op.pgid === undefined ? -1 : uint(op.pgid, 'pgid')}`;
    case 'chdir':
      return ` ${anyPath(op.path, 'path')}`;
    case 'umount':
      return ` ${path(op.path, 'path')}`;
    case 'sigsys':
      // the action's word (proto.c SIGSYS_WORDS, in the order of model/ops.ts SIGSYS_ACTIONS)
      if (!SIGSYS_ACTIONS.includes(op.action)) throw new EncodeError(`sigsys: unknown action ${JSON.stringify(op.action)}`);
      return ` ${op.action}`;
    case 'keyctl': {
      const k = KEYCTL_CALLS.indexOf(op.call);
      if (k < 0) throw new EncodeError(`keyctl: unknown call ${JSON.stringify(op.call)}`);
      return ` ${k}`;
    }
    case 'notif_recv': case 'notif_poll':
      return ` ${int(op.fd, 'fd')}`;
    case 'notif_set_flags':
      return ` ${int(op.fd, 'fd')} ${int(op.flags, 'flags')}`;
    case 'notif_id_valid':
      return ` ${int(op.fd, 'fd')} ${int(op.target, 'target')}`;
    case 'notif_send':
      return ` ${int(op.fd, 'fd')} ${int(op.target, 'target')} ${int(op.val, 'val')} ${int(op.error, 'error')} ${uint(op.flags, 'flags', 0xffffffff)}`;
    case 'notif_addfd':
      return ` ${int(op.fd, 'fd')} ${int(op.target, 'target')} ${int(op.src, 'src')} ${uint(op.flags, 'flags', 0xffffffff)} ${op.cloexec ? 1 : 0}`;
    default:
      throw new EncodeError(`operation ${JSON.stringify((op as { op?: unknown }).op)} has no kernel encoding`);
  }
}

/**
 * Encode a scenario. Ops that cannot be encoded (unknown, malformed) are sent as skips and
 * listed in `invalid` (index → reason): their results are the model's `invalid`.
 */
export function encodeScenario(ops: readonly Op[], o: EncodeOptions): { text: string; invalid: Map<number, string> } {
  const opts = [o.netns && 'netns', o.noAnswer && 'noanswer', o.table && 'table'].filter(Boolean).join(',') || '-';
  const lines = [`scenario ${encodeToken(o.id)} ${o.opTimeoutMs} ${o.scenarioTimeoutMs} ${o.nnp ? 1 : 0} ${o.capSysAdmin ? 1 : 0} ${opts} 0`];
  for (const e of o.fs.entries) lines.push(`fs ${e.type === 'dir' ? 'd' : e.type === 'file' ? 'f' : 'c'} ${path(e.path, 'fs entry')}`);
  for (const m of o.fs.mounts ?? []) lines.push(`mount ${m.detached ? 'detached' : 'bind'} ${path(m.source, 'mount source')} ${path(m.at, 'mount point')}`);
  for (const r of o.table ?? []) lines.push(`table ${request(r)}`);
  const invalid = new Map<number, string>();
  ops.forEach((op, i) => {
    let head: string;
    try {
      head = `${op.op} ${int((op as { task?: unknown }).task, 'task')} ${op.tid === undefined ? '-' : int(op.tid, 'tid')}`;
    } catch (e) {
      invalid.set(i, `${String((op as { op?: unknown })?.op)}: ${(e as Error).message}`);
      lines.push(`op skip 0 - ${encodeToken('invalid')}`);
      return;
    }
    const skip = o.skips[i];
    if (skip) {
      lines.push(`op skip ${head.split(' ').slice(1).join(' ')} ${encodeToken(skip)}`);
      return;
    }
    try {
      lines.push(`op ${head}${opBody(op)}`);
    } catch (e) {
      if (!(e instanceof EncodeError)) throw e;
      invalid.set(i, `${op.op}: ${e.message}`);
      lines.push(`op skip 0 - ${encodeToken('invalid')}`);
    }
  });
  lines.push('end', '');
  return { text: lines.join('\n'), invalid };
}

const SIGNAL_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(osConstants.signals).map(([name, n]) => [n as number, name] as const),
);

function death(how: string): { signal: string | null; exitCode?: number } {
  if (how.startsWith('sig:')) {
    const n = Number(how.slice(4));
    return { signal: SIGNAL_NAMES.get(n) ?? `signal ${n}` };
  }
  if (how.startsWith('exit:')) return { signal: null, exitCode: Number(how.slice(5)) };
  return { signal: null };
}

function probeOutcome(w: readonly string[]): KernelOutcome | null {
  const n = (k: number): number => Number(w[k]);
  switch (w[0]) {
    case 'returned': return { kind: 'returned', ret: n(1) };
    case 'errno': return { kind: 'errno', errno: n(1) };
    case 'trap': return { kind: 'trap', data: n(1), nr: n(2), arch: n(3) >>> 0 };
    case 'notify': return { kind: 'notify', listener: n(1), errno: n(2) };
    case 'killed':
      if (w[1] === 'thread') return { kind: 'kill_thread' };
      return { kind: 'kill_process', signal: death(w[2] ?? '-').signal, alone: w[3] === '1' };
    default: return null;
  }
}

/** One "r <op> <tid> ..." line (without "r <op>"): the step, or null if malformed. */
export function parseStep(words: readonly string[]): KernelStep | null {
  const tid = Number(words[0]);
  const kind = words[1];
  const w = words.slice(2);
  const rest = w.join(' ');
  const n = (k: number): number => Number(w[k]);
  let result: KernelOpResult | null = null;
  switch (kind) {
    case 'ok':
    case 'err': {
      // "ok|err <value> then-killed <scope> <how> <alone>" (ops.c:op_filter)
      const thenKilled = w[1] === 'then-killed' ? { thenKilled: { scope: w[2] === 'thread' ? 'thread' as const : 'process' as const, ...death(w[3] ?? '-'), alone: w[4] === '1' } } : {};
      result = kind === 'ok' ? { kind, ret: n(0), ...thenKilled } : { kind, errno: n(0), ...thenKilled };
      break;
    }
    case 'tsync_fail': result = { kind: 'tsync_fail', tid: n(0) }; break;
    case 'probe':
    case 'stopped': {
      const outcome = probeOutcome(w);
      result = outcome && { kind, outcome };
      break;
    }
    case 'killed':
      result = { kind: 'killed', scope: w[0] === 'thread' ? 'thread' : 'process', ...death(w[1] ?? '-'), alone: w[2] === '1' };
      break;
    case 'observe': {
      const layers = n(3);
      result = {
        kind: 'observe',
        state: {
          seccompMode: n(0),
          filterCount: n(1),
          nnp: w[2] === '1',
          landlockLayers: layers >= 0 ? layers : null,
          ...(layers >= 0 ? {} : { landlockError: w.slice(4).join(' ') }),
        },
      };
      break;
    }
    case 'invalid': result = { kind: 'invalid', reason: rest }; break;
    case 'skip': result = { kind: 'skip', reason: rest }; break;
    case 'timeout': result = { kind: 'timeout', ms: n(0), scope: w[1] === 'scenario' ? 'scenario' : 'op' }; break;
    case 'notrun': result = { kind: 'not_run', reason: rest }; break;
    case 'error': result = { kind: 'error', message: rest }; break;
  }
  if (!result || !Number.isFinite(tid)) return null;
  return { tid, result };
}

export interface ParsedReply {
  readonly status: KernelRunStatus;
  readonly elapsedUs: number;
  readonly cleanup: string;
  readonly steps: readonly KernelStep[];
  /** Full-table entries ("t" lines); a tabled request is its index among the `table` lines sent. */
  readonly tables: readonly KernelTableEntry[];
  readonly message?: string;
}

/** Parse a scenario reply (the lines between "result" and "end", both included). */
export function parseReply(lines: readonly string[], nops: number): ParsedReply {
  const head = (lines[0] ?? '').split(' ');
  if (head[0] !== 'result') return { status: 'error', elapsedUs: 0, cleanup: 'unknown', steps: [], tables: [], message: `bad reply header ${JSON.stringify(lines[0])}` };
  const status: KernelRunStatus = head[2] === 'ok' || head[2] === 'timeout' ? head[2] : 'error';
  const steps: KernelStep[] = new Array(nops);
  const tables: KernelTableEntry[] = [];
  let message: string | undefined;
  for (const line of lines.slice(1)) {
    const w = line.split(' ');
    if (w[0] === 'protocol') message = w.slice(1).join(' ');
    if (w[0] === 't') {
      const e = parseTableEntry(w);
      if (e) tables.push(e);
      continue;
    }
    if (w[0] !== 'r') continue;
    const i = Number(w[1]);
    const step = parseStep(w.slice(2));
    if (Number.isInteger(i) && i >= 0 && i < nops) steps[i] = step ?? { tid: 0, result: { kind: 'error', message: `unparsable result line: ${line}` } };
  }
  for (let i = 0; i < nops; i++) steps[i] ??= { tid: 0, result: { kind: 'error', message: message ?? 'the executor sent no result for this op' } };
  return { status, elapsedUs: Number(head[3]) || 0, cleanup: head[4] ?? 'unknown', steps, tables, ...(message ? { message } : {}) };
}

const RELATIVE = new Set(['signal', 'abstract_unix', 'ptrace']);

/** "t <point> <tid> <request> <result>": a full-table entry, or null if malformed. */
function parseTableEntry(w: readonly string[]): KernelTableEntry | null {
  const point = w[1] === 'end' ? 'end' : Number(w[1]);
  const req = w[3] ?? '';
  const colon = req.indexOf(':');
  let request: KernelTableEntry['request'];
  if (colon > 0) {
    const kind = req.slice(0, colon);
    const target = Number(req.slice(colon + 1));
    if (!RELATIVE.has(kind) || !Number.isInteger(target)) return null;
    request = { kind: kind as 'signal' | 'abstract_unix' | 'ptrace', target };
  } else {
    request = Number(req);
    if (!Number.isInteger(request) || request < 0) return null;
  }
  if (point !== 'end' && !Number.isInteger(point)) return null;
  const step = parseStep([w[2] ?? '', ...w.slice(4)]);
  if (!step) return null;
  return { point, tid: step.tid, request, result: step.result };
}

/** Parse the "feature <key> <value>" lines of a features reply. */
export function parseFeatures(lines: readonly string[]): KernelFeatures {
  const m = new Map<string, string>();
  for (const l of lines) {
    const w = l.split(' ');
    if (w[0] === 'feature' && w[1]) m.set(w[1], w.slice(2).join(' '));
  }
  const num = (k: string, d = 0): number => (m.has(k) ? Number(m.get(k)) : d);
  const bool = (k: string): boolean => m.get(k) === '1';
  const actions = m.get('seccomp_actions') ?? '-';
  return {
    kernel: m.get('kernel') ?? 'unknown',
    landlockAbi: num('landlock_abi'),
    landlockErrata: num('landlock_errata', -1),
    seccompActions: actions === '-' ? [] : actions.split(','),
    seccompFilterFlags: num('seccomp_filter_flags'),
    landlockRestrictFlags: num('landlock_restrict_flags'),
    userNotif: bool('user_notif'),
    pidfdThread: bool('pidfd_thread'),
    pidfdGetfd: bool('pidfd_getfd'),
    ia32: bool('ia32'),
    mountns: bool('mountns'),
    netns: bool('netns'),
    execMemfd: bool('exec_memfd'),
    ...(m.has('landlock_errno') ? { landlockErrno: num('landlock_errno') } : {}),
    ...(m.has('lsm') ? { lsm: m.get('lsm') === '-' ? null : m.get('lsm')!.split(',').filter((x) => x !== '') } : {}),
    ...(m.has('exec_image') ? { environment: parseEnvironment(m) } : {}),
  };
}

function parseEnvironment(m: ReadonlyMap<string, string>): ExecutorEnvironment {
  const image = m.get('exec_image');
  const cap = m.get('cap_eff') ?? '0';
  return {
    execImage: image === 'task' || image === 'self' ? image : 'none',
    capEff: /^[0-9a-f]{1,16}$/.test(cap) ? BigInt(`0x${cap}`) : 0n,
    noNewPrivs: m.get('no_new_privs') === '1',
    seccompMode: Number(m.get('seccomp_mode') ?? 0),
    workdirNoexec: m.get('workdir_noexec') === '1',
    workdirNodev: m.get('workdir_nodev') === '1',
    mknod: m.get('mknod') === '1',
    environUnchecked: m.get('environ_unchecked') === '1',
    fownGroupRecorded: m.get('fown_group_recorded') === '1',
  };
}
