// Every op is a syscall, and seccomp sees it first (kernel/seccomp.c:__secure_computing at
// syscall entry). This gate evaluates the acting task's filters (or strict mode) on the op's
// own syscall before the op runs. Arguments that are constants of the call are modelled
// (clone flags, prctl option, seccomp operation and flags, fds, Landlock flags); pointer
// arguments are unknowable across runs and are zero here, so filters that should decide ops
// must match on the syscall number or on those constant arguments (a documented model decision).
import type { Op, Insn } from '../ops.js';
import { compile } from '../bpf/interp.js';
import { run } from '../bpf/jit.js';
import type { Task, World } from '../state.js';
import type { StepOut } from '../result.js';
import type { SyscallRequest } from '../request.js';
import { syscall, AUDIT_ARCH_X86_64 } from '../request.js';
import { seccompVerdict, seccompOutcome, evalLayer, verdictOf, uprobeException } from './eval.js';
import type { FilterNode, NodeMemo } from './stack.js';
import { seccompData } from './data.js';
import { actionOnly, SECCOMP_RET_ALLOW } from './action.js';
import type { SeccompVerdict } from '../outcome.js';
import { killGroup, killThread } from '../task/tree.js';
import { resolveFd } from '../task/fds.js';
import { isRulesetFd } from '../landlock/syscalls.js';
import { fsIndex } from '../landlock/fstree.js';
import { NR_BPF, BPF_MAP_CREATE, BPF_MAP_UPDATE_ELEM } from '../maps/syscalls.js';
import type { Evaluation } from '../evaluation.js';
import { PTRACE_REQ } from '../ptrace/state.js';
import { traceServed } from '../ptrace/trace-stop.js';
import { LINUX_EVALUATION, evaluationOf, seccompRank } from '../evaluation.js';
import { SECCOMP_GET_ACTION_AVAIL } from './action-avail.js';
import { FD_CALL_NR, FIONREAD } from '../task/fd-call.js';
import { KEYCTL_OPERATION } from '../task/keyctl.js';
import { sigsysCall } from '../task/sigsys.js';
import { AF_UNIX, SOCK_STREAM, F_SETOWN, F_SETOWN_EX, isSocketFd } from '../task/socket.js';
import { lowestFreeFd } from '../state.js';
import { FIRST_FD } from '../limits.js';

/** clone(2) flags the executor uses: fork = SIGCHLD; thread = VM|FS|FILES|SIGHAND|THREAD|SYSVSEM. */
export const CLONE_FORK_FLAGS = 17;
export const CLONE_THREAD_FLAGS = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000;

const PR_SET_NO_NEW_PRIVS = 38;
/** sizeof(struct landlock_ruleset_attr): handled_access_fs, handled_access_net, scoped. */
const RULESET_ATTR_SIZE = 24;

/** ioctl(2) and poll(2): the supervisor protocol's calls (seccomp/notify.ts). */
export const NR_IOCTL = 16;
export const NR_POLL = 7;

/** Every syscall number an op (not a probe) is made with. */
export const OP_SYSCALL_NRS: readonly number[] = [56, 59, 60, 157, 126, 317, 444, 445, 446, 46, 3, NR_BPF, NR_IOCTL, NR_POLL, 53, 72];

/**
 * The syscall numbers with a verdict code below: the ops', then those Landlock and
 * task-relative requests are made with (request-syscall.ts: openat, truncate, mkdirat, mknodat,
 * symlinkat, unlinkat, execve, renameat2, linkat, mount, umount2, pivot_root, move_mount,
 * open_tree, mount_setattr, bind, connect, kill, ptrace, sendto).
 */
const CODED_NRS: readonly number[] = [...OP_SYSCALL_NRS, 257, 76, 258, 259, 266, 263, 316, 265, 165, 166, 155, 429, 428, 442, 49, 42, 62, 101, 44];

/** SECCOMP_GET_NOTIF_SIZES, seccomp(2)'s operation 3. */
const SECCOMP_GET_NOTIF_SIZES = 3;
/** The listener ioctls (include/uapi/linux/seccomp.h: SECCOMP_IOWR/IOW('!', n, type)). */
export const SECCOMP_IOCTL = {
  NOTIF_RECV: 0xc0502100,
  NOTIF_SEND: 0xc0182101,
  NOTIF_ID_VALID: 0x40082102,
  NOTIF_ADDFD: 0x40182103,
  NOTIF_SET_FLAGS: 0x40082104,
} as const;

