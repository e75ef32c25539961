// The ops a scope tries in one world, for one variant: for every live task, every op of the
// scope the variant's API accepts, with every reference the world gives a meaning — each
// ruleset fd, each descriptor, each layer of the task's own stacks, each layer handle, each
// task as a target. An op's references depend only on counts (live tasks, the task's fds of
// each kind, its layers), so op lists are built once per combination of counts and shared.
import type { Op, Mutability } from '../model/ops.js';
import type { World, Task } from '../model/state.js';
import type { Variant, OpKind } from '../variants/variant.js';
import { accepts } from '../variants/variant.js';
import type { Scope } from './scope.js';
import { SECCOMP_FILTER_FLAG, LANDLOCK_RESTRICT_SELF } from '../model/ops.js';

/** The API feature a seccomp_filter flag needs (model/ops.ts, variants/variant.ts). */
function seccompFlagFeature(flags: number): OpKind[] {
  const need: OpKind[] = [];
  if (flags & (SECCOMP_FILTER_FLAG.TSYNC | SECCOMP_FILTER_FLAG.TSYNC_ESRCH)) need.push('seccomp_filter.tsync');
  if (flags & SECCOMP_FILTER_FLAG.NEW_LISTENER) need.push('seccomp_filter.listener');
  if (flags & SECCOMP_FILTER_FLAG.LOG) need.push('seccomp_filter.log');
  return need;
}

function restrictFlagFeature(flags: number): OpKind[] {
  const need: OpKind[] = [];
  if (flags & LANDLOCK_RESTRICT_SELF.TSYNC) need.push('restrict_self.tsync');
  if (flags & ~LANDLOCK_RESTRICT_SELF.TSYNC) need.push('restrict_self.log');
  return need;
}

/** The counts an op list depends on. */
interface Shape {
  readonly tasks: number;
  readonly index: number;
  readonly rulesets: number;
  readonly fds: number;
  readonly handles: number;
  readonly layers: number;
}

export class Alphabet {
  private readonly memo = new Map<string, readonly Op[]>();
  private readonly has: (k: OpKind) => boolean;
  private readonly addFields: readonly { readonly mutability?: Mutability; readonly export?: true }[];
  private readonly seccompFlags: readonly number[];
  private readonly restrictFlags: readonly number[];

  constructor(readonly scope: Scope, readonly variant: Variant) {
    this.has = (k) => accepts(variant, k);
    const muts: (Mutability | undefined)[] = [undefined];
    if (this.has('mutability')) muts.push(...scope.mutabilities);
    const fields: { mutability?: Mutability; export?: true }[] = [];
    for (const m of muts) {
      fields.push(m === undefined ? {} : { mutability: m });
      if (scope.export && this.has('export')) fields.push(m === undefined ? { export: true } : { mutability: m, export: true });
    }
    this.addFields = fields;
    this.seccompFlags = scope.seccompFlags.filter((f) => seccompFlagFeature(f).every(this.has));
    this.restrictFlags = scope.restrictFlags.filter((f) => restrictFlagFeature(f).every(this.has));
    const dangling = scope.danglingRefs;
    this.range = (n) => indices(n, dangling);
  }

  /** The indices a reference ranges over when the world holds n things to name. */
  private readonly range: (n: number) => number[];

  /** Every op of the scope in `world`, task by task (a shared array: do not change it). */
  opsAt(world: World): readonly Op[] {
    const n = world.tasks.length;
    if (n === 1) return this.forTask(world.tasks.at(0)!, n, 0);
    const out: Op[] = [];
    for (let i = 0; i < n; i++) {
      const ops = this.forTask(world.tasks.at(i)!, n, i);
      for (let j = 0; j < ops.length; j++) out.push(ops[j]!);
    }
    return out;
  }

  private forTask(t: Task, tasks: number, index: number): readonly Op[] {
    let rulesets = 0;
    let handles = 0;
    for (const e of t.fds) {
      if (e.obj.kind === 'ruleset') rulesets++;
      else if (e.obj.kind === 'layer_handle') handles++;
    }
    const layers = (t.filter?.depth ?? 0) + (t.domain?.depth ?? 0);
    const key = `${tasks}|${index}|${rulesets}|${t.fds.length}|${handles}|${layers}`;
    let ops = this.memo.get(key);
    if (ops === undefined) {
      ops = this.build({ tasks, index, rulesets, fds: t.fds.length, handles, layers });
      this.memo.set(key, ops);
    }
    return ops;
  }

