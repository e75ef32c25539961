// Properties of the Landlock model over random operation sequences (fast-check).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Op } from '../ops.js';
import { LANDLOCK_RESTRICT_SELF } from '../ops.js';
import type { World, Task } from '../state.js';
import { initialWorld } from '../state.js';
import { step } from '../step.js';
import type { StepOut } from '../result.js';
import type { LandlockRequest, TaskRequest } from '../request.js';
import { defaultFsTree, fsIndex } from './fstree.js';
import { FS, NET, FS_ALL, NET_ALL } from './access.js';
import { landlockDecide, landlockDecideDomain } from './decide.js';
import type { DomainNode } from './domain.js';
import { layersOf, handlesFs } from './domain.js';
import { combineCodes } from './fs.js';
import { wideUniverse } from './universe-wide.js';
import { LandlockTables } from './table.js';
import { LINUX_EVALUATION } from '../evaluation.js';

const TREE = defaultFsTree();
const PATHS = [...fsIndex(TREE).paths, '/nope'];
const U = wideUniverse(TREE);
const { LOG_SUBDOMAINS_OFF, TSYNC, LOG_SAME_EXEC_OFF } = LANDLOCK_RESTRICT_SELF;

/** A mask that is usually a small subset of `all`, sometimes with an unknown bit. */
const mask = (all: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: all }).map((m) => m & all) },
    { weight: 3, arbitrary: fc.constantFrom(...[0, 1, 2, 3, 4, 5, 8, 13, 14, 15].map((b) => (1 << b) & all)) },
    { weight: 1, arbitrary: fc.constant(1 << 20) },
  );

const task = fc.nat({ max: 7 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: task.map((t) => ({ op: 'fork', task: t }) as Op) },
  { weight: 2, arbitrary: task.map((t) => ({ op: 'thread', task: t }) as Op) },
  { weight: 1, arbitrary: task.map((t) => ({ op: 'exec', task: t }) as Op) },
  { weight: 1, arbitrary: task.map((t) => ({ op: 'set_nnp', task: t }) as Op) },
  { weight: 1, arbitrary: task.map((t) => ({ op: 'drop_cap', task: t }) as Op) },
  { weight: 4, arbitrary: fc.record({ task, fs: mask(FS_ALL), net: mask(NET_ALL), scoped: mask(3) }).map((r) => ({ op: 'ruleset_create', ...r }) as Op) },
  {
    weight: 6,
    arbitrary: fc
      .record({ task, ruleset: fc.nat({ max: 3 }), path: fc.constantFrom(...PATHS), access: mask(FS_ALL) })
      .map(({ task, ruleset, path, access }) => ({ op: 'ruleset_add_rule', task, ruleset, rule: { type: 'path_beneath', path, access } }) as Op),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ task, ruleset: fc.nat({ max: 3 }), port: fc.constantFrom(0, 80, 8080, 70000), access: mask(NET_ALL) })
      .map(({ task, ruleset, port, access }) => ({ op: 'ruleset_add_rule', task, ruleset, rule: { type: 'net_port', port, access } }) as Op),
  },
  {
    weight: 5,
    arbitrary: fc
      .record({ task, ruleset: fc.option(fc.nat({ max: 3 }), { freq: 8 }), flags: fc.constantFrom(0, 0, 0, TSYNC, LOG_SUBDOMAINS_OFF, LOG_SUBDOMAINS_OFF | TSYNC, LOG_SAME_EXEC_OFF, 1 << 9) })
      .map((r) => ({ op: 'restrict_self', ...r }) as Op),
  },
  { weight: 1, arbitrary: fc.record({ task, fd: fc.nat({ max: 3 }) }).map((r) => ({ op: 'close_fd', ...r }) as Op) },
  { weight: 1, arbitrary: fc.record({ task, fd: fc.nat({ max: 3 }), to: task }).map((r) => ({ op: 'send_fd', ...r }) as Op) },
);

/** Rights the macro below draws from: most of them matter to some request of the universe. */
const RIGHTS = [FS.READ_FILE, FS.WRITE_FILE, FS.EXECUTE, FS.READ_DIR, FS.MAKE_REG, FS.REMOVE_FILE, FS.MAKE_DIR, FS.REMOVE_DIR, FS.REFER, FS.TRUNCATE, FS.IOCTL_DEV];
const rights = fc.subarray(RIGHTS, { minLength: 0, maxLength: 5 }).map((a) => a.reduce((m, b) => m | b, 0));

/**
 * A sandboxing macro: create a ruleset, add rules (mostly within the handled set) through the
 * newest ruleset fd (index −1), then restrict with it.
 */
const sandboxArb: fc.Arbitrary<Op[]> = fc
  .record({
    task,
    fs: rights,
    net: fc.constantFrom(0, 0, NET.BIND_TCP, NET.CONNECT_TCP, NET_ALL),
    scoped: fc.constantFrom(0, 0, 0, 1, 2, 3),
    paths: fc.array(fc.record({ path: fc.constantFrom(...PATHS), access: rights }), { maxLength: 4 }),
    ports: fc.array(fc.record({ port: fc.constantFrom(0, 80, 8080), access: fc.constantFrom(1, 2, 3) }), { maxLength: 2 }),
    flags: fc.constantFrom(0, 0, 0, TSYNC, LOG_SUBDOMAINS_OFF),
  })
  .map(({ task, fs, net, scoped, paths, ports, flags }) => [
    { op: 'ruleset_create', task, fs, net, scoped } as Op,
    ...paths.map(({ path, access }) => ({ op: 'ruleset_add_rule', task, ruleset: -1, rule: { type: 'path_beneath', path, access: access & (fs || access) } }) as Op),
    ...ports.map(({ port, access }) => ({ op: 'ruleset_add_rule', task, ruleset: -1, rule: { type: 'net_port', port, access: access & (net || access) } }) as Op),
    { op: 'restrict_self', task, ruleset: -1, flags } as Op,
  ]);