/** Scratch for opSyscallParts: [nr, arg0, arg1]. */
const PARTS = [0, 0, 0];

/**
 * The syscall number and the two constant arguments an op is made with, written to PARTS;
 * false for ops that make no syscall (compromise, observe, probes — decided by probe.ts — and
 * the variant-only calls that have no Linux syscall).
 */
function opSyscallParts(task: Task, op: Op): boolean {
  let nr: number, a0 = 0, a1 = 0;
  switch (op.op) {
    case 'fork': nr = 56; a0 = CLONE_FORK_FLAGS; break;
    case 'thread': nr = 56; a0 = CLONE_THREAD_FLAGS; break;
    case 'exec': nr = 59; break;
    case 'exit': nr = 60; break;
    case 'set_nnp': nr = 157; a0 = PR_SET_NO_NEW_PRIVS; a1 = 1; break;
    case 'drop_cap': nr = 126; break;
    case 'seccomp_strict': nr = 317; break;
    case 'seccomp_filter': nr = 317; a0 = 1; a1 = op.flags >>> 0; break;
    // landlock_create_ruleset(attr, sizeof(struct landlock_ruleset_attr) = 24 (three u64), 0)
    // with query flags and nothing handled: landlock_create_ruleset(NULL, 0, flags)
    case 'ruleset_create': nr = 444; a1 = op.flags && isZeroAttr(op) ? 0 : RULESET_ATTR_SIZE; break;
    case 'ruleset_add_rule': nr = 445; a0 = op.anyFd ? fdNumber(task, op.ruleset) : rulesetFdNumber(task, op.ruleset); a1 = op.rule.type === 'path_beneath' ? 1 : 2; break;
    case 'restrict_self': nr = 446; a0 = op.ruleset === null ? -1 : op.anyFd ? fdNumber(task, op.ruleset) : rulesetFdNumber(task, op.ruleset); a1 = op.flags >>> 0; break;
    case 'send_fd': nr = 46; break;
    case 'close_fd': nr = 3; a0 = fdNumber(task, op.fd); break;
    // bpf(cmd, attr, size): the map fd is inside attr (a pointer), so only the command is constant
    case 'map_create': nr = NR_BPF; a0 = BPF_MAP_CREATE; break;
    case 'map_put': nr = NR_BPF; a0 = BPF_MAP_UPDATE_ELEM; break;
    // ptrace(request, pid, …): the pid is not constant; the request is (model/ptrace/)
    case 'ptrace_attach': nr = 101; a0 = op.seize ? PTRACE_REQ.SEIZE : PTRACE_REQ.ATTACH; break;
    case 'ptrace_traceme': nr = 101; a0 = PTRACE_REQ.TRACEME; break;
    case 'ptrace_setoptions': nr = 101; a0 = PTRACE_REQ.SETOPTIONS; break;
    case 'ptrace_get_filter': nr = 101; a0 = op.metadata ? PTRACE_REQ.SECCOMP_GET_METADATA : PTRACE_REQ.SECCOMP_GET_FILTER; break;
    // the supervisor protocol: ioctl(fd, cmd, ptr), poll(fds, 1, 0), seccomp(GET_NOTIF_SIZES, 0, ptr)
    case 'notif_recv': nr = NR_IOCTL; a0 = fdNumber(task, op.fd); a1 = SECCOMP_IOCTL.NOTIF_RECV; break;
    case 'notif_send': nr = NR_IOCTL; a0 = fdNumber(task, op.fd); a1 = SECCOMP_IOCTL.NOTIF_SEND; break;
    case 'notif_id_valid': nr = NR_IOCTL; a0 = fdNumber(task, op.fd); a1 = SECCOMP_IOCTL.NOTIF_ID_VALID; break;
    case 'notif_addfd': nr = NR_IOCTL; a0 = fdNumber(task, op.fd); a1 = SECCOMP_IOCTL.NOTIF_ADDFD; break;
    case 'notif_set_flags': nr = NR_IOCTL; a0 = fdNumber(task, op.fd); a1 = SECCOMP_IOCTL.NOTIF_SET_FLAGS; break;
    case 'notif_poll': nr = NR_POLL; break;
    case 'notif_sizes': nr = 317; a0 = SECCOMP_GET_NOTIF_SIZES; break;
    // seccomp(GET_ACTION_AVAIL, flags, &action): the action is behind a pointer
    case 'seccomp_action_avail': nr = 317; a0 = SECCOMP_GET_ACTION_AVAIL; a1 = op.flags >>> 0; break;
    // read(fd, buf, 1), write(fd, buf, 1), lseek(fd, 0, SEEK_CUR), ioctl(fd, FIONREAD, &n): the
    // buffer is a pointer; lseek's offset is 0. openat(AT_FDCWD, "/proc/self/fd/N", O_RDONLY):
    // with zero arguments, as the fs probes' openat (request-syscall.ts)
    case 'fd_call':
      nr = FD_CALL_NR[op.call];
      if (op.call !== 'reopen') a0 = fdNumber(task, op.fd);
      a1 = op.call === 'fionread' ? FIONREAD : 0;
      break;
    // keyctl(operation, ...): JOIN_SESSION_KEYRING's name is a pointer (NULL), 0
    case 'keyctl': nr = 250; a0 = KEYCTL_OPERATION[op.call]; break;
    // socketpair(AF_UNIX, SOCK_STREAM, 0, sv); fcntl(fd, F_SETOWN, pid): the pid is not constant
    case 'socketpair': nr = 53; a0 = AF_UNIX; a1 = SOCK_STREAM; break;
    case 'fown_set': nr = 72; a0 = resolveFd(task, op.fd, isSocketFd)?.fd ?? NO_FD; a1 = op.owner === 'thread' ? F_SETOWN_EX : F_SETOWN; break;
    // setpgid(pid, pgid): both are process ids, constant only when 0
    case 'setpgid': nr = 109; break;
    // unix_listen: socket(2) and listen(2) are the executor's own calls (guarded in conform); the
    // op is its bind(fd, addr, len) — the new socket's descriptor, the lowest free number
    case 'unix_listen': nr = 49; a0 = lowestFreeFd(task.fds, FIRST_FD); break;
    // chdir(path): a pointer
    case 'chdir': nr = 80; break;
    // umount2(path, 0): a pointer, then the flags
    case 'umount': nr = 166; a1 = 0; break;
    // rt_sigaction(SIGSYS, …) / rt_sigprocmask(how, …): pointers after the first argument
    case 'sigsys': { const c = sigsysCall(op.action); nr = c.nr; a0 = c.a0; break; }
    default: return false;
  }
  PARTS[0] = nr;
  PARTS[1] = a0;
  PARTS[2] = a1;
  return true;
}

