// Every op kind succeeding, and failing with each errno the model can return for it: the pairs
// are read off the model's code paths (each names the file and the check that returns it, in
// the kernel's order), not off what a generator happens to reach. op-results.test.ts holds the
// table to the model's sources: every `ERRNO.X` an op's handler file can return is listed here
// for that file, and every pair listed names an errno its file returns. What the model cannot
// return by construction is listed in NOT_RETURNED, with the reason, so that nothing is dropped
// silently.
//
// An op stopped by a filter or killed in strict mode before its handler ran (result `stopped`,
// `killed`; the errno is the filter's data, not the op's) is a seccomp corner (seccomp.ts), and
// `invalid` (an op that means nothing here) no corner at all; both are counted in the op
// statistics.
import type { OpName } from '../model/ops.js';
import type { OpResult } from '../model/result.js';
import { errnoName } from '../model/errno.js';
import type { Variant, OpKind } from '../variants/variant.js';
import { accepts } from '../variants/variant.js';
import { REFERENCE_ABI } from '../variants/linux.js';
import type { CornerDecl } from './corner.js';

/** One (op kind, result) pair the model can return. */
export interface OpResultDecl {
  readonly op: OpName;
  /** `ok`, an errno name, or `tsync_fail` (seccomp TSYNC naming the thread it could not sync). */
  readonly result: string;
  /** The model file whose handler returns it. */
  readonly where: string;
  /** The condition, in the kernel's words. */
  readonly when: string;
  readonly spec: string;
  /** Designs whose API and switches can reach it (default: every design with the op). */
  readonly applies?: (v: Variant) => boolean;
  /** Reachable only on a tree with mounts (CornerDecl.mounts). */
  readonly mounts?: true;
}

const TREE = 'model/task/tree.ts';
const ACTION_AVAIL = 'model/seccomp/action-avail.ts';
const FD_CALL = 'model/task/fd-call.ts';
const KEYCTL = 'model/task/keyctl.ts';
const SOCKET = 'model/task/socket.ts';
const CWD = 'model/task/cwd.ts';
const UMOUNT = 'model/landlock/umount.ts';
const SIGSYS = 'model/task/sigsys.ts';
const PGRP = 'model/task/pgrp.ts';
/** The generators draw setpgid in the sockets segment only, for the groups F_SETOWN names. */
const drawsSetpgid = (v: Variant): boolean => accepts(v, 'setpgid') && accepts(v, 'fown_set');
const FDS = 'model/task/fds.ts';
const FILTER = 'model/seccomp/filter.ts';
const STRICT = 'model/seccomp/strict.ts';
const LL = 'model/landlock/syscalls.ts';
const RESTRICT = 'model/landlock/restrict.ts';
const MODIFY = 'model/modify.ts';
const MAPS = 'model/maps/syscalls.ts';
const maps = (v: Variant): boolean => v.semantics.seccompMaps;
const ATTACH = 'model/ptrace/attach.ts';
const GET_FILTER = 'model/ptrace/get-filter.ts';
/** Reached only through PTRACE_O_SUSPEND_SECCOMP, which generators draw only with a positive
 * `admin_escape` weight (0 by default): in no design's catalogue. */
const adminEscape = (): boolean => false;
const NOTIFY = 'model/seccomp/notify.ts';
const supervised = (v: Variant): boolean => accepts(v, 'notif_supervise');

const api = (...kinds: OpKind[]) => (v: Variant): boolean => kinds.every((k) => accepts(v, k));

