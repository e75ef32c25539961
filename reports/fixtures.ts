// Hand-written scenarios for the report snapshot tests: the §6 witnesses of two unsafe variants
// and a Linux tour of every result kind. Fixed by hand (not generated), so the golden files
// change only when the model or the report format does.
import type { Op } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG, LANDLOCK_RESTRICT_SELF } from '../model/ops.js';
import { compilePolicy } from '../model/bpf/asm.js';
import { SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS, retErrno } from '../model/seccomp/action.js';
import { FS } from '../model/landlock/access.js';
import { ERRNO } from '../model/errno.js';
import { syscall } from '../model/request.js';

export const ALLOW_ALL = compilePolicy({ default: SECCOMP_RET_ALLOW, rules: [] });
/** getppid (110) → ERRNO(EPERM), everything else allowed. */
export const DENY_GETPPID = compilePolicy({ default: SECCOMP_RET_ALLOW, rules: [{ nr: 110, action: retErrno(ERRNO.EPERM) }] });
/** getuid (102) → KILL_PROCESS. */
export const KILL_GETUID = compilePolicy({ default: SECCOMP_RET_ALLOW, rules: [{ nr: 102, action: SECCOMP_RET_KILL_PROCESS }] });

/** e2 TSYNC-OVERWRITE (§6): P.thread->T; T.add(L2); P.tsync(L1) — T loses L2. */
export const TSYNC_OVERWRITE_WITNESS: readonly Op[] = [
  { op: 'thread', task: 0 },
  { op: 'seccomp_filter', task: 1, flags: 0, program: DENY_GETPPID, source: 'ALLOW; 110->ERRNO(EPERM)' },
  { op: 'seccomp_filter', task: 0, flags: SECCOMP_FILTER_FLAG.TSYNC, program: ALLOW_ALL, source: 'ALLOW' },
];

/** e1 LIVE-RULESET (§6): P.mkrs->R; P.restrict(R); P.fork->C; P.rule(R,x) — A(C) grows. */
export const LIVE_RULESET_WITNESS: readonly Op[] = [
  { op: 'ruleset_create', task: 0, fs: FS.READ_FILE | FS.WRITE_FILE, net: 0, scoped: 0 },
  { op: 'restrict_self', task: 0, ruleset: 0, flags: 0 },
  { op: 'fork', task: 0 },
  { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'path_beneath', path: '/a', access: FS.READ_FILE } },
];

/** prctl (157) → ERRNO(EPERM), everything else allowed. */
export const DENY_PRCTL = compilePolicy({ default: SECCOMP_RET_ALLOW, rules: [{ nr: 157, action: retErrno(ERRNO.EPERM) }] });

/**
 * Linux, every result kind: a refused filter, a listener, fds passed and closed, probes, an op
 * the variant lacks, TSYNC, strict mode killing a fork, a kill by probe, an op stopped by a
 * filter, and an op with no live task.
 */
export const LINUX_TOUR: readonly Op[] = [
  { op: 'fork', task: 0 },
  { op: 'drop_cap', task: 0 },
  { op: 'seccomp_filter', task: 0, flags: 0, program: ALLOW_ALL, source: 'ALLOW' },
  { op: 'set_nnp', task: 0 },
  { op: 'seccomp_filter', task: 0, flags: SECCOMP_FILTER_FLAG.NEW_LISTENER, program: DENY_GETPPID, source: 'ALLOW; 110->ERRNO(EPERM)' },
  { op: 'probe', task: 0, request: syscall(110) },
  { op: 'ruleset_create', task: 0, fs: FS.READ_FILE, net: 0, scoped: 0 },
  { op: 'fork', task: 0 },
  { op: 'send_fd', task: 0, fd: 1, to: 2 },
  { op: 'close_fd', task: 0, fd: 0 },
  { op: 'restrict_self', task: 2, ruleset: 0, flags: LANDLOCK_RESTRICT_SELF.LOG_SUBDOMAINS_OFF },
  { op: 'probe', task: 2, request: { kind: 'fs', access: 'read_file', path: '/b/f' } },
  { op: 'observe', task: 2 },
  { op: 'modify', task: 0, layer: 0, program: ALLOW_ALL },
  { op: 'thread', task: 2 },
  { op: 'seccomp_filter', task: 3, flags: SECCOMP_FILTER_FLAG.TSYNC, program: KILL_GETUID, source: 'ALLOW; 102->KILL_PROCESS' },
  { op: 'seccomp_strict', task: 1 },
  { op: 'fork', task: 1 },
  { op: 'probe', task: 1, request: syscall(102) },
  { op: 'seccomp_filter', task: 0, flags: 0, program: DENY_PRCTL, source: 'ALLOW; 157->ERRNO(EPERM)' },
  { op: 'set_nnp', task: 0 },
  { op: 'exit', task: 0 },
  { op: 'observe', task: 0 },
];