/** The syscall an op is made with, or null for ops that make none. */
export function opSyscall(task: Task, op: Op): SyscallRequest | null {
  return opSyscallParts(task, op) ? syscall(PARTS[0]!, [PARTS[1]!, PARTS[2]!]) : null;
}

/**
 * The fd number an op passes, resolved as the op itself resolves it (model/task/fds.ts:
 * resolveFd); with no such fd, the conformance executor passes NO_FD (an even number no task
 * holds: EBADF), so the model shows filters that value too.
 */
export const NO_FD = 0x7ffffffe;

/** A query's attr is NULL (size 0) when it handles nothing (model/ops.ts: ruleset_create). */
function isZeroAttr(op: Extract<Op, { op: 'ruleset_create' }>): boolean {
  return op.fs === 0 && op.net === 0 && op.scoped === 0;
}

function fdNumber(task: Task, index: number): number {
  return resolveFd(task, index)?.fd ?? NO_FD;
}

function rulesetFdNumber(task: Task, index: number): number {
  return resolveFd(task, index, isRulesetFd)?.fd ?? NO_FD;
}

/**
 * Op-gate verdicts memoised on the filter node they belong to: by a small-integer code of
 * (nr, constant arguments) when the arguments have codes (nearly always), else by text.
 */
class OpVerdicts implements NodeMemo {
  /** The evaluation the verdicts were made under (a memo is trusted only for the same one). */
  evaluation: Evaluation = LINUX_EVALUATION;
  readonly byCode = new Map<number, SeccompVerdict>();
  /** Calls whose arguments have no code (rare: made on first use). */
  byText: Map<string, SeccompVerdict> | null = null;
  /** The returns of the node's program by code (PROGRAM_RETURNS' entry, looked up once per node). */
  own: Map<number, number> | null = null;
  constructor(readonly node: FilterNode) {}
}

