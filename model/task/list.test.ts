// TaskList against the plain definition: an array of (slot, task) in creation order, updated by
// copying. Random update sequences on lists from empty to a few thousand tasks (several tree
// levels at FANOUT 32) must give the same reads, and changesBetween must report exactly the
// slot-matched difference of any two versions, one derived from the other.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Task } from '../state.js';
import { TaskList, FANOUT } from './list.js';
import type { ListChanges } from './list.js';

function task(tid: number, tgid: number, ppid = 1): Task {
  return {
    tid, tgid, ppid, nnp: false, capSysAdmin: true, capPermitted: true, seccompMode: 0, filter: null,
    filterCount: 0, domain: null, llLogSubdomainsOff: false, sessionKeyring: 0, cwd: '/', sigsys: 'handled', sigsysBlocked: false, pgid: 1, pgSince: 0, forkNoExec: true, fds: [], compromised: false,
  };
}

interface Ref { readonly slot: number; readonly task: Task }

type Cmd =
  | { kind: 'fork'; parent: number }
  | { kind: 'thread'; parent: number }
  | { kind: 'exit'; who: number }
  | { kind: 'killGroup'; who: number }
  | { kind: 'mark'; who: number }
  | { kind: 'markGroup'; who: number }
  | { kind: 'exec'; who: number }
  | { kind: 'markAll'; every: number }
  | { kind: 'noop'; who: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 6, arbitrary: fc.nat().map((parent) => ({ kind: 'fork' as const, parent })) },
  { weight: 6, arbitrary: fc.nat().map((parent) => ({ kind: 'thread' as const, parent })) },
  { weight: 2, arbitrary: fc.nat().map((who) => ({ kind: 'exit' as const, who })) },
  { weight: 1, arbitrary: fc.nat().map((who) => ({ kind: 'killGroup' as const, who })) },
  { weight: 2, arbitrary: fc.nat().map((who) => ({ kind: 'mark' as const, who })) },
  { weight: 1, arbitrary: fc.nat().map((who) => ({ kind: 'markGroup' as const, who })) },
  { weight: 1, arbitrary: fc.nat().map((who) => ({ kind: 'exec' as const, who })) },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 7 }).map((every) => ({ kind: 'markAll' as const, every })) },
  { weight: 1, arbitrary: fc.nat().map((who) => ({ kind: 'noop' as const, who })) },
);

/** One command on both: the list and the reference; returns both (the reference's next slot). */
function apply(list: TaskList, ref: readonly Ref[], nextSlot: number, nextTid: number, c: Cmd): [TaskList, Ref[], number, number] {
  const pick = (i: number): Ref | undefined => (ref.length === 0 ? undefined : ref[i % ref.length]);
  const mark = (t: Task): Task => ({ ...t, filterCount: t.filterCount + 1 });
  switch (c.kind) {
    case 'fork':
    case 'thread': {
      const p = pick(c.parent);
      const t = p === undefined
        ? task(nextTid, nextTid)
        : c.kind === 'fork' ? task(nextTid, nextTid, p.task.tgid) : task(nextTid, p.task.tgid, p.task.ppid);
      return [list.append(t), [...ref, { slot: nextSlot, task: t }], nextSlot + 1, nextTid + 1];
    }
    case 'exit': {
      const p = pick(c.who);
      if (!p) return [list.remove(12345), [...ref], nextSlot, nextTid];
      return [list.remove(p.task.tid), ref.filter((r) => r !== p), nextSlot, nextTid];
    }
    case 'killGroup': {
      const p = pick(c.who);
      if (!p) return [list, [...ref], nextSlot, nextTid];
      return [list.removeGroup(p.task.tgid), ref.filter((r) => r.task.tgid !== p.task.tgid), nextSlot, nextTid];
    }
    case 'mark': {
      const p = pick(c.who);
      if (!p) return [list, [...ref], nextSlot, nextTid];
      const next = mark(p.task);
      return [list.replace(next), ref.map((r) => (r === p ? { slot: r.slot, task: next } : r)), nextSlot, nextTid];
    }
    case 'markGroup': {
      const p = pick(c.who);
      if (!p) return [list, [...ref], nextSlot, nextTid];
      const g = p.task.tgid;
      const done = new Map<Task, Task>();
      const f = (t: Task): Task => { const n = mark(t); done.set(t, n); return n; };
      const out = list.mapGroup(g, f);
      return [out, ref.map((r) => (r.task.tgid === g ? { slot: r.slot, task: done.get(r.task)! } : r)), nextSlot, nextTid];
    }
    case 'exec': {
      // fs/exec.c:de_thread: the exec'ing thread takes the leader's tid, the others go.
      const p = pick(c.who);
      if (!p) return [list, [...ref], nextSlot, nextTid];
      const next = { ...p.task, tid: p.task.tgid };
      const out = list.execGroup(p.task.tgid, p.task.tid, next);
      const r2: Ref[] = [];
      for (const r of ref) {
        if (r === p) r2.push({ slot: r.slot, task: next });
        else if (r.task.tgid !== p.task.tgid) r2.push(r);
      }
      return [out, r2, nextSlot, nextTid];
    }
    case 'markAll': {
      const done = new Map<Task, Task>();
      const f = (t: Task): Task => {
        if (t.tid % c.every !== 0) return t;
        const n = mark(t);
        done.set(t, n);
        return n;
      };
      const out = list.mapAll(f);
      return [out, ref.map((r) => (done.has(r.task) ? { slot: r.slot, task: done.get(r.task)! } : r)), nextSlot, nextTid];
    }
    case 'noop': {
      const p = pick(c.who);
      if (!p) return [list, [...ref], nextSlot, nextTid];
      return [list.replace(p.task), [...ref], nextSlot, nextTid];
    }
  }
}

