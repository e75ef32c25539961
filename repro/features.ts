// The kernel a reproducer is written for when no executor can ask this one: every feature the
// executor knows present (conformance/result.ts KernelFeatures), so no op is skipped in
// advance; a kernel that lacks one answers the op with its own error, and the reproducer's
// test point says so.
import type { KernelFeatures } from '../conformance/result.js';
import { LANDLOCK_ABI_MAX } from '../model/limits.js';

export const EVERY_FEATURE: KernelFeatures = {
  kernel: 'any',
  landlockAbi: LANDLOCK_ABI_MAX,
  landlockErrata: -1,
  seccompActions: ['kill_process', 'kill_thread', 'trap', 'errno', 'user_notif', 'trace', 'log', 'allow'],
  seccompFilterFlags: 63,
  landlockRestrictFlags: 7,
  userNotif: true,
  pidfdThread: true,
  pidfdGetfd: true,
  ia32: true,
  mountns: true,
  netns: true,
  execMemfd: true,
};
