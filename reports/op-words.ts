// One operation in words, with every reference resolved against the world it ran in: the acting
// task's tid, fd indices as fd numbers, task indices as tids, layer indices as layer ids.
import type { Op, Insn } from '../model/ops.js';
import type { World, Task, FdEntry } from '../model/state.js';
import { OUTSIDE_PGID } from '../model/state.js';
import { resolveTask } from '../model/step.js';
import { resolveFd } from '../model/task/fds.js';
import { chainOf } from '../model/seccomp/stack.js';
import { layersOf } from '../model/landlock/domain.js';
import { seccompFlags, restrictFlags, fsMask, netMask, scopeMask, requestWords, syscallName, flagNames } from './names.js';
import { CREATE_RULESET } from '../model/landlock/access.js';
import { isSocketFd } from '../model/task/socket.js';
import { formatRet } from '../model/seccomp/action.js';

/** `t100`, or `t?` when the op resolved to no task. */
export function tidWords(tid: number): string {
  return tid > 0 ? `t${tid}` : 't?';
}

/** The op as a call: `seccomp(FILTER, flags TSYNC, "ALLOW" [1 insn])`. `actor` is the resolved task. */
export function opWords(op: Op, before: World, actor: Task | undefined): string {
  const fd = (index: number, pred?: (e: FdEntry) => boolean): string => fdWords(actor, index, pred);
  const rulesetFd = (index: number): string => fd(index, (e) => e.obj.kind === 'ruleset');
  const anyFd = (index: number): string => fd(index);
  switch (op.op) {
    case 'fork': return 'fork()';
    case 'thread': return 'clone(CLONE_THREAD)';
    case 'exec': return 'execve(helper)';
    case 'exit': return 'exit()';
    case 'set_nnp': return 'prctl(PR_SET_NO_NEW_PRIVS, 1)';
    case 'drop_cap': return 'capset(drop CAP_SYS_ADMIN)';
    case 'compromise': return 'compromise — attacker-controlled from here on';
    case 'seccomp_strict': return 'seccomp(SET_MODE_STRICT)';
    case 'seccomp_filter': {
      const parts = [`flags ${seccompFlags(op.flags)}`, programWords(op.program, op.source)];
      if (op.mutability) parts.push(op.mutability);
      if (op.export) parts.push('export');
      if (op.map !== undefined) parts.push(`deny unless nr ∈ map ${fd(op.map)}`);
      return `seccomp(SET_MODE_FILTER, ${parts.join(', ')})`;
    }
    case 'ruleset_create': {
      const flags = op.flags ? flagNames(op.flags, { VERSION: CREATE_RULESET.VERSION, ERRATA: CREATE_RULESET.ERRATA }) : '';
      if (flags && op.fs === 0 && op.net === 0 && op.scoped === 0) return `landlock_create_ruleset(NULL, 0, ${flags})`;
      const parts = [`fs ${fsMask(op.fs)}`, `net ${netMask(op.net)}`, `scoped ${scopeMask(op.scoped)}`];
      if (flags) parts.push(`flags ${flags}`);
      if (op.supervisor) parts.push('SUPERVISOR');
      return `landlock_create_ruleset(${parts.join(', ')})`;
    }
    case 'ruleset_supervisee': return `supervisee ruleset of ${rulesetFd(op.ruleset)}`;
    case 'ruleset_add_rule': {
      const r = op.rule;
      const rule = r.type === 'path_beneath' ? `path_beneath ${r.path}: ${fsMask(r.access)}` : `net_port ${r.port}: ${netMask(r.access)}`;
      return `landlock_add_rule(${op.anyFd ? anyFd(op.ruleset) : rulesetFd(op.ruleset)}, ${rule}${op.commit ? ', COMMIT' : ''})`;
    }
    case 'restrict_self': {
      const parts = [op.ruleset === null ? 'fd -1' : op.anyFd ? anyFd(op.ruleset) : rulesetFd(op.ruleset), `flags ${restrictFlags(op.flags)}`];
      if (op.mutability) parts.push(op.mutability);
      if (op.export) parts.push('export');
      return `landlock_restrict_self(${parts.join(', ')})`;
    }
    case 'send_fd': {
      const to = resolveTask(before, op.to);
      return `send ${fd(op.fd)} to ${to ? `t${to.tid}` : `task #${op.to}`} (SCM_RIGHTS)`;
    }
    case 'close_fd': return `close(${fd(op.fd)})`;
    case 'modify': {
      const target = op.handle !== undefined ? `layer of handle ${fd(op.handle, (e) => e.obj.kind === 'layer_handle')}` : ownLayerWords(actor, op.layer);
      const parts = [target];
      if (op.program) parts.push(programWords(op.program, undefined));
      if (op.ruleset !== undefined) parts.push(`content of ${rulesetFd(op.ruleset)}`);
      return `modify(${parts.join(', ')})`;
    }
    case 'map_create': return 'bpf(BPF_MAP_CREATE)';
    case 'map_put': return `bpf(BPF_MAP_UPDATE_ELEM, map ${fd(op.map)}, key ${syscallName(op.key)})`;
    case 'probe': {
      if (op.request.kind === 'sigurg') {
        const to = op.request.to === undefined ? undefined : resolveTask(before, op.request.to);
        const at = op.request.to === undefined ? '' : `, seen at ${to ? `t${to.tid}` : `task #${op.request.to}`}`;
        return `probe send(${fd(op.request.fd, isSocketFd)}, MSG_OOB): SIGURG to the other end's owner${at}`;
      }
      const req = requestWords(op.request, (ref) => resolveTask(before, ref)?.tid);
      return `probe ${req}`;
    }
    case 'observe': return 'observe /proc status';
    case 'ptrace_attach': case 'ptrace_traceme': case 'ptrace_setoptions': case 'ptrace_response': case 'ptrace_get_filter':
      return ptraceWords(op, before);
    case 'notif_supervise': return 'supervise — notifications wait for the scenario\'s supervisor from here on';
    case 'notif_recv': return `ioctl(${fd(op.fd)}, NOTIF_RECV)`;
    case 'notif_send': {
      const t = resolveTask(before, op.target);
      const what = (op.flags & 1) !== 0 ? 'CONTINUE' : `val ${op.val}, error ${op.error}`;
      return `ioctl(${fd(op.fd)}, NOTIF_SEND, ${t ? `t${t.tid}` : `task #${op.target}`}'s id, ${what}${(op.flags & ~1) !== 0 ? `, flags ${op.flags}` : ''})`;
    }
    case 'notif_id_valid': {
      const t = resolveTask(before, op.target);
      return `ioctl(${fd(op.fd)}, NOTIF_ID_VALID, ${t ? `t${t.tid}` : `task #${op.target}`}'s id)`;
    }
    case 'notif_addfd': {
      const t = resolveTask(before, op.target);
      return `ioctl(${fd(op.fd)}, NOTIF_ADDFD, ${t ? `t${t.tid}` : `task #${op.target}`}'s id, src ${fd(op.src)}${op.flags & 2 ? ', SEND' : ''}${op.cloexec ? ', O_CLOEXEC' : ''})`;
    }
    case 'notif_set_flags': return `ioctl(${fd(op.fd)}, NOTIF_SET_FLAGS, ${op.flags})`;
    case 'notif_sizes': return 'seccomp(GET_NOTIF_SIZES)';
    case 'notif_poll': return `poll(${fd(op.fd)}, POLLIN|POLLOUT)`;
    case 'notif_return': return 'the notified call returns';
    case 'fd_call': return op.call === 'reopen' ? `open(/proc/self/fd/${fd(op.fd)}, O_RDONLY)` : op.call === 'fionread' ? `ioctl(${fd(op.fd)}, FIONREAD)` : op.call === 'lseek' ? `lseek(${fd(op.fd)}, 0, SEEK_CUR)` : `${op.call}(${fd(op.fd)}, 1 byte)`;
    case 'seccomp_action_avail': return `seccomp(GET_ACTION_AVAIL, ${op.flags >>> 0}, ${formatRet(op.action >>> 0)})`;
    case 'keyctl': return op.call === 'join_session' ? 'keyctl(JOIN_SESSION_KEYRING, NULL)' : 'keyctl(SESSION_TO_PARENT)';
    case 'socketpair': return 'socketpair(AF_UNIX, SOCK_STREAM)';
    case 'unix_listen': return 'socket(AF_UNIX, SOCK_STREAM), bind(abstract), listen()';
    case 'chdir': return `chdir(${JSON.stringify(op.path)})`;
    case 'umount': return `umount(${JSON.stringify(op.path)})`;
    case 'sigsys': return `sigsys ${op.action}`;
    case 'fown_set': {
      const t = resolveTask(before, op.target);
      const who = t ? `t${t.tid}` : `task #${op.target}`;
      if (op.owner === 'thread') return `fcntl(${fd(op.fd, isSocketFd)}, F_SETOWN_EX, F_OWNER_TID ${who})`;
      if (op.owner === 'group') return `fcntl(${fd(op.fd, isSocketFd)}, F_SETOWN, -(${who}'s process group${t ? ` ${pgidWords(t.pgid)}` : ''}))`;
      return `fcntl(${fd(op.fd, isSocketFd)}, F_SETOWN, ${t ? `t${t.tgid}` : `task #${op.target}`}'s process)`;
    }
    case 'setpgid': {
      const p = op.pid === undefined ? undefined : resolveTask(before, op.pid);
      const g = op.pgid === undefined ? undefined : resolveTask(before, op.pgid);
      const pid = op.pid === undefined ? '0' : p ? `t${p.tid}` : `task #${op.pid}`;
      const pgid = op.pgid === undefined ? '0' : g ? `${g === p ? '' : `t${g.tid}'s group `}${pgidWords(g.pgid)}` : `task #${op.pgid}'s group`;
      return `setpgid(${pid}, ${pgid})`;
    }
  }
}

/** A process group's id as the report shows it: the tgid that names it, or the group the first
 * task started in (its leader outside the scenario). */
function pgidWords(pgid: number): string {
  return pgid === OUTSIDE_PGID ? 'pg(start)' : `pg${pgid}`;
}

/** `"ALLOW; 110->LOG" (4 insns)` or `4-insn program`. */
export function programWords(program: readonly Insn[], source: string | undefined): string {
  const n = `${program.length} insn${program.length === 1 ? '' : 's'}`;
  return source ? `"${source}" (${n})` : `${n} program`;
}

/** `fd 3`, or `fd #2 (none)` when the table has no matching entry. */
function fdWords(actor: Task | undefined, index: number, pred?: (e: FdEntry) => boolean): string {
  const e = actor ? resolveFd(actor, index, pred) : undefined;
  return e ? `fd ${e.fd}` : `fd #${index} (none open)`;
}

/** The caller's own `index`-th layer, newest first, seccomp then Landlock (model/modify.ts). */
function ownLayerWords(actor: Task | undefined, index: number): string {
  if (!actor) return `own layer #${index}`;
  const filters = chainOf(actor.filter);
  const domains = layersOf(actor.domain);
  const n = filters.length + domains.length;
  if (n === 0 || !Number.isInteger(index)) return `own layer #${index} (none)`;
  const i = ((index % n) + n) % n;
  return i < filters.length ? `seccomp layer ${filters[i]!.id}` : `landlock layer ${domains[i - filters.length]!.id}`;
}

/** The ptrace ops as calls (model/ptrace/). */
function ptraceWords(op: Extract<Op, { op: 'ptrace_attach' | 'ptrace_traceme' | 'ptrace_setoptions' | 'ptrace_response' | 'ptrace_get_filter' }>, before: World): string {
  const target = (ref: number): string => {
    const t = resolveTask(before, ref);
    return t ? `t${t.tid}` : `task #${ref}`;
  };
  switch (op.op) {
    case 'ptrace_attach': return op.seize ? `ptrace(SEIZE, ${target(op.target)}, options ${ptraceOptions(op.options)})` : `ptrace(ATTACH, ${target(op.target)})`;
    case 'ptrace_traceme': return 'ptrace(TRACEME)';
    case 'ptrace_setoptions': return `ptrace(SETOPTIONS, ${target(op.target)}, ${ptraceOptions(op.options)})`;
    case 'ptrace_response': {
      const r = op.response;
      const what = r.kind === 'allow' ? 'continue' : r.kind === 'skip' ? `skip, return -${r.errno}` : `rewrite to syscall ${r.nr}(${r.args.join(', ')})`;
      return `tracer program: at a seccomp stop, ${what}`;
    }
    case 'ptrace_get_filter': return `ptrace(${op.metadata ? 'SECCOMP_GET_METADATA' : 'SECCOMP_GET_FILTER'}, ${target(op.target)}, index ${op.index})`;
  }
}

function ptraceOptions(o: number): string {
  if (o === 0) return '0';
  const names: string[] = [];
  if (o & 0x80) names.push('TRACESECCOMP');
  if (o & 0x100000) names.push('EXITKILL');
  if (o & 0x200000) names.push('SUSPEND_SECCOMP');
  const rest = o & ~0x300080;
  if (rest) names.push(`0x${rest.toString(16)}`);
  return names.join('|');
}
