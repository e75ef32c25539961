// H1 maps (layering-designs §3a): the bpf(2) map calls, filters whose rule reads a map, and
// what a put reaches — by path copying, so every holder of the rule decides with the new keys
// and node-keyed caches stay valid. Without the switch (Linux), the calls are not part of the
// variant and a filter cannot name a map (EINVAL).
import { describe, it, expect } from 'vitest';
import type { Op } from '../ops.js';
import type { World } from '../state.js';
import { step } from '../step.js';
import { LINUX_SEMANTICS } from '../semantics.js';
import { ERRNO } from '../errno.js';
import { nnpWorld, install, must, outcomeOfTask, everything } from '../seccomp/fixtures.js';
import { retErrno, SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS } from '../seccomp/action.js';
import { ldNr, jeq, ret } from '../bpf/asm.js';
import { syscall } from '../request.js';
import { taskDecisions } from '../decide.js';
import { decideRequest } from '../probe.js';
import { defaultUniverse } from '../universe.js';
import { NR_BPF } from './syscalls.js';

const H1 = { ...LINUX_SEMANTICS, seccompMaps: true };
const V5_H1 = { ...H1, seccompInPlaceAppend: true };
const ALLOW = everything(SECCOMP_RET_ALLOW);
const EPERM = { kind: 'errno', errno: ERRNO.EPERM, by: 'seccomp' } as const;
const ALLOWED = { kind: 'allow' } as const;
const GETPID = 39;
const GETUID = 102;
const CLONE = 56;

const create = (task = 0): Op => ({ op: 'map_create', task });
const put = (task: number, map: number, key: number): Op => ({ op: 'map_put', task, map, key });
const reading = (world: World, task: number, map: number, program = ALLOW) => install(world, task, program, 0, { map });

/** P holds map fd 3 and a filter whose rule reads it. */
function ruled(semantics = H1, program = ALLOW): World {
  const w = must(step(nnpWorld({ semantics }), create()));
  return must(reading(w, 0, 0, program));
}

describe('without the switch (Linux and every variant but the H1 ones)', () => {
  it('map_create and map_put are not calls of the variant; a filter naming a map is EINVAL; nothing changes', () => {
    const w = nnpWorld();
    for (const op of [create(), put(0, 0, GETPID)]) {
      const out = step(w, op);
      expect(out.result.kind).toBe('invalid');
      expect(out.world).toBe(w);
    }
    const out = reading(w, 0, 0);
    expect(out.result).toEqual({ kind: 'err', errno: ERRNO.EINVAL });
    expect(out.world).toBe(w);
  });

  it('a filter on bpf(2) does not stop them first (they make no call of the variant)', () => {
    const w = must(install(nnpWorld(), 0, everything(retErrno(ERRNO.EACCES))));
    expect(step(w, create()).result.kind).toBe('invalid');
  });
});

