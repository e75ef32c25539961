// Every property, in report order, and lookup by id.
import type { Property } from './property.js';
import type { PropertyId } from './ids.js';
import { I1 } from './i1-post-fork-isolation.js';
import { I2, I2_THREAD } from './i2-no-weakening.js';
import { I3 } from './i3-self-monotone.js';
import { I4 } from './i4-add-is-local.js';
import { I5 } from './i5-modify-never-creates.js';
import { I6 } from './i6-relaxation-explicit.js';
import { I7 } from './i7-stricter-honoured.js';
import { I8 } from './i8-modify-needs-handle.js';
import { I9 } from './i9-tsync-monotone.js';
import { I10 } from './i10-inheritance.js';
import { I11 } from './i11-snapshot.js';
import { I12 } from './i12-failed-ops.js';
import { CHILDREN_NEVER_WEAKENED } from './children-never-weakened.js';
import { NON_INTERFERENCE } from './non-interference.js';
import { TRACER_BOUNDED } from './tracer-bounded.js';
import { SIGNAL_SCOPE } from './signal-scope.js';

export const ALL_PROPERTIES: readonly Property[] = [
  I1, I2, I2_THREAD, I3, I4, I5, I6, I7, I8, I9, I10, I11, I12, CHILDREN_NEVER_WEAKENED, NON_INTERFERENCE, TRACER_BOUNDED, SIGNAL_SCOPE,
];

const BY_ID: ReadonlyMap<string, Property> = new Map(ALL_PROPERTIES.map((p) => [p.id, p]));

export function propertyById(id: PropertyId | string): Property | undefined {
  return BY_ID.get(id);
}
