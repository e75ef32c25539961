// The APIs of the built-in designs as op-kind lists (variants/variant.ts:OpKind).
import type { OpKind } from './variant.js';
import { NOTIF_OP_NAMES } from '../model/ops.js';

/** Task-tree and bookkeeping ops every design has, keyctl's session keyrings (a credential
 * another task replaces: model/task/keyctl.ts) and process groups (model/task/pgrp.ts). */
export const TASK_OPS: readonly OpKind[] = [
  'fork', 'thread', 'exec', 'exit', 'set_nnp', 'drop_cap', 'compromise', 'probe', 'observe', 'keyctl', 'setpgid',
];

/** seccomp(2) today: strict mode, filters with TSYNC, LOG and NEW_LISTENER, GET_ACTION_AVAIL. */
export const SECCOMP_OPS: readonly OpKind[] = [
  'seccomp_strict', 'seccomp_filter', 'seccomp_filter.tsync', 'seccomp_filter.listener', 'seccomp_filter.log',
  'seccomp_action_avail', 'sigsys',
];

/** The seccomp user-notification supervisor protocol (model/seccomp/notify.ts): Linux's. */
export const NOTIF_OPS: readonly OpKind[] = [...NOTIF_OP_NAMES];

/** H1 maps (layering-designs §3a): bpf(2) map create and put, and filters whose rule reads a map. */
export const MAP_OPS: readonly OpKind[] = ['map_create', 'map_put', 'seccomp_filter.map'];

/** Landlock's three syscalls and fd passing; `restrict_self.log` from ABI 7, TSYNC from ABI 8. */
export function landlockOps(abi: number): readonly OpKind[] {
  // chdir: a working directory relative fs probes are walked from (model/task/cwd.ts)
  // umount: of a mount of the tree (model/landlock/umount.ts; hook_sb_umount)
  const ops: OpKind[] = ['ruleset_create', 'ruleset_add_rule', 'restrict_self', 'send_fd', 'close_fd', 'fd_call', 'chdir', 'umount'];
  // unix socket pairs and F_SETOWN, for SIGURG's signal scope; abstract listeners kept and
  // passed on, for the abstract-socket scope (model/task/socket.ts)
  if (abi >= 6) ops.push('socketpair', 'fown_set', 'unix_listen');
  if (abi >= 7) ops.push('restrict_self.log');
  if (abi >= 8) ops.push('restrict_self.tsync');
  return ops;
}

/** ptrace(2) tracers (model/ptrace/): attach, seize, traceme, options, a tracer's seccomp-stop
 * response, the filter dump. */
export const PTRACE_OPS: readonly OpKind[] = ['ptrace_attach', 'ptrace_traceme', 'ptrace_setoptions', 'ptrace_response', 'ptrace_get_filter'];

/** Today's Linux at a Landlock ABI. */
export function linuxOps(abi: number): readonly OpKind[] {
  return [...TASK_OPS, ...SECCOMP_OPS, ...landlockOps(abi), ...PTRACE_OPS];
}