export const OP_RESULTS: readonly OpResultDecl[] = [
  { op: 'fork', result: 'ok', where: TREE, when: 'a new process (copy_process)', spec: 'seccomp.md §1; landlock.md §2' },
  { op: 'thread', result: 'ok', where: TREE, when: 'a new thread of the group', spec: 'seccomp.md §1; landlock.md §2' },
  { op: 'exec', result: 'ok', where: TREE, when: 'execve: de_thread, close-on-exec, layers kept', spec: 'seccomp.md §1; landlock.md §2' },
  { op: 'exit', result: 'ok', where: TREE, when: 'the task exits', spec: 'seccomp.md §1 Exit' },
  { op: 'set_nnp', result: 'ok', where: TREE, when: 'prctl(PR_SET_NO_NEW_PRIVS, 1)', spec: 'seccomp.md §2 (4)' },
  { op: 'drop_cap', result: 'ok', where: TREE, when: 'capset without CAP_SYS_ADMIN', spec: 'seccomp.md §2 (4)' },
  { op: 'compromise', result: 'ok', where: TREE, when: 'the task is the attacker\'s from here on', spec: 'layering-designs.md §3' },
  { op: 'observe', result: 'ok', where: 'model/task/observe.ts', when: '/proc status and the layer-count oracle', spec: 'seccomp.md "Observable"; landlock.md §1 Layers' },
  { op: 'probe', result: 'ok', where: 'model/probe.ts', when: 'a decided request (its outcome: the seccomp and Landlock corners)', spec: 'seccomp.md §3; landlock.md §3–4' },

  { op: 'seccomp_strict', result: 'ok', where: STRICT, when: 'mode 0 → 1', spec: 'seccomp.md §2 Strict mode' },
  { op: 'seccomp_strict', result: 'EINVAL', where: STRICT, when: 'from filter mode (seccomp_may_assign_mode)', spec: 'seccomp.md §2 Transitions' },

  { op: 'seccomp_filter', result: 'ok', where: FILTER, when: 'attached (0, or the listener fd)', spec: 'seccomp.md §2 (8)' },
  { op: 'seccomp_filter', result: 'EINVAL', where: FILTER, when: 'an unknown flag, TSYNC|NEW_LISTENER without TSYNC_ESRCH, WAIT_KILLABLE_RECV without NEW_LISTENER, length 0 or > 4096, or a program bpf_check_classic / seccomp_check_filter rejects (model/bpf/check.ts)', spec: 'seccomp.md §2 (1–3, 5)' },
  { op: 'seccomp_filter', result: 'EACCES', where: FILTER, when: 'no no_new_privs and no CAP_SYS_ADMIN', spec: 'seccomp.md §2 (4)' },
  { op: 'seccomp_filter', result: 'EBUSY', where: FILTER, when: 'NEW_LISTENER while a filter of the chain has a live listener (has_duplicate_listener)', spec: 'seccomp.md §2 (7)', applies: api('seccomp_filter.listener') },
  { op: 'seccomp_filter', result: 'ENOMEM', where: FILTER, when: 'the path would pass MAX_INSNS_PER_PATH', spec: 'seccomp.md §4' },
  { op: 'seccomp_filter', result: 'EBADF', where: FILTER, when: 'H1 maps: the program\'s map fd names nothing (__bpf_map_get, through model/maps/syscalls.ts resolveMap)', spec: 'layering-designs.md §3a', applies: maps },
  { op: 'seccomp_filter', result: 'ESRCH', where: FILTER, when: 'TSYNC|TSYNC_ESRCH with a sibling that cannot be synchronised', spec: 'seccomp.md §5', applies: (v) => accepts(v, 'seccomp_filter.tsync') && v.semantics.seccompTsyncAncestorCheck },
  { op: 'seccomp_filter', result: 'tsync_fail', where: FILTER, when: 'TSYNC with a sibling that cannot be synchronised: its tid', spec: 'seccomp.md §5', applies: (v) => accepts(v, 'seccomp_filter.tsync') && v.semantics.seccompTsyncAncestorCheck },

  { op: 'ruleset_create', result: 'ok', where: LL, when: 'a ruleset fd (O_CLOEXEC); with the VERSION or ERRATA flag and a NULL attr, the ABI or the fixed errata', spec: 'landlock.md §1 Ruleset, §6 Errata; delegation.md M1' },
  { op: 'ruleset_create', result: 'E2BIG', where: LL, when: 'handled_access_net before ABI 4 or scoped before ABI 6 (the attr is larger than the ABI\'s struct)', spec: 'landlock.md corrections', applies: (v) => (v.abi ?? REFERENCE_ABI) < 6 },
  { op: 'ruleset_create', result: 'EINVAL', where: LL, when: 'an fs, net or scope bit the ABI does not know (bits 32–63 included); query flags with an attr, VERSION|ERRATA or an unknown flag', spec: 'landlock.md §5; delegation.md M1' },
  { op: 'ruleset_create', result: 'ENOMSG', where: LL, when: 'fs, net and scoped all empty', spec: 'landlock.md §5' },

  { op: 'ruleset_add_rule', result: 'ok', where: LL, when: 'the rule is added (ORed with an existing one)', spec: 'landlock.md §1 Ruleset' },
  { op: 'ruleset_add_rule', result: 'ENOENT', where: LL, when: 'the rule\'s path is not in the tree (the executor\'s open(O_PATH) fails first)', spec: 'landlock.md §5 (parent_fd)' },
  { op: 'ruleset_add_rule', result: 'EBADF', where: LL, when: 'the task holds no ruleset fd (no fd at all, with anyFd)', spec: 'landlock.md §5' },
  { op: 'ruleset_add_rule', result: 'EBADFD', where: LL, when: 'anyFd names a descriptor that is not a ruleset: a listener, a map, a layer handle (get_ruleset_from_fd)', spec: 'delegation.md M3' },
  { op: 'ruleset_add_rule', result: 'ENOMSG', where: LL, when: 'allowed_access is 0', spec: 'landlock.md §5' },
  { op: 'ruleset_add_rule', result: 'EINVAL', where: LL, when: 'access outside the handled set, a directory right on a file, a port > 65535, NET_PORT before ABI 4, COMMIT on a non-supervisor', spec: 'landlock.md §5' },

  { op: 'restrict_self', result: 'ok', where: RESTRICT, when: 'a new layer (or, fd −1, only the log flag)', spec: 'landlock.md §1 Domain' },
  { op: 'restrict_self', result: 'EPERM', where: RESTRICT, when: 'no no_new_privs and no CAP_SYS_ADMIN (checked first); a supervisor ruleset, or a supervisee of a supervisor fd the task holds', spec: 'landlock.md §2 Privilege precondition; layering-designs.md §3f' },
  { op: 'restrict_self', result: 'EINVAL', where: RESTRICT, when: 'a flag the ABI does not know', spec: 'landlock.md §5', applies: (v) => accepts(v, 'restrict_self.log') || accepts(v, 'restrict_self.tsync') },
  { op: 'restrict_self', result: 'EBADF', where: RESTRICT, when: 'fd −1 without exactly LOG_SUBDOMAINS_OFF (| TSYNC), or no ruleset fd', spec: 'landlock.md §5' },
  { op: 'restrict_self', result: 'EBADFD', where: RESTRICT, when: 'anyFd names a descriptor that is not a ruleset (get_ruleset_from_fd)', spec: 'delegation.md M3' },
  { op: 'restrict_self', result: 'E2BIG', where: RESTRICT, when: 'the domain already has LANDLOCK_MAX_NUM_LAYERS layers', spec: 'landlock.md §1 Layers' },

  { op: 'send_fd', result: 'ok', where: FDS, when: 'the receiver gets a new fd (no close-on-exec)', spec: 'landlock.md §1 Ruleset; delegation.md §1 U2' },
  { op: 'send_fd', result: 'EBADF', where: FDS, when: 'the sender holds no fd', spec: 'model (fd references index the table)' },
  { op: 'close_fd', result: 'ok', where: FDS, when: 'close(2)', spec: 'delegation.md §1 U5' },
  { op: 'close_fd', result: 'EBADF', where: FDS, when: 'the task holds no fd', spec: 'model (fd references index the table)' },
  { op: 'fd_call', result: 'EINVAL', where: FD_CALL, when: 'read or write on any of the model\'s files; FIONREAD on a listener (seccomp_notify_ioctl)', spec: 'delegation.md M2' },
  { op: 'fd_call', result: 'ESPIPE', where: FD_CALL, when: 'lseek: no file of the model seeks', spec: 'delegation.md M2' },
  { op: 'fd_call', result: 'ENOTTY', where: FD_CALL, when: 'FIONREAD on a ruleset (no unlocked_ioctl)', spec: 'delegation.md M2' },
  { op: 'fd_call', result: 'EBADF', where: FD_CALL, when: 'the task holds no fd', spec: 'model (fd references index the table)' },
  { op: 'fd_call', result: 'ENXIO', where: FD_CALL, when: 'reopening any of the model\'s files through /proc/self/fd (an anonymous inode)', spec: 'delegation.md M2' },
  { op: 'fd_call', result: 'ENOENT', where: FD_CALL, when: 'reopening through /proc/self/fd a descriptor the task does not hold', spec: 'delegation.md M2' },
  { op: 'keyctl', result: 'ok', where: KEYCTL, when: 'a new session keyring; or the caller\'s keyring onto its single-threaded parent (which keeps its domain)', spec: 'landlock.md §2 (keyctl, CVE-2024-42318)' },
  { op: 'socketpair', result: 'ok', where: SOCKET, when: 'two connected unix stream ends at the lowest free numbers', spec: 'landlock.md §4 Signal exceptions (F_SETOWN)' },
  { op: 'chdir', result: 'ok', where: CWD, when: 'into any directory of the tree, whatever the domain handles (no Landlock hook)', spec: 'landlock.md §3 (no chdir hook)' },
  { op: 'chdir', result: 'ENOTDIR', where: CWD, when: 'to a file', spec: 'model (path_lookupat)' },
  { op: 'chdir', result: 'ENOENT', where: CWD, when: 'to no entry of the tree', spec: 'model (path_lookupat)' },
  { op: 'sigsys', result: 'ok', where: SIGSYS, when: 'SIGSYS ignored, at SIG_DFL or handled (the process\'s), blocked or unblocked (the thread\'s)', spec: 'seccomp.md §3 (RET_TRAP: force_sig_seccomp)' },
  { op: 'umount', result: 'ok', where: UMOUNT, when: 'a bind mount of the tree, by a task with CAP_SYS_ADMIN outside any fs-handling domain, no working directory in it', spec: 'landlock.md §3 (mount topology)', mounts: true },
  { op: 'umount', result: 'ENOENT', where: UMOUNT, when: 'a path of no entry (a mount point\'s former contents once unmounted)', spec: 'model (user_path_at)', mounts: true },
  { op: 'umount', result: 'EPERM', where: UMOUNT, when: 'without CAP_SYS_ADMIN (may_mount), or in a domain with a layer handling an fs right (hook_sb_umount)', spec: 'landlock.md §3 (mount topology)', mounts: true },
  { op: 'umount', result: 'EINVAL', where: UMOUNT, when: 'a path that is no attached mount\'s root (path_mounted, check_mnt: a detached mount)', spec: 'model (can_umount)', mounts: true },
  { op: 'umount', result: 'EBUSY', where: UMOUNT, when: 'a task\'s working directory at or beneath the mount point (propagate_mount_busy)', spec: 'model (do_umount)', mounts: true },
  { op: 'unix_listen', result: 'ok', where: SOCKET, when: 'a listening abstract socket whose file keeps the caller\'s domain', spec: 'landlock.md §4 Abstract UNIX sockets (the creator decides)' },
  { op: 'fown_set', result: 'EBADF', where: SOCKET, when: 'the task holds no socket descriptor', spec: 'model (fd references index the table)' },
  { op: 'fown_set', result: 'ok', where: SOCKET, when: 'F_SETOWN names a process, F_SETOWN_EX a thread, F_SETOWN -pgid a process group; the caller\'s domain is recorded unless the owner process or thread is of the caller\'s own process (hook_file_set_fowner, control_current_fowner)', spec: 'landlock.md §4 Signal exceptions (F_SETOWN)' },
  { op: 'setpgid', result: 'ok', where: PGRP, when: 'the caller\'s process or a child that has not exec\'d, into a new group or one of the session\'s', spec: 'model (kernel/sys.c:setpgid)', applies: drawsSetpgid },
  { op: 'setpgid', result: 'EINVAL', where: PGRP, when: 'pid names a thread that is no leader (thread_group_leader)', spec: 'model (kernel/sys.c:setpgid)', applies: drawsSetpgid },
  { op: 'setpgid', result: 'EACCES', where: PGRP, when: 'a child of the caller\'s process after its exec (PF_FORKNOEXEC cleared)', spec: 'model (kernel/sys.c:setpgid)', applies: drawsSetpgid },
  { op: 'setpgid', result: 'ESRCH', where: PGRP, when: 'a process that is neither the caller\'s nor its child', spec: 'model (kernel/sys.c:setpgid)', applies: drawsSetpgid },
  { op: 'keyctl', result: 'EPERM', where: KEYCTL, when: 'SESSION_TO_PARENT: the parent\'s thread group has several live threads, or its one live thread is not the leader (thread_group_empty)', spec: 'landlock.md §2 (keyctl_session_to_parent)' },

  { op: 'modify', result: 'ok', where: MODIFY, when: 'the layer\'s content replaced for every holder', spec: 'layering-designs.md §3b' },
  { op: 'modify', result: 'EINVAL', where: MODIFY, when: 'no layer to name; a seccomp layer without a program or with a bad one; a Landlock layer without a ruleset', spec: 'layering-designs.md §3b' },
  { op: 'modify', result: 'EPERM', where: MODIFY, when: 'an IMMUTABLE layer, or STRICTER content that is looser on some request', spec: 'layering-designs.md §3b' },
  { op: 'modify', result: 'EBADF', where: MODIFY, when: 'a handle fd the task does not hold (or handles absent from the design); no ruleset fd for a Landlock layer', spec: 'layering-designs.md §3b' },
  { op: 'modify', result: 'ESRCH', where: MODIFY, when: 'the handle\'s layer is held by no live task', spec: 'layering-designs.md §3b (b2)', applies: (v) => v.semantics.modify === 'handle' },

  { op: 'map_create', result: 'ok', where: MAPS, when: 'bpf(BPF_MAP_CREATE): a new map and an O_CLOEXEC fd on it (bpf_map_new_fd)', spec: 'layering-designs.md §3a', applies: maps },
  { op: 'map_put', result: 'ok', where: MAPS, when: 'bpf(BPF_MAP_UPDATE_ELEM): the key is in the map for every holder (map_update_elem)', spec: 'layering-designs.md §3a', applies: maps },
  { op: 'map_put', result: 'EBADF', where: MAPS, when: 'the task holds no descriptor (__bpf_map_get)', spec: 'layering-designs.md §3a', applies: maps },
  { op: 'map_put', result: 'EINVAL', where: MAPS, when: 'the descriptor is not a map (__bpf_map_get)', spec: 'layering-designs.md §3a', applies: (v) => maps(v) && (accepts(v, 'ruleset_create') || accepts(v, 'seccomp_filter.listener')) },

  { op: 'ruleset_supervisee', result: 'ok', where: LL, when: 'a supervisee ruleset fd from a supervisor fd', spec: 'layering-designs.md §3f' },
  { op: 'ruleset_supervisee', result: 'EBADF', where: LL, when: 'the task holds no ruleset fd', spec: 'layering-designs.md §3f' },
  { op: 'ruleset_supervisee', result: 'EINVAL', where: LL, when: 'the ruleset is not a supervisor (model choice)', spec: 'layering-designs.md §3f' },

  { op: 'ptrace_attach', result: 'ok', where: ATTACH, when: 'PTRACE_ATTACH / PTRACE_SEIZE: the caller traces the target (ptrace_link)', spec: 'delegation.md §6 R9, §9 L1' },
  { op: 'ptrace_attach', result: 'EIO', where: ATTACH, when: 'SEIZE with an option outside PTRACE_O_MASK (checked before check_ptrace_options)', spec: 'delegation.md §7 P1' },
  { op: 'ptrace_attach', result: 'EPERM', where: ATTACH, when: 'a task of the caller\'s thread group (L3), Landlock\'s domain order (L1), a task already traced, or SUSPEND_SECCOMP without its privilege (P2/P3)', spec: 'delegation.md §9 L1–L3, §7 P3' },
  { op: 'ptrace_traceme', result: 'ok', where: ATTACH, when: 'the real parent traces the caller (ptrace_traceme)', spec: 'delegation.md §9 L1' },
  { op: 'ptrace_traceme', result: 'EPERM', where: ATTACH, when: 'already traced, or the parent\'s domain is not an ancestor-or-self of the caller\'s (hook_ptrace_traceme)', spec: 'delegation.md §9 L1–L2' },
  { op: 'ptrace_setoptions', result: 'ok', where: ATTACH, when: 'the options replace the old ones (ptrace_setoptions)', spec: 'delegation.md §6 R1–R2, §7 P5' },
  { op: 'ptrace_setoptions', result: 'ESRCH', where: ATTACH, when: 'not the caller\'s tracee (ptrace_check_attach)', spec: 'delegation.md §8 F5' },
  { op: 'ptrace_setoptions', result: 'EINVAL', where: ATTACH, when: 'an unknown option (check_ptrace_options)', spec: 'delegation.md §7 P1' },
  { op: 'ptrace_setoptions', result: 'EPERM', where: ATTACH, when: 'SUSPEND_SECCOMP without CAP_SYS_ADMIN, from a filtered or suspended tracer (check_ptrace_options)', spec: 'delegation.md §7 P2', applies: adminEscape },
  { op: 'ptrace_response', result: 'ok', where: ATTACH, when: 'the tracer\'s declared seccomp-stop response (no syscall)', spec: 'delegation.md §6 R2–R5' },
  { op: 'ptrace_get_filter', result: 'ok', where: GET_FILTER, when: 'the program\'s length (GET_FILTER) or the LOG flag (GET_METADATA); index 0 = the oldest', spec: 'delegation.md §8 F1–F3' },
  { op: 'ptrace_get_filter', result: 'ESRCH', where: GET_FILTER, when: 'not the caller\'s tracee (ptrace_check_attach)', spec: 'delegation.md §8 F5' },
  { op: 'ptrace_get_filter', result: 'EACCES', where: GET_FILTER, when: 'no CAP_SYS_ADMIN, or a caller in seccomp mode ≠ 0', spec: 'delegation.md §8 F4' },
  { op: 'ptrace_get_filter', result: 'EINVAL', where: GET_FILTER, when: 'a tracee in mode 0 or strict (get_nth_filter)', spec: 'delegation.md §8 F5' },
  { op: 'ptrace_get_filter', result: 'ENOENT', where: GET_FILTER, when: 'index ≥ the number of filters, or −1 (get_nth_filter)', spec: 'delegation.md §8 F1' },
  // the supervisor protocol (model/seccomp/notify.ts); a listener ioctl on another file: ENOTTY
  // (its file has no such ioctl), on no descriptor: EBADF
  { op: 'notif_supervise', result: 'ok', where: NOTIFY, when: 'notifications wait for the scenario\'s supervisor', spec: 'delegation.md §2', applies: supervised },
  { op: 'notif_recv', result: 'ok', where: NOTIFY, when: 'the oldest INIT notification, now SENT: its pid', spec: 'delegation.md U10–U12', applies: supervised },
  { op: 'notif_recv', result: 'ENOENT', where: NOTIFY, when: 'nothing queued and the filter has no users (recv_wait_event)', spec: 'delegation.md U13', applies: supervised },
  { op: 'notif_recv', result: 'EBADF', where: NOTIFY, when: 'the task holds no descriptor', spec: 'delegation.md U8', applies: supervised },
  { op: 'notif_recv', result: 'ENOTTY', where: NOTIFY, when: 'the descriptor is not a listener', spec: 'delegation.md U8, M2', applies: supervised },
  { op: 'notif_send', result: 'ok', where: NOTIFY, when: 'a SENT notification answered (value, error or CONTINUE)', spec: 'delegation.md U15, U16', applies: supervised },
  { op: 'notif_send', result: 'EINVAL', where: NOTIFY, when: 'flags other than CONTINUE, or CONTINUE with a value or an error', spec: 'delegation.md U14', applies: supervised },
  { op: 'notif_send', result: 'ENOENT', where: NOTIFY, when: 'no pending notification has the id', spec: 'delegation.md U14', applies: supervised },
  { op: 'notif_send', result: 'EBADF', where: NOTIFY, when: 'the task holds no descriptor', spec: 'delegation.md U8', applies: supervised },
  { op: 'notif_send', result: 'ENOTTY', where: NOTIFY, when: 'the descriptor is not a listener', spec: 'delegation.md U8, M2', applies: supervised },
  { op: 'notif_id_valid', result: 'ok', where: NOTIFY, when: 'the notification is SENT', spec: 'delegation.md U12', applies: supervised },
  { op: 'notif_id_valid', result: 'ENOENT', where: NOTIFY, when: 'INIT, answered, or no such notification', spec: 'delegation.md U12', applies: supervised },
  { op: 'notif_id_valid', result: 'EBADF', where: NOTIFY, when: 'the task holds no descriptor', spec: 'delegation.md U8', applies: supervised },
  { op: 'notif_id_valid', result: 'ENOTTY', where: NOTIFY, when: 'the descriptor is not a listener', spec: 'delegation.md U8, M2', applies: supervised },
  { op: 'notif_addfd', result: 'ok', where: NOTIFY, when: 'the source\'s file installed in the target: its number', spec: 'delegation.md U17, U19', applies: supervised },
  { op: 'notif_addfd', result: 'EINVAL', where: NOTIFY, when: 'flags other than SETFD|SEND', spec: 'delegation.md U18', applies: supervised },
  { op: 'notif_addfd', result: 'ENOENT', where: NOTIFY, when: 'no pending notification has the id', spec: 'delegation.md U18', applies: supervised },
  { op: 'notif_addfd', result: 'EBADF', where: NOTIFY, when: 'the task holds no descriptor', spec: 'delegation.md U18', applies: supervised },
  { op: 'notif_addfd', result: 'ENOTTY', where: NOTIFY, when: 'the descriptor is not a listener', spec: 'delegation.md U8, M2', applies: supervised },
  { op: 'notif_set_flags', result: 'ok', where: NOTIFY, when: '0 or SYNC_WAKE_UP, by value', spec: 'delegation.md U8', applies: supervised },
  { op: 'notif_set_flags', result: 'EINVAL', where: NOTIFY, when: 'any other flag', spec: 'delegation.md U8', applies: supervised },
  { op: 'notif_set_flags', result: 'EBADF', where: NOTIFY, when: 'the task holds no descriptor', spec: 'delegation.md U8', applies: supervised },
  { op: 'notif_set_flags', result: 'ENOTTY', where: NOTIFY, when: 'the descriptor is not a listener', spec: 'delegation.md U8, M2', applies: supervised },
  { op: 'notif_sizes', result: 'ok', where: NOTIFY, when: '80/24/64', spec: 'delegation.md U7', applies: supervised },
  // GET_ACTION_AVAIL belongs to every design with seccomp(2), but is drawn by the notify segment
  // only (a supervisor's set-up query, beside GET_NOTIF_SIZES): its corners apply where that is
  { op: 'seccomp_action_avail', result: 'ok', where: ACTION_AVAIL, when: 'one of the eight full action values', spec: 'seccomp.md GET_ACTION_AVAIL, delegation.md M5', applies: supervised },
  { op: 'seccomp_action_avail', result: 'EOPNOTSUPP', where: ACTION_AVAIL, when: 'any other value, data bits included', spec: 'seccomp.md GET_ACTION_AVAIL, delegation.md M5', applies: supervised },
  { op: 'seccomp_action_avail', result: 'EINVAL', where: ACTION_AVAIL, when: 'flags other than 0 (before the action is read)', spec: 'seccomp.md GET_ACTION_AVAIL, delegation.md M5', applies: supervised },
  { op: 'notif_poll', result: 'ok', where: NOTIFY, when: 'revents (POLLNVAL on no descriptor)', spec: 'delegation.md U21', applies: supervised },
  { op: 'notif_return', result: 'ok', where: NOTIFY, when: 'the answered call returns (a value, or its run after CONTINUE)', spec: 'delegation.md U15, U16', applies: supervised },
  { op: 'notif_return', result: 'ENOSYS', where: NOTIFY, when: 'the listener\'s last descriptor was released while the call waited (seccomp_notify_detach); other errnos are the supervisor\'s answers, not counted', spec: 'delegation.md U22', applies: supervised },
];