  private build(s: Shape): Op[] {
    const { scope } = this;
    const has = this.has;
    const task = s.index;
    const out: Op[] = [];
    for (const k of scope.plain) {
      if (!has(k)) continue;
      if ((k === 'fork' || k === 'thread') && s.tasks >= scope.maxTasks) continue;
      if (k === 'exit' && s.tasks <= 1) continue;
      out.push({ op: k, task });
    }
    if (has('seccomp_filter')) {
      for (const p of scope.programs) {
        for (const flags of this.seccompFlags) {
          for (const f of this.addFields) out.push({ op: 'seccomp_filter', task, flags, program: p.program, ...f, source: p.source });
        }
      }
    }
    const supervision = scope.supervision && has('ruleset_create.supervisor');
    if (has('ruleset_create')) {
      for (const b of scope.rulesets) {
        out.push({ op: 'ruleset_create', task, fs: b.fs, net: b.net, scoped: b.scoped });
        if (supervision) out.push({ op: 'ruleset_create', task, fs: b.fs, net: b.net, scoped: b.scoped, supervisor: true });
      }
    }
    const range = this.range;
    const rs = range(s.rulesets);
    if (supervision && has('ruleset_supervisee')) for (const ruleset of rs) out.push({ op: 'ruleset_supervisee', task, ruleset });
    if (has('ruleset_add_rule')) {
      const commit = scope.supervision && has('ruleset_add_rule.commit');
      for (const ruleset of rs) {
        for (const rule of scope.rules) {
          out.push({ op: 'ruleset_add_rule', task, ruleset, rule });
          if (commit) out.push({ op: 'ruleset_add_rule', task, ruleset, rule, commit: true });
        }
      }
    }
    if (has('restrict_self')) {
      for (const ruleset of rs) {
        for (const flags of this.restrictFlags) {
          for (const f of this.addFields) out.push({ op: 'restrict_self', task, ruleset, flags, ...f });
        }
      }
    }
    if (scope.fds) {
      const fds = range(s.fds);
      if (has('send_fd')) for (const fd of fds) for (let to = 0; to < s.tasks; to++) out.push({ op: 'send_fd', task, fd, to });
      if (has('close_fd')) for (const fd of fds) out.push({ op: 'close_fd', task, fd });
    }
    if (scope.modify && has('modify')) {
      const content = (layer: number, handle?: number): void => {
        const h = handle === undefined ? {} : { handle };
        for (const p of scope.modifyPrograms) out.push({ op: 'modify', task, layer, ...h, program: p.program });
        for (const ruleset of range(s.rulesets)) out.push({ op: 'modify', task, layer, ...h, ruleset });
      };
      for (const layer of range(s.layers)) content(layer);
      if (scope.export && has('export')) for (let h = 0; h < s.handles; h++) content(0, h);
    }
    if (scope.mapKeys.length && has('map_create')) {
      // H1 maps (model/maps/): a map reference indexes the task's whole descriptor table
      out.push({ op: 'map_create', task });
      const fds = range(s.fds);
      if (has('map_put')) for (const map of fds) for (const key of scope.mapKeys) out.push({ op: 'map_put', task, map, key });
      if (has('seccomp_filter.map')) {
        for (const map of fds) for (const p of scope.mapPrograms) for (const flags of this.seccompFlags) out.push({ op: 'seccomp_filter', task, flags, program: p.program, map, source: p.source });
      }
    }
    if (has('probe')) {
      for (const request of scope.probes) out.push({ op: 'probe', task, request });
      for (const kind of scope.relations) for (let target = 0; target < s.tasks; target++) out.push({ op: 'probe', task, request: { kind, target } });
    }
    return out;
  }
}

/** 0..n-1; with `dangling`, [0] when there is nothing to name (the op then fails: EBADF, EINVAL). */
function indices(n: number, dangling: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < (dangling ? Math.max(1, n) : n); i++) out.push(i);
  return out;
}

