// The kernel a reproducer is written for when no executor can ask this one: every feature the
// executor knows present (conformance/result.ts KernelFeatures), so no op is skipped in
// advance; a kernel that lacks one answers the op with its own error, and the reproducer's
// test point says so.
import type { KernelFeatures } from '../conformance/result.js';
import { LANDLOCK_ABI_MAX } from '../model/limits.js';
import { modelKernelFeatures } from '../conformance/model-kernel.js';

export const EVERY_FEATURE: KernelFeatures = {
  ...modelKernelFeatures(LANDLOCK_ABI_MAX),
  kernel: 'any',
  // no errata known: the reproducer cannot know which this kernel has
  landlockErrata: -1,
};
