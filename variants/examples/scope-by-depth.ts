// A worked example of a design that differs from Linux only in how decisions are computed:
// Landlock's ptrace and IPC-scope checks compare domain *depths* instead of hierarchy identity.
// Linux lets a sandboxed task reach another only when its own (scoped) layer is an ancestor of
// the target's domain (security/landlock/task.c:domain_scope_le, domain_is_scoped). Counting
// layers looks equivalent on a single chain of forks — and is not: two unrelated sandboxes of
// the same depth can reach each other, and a target that restricts itself becomes reachable by
// tasks of any other sandbox no deeper than it.
//
// Check it with:   strata check --variant variants/examples/scope-by-depth.ts
//
// Nothing about the transition changes (no `wrap`): the design is one evaluation switch
// (model/evaluation.ts), which probes, the op gate and every property read, so the check judges
// the design by its own evaluation. Minimal witness (4 ops): ruleset_create; fork;
// restrict_self (parent); restrict_self (child) — the child's own call makes its parent more
// permissive: it can now ptrace the child, whose domain is not its own descendant (I2).
import { LINUX_SEMANTICS } from '../../model/semantics.js';
import { linuxOps } from '../op-kinds.js';
import { expectViolations } from '../variant.js';

export default {
  id: 'scope-by-depth',
  title: 'Example: Landlock ptrace and IPC scopes compare domain depths, not hierarchy identity',
  source: 'contrast security/landlock/task.c:domain_scope_le (ancestry by hierarchy identity)',
  semantics: { ...LINUX_SEMANTICS, landlockScope: 'depth' },
  abi: 7,
  opKinds: linuxOps(7),
  expectations: expectViolations(['I2', 'I2-thread', 'I6', 'children-never-weakened']),
  witness: { property: 'I2', maxOps: 4 },
};