describe('bpf(2) map calls', () => {
  it('map_create gives the lowest free fd, O_CLOEXEC, on a new empty map', () => {
    const out = step(nnpWorld({ semantics: H1 }), create());
    expect(out.result).toEqual({ kind: 'ok', ret: 3 });
    expect(out.world.maps).toEqual([{ id: 0, keys: [] }]);
    expect(out.world.tasks.at(0)!.fds).toEqual([{ fd: 3, cloexec: true, obj: { kind: 'map', id: 0 } }]);
    const after = must(step(out.world, { op: 'exec', task: 0 }));
    expect(after.tasks.at(0)!.fds).toEqual([]);
  });

  it('map_put: EBADF with no fd, EINVAL on a descriptor that is not a map (__bpf_map_get); a failed put changes nothing', () => {
    let w = nnpWorld({ semantics: H1 });
    const none = step(w, put(0, 0, GETPID));
    expect(none.result).toEqual({ kind: 'err', errno: ERRNO.EBADF });
    expect(none.world).toBe(w);
    w = must(step(w, { op: 'ruleset_create', task: 0, fs: 1, net: 0, scoped: 0 }));   // fd 3: a ruleset
    w = must(step(w, create()));                                                         // fd 4: the map
    const notMap = step(w, put(0, 0, GETPID));
    expect(notMap.result).toEqual({ kind: 'err', errno: ERRNO.EINVAL });
    expect(notMap.world).toBe(w);
    const ok = step(w, put(0, 1, GETPID));
    expect(ok.result).toEqual({ kind: 'ok', ret: 0 });
    expect(ok.world.maps[0]!.keys).toEqual([GETPID]);
    // the same key again: nothing to change, the same world
    expect(step(ok.world, put(0, 1, GETPID)).world).toBe(ok.world);
  });

  it('a filter reading a map: EBADF with no fd, EINVAL on a non-map descriptor', () => {
    let w = nnpWorld({ semantics: H1 });
    expect(reading(w, 0, 0).result).toEqual({ kind: 'err', errno: ERRNO.EBADF });
    w = must(step(w, { op: 'ruleset_create', task: 0, fs: 1, net: 0, scoped: 0 }));
    const out = reading(w, 0, 0);
    expect(out.result).toEqual({ kind: 'err', errno: ERRNO.EINVAL });
    expect(out.world).toBe(w);
  });
});

