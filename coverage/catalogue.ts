// The corner catalogue: every declared corner, in report order, and the ones a design has.
import type { Variant } from '../variants/variant.js';
import type { Corner, CornerDecl, CornerWorld } from './corner.js';
import { OP_RESULT_CORNERS } from './op-results.js';
import { SECCOMP_CORNERS } from './seccomp.js';
import { LANDLOCK_CORNERS } from './landlock.js';
import { TASK_CORNERS } from './tasks.js';
import { DESIGN_CORNERS } from './designs.js';
import { PTRACE_CORNERS } from './ptrace.js';
import { NOTIFY_CORNERS } from './notify.js';

/** Every corner, each id once (catalogue.test.ts holds the ids unique). */
export const ALL_CORNERS: readonly CornerDecl[] = [
  ...LANDLOCK_CORNERS,
  ...SECCOMP_CORNERS,
  ...NOTIFY_CORNERS,
  ...TASK_CORNERS,
  ...PTRACE_CORNERS,
  ...DESIGN_CORNERS,
  ...OP_RESULT_CORNERS,
];

/** The corners `variant` has: those whose design condition its API and switches meet (and, for
 * the corners of a tree with mounts, only on such a tree). */
export function cornersFor(variant: Variant, world: CornerWorld = { mounts: false }): Corner[] {
  const out: Corner[] = [];
  for (const c of ALL_CORNERS) {
    if (c.applies !== undefined && !c.applies(variant)) continue;
    if (c.mounts && !world.mounts) continue;
    out.push({ id: c.id, title: c.title, spec: c.spec, group: c.group });
  }
  return out;
}