function opVerdictsOf(node: FilterNode, e: Evaluation): OpVerdicts {
  const m = node.memo;
  // A spread copy of a node carries its source's memo: trust only a memo made for this node
  // (and for the evaluation asked about).
  if (m instanceof OpVerdicts && m.node === node && m.evaluation === e) return m;
  const fresh = new OpVerdicts(node);
  fresh.evaluation = e;
  node.memo = fresh;
  return fresh;
}

/**
 * A constant argument as a code below 4096, or -1: small values stand for themselves, and the
 * two large constants ops pass (the thread clone flags, NO_FD) get the two top codes, so that
 * the cache key below stays a small integer (a V8 Smi: no heap number, no string per op).
 */
function argCode(x: number): number {
  if (x >= 0 && x < 4094) return x;
  if (x === CLONE_THREAD_FLAGS) return 4094;
  if (x === NO_FD) return 4095;
  return -1;
}

/** seccomp_data of the op syscall in PARTS, filled on a memo miss (filters only read it). */
const OP_DATA = new Uint32Array(16);

const ALLOW_ACTION = actionOnly(SECCOMP_RET_ALLOW);

/** seccomp_uprobe_exception's verdict (no op is made with those numbers; kept for exactness). */
const UPROBE_EXEMPT: SeccompVerdict = { action: 'allow', ret: SECCOMP_RET_ALLOW, data: 0, layer: null };

/** The layer's value on the op syscall in PARTS (eval.ts:evalLayer). */
function layerReturn(node: FilterNode, e: Evaluation): number {
  seccompData(syscall(PARTS[0]!, [PARTS[1]!, PARTS[2]!]), OP_DATA);
  return evalLayer(node, OP_DATA, e);
}

/**
 * One program's return on the op syscall in PARTS (code `code`), memoised per program array:
 * generated programs recur across scenarios while their nodes are new every run.
 */
const PROGRAM_RETURNS = new WeakMap<readonly Insn[], Map<number, number>>();

function programReturns(program: readonly Insn[]): Map<number, number> {
  let m = PROGRAM_RETURNS.get(program);
  if (m === undefined) PROGRAM_RETURNS.set(program, (m = new Map()));
  return m;
}

function programReturn(m: Map<number, number>, program: readonly Insn[], code: number): number {
  let r = m.get(code);
  if (r === undefined) {
    seccompData(syscall(PARTS[0]!, [PARTS[1]!, PARTS[2]!]), OP_DATA);
    r = run(compile(program), OP_DATA);
    m.set(code, r);
  }
  return r;
}

/**
 * The verdict of the stack topped by `node` on the op syscall in PARTS, from the node's own
 * layer and the (memoised) verdict of the stack below it. seccomp_run_filters runs newest
 * first from ALLOW and replaces on strictly-less, so the whole run is: this layer's value if it
 * is below ALLOW and no older filter's value is strictly below it, else the run below
 * (op-gate.test.ts pins this equal to eval.ts:stackVerdict). A new top filter thus runs only
 * its own program.
 */
function nodeVerdict(node: FilterNode, code: number, text: string | null, e: Evaluation): SeccompVerdict {
  const memo = opVerdictsOf(node, e);
  let v = text === null ? memo.byCode.get(code) : (memo.byText ??= new Map()).get(text);
  if (v !== undefined) return v;
  const newest = e.seccompCombine === 'newest';
  const below = node.prev === null || newest ? null : nodeVerdict(node.prev, code, text, e);
  let own: number;
  if (text === null && node.programs.length === 1 && node.mapRules === null) {
    const program = node.programs[0]!;
    own = programReturn((memo.own ??= programReturns(program)), program, code);
  } else {
    own = layerReturn(node, e);
  }
  if (newest) v = verdictOf(own, node);
  else if (e === LINUX_EVALUATION) {
    const ownAction = actionOnly(own);
    if (ownAction < ALLOW_ACTION && (below === null || !(actionOnly(below.ret) < ownAction))) v = verdictOf(own, node);
    else v = below ?? verdictOf(SECCOMP_RET_ALLOW, null);
  } else {
    const ownRank = seccompRank(e, own);
    if (ownRank < seccompRank(e, SECCOMP_RET_ALLOW) && (below === null || !(seccompRank(e, below.ret) < ownRank))) v = verdictOf(own, node);
    else v = below ?? verdictOf(SECCOMP_RET_ALLOW, null);
  }
  if (text === null) memo.byCode.set(code, v);
  else memo.byText!.set(text, v);
  return v;
}

