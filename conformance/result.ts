// What the kernel executor reports: a whole scenario's run (KernelTrace) and the kernel's
// features. The per-op result types are plain scenario data (scenario/kernel-result.ts: a
// scenario document can record a kernel run) and are re-exported from here.
import type { KernelRunStatus, KernelStep, KernelTableEntry } from '../scenario/kernel-result.js';

export type { KernelOutcome, KernelObservation, KernelOpResult, KernelStep, KernelRunStatus, KernelTableEntry, KernelTableRequest } from '../scenario/kernel-result.js';

export interface KernelTrace {
  readonly status: KernelRunStatus;
  readonly steps: readonly KernelStep[];
  /** Full-table observes (KernelRunOptions.table): tabled requests by their index in the
   * universe (syscalls, then Landlock requests). Absent when none were asked for. */
  readonly tables?: readonly KernelTableEntry[];
  /** Wall time of the scenario inside the executor, microseconds. */
  readonly elapsedUs: number;
  /** 'clean' when the scenario's processes and temporary directory are gone. */
  readonly cleanup: string;
  readonly message?: string;
  /** status `executor_failed`: the signal that ended the executor, if one did (SIGKILL, ...). */
  readonly executorSignal?: string;
}

export interface KernelFeatures {
  readonly kernel: string;
  /** landlock_create_ruleset(NULL, 0, VERSION); 0 without Landlock. */
  readonly landlockAbi: number;
  /** Why landlock_create_ruleset(NULL, 0, VERSION) failed: 0 (it did not), ENOSYS (not built
   * in), EOPNOTSUPP (built in, not an active LSM: boot with `lsm=landlock,...`). Absent from a
   * stand-in that does not report it. */
  readonly landlockErrno?: number;
  /** The active LSMs in order (/sys/kernel/security/lsm); null where securityfs is not mounted. */
  readonly lsm?: readonly string[] | null;
  /** landlock_create_ruleset(NULL, 0, ERRATA); -1 when the query is unknown. */
  readonly landlockErrata: number;
  /** Seccomp actions SECCOMP_GET_ACTION_AVAIL accepts, by name (kill_process, ..., allow). */
  readonly seccompActions: readonly string[];
  /** SECCOMP_FILTER_FLAG_* bits the kernel knows. */
  readonly seccompFilterFlags: number;
  /** landlock_restrict_self flag bits the kernel knows. */
  readonly landlockRestrictFlags: number;
  /** A USER_NOTIF filter's notification could be received and answered. */
  readonly userNotif: boolean;
  /** pidfd_open(PIDFD_THREAD) (6.9): needed to see a single thread die. */
  readonly pidfdThread: boolean;
  readonly pidfdGetfd: boolean;
  /** int $0x80 works (i386 requests). */
  readonly ia32: boolean;
  /** unshare(CLONE_NEWNS) works: each scenario's tree is then a tmpfs of its own mount
   * namespace, and mount probes can run. */
  readonly mountns: boolean;
  readonly netns: boolean;
  /** The exec op's helper image (a memfd copy of the executor) can be exec'd. */
  readonly execMemfd: boolean;
  /** What the executor itself runs with (conformance/availability.ts decides what is missing).
   * Absent only for a stand-in that does not report it (tests' fakes). */
  readonly environment?: ExecutorEnvironment;
}

/** The executor's own set-up, which every task starts from. */
export interface ExecutorEnvironment {
  /** The image the exec op runs: build/strata-task, a copy of the executor (the helper was not
   * built: its start-up makes system calls the model does not know of), or none. */
  readonly execImage: 'task' | 'self' | 'none';
  /** The executor's effective capabilities (capget), bit n = capability n. */
  readonly capEff: bigint;
  readonly noNewPrivs: boolean;
  /** prctl(PR_GET_SECCOMP): 0 when the executor itself runs under no seccomp filter. */
  readonly seccompMode: number;
  /** The work directory (under TMPDIR) is on a file system mounted noexec / nodev. */
  readonly workdirNoexec: boolean;
  readonly workdirNodev: boolean;
  /** A character device could be made (each scenario's tree holds one). */
  readonly mknod: boolean;
  /** A sandboxed task of the executor opens the /proc/<pid>/environ of a process outside its
   * domain: mm_access lets a perfmon_capable caller past ptrace_may_access (6.18; not 6.1 or
   * 6.12). Where not, the executor skips environ probes (model/landlock/procfs.ts). */
  readonly environUnchecked: boolean;
  /** Landlock records the F_SETOWN domain for a process group its caller heads (the fix for
   * CVE-2026-72183: this 6.18.44, Debian's 6.12.118); where not, the executor skips group
   * owners (model/task/socket.ts). */
  readonly fownGroupRecorded: boolean;
}
