// The property identifiers: the seed invariants I1–I12 of layering-designs §5, the thread-scope
// form of I2, and the two end-to-end properties. A leaf module: variants/ (expectation
// matrices) and properties/ both import it.

export const PROPERTY_IDS = [
  'I1', 'I2', 'I2-thread', 'I3', 'I4', 'I5', 'I6', 'I7', 'I8', 'I9', 'I10', 'I11', 'I12',
  'children-never-weakened', 'non-interference', 'tracer-bounded', 'signal-scope',
] as const;

export type PropertyId = (typeof PROPERTY_IDS)[number];

const ID_SET: ReadonlySet<string> = new Set(PROPERTY_IDS);

export function isPropertyId(x: unknown): x is PropertyId {
  return typeof x === 'string' && ID_SET.has(x);
}
