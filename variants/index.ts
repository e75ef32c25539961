// variants/: semantics variants (designs of layered sandboxes) behind one interface.
export type { Variant, StepFn, OpKind, OpFeature, Expectation, Witness, VariantWorld } from './variant.js';
export { OP_FEATURES, expectViolations, expectationOf, accepts } from './variant.js';
export { TASK_OPS, SECCOMP_OPS, MAP_OPS, NOTIF_OPS, landlockOps, linuxOps } from './op-kinds.js';
export { LINUX, LINUX_ABI8, REFERENCE_ABI, linuxVariant } from './linux.js';
export { V5_2017 } from './v5-2017.js';
export { V5_2017_MAPS } from './v5-2017-maps.js';
export { LUTOMIRSKI_2017 } from './lutomirski-2017.js';
export { MUTABLE_DOMAINS_RFC } from './mutable-domains-rfc.js';
export { LIVE_RULESET } from './live-ruleset.js';
export { TSYNC_OVERWRITE } from './tsync-overwrite.js';
export { EXEC_RESET } from './exec-reset.js';
export { NEWEST_FILTER_WINS } from './newest-filter-wins.js';
export { NOTIF_OVERRIDES } from './notif-overrides.js';
export { KEYRING_DROPS_DOMAIN } from './keyring-drops-domain.js';
export { FOWN_GROUP_HEAD } from './fown-group-head.js';
export { BUILTIN_VARIANTS, builtinVariant, builtinVariantIds, loadVariant } from './registry.js';
export { VariantError, validateVariant } from './validate.js';
export { stepFor } from './step-for.js';
