// Helpers for the Landlock tests: a small driver over `step` with tid-pinned ops.
import type { Op, LandlockRule } from '../ops.js';
import type { World, Task, WorldOptions } from '../state.js';
import { initialWorld, INIT_TID } from '../state.js';
import type { OpResult, StepOut } from '../result.js';
import { step } from '../step.js';
import type { LandlockRequest } from '../request.js';
import type { FsAccess } from '../request.js';
import { landlockDecide } from './decide.js';
import { LINUX_SEMANTICS } from '../semantics.js';
import type { Semantics } from '../semantics.js';

type Distribute<T> = T extends unknown ? Omit<T, 'task' | 'tid'> : never;
export type OpBody = Distribute<Op>;

export class Sim {
  world: World;
  last: StepOut | undefined;

  constructor(opts: WorldOptions = {}) {
    this.world = initialWorld(opts);
  }

  static linux(abi = 7, opts: WorldOptions = {}): Sim {
    return new Sim({ abi, ...opts });
  }

  static variant(patch: Partial<Semantics>, abi = 7): Sim {
    return new Sim({ abi, semantics: { ...LINUX_SEMANTICS, ...patch } });
  }

  /** Apply `body` as task `tid`; returns the result and advances the world. */
  run(tid: number, body: OpBody): OpResult {
    const out = step(this.world, { ...body, task: 0, tid } as Op);
    this.last = out;
    this.world = out.world;
    return out.result;
  }

  /** Like run, but the op must succeed; returns its `ret`. */
  ok(tid: number, body: OpBody): number {
    const r = this.run(tid, body);
    if (r.kind !== 'ok') throw new Error(`${body.op} as ${tid}: expected ok, got ${JSON.stringify(r)}`);
    return r.ret;
  }

  /** The errno of a failing op (throws if it did not fail with an errno). */
  errno(tid: number, body: OpBody): number {
    const before = this.world;
    const r = this.run(tid, body);
    if (r.kind !== 'err') throw new Error(`${body.op} as ${tid}: expected err, got ${JSON.stringify(r)}`);
    if (this.world !== before) throw new Error(`${body.op}: a failed op changed the world`);
    return r.errno;
  }

  task(tid: number): Task {
    const t = this.world.tasks.find((x) => x.tid === tid);
    if (!t) throw new Error(`no task ${tid}`);
    return t;
  }

  /** Index of a task in world.tasks (the reference a request's `target` uses). */
  ref(tid: number): number {
    const i = this.world.tasks.findIndex((x) => x.tid === tid);
    if (i < 0) throw new Error(`no task ${tid}`);
    return i;
  }

  fork(tid: number): number {
    return this.ok(tid, { op: 'fork' });
  }

  thread(tid: number): number {
    return this.ok(tid, { op: 'thread' });
  }

  /** Create a ruleset; returns the ruleset-fd index of the new fd among the task's ruleset fds. */
  ruleset(tid: number, fs: number, net = 0, scoped = 0, supervisor?: boolean): number {
    const fd = this.ok(tid, { op: 'ruleset_create', fs, net, scoped, ...(supervisor ? { supervisor } : {}) });
    return this.rulesetIndex(tid, fd);
  }

  /** Index of fd number `fd` among the task's ruleset fds. */
  rulesetIndex(tid: number, fd: number): number {
    const list = this.task(tid).fds.filter((e) => e.obj.kind === 'ruleset');
    const i = list.findIndex((e) => e.fd === fd);
    if (i < 0) throw new Error(`fd ${fd} of ${tid} is not a ruleset fd`);
    return i;
  }

  rule(tid: number, ruleset: number, rule: LandlockRule, commit?: boolean): OpResult {
    return this.run(tid, { op: 'ruleset_add_rule', ruleset, rule, ...(commit ? { commit } : {}) });
  }

  path(tid: number, ruleset: number, path: string, access: number): void {
    const r = this.rule(tid, ruleset, { type: 'path_beneath', path, access });
    if (r.kind !== 'ok') throw new Error(`add_rule ${path}: ${JSON.stringify(r)}`);
  }

  port(tid: number, ruleset: number, port: number, access: number): void {
    const r = this.rule(tid, ruleset, { type: 'net_port', port, access });
    if (r.kind !== 'ok') throw new Error(`add_rule port ${port}: ${JSON.stringify(r)}`);
  }

  restrict(tid: number, ruleset: number | null, flags = 0): OpResult {
    return this.run(tid, { op: 'restrict_self', ruleset, flags });
  }

  /** Restrict and require success. */
  enforce(tid: number, ruleset: number | null, flags = 0): void {
    const r = this.restrict(tid, ruleset, flags);
    if (r.kind !== 'ok') throw new Error(`restrict_self as ${tid}: ${JSON.stringify(r)}`);
  }

  /** One-shot: a ruleset with the given handled sets and path rules, enforced on `tid`. */
  sandbox(tid: number, handled: { fs?: number; net?: number; scoped?: number }, paths: Record<string, number> = {}, ports: Record<number, number> = {}): void {
    const rs = this.ruleset(tid, handled.fs ?? 0, handled.net ?? 0, handled.scoped ?? 0);
    for (const [p, a] of Object.entries(paths)) this.path(tid, rs, p, a);
    for (const [p, a] of Object.entries(ports)) this.port(tid, rs, Number(p), a);
    this.enforce(tid, rs);
  }

  decide(tid: number, req: LandlockRequest): number {
    return landlockDecide(this.world, this.task(tid), req);
  }

  fs(tid: number, access: FsAccess, path: string): number {
    return this.decide(tid, { kind: 'fs', access, path });
  }

  depth(tid: number): number {
    return this.task(tid).domain?.depth ?? 0;
  }
}

export { INIT_TID };