class Collect implements ListChanges {
  readonly log: string[] = [];
  constructor(private readonly slotOf: Map<Task, number>) {}
  removed(t: Task): void { this.log.push(`- ${this.slotOf.get(t)}`); }
  added(t: Task): void { this.log.push(`+ ${this.slotOf.get(t)}`); }
  changed(b: Task, a: Task): void { this.log.push(`~ ${this.slotOf.get(b)}→${this.slotOf.get(a)}`); }
}

/** The slot-matched difference of two reference versions, in slot order. */
function refChanges(before: readonly Ref[], after: readonly Ref[]): string[] {
  const b = new Map(before.map((r) => [r.slot, r.task] as const));
  const a = new Map(after.map((r) => [r.slot, r.task] as const));
  const slots = [...new Set([...b.keys(), ...a.keys()])].sort((x, y) => x - y);
  const out: string[] = [];
  for (const s of slots) {
    const bt = b.get(s);
    const at = a.get(s);
    if (bt && !at) out.push(`- ${s}`);
    else if (!bt && at) out.push(`+ ${s}`);
    else if (bt !== at) out.push(`~ ${s}→${s}`);
  }
  return out;
}

function expectSame(list: TaskList, ref: readonly Ref[]): void {
  const tasks = ref.map((r) => r.task);
  expect(list.length).toBe(tasks.length);
  expect([...list]).toEqual(tasks);
  expect(list.toArray()).toEqual(tasks);
  for (let i = 0; i < tasks.length; i += 1 + (tasks.length >> 5)) {
    expect(list.at(i)).toBe(tasks[i]);
    expect(list.at(i - tasks.length)).toBe(tasks[i]);
    expect(list.byTid(tasks[i]!.tid)).toBe(tasks[i]);
    expect(list.indexOfTid(tasks[i]!.tid)).toBe(i);
    expect(list.group(tasks[i]!.tgid)).toEqual(tasks.filter((t) => t.tgid === tasks[i]!.tgid));
  }
  expect(list.at(tasks.length)).toBeUndefined();
  expect(list.byTid(-1)).toBeUndefined();
}

describe('TaskList', () => {
  it('reads as the plain array and compares versions as the slot-matched difference, on lists of 0 to thousands of tasks', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 3 * FANOUT * FANOUT }),
      fc.array(cmd, { minLength: 1, maxLength: 60 }),
      (grow, cmds) => {
        let list = TaskList.empty();
        let ref: Ref[] = [];
        let slot = 0;
        let tid = 100;
        for (let i = 0; i < grow; i++) [list, ref, slot, tid] = apply(list, ref, slot, tid, { kind: i % 3 === 0 ? 'fork' : 'thread', parent: i * 7 });
        expectSame(list, ref);
        const slotOf = new Map<Task, number>();
        const note = (rs: readonly Ref[]): void => { for (const r of rs) slotOf.set(r.task, r.slot); };
        note(ref);
        const first = { list, ref };
        for (const c of cmds) {
          const before = { list, ref };
          [list, ref, slot, tid] = apply(list, ref, slot, tid, c);
          note(ref);
          expectSame(list, ref);
          const got = new Collect(slotOf);
          TaskList.changesBetween(before.list, list, got);
          expect(got.log).toEqual(refChanges(before.ref, ref));
          if (refChanges(before.ref, ref).length === 0) expect(list).toBe(before.list);
        }
        // Versions further apart compare the same way.
        const got = new Collect(slotOf);
        TaskList.changesBetween(first.list, list, got);
        expect(got.log).toEqual(refChanges(first.ref, ref));
      },
    ), { seed: 11, numRuns: 120 });
  });

  it('an update copies one path: the other leaves of a large list are the very same objects', () => {
    let list = TaskList.empty();
    for (let i = 0; i < 10 * FANOUT * FANOUT; i++) list = list.append(task(100 + i, 100));
    const t = list.at(5000)!;
    const next = list.replace({ ...t, nnp: true });
    // What changesBetween reports is all there is to report; the walk itself touched only the
    // copied path (a wrong sharing would report other tasks as changed).
    const got = new Collect(new Map([[t, 1], [next.at(5000)!, 2]]));
    TaskList.changesBetween(list, next, got);
    expect(got.log).toEqual(['~ 1→2']);
    let same = 0;
    for (let i = 0; i < list.length; i++) if (list.at(i) === next.at(i)) same++;
    expect(same).toBe(list.length - 1);
  });
});