describe('a rule that reads a map: deny unless nr ∈ M', () => {
  it('decides the universe\'s syscalls only: the ops\' own calls are the program\'s (the task can still fork)', () => {
    let w = ruled();
    expect(outcomeOfTask(w, 0, GETPID)).toEqual(EPERM);
    expect(outcomeOfTask(w, 0, GETUID)).toEqual(EPERM);
    expect(outcomeOfTask(w, 0, CLONE)).toEqual(ALLOWED);
    w = must(step(w, { op: 'fork', task: 0 }));
    expect(w.tasks.length).toBe(2);
  });

  it('with clone in the universe the rule decides it too: the op gate stops fork with EPERM', () => {
    const universe = { syscalls: [syscall(GETPID), syscall(CLONE, [17])], landlock: [] };
    let w = must(step(nnpWorld({ semantics: H1, universe }), create()));
    w = must(reading(w, 0, 0));
    const out = step(w, { op: 'fork', task: 0 });
    expect(out.result).toEqual({ kind: 'stopped', outcome: EPERM });
    w = must(step(w, put(0, 0, CLONE)));
    expect(step(w, { op: 'fork', task: 0 }).result).toEqual({ kind: 'ok', ret: 101 });
  });

  it('a put by any holder reaches every task whose chain holds the rule, by path copying (same id, rev + 1, sharing kept)', () => {
    let w = ruled();
    w = must(step(w, { op: 'fork', task: 0 }));                                   // C shares the layer and holds the map fd
    w = must(step(w, { op: 'fork', task: 0 }));                                   // C2 too
    w = must(install(w, 2, everything(SECCOMP_RET_ALLOW)));                        // C2 stacks its own layer on top
    const L = w.tasks.at(0)!.filter!;
    const top2 = w.tasks.at(2)!.filter!;
    const before = w.tasks.toArray().map((t) => taskDecisions(w, t, w.universe));
    w = must(step(w, put(1, 0, GETPID)));                                          // the child puts
    const [p, c, c2] = w.tasks;
    expect(p!.filter).toMatchObject({ id: L.id, rev: L.rev + 1 });
    expect(c!.filter).toBe(p!.filter);
    expect(c2!.filter).toMatchObject({ id: top2.id, rev: top2.rev });
    expect(c2!.filter).not.toBe(top2);
    expect(c2!.filter!.prev).toBe(p!.filter);
    for (const i of [0, 1, 2]) {
      expect(outcomeOfTask(w, i, GETPID)).toEqual(ALLOWED);
      expect(outcomeOfTask(w, i, GETUID)).toEqual(EPERM);
    }
    // the decision tables of the new nodes are the fresh evaluations, and they did change
    w.tasks.toArray().forEach((t, i) => {
      const table = taskDecisions(w, t, w.universe);
      expect(table).not.toEqual(before[i]);
      w.universe.syscalls.forEach((r, k) => expect(table[k]).toEqual(decideRequest(w, t, r).outcome));
    });
  });

  it('a put no layer reads changes the map only; a key outside the rule\'s scope changes the layer but no decision', () => {
    let w = must(step(nnpWorld({ semantics: H1 }), create()));
    w = must(step(w, create()));
    w = must(reading(w, 0, 0));
    const filter = w.tasks.at(0)!.filter!;
    const other = must(step(w, put(0, 1, GETPID)));
    expect(other.tasks.at(0)!.filter).toBe(filter);
    expect(other.maps[1]!.keys).toEqual([GETPID]);
    const outside = must(step(w, put(0, 0, CLONE)));
    expect(outside.tasks.at(0)!.filter).toMatchObject({ id: filter.id, rev: filter.rev + 1 });
    expect(taskDecisions(outside, outside.tasks.at(0)!, outside.universe)).toEqual(taskDecisions(w, w.tasks.at(0)!, w.universe));
  });

  it('the lookup is the program\'s prologue: a key put lets the program decide, which may be stricter than EPERM', () => {
    const killGetpid = [ldNr(), jeq(GETPID, 0, 1), ret(SECCOMP_RET_KILL_PROCESS), ret(SECCOMP_RET_ALLOW)];
    let w = ruled(H1, killGetpid);
    expect(outcomeOfTask(w, 0, GETPID)).toEqual(EPERM);
    w = must(step(w, put(0, 0, GETPID)));
    expect(outcomeOfTask(w, 0, GETPID)).toEqual({ kind: 'kill_process' });
  });

  it('the op gate decides bpf(2) like any call: a filter denying it stops the put, and nothing changes', () => {
    const denyBpf = [ldNr(), jeq(NR_BPF, 0, 1), ret(retErrno(ERRNO.EACCES)), ret(SECCOMP_RET_ALLOW)];
    let w = ruled();
    w = must(install(w, 0, denyBpf));
    const out = step(w, put(0, 0, GETPID));
    expect(out.result).toEqual({ kind: 'stopped', outcome: { kind: 'errno', errno: ERRNO.EACCES, by: 'seccomp' } });
    expect(out.world).toBe(w);
  });

  it('v5 in-place appends keep one rule per program: [rule, none, rule]', () => {
    let w = ruled(V5_H1);
    w = must(install(w, 0, [ldNr(), jeq(GETUID, 0, 1), ret(retErrno(ERRNO.EACCES)), ret(SECCOMP_RET_ALLOW)]));
    w = must(step(w, create()));
    w = must(reading(w, 0, 1));
    const top = w.tasks.at(0)!.filter!;
    expect(top.depth).toBe(1);
    expect(top.programs.length).toBe(3);
    expect(top.mapRules!.map((r) => r?.map ?? null)).toEqual([0, null, 1]);
    w = must(step(w, put(0, 0, GETPID)));
    expect(outcomeOfTask(w, 0, GETPID)).toEqual(EPERM);                          // map 1's rule still denies it
    w = must(step(w, put(0, 1, GETPID)));
    expect(outcomeOfTask(w, 0, GETPID)).toEqual(ALLOWED);
    expect(outcomeOfTask(w, 0, GETUID)).toEqual(EPERM);                           // neither map has it
    w = must(step(w, put(0, 0, GETUID)));
    w = must(step(w, put(0, 1, GETUID)));
    expect(outcomeOfTask(w, 0, GETUID)).toEqual({ kind: 'errno', errno: ERRNO.EACCES, by: 'seccomp' });
  });

  it('the rule\'s scope is the world\'s universe, fixed at creation', () => {
    const w = ruled();
    expect(w.tasks.at(0)!.filter!.mapRules![0]!.scope).toEqual([...new Set(defaultUniverse().syscalls.map((r) => r.nr))].sort((a, b) => a - b));
  });
});