const worldArb = fc.record({ abi: fc.constantFrom(7, 8), nnp: fc.boolean() }).map((o) => initialWorld({ abi: o.abi, nnp: o.nnp }));
const opsArb = fc
  .array(fc.oneof({ weight: 3, arbitrary: opArb.map((o) => [o]) }, { weight: 2, arbitrary: sandboxArb }), { minLength: 1, maxLength: 14, size: 'medium' })
  .map((groups) => groups.flat());
const scenario = fc.tuple(worldArb, opsArb);

function runAll(w0: World, ops: readonly Op[]): { before: World; op: Op; out: StepOut }[] {
  const trace: { before: World; op: Op; out: StepOut }[] = [];
  let w = w0;
  for (const op of ops) {
    const out = step(w, op);
    trace.push({ before: w, op, out });
    w = out.world;
  }
  return trace;
}

const finalWorld = (w0: World, ops: readonly Op[]): World => {
  const t = runAll(w0, ops);
  return t.length ? t[t.length - 1]!.out.world : w0;
};

const byTid = (w: World, tid: number): Task | undefined => w.tasks.find((t) => t.tid === tid);

/** Every distinct domain node of a world (each chain, every suffix). */
function allNodes(w: World): DomainNode[] {
  const seen = new Set<DomainNode>();
  for (const t of w.tasks) for (let n = t.domain; n !== null; n = n.prev) seen.add(n);
  return [...seen];
}

const single = (n: DomainNode): DomainNode => ({ ...n, prev: null, depth: 1 });

const taskRequests = (w: World): TaskRequest[] =>
  w.tasks.toArray().flatMap((_, i) => (['signal', 'abstract_unix', 'ptrace'] as const).map((kind) => ({ kind, target: i })));

const RUNS = { numRuns: 150 };

describe('Landlock properties', () => {
  it('failed operations return the same world object', () => {
    fc.assert(
      fc.property(scenario, ([w0, ops]) => {
        for (const { before, out } of runAll(w0, ops)) {
          if (out.result.kind === 'err' || out.result.kind === 'invalid') expect(out.world).toBe(before);
        }
      }),
      RUNS,
    );
  });

  it('adding a rule to a ruleset never changes an enforced domain (Linux)', () => {
    fc.assert(
      fc.property(scenario, ([w0, ops]) => {
        for (const { before, op, out } of runAll(w0, ops)) {
          if (op.op !== 'ruleset_add_rule') continue;
          for (const t of before.tasks) expect(byTid(out.world, t.tid)!.domain).toBe(t.domain);
        }
      }),
      RUNS,
    );
  });

  it('fork and exec keep the domain', () => {
    fc.assert(
      fc.property(scenario, ([w0, ops]) => {
        for (const { before, op, out } of runAll(w0, ops)) {
          if (out.result.kind !== 'ok') continue;
          const actor = byTid(before, out.tid)!;
          if (op.op === 'fork' || op.op === 'thread') expect(byTid(out.world, out.result.ret)!.domain).toBe(actor.domain);
          if (op.op === 'exec') expect(byTid(out.world, actor.tgid)!.domain).toBe(actor.domain);
        }
      }),
      RUNS,
    );
  });

  it('a domain\'s decision is the intersection of its layers\' (reparent: when every layer handles fs)', () => {
    fc.assert(
      fc.property(scenario, ([w0, ops]) => {
        const w = finalWorld(w0, ops);
        for (const node of allNodes(w)) {
          const layers = layersOf(node).map(single);
          const everyFs = layers.every((l) => l.layer.handledFs !== 0);
          for (const req of U.landlock) {
            const d = landlockDecideDomain(w.fs, node, req, LINUX_EVALUATION);
            const each = layers.map((l) => landlockDecideDomain(w.fs, l, req, LINUX_EVALUATION));
            const reparent = req.kind === 'rename' || req.kind === 'link' || req.kind === 'exchange';
            if (!reparent || everyFs) expect([req, d]).toEqual([req, each.reduce(combineCodes, 0)]);
            // In any case the domain is at least as strict as each layer alone.
            if (d === 0) expect(each.every((e) => e === 0)).toBe(true);
            if (reparent && !handlesFs(node)) expect(d).toBe(0);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('restrict never makes a request more permissive for the caller', () => {
    fc.assert(
      fc.property(scenario, ([w0, ops]) => {
        for (const { before, op, out } of runAll(w0, ops)) {
          if (op.op !== 'restrict_self' || out.result.kind !== 'ok') continue;
          const t0 = byTid(before, out.tid)!;
          const t1 = byTid(out.world, out.tid)!;
          const reqs: LandlockRequest[] = [...U.landlock, ...taskRequests(before)];
          for (const req of reqs) {
            if ('target' in req && before.tasks.at(req.target)!.tgid === t0.tgid) continue; // TSYNC rewrites siblings
            const a = landlockDecide(before, t0, req);
            const b = landlockDecide(out.world, t1, req);
            if (a !== 0) expect([req, b]).not.toEqual([req, 0]);
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it('decision tables agree with landlockDecide for every node', () => {
    fc.assert(
      fc.property(scenario, ([w0, ops]) => {
        const w = finalWorld(w0, ops);
        const tables = new LandlockTables(U, w.fs, LINUX_EVALUATION);
        for (const node of [null, ...allNodes(w)]) {
          const t = tables.table(node);
          U.landlock.forEach((req, i) => expect([req, t[i]]).toEqual([req, landlockDecideDomain(w.fs, node, req, LINUX_EVALUATION)]));
        }
      }),
      { numRuns: 60 },
    );
  });
});