/** What the model never returns by construction, and why (no corner: nothing could reach it). */
/** Op kinds with no successful result at all (each listed in NOT_RETURNED with the reason). */
export const NEVER_SUCCEEDS: readonly string[] = ['fd_call'];

export const NOT_RETURNED: readonly { readonly what: string; readonly why: string }[] = [
  { what: 'fd_call succeeding', why: 'no file the model holds reads, writes, seeks, answers FIONREAD or reopens through /proc: a ruleset, a listener, a map, a layer handle (model/task/fd-call.ts)' },
  { what: 'EBADF for an O_PATH descriptor given as a ruleset (delegation.md M3)', why: 'no model task holds an O_PATH descriptor (the executor opens a rule\'s path itself and drops it)' },
  { what: 'EFAULT (unreadable arguments)', why: 'ops carry values, not user-space pointers' },
  { what: 'EMFILE, EOPNOTSUPP (no free fd; Landlock disabled at boot)', why: 'no fd limit and no boot configuration are modelled' },
  { what: 'EPERM from add_rule / restrict_self on an fd without read or write mode', why: 'unreachable on Linux too (landlock.md §1: a ruleset fd cannot be reopened)' },
  { what: 'ruleset_create E2BIG at ABI ≥ 6', why: 'every field an op can carry exists in the ABI\'s struct (applies to designs below ABI 6)' },
  { what: 'a probe answered ESRCH (no target task)', why: 'the prober itself is alive, so a target reference always names a live task (model/probe.ts, model/landlock/decide.ts); a sigurg\'s ESRCH says the send did not address its `to` (landlock.fown.unaddressed)' },
  { what: 'setpgid EPERM (a session leader, or a pgid naming no group of the session)', why: 'every scenario process shares the coordinator\'s session and none leads it, and a pgid is always named by a live task\'s group (model/task/pgrp.ts)' },
  { what: 'SIGKILL from inside seccomp_filter / seccomp_strict (strictKill)', why: 'the op gate kills a strict-mode task\'s seccomp() call before the handler runs: counted as seccomp.strict.kill' },
  { what: 'seccomp_strict EINVAL from strict mode', why: 'unobservable: the seccomp() call itself is killed (seccomp.md corrections)' },
];

/** The result an op step is counted under: `ok`, an errno name, `tsync_fail`, or the kind
 * (`stopped`, `killed`, `invalid`) of a result no op handler returned. */
export function resultKey(r: OpResult): string {
  switch (r.kind) {
    case 'ok':
    case 'probe':
    case 'observe':
      return 'ok';
    case 'err':
      return errnoName(r.errno);
    default:
      return r.kind;
  }
}

/** The corner of a pair. */
export function opResultId(op: string, result: string): string {
  return `op.${op}.${result}`;
}

export const OP_RESULT_CORNERS: readonly CornerDecl[] = OP_RESULTS.map((d) => ({
  id: opResultId(d.op, d.result),
  title: `${d.op} → ${d.result}: ${d.when}`,
  spec: d.spec,
  group: 'op results',
  applies: (v: Variant) => accepts(v, d.op) && (d.applies === undefined || d.applies(v)),
  ...(d.mounts ? { mounts: true as const } : {}),
}));
