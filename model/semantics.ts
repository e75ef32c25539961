// Semantics switches: one record of named switches that the shared state machine consults,
// one const per built-in design (cf. SibylFS's platform records). Today's Linux is the default.
// Variants (variants/) pick a record and may wrap the transition function. The evaluation
// switches (how decisions are computed from layers) are model/evaluation.ts's; every decision
// path reads them through evaluationOf(world.semantics).
import type { Evaluation } from './evaluation.js';
import { LINUX_EVALUATION } from './evaluation.js';

export interface Semantics extends Evaluation {
  /**
   * TSYNC requires every sibling's filter to be an ancestor of the caller's
   * (kernel/seccomp.c:seccomp_can_sync_threads). false: copy over without the check (e2).
   */
  readonly seccompTsyncAncestorCheck: boolean;
  /**
   * Landlock v5 (2017): an add by a task that already has a layer appends the new program to
   * that (shared) top layer in place, reaching every task that shares it (§2, §3a).
   */
  readonly seccompInPlaceAppend: boolean;
  /** exec empties the task's layers (e3; OpenBSD pledge without execpromises). */
  readonly execResetsLayers: boolean;
  /**
   * restrict_self copies the ruleset into a new immutable layer
   * (security/landlock/ruleset.c:landlock_merge_ruleset). false: the layer reads the live
   * ruleset at evaluation time (e1).
   */
  readonly landlockRestrictSnapshot: boolean;
  /**
   * A separate modify call: 'none' (Linux), 'current' (b1: only layers in the caller's own
   * stack), 'handle' (b2: also layers named by an explicitly granted handle fd).
   * The layer's mutability flag, chosen at creation, decides what modify may do.
   */
  readonly modify: 'none' | 'current' | 'handle';
  /** Mutable-domains RFC (Feb 2026): supervisor rulesets whose COMMITs reach enforced layers. */
  readonly landlockSupervisor: boolean;
  /**
   * H1 (layering-designs §3a): eBPF maps (`map_create`, `map_put`) and filters whose rule reads
   * one ("deny unless nr ∈ M", the `map` field of seccomp_filter): a put by any holder of the
   * map changes every layer reading it (model/maps/). false: Linux's classic BPF filters read no
   * map (the field is EINVAL), and the map calls are not in the variant.
   */
  readonly seccompMaps: boolean;
  /**
   * After a tracer's PTRACE_EVENT_SECCOMP stop, every filter runs again on the call as the tracer
   * left it (kernel/seccomp.c:__seccomp_filter, `recheck_after_trace`, since Linux 4.8). false:
   * the call runs unchecked, as before 4.8 (model/ptrace/trace-stop.ts).
   */
  readonly seccompTraceRecheck: boolean;
  /**
   * A credential replaced from outside the task — KEYCTL_SESSION_TO_PARENT's new cred for the
   * parent (security/keys/process_keys.c:key_change_session_keyring → cred_transfer) — keeps the
   * task's Landlock domain (security/landlock/cred.c:hook_cred_transfer, since the fix for
   * CVE-2024-42318). false: the domain is dropped, as before that fix (model/task/keyctl.ts).
   */
  readonly credTransferKeepsDomain: boolean;
  /**
   * Landlock's fix for CVE-2026-72183 ("landlock: Fix LANDLOCK_SCOPE_SIGNAL bypass on the SIGIO
   * path", 6.12.101, 6.18.40, 7.1.5; present on this 6.18.44): F_SETOWN naming a process group
   * records the caller's domain even when the group's task list starts with the caller's own
   * process (security/landlock/fs.c:control_current_fowner returns true for PIDTYPE_PGID), and
   * records the caller's thread group with it, to which hook_file_send_sigiotask always delivers
   * (same-process signals stay allowed). false: Landlock from commit 18eb75f3af40 until that fix
   * — control_current_fowner's same_thread_group test on pid_task(pid, PIDTYPE_PGID), the group's
   * most recently attached process, skips the record when that is the caller's (the SIGURG then
   * reaches every member unchecked), and no delivery is exempt (model/task/socket.ts).
   */
  readonly sigioScopeFix: boolean;
}

/** Today's Linux (6.18): every layer immutable, snapshot restrict, ancestor-checked TSYNC. */
export const LINUX_SEMANTICS: Semantics = {
  seccompTsyncAncestorCheck: true,
  seccompInPlaceAppend: false,
  execResetsLayers: false,
  landlockRestrictSnapshot: true,
  modify: 'none',
  landlockSupervisor: false,
  seccompMaps: false,
  seccompTraceRecheck: true,
  credTransferKeepsDomain: true,
  sigioScopeFix: true,
  ...LINUX_EVALUATION,
};
