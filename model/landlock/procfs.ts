// Files of procfs one task opens about another: open("/proc/<tid>/<file>", O_RDONLY), outside
// the scenario's tree. Which checks meet the open depends on the file (fs/proc/base.c,
// fs/proc/namespaces.c, kernel/fork.c:mm_access; each verified on 6.18 with a C program, then by
// conformance/landlock.test.ts "11. procfs"):
//   status   proc_pid_status asks nothing of the target; the open meets Landlock's hook_file_open
//            on the procfs path, under which no rule can be (the scenario's rules are all in its
//            tree): EACCES iff some layer handles READ_FILE.
//   environ  environ_open → __mem_open(PTRACE_MODE_READ) → mm_access, after hook_file_open: the
//            target's mm is given when it is the caller's own, when perfmon_capable() (CAP_PERFMON
//            or CAP_SYS_ADMIN), or when ptrace_may_access allows. The model's tasks are root and
//            keep CAP_PERFMON (drop_cap clears CAP_SYS_ADMIN only), so the ptrace check never runs
//            for them: a sandboxed task reads the environment of a process outside its domain.
//   mem      mem_open → __mem_open(PTRACE_MODE_ATTACH): hook_file_open, then ptrace_may_access
//            (mm_access's perfmon exception is for READ only) → Landlock's domain_ptrace.
//   ns       ns/mnt: proc_ns_get_link asks ptrace_may_access(PTRACE_MODE_READ_FSCREDS) during
//            the walk, and the file opened is nsfs's, an SB_NOUSER file system whose files Landlock
//            lets through (fs.c:is_nouser_or_private): the ptrace check alone.
// Every failure is EACCES (proc_mem_open and proc_ns_get_link turn a refused ptrace_may_access
// into it), so the order of the two checks is not observable. The tasks of one thread group
// pass the ptrace check (__ptrace_may_access's same_thread_group; mm_access's own mm).
import type { ProcFile } from '../request.js';
import type { DomainNode } from './domain.js';
import { FS } from './access.js';
import { ERRNO } from '../errno.js';

/** The files, in the order of the executor's sub-command (conformance/native/probe.c). */
export const PROC_FILES: readonly ProcFile[] = ['status', 'environ', 'mem', 'ns'];

/** The path under /proc/<tid>/ the executor opens. */
export const PROC_PATH: Readonly<Record<ProcFile, string>> = { status: 'status', environ: 'environ', mem: 'mem', ns: 'ns/mnt' };

/** Whether the open meets hook_file_open (the file is procfs's, not nsfs's). */
export function procFsChecked(file: ProcFile): boolean {
  return file !== 'ns';
}

/** Whether the open asks ptrace_may_access of the target, for a caller with CAP_PERFMON. */
export function procPtraceChecked(file: ProcFile): boolean {
  return file === 'mem' || file === 'ns';
}

/**
 * hook_file_open on a procfs path for the layer chain `domain`: no rule is above it, so READ_FILE
 * is denied by every layer that handles it (is_access_to_paths_allowed walks to the real root
 * without meeting a rule).
 */
export function procFsDecision(domain: DomainNode | null, file: ProcFile): number {
  if (!procFsChecked(file)) return 0;
  for (let n = domain; n !== null; n = n.prev) if ((n.layer.handledFs & FS.READ_FILE) !== 0) return ERRNO.EACCES;
  return 0;
}
