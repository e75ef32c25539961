// Coverage of named corners: what a variant's generated model runs reached (coverage/README.md
// lists the corners and where they come from).
export type { Corner, CornerDecl, Hits } from './corner.js';
export type { Coverage, CornerCount, OpTally } from './report.js';
export { successRate } from './report.js';
export { ALL_CORNERS, cornersFor } from './catalogue.js';
export { CoverageCounter } from './counter.js';
export type { OpResultDecl } from './op-results.js';
export { OP_RESULTS, NOT_RETURNED } from './op-results.js';