/** The verdict of the stack topped by `top` on the op syscall in PARTS (native x86_64). */
function cachedVerdict(top: FilterNode, e: Evaluation): SeccompVerdict {
  const nr = PARTS[0]!, a0 = PARTS[1]!, a1 = PARTS[2]!;
  if (uprobeException(nr, AUDIT_ARCH_X86_64)) return UPROBE_EXEMPT;
  const n = CODED_NRS.indexOf(nr), c0 = argCode(a0), c1 = argCode(a1);
  if (n >= 0 && c0 >= 0 && c1 >= 0) return nodeVerdict(top, n * 16777216 + c0 * 4096 + c1, null, e);
  return nodeVerdict(top, 0, `${nr},${a0},${a1}`, e);
}

/**
 * The verdict of a filter stack on a zero-argument native syscall — what a Landlock or
 * task-relative request is made with (request-syscall.ts) — memoised on the nodes like the op
 * gate's (op-gate.test.ts pins these to eval.ts:stackVerdict).
 */
export function syscallVerdict(top: FilterNode, nr: number, e: Evaluation): SeccompVerdict {
  PARTS[0] = nr;
  PARTS[1] = 0;
  PARTS[2] = 0;
  return cachedVerdict(top, e);
}

/** The op gate's verdict for a filter stack and one op syscall (for tests: op-gate.test.ts). */
export function opGateVerdict(top: FilterNode, nr: number, a0: number, a1: number, e: Evaluation): SeccompVerdict {
  PARTS[0] = nr;
  PARTS[1] = a0;
  PARTS[2] = a1;
  return cachedVerdict(top, e);
}

/**
 * If the task's seccomp state stops the op's syscall, the step that results; null to let the op
 * run. Strict mode kills on anything but read/write/exit/rt_sigreturn (SIGKILL, `killed`).
 */
export function seccompOpGate(world: World, task: Task, op: Op): StepOut | null {
  if (task.seccompMode === 0) return null;
  if (!opSyscallParts(task, op)) return null;
  // A path_beneath rule's parent fd is opened first, and a path the tree lacks fails that open
  // with ENOENT before landlock_add_rule is called (model/landlock/syscalls.ts rulesetAddRule):
  // no syscall for a filter to decide. Found by strata conform on Linux 6.1 (a filter deciding
  // every call stopped the model's add_rule; the kernel's run never made it).
  if (op.op === 'ruleset_add_rule' && op.rule?.type === 'path_beneath' && fsIndex(world.fs).indexOf(op.rule.path) < 0) return null;
  // bpf(2) map calls outside an H1 variant are not calls of the variant (their handler says so).
  if (NR_BPF === PARTS[0] && !world.semantics.seccompMaps) return null;
  const e = evaluationOf(world.semantics);
  const verdict = task.seccompMode === 2 && task.filter
    ? cachedVerdict(task.filter, e)
    : seccompVerdict(task, syscall(PARTS[0]!, [PARTS[1]!, PARTS[2]!]), e);
  if (!verdict) return null;
  // RET_TRACE with a tracer that serves the stop: the tracer continues an op's own syscall (its
  // declared response is for probes: model/ptrace/trace-stop.ts), the re-check of the same call
  // counts TRACE as allow, and the op runs.
  if (verdict.action === 'trace' && world.ptrace.links.length !== 0 && traceServed(world, task)) return null;
  const outcome = seccompOutcome(world, task, verdict);
  switch (outcome.kind) {
    case 'allow':
      return null;
    case 'kill_process':
    case 'kill_thread': {
      const next = outcome.kind === 'kill_process' ? killGroup(world, task.tgid) : killThread(world, task.tid);
      if (task.seccompMode === 1) {
        return { world: next, result: { kind: 'killed', scope: outcome.kind === 'kill_process' ? 'process' : 'thread', signal: 'SIGKILL' }, tid: task.tid };
      }
      return { world: next, result: { kind: 'stopped', outcome }, tid: task.tid };
    }
    default:
      return { world, result: { kind: 'stopped', outcome }, tid: task.tid };
  }
}
