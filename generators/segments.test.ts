// What the generator does to reach the spec's corners (coverage/): its view of the descriptor
// tables, padded programs, the documented misuses (each, and none with misuse 0), and Landlock
// calls aimed at the rulesets a task holds.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Op } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG as F, LANDLOCK_RESTRICT_SELF } from '../model/ops.js';
import { checkSeccompProgram } from '../model/bpf/check.js';
import { SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS, retErrno } from '../model/seccomp/action.js';
import { seccompData } from '../model/seccomp/data.js';
import { runSeccompProgram } from '../model/bpf/interp.js';
import { defaultUniverse } from '../model/universe.js';
import { defaultFsTree } from '../model/landlock/fstree.js';
import { FS, hasBitsOutside } from '../model/landlock/access.js';
import { abiMasks } from '../model/landlock/abi.js';
import { ERRNO } from '../model/errno.js';
import { BPF_MAXINSNS } from '../model/limits.js';
import { builtinVariant } from '../variants/registry.js';
import { opsArbitrary } from './scenario.js';
import { Population } from './population.js';
import { compiledProgram, paddedProgram, policyOf } from './policy.js';

const LINUX = builtinVariant('linux')!;
const TREE = new Set(defaultFsTree().entries.map((e) => e.path));
const sample = (misuse?: number): Op[][] => fc.sample(opsArbitrary(LINUX, { maxOps: 20, ...(misuse !== undefined ? { misuse } : {}) }), { seed: 3, numRuns: 3000 });

/** The documented misuse an op is, if any (generators/options.ts `misuse`). */
function misuseOf(op: Op): string | null {
  switch (op.op) {
    case 'seccomp_filter': {
      const last = op.program[op.program.length - 1];
      if (!last || (last[0] & 0x07) !== 0x06) return 'program without RET';
      if (op.flags & (1 << 6)) return 'unknown seccomp flag';
      if ((op.flags & F.WAIT_KILLABLE_RECV) && !(op.flags & F.NEW_LISTENER)) return 'WAIT_KILLABLE_RECV alone';
      if ((op.flags & F.TSYNC) && (op.flags & F.NEW_LISTENER) && !(op.flags & F.TSYNC_ESRCH)) return 'TSYNC|NEW_LISTENER';
      return null;
    }
    case 'ruleset_create':
      if (op.fs === 0 && op.net === 0 && op.scoped === 0) return 'empty ruleset';
      if (hasBitsOutside(op.fs, abiMasks(7).fs)) return 'unknown fs right';
      return null;
    case 'ruleset_add_rule':
      if (op.rule.access === 0) return 'rule without rights';
      if (op.rule.type === 'path_beneath' && !TREE.has(op.rule.path)) return 'missing path';
      if (op.rule.type === 'net_port' && (typeof op.rule.port !== 'number' || op.rule.port > 65535)) return 'port past 65535';
      return null;
    case 'restrict_self':
      if (op.flags & ~abiMasks(7).restrictFlags) return 'unknown restrict flag';
      if (op.ruleset === null && (op.flags & ~LANDLOCK_RESTRICT_SELF.TSYNC) !== LANDLOCK_RESTRICT_SELF.LOG_SUBDOMAINS_OFF) return 'fd -1 without the log flag';
      return null;
    default:
      return null;
  }
}

describe('documented misuses', () => {
  it('are each generated at the default rate', () => {
    const seen = new Map<string, number>();
    for (const ops of sample()) for (const op of ops) {
      const m = misuseOf(op);
      if (m) seen.set(m, (seen.get(m) ?? 0) + 1);
    }
    for (const m of ['program without RET', 'unknown seccomp flag', 'WAIT_KILLABLE_RECV alone', 'TSYNC|NEW_LISTENER', 'empty ruleset', 'unknown fs right', 'rule without rights', 'missing path', 'port past 65535', 'unknown restrict flag', 'fd -1 without the log flag']) {
      expect(seen.get(m) ?? 0, m).toBeGreaterThan(0);
    }
  });

  it('are never generated with misuse 0', () => {
    for (const ops of sample(0)) for (const op of ops) expect(misuseOf(op), JSON.stringify(op)).toBeNull();
  });
});

describe('the generator\'s view of descriptor tables (Population)', () => {
  it('installs at the lowest free number, copies on fork, shares with threads, closes on exec', () => {
    const p = new Population();
    expect(p.install(0, true, { fs: FS.READ_FILE, net: 0, scoped: 0 })).toBe(0);
    expect(p.install(0, false, null)).toBe(1);
    p.fork(0); // task 1: a copy
    p.thread(1); // task 2: shares task 1's table
    p.close(1, 0);
    expect(p.table(0).map((e) => e.fd)).toEqual([3, 4]);
    expect(p.table(1).map((e) => e.fd)).toEqual([4]);
    expect(p.table(2)).toBe(p.table(1));
    expect(p.install(2, true, { fs: FS.WRITE_FILE, net: 0, scoped: 0 })).toBe(0); // fd 3 again
    expect(p.rulesets(1).map((e) => e.ruleset!.fs)).toEqual([FS.WRITE_FILE]);
    p.send(0, 0, 1); // the ruleset, without close-on-exec
    expect(p.table(1).map((e) => [e.fd, e.cloexec])).toEqual([[3, true], [4, false], [5, false]]);
    p.exec(2); // de_thread kills task 1; close-on-exec fds go
    expect(p.size).toBe(2);
    expect(p.table(1).map((e) => e.fd)).toEqual([4, 5]);
    expect(p.rulesetHolders([])).toEqual([0, 1]);
  });

  it('knows whose real parent is a scenario task (model/task/tree.ts realParent not outside)', () => {
    const p = new Population();
    p.fork(0); // task 1: a child of the first task, whose own parent is outside
    p.thread(1); // task 2: a thread of task 1, the same real parent
    p.fork(1); // task 3: a child of task 1's process
    expect([0, 1, 2, 3].map((t) => p.modelledParent(t))).toEqual([false, true, true, true]);
    expect(p.withModelledParent([])).toEqual([1, 2, 3]);
    p.exit(0); // the first task goes: its children's parent is no longer a scenario task
    expect([0, 1, 2].map((t) => p.modelledParent(t))).toEqual([false, false, true]);
    p.exit(0);
    expect(p.modelledParent(1)).toBe(true); // task 2's process still has a live thread (old task 2)
  });

  it('knows which descriptors are socket ends, also once sent to another task', () => {
    const p = new Population();
    p.install(0, false, { fs: 1, net: 0, scoped: 0 });
    p.install(0, false, null, 'pair');
    p.install(0, false, null, 'listener');
    p.fork(0);
    expect([0, 1, 2, 3].map((i) => p.isSocket(0, i))).toEqual([false, true, true, false]);
    p.send(0, 2, 1);
    p.send(0, 0, 1);
    expect([3, 4].map((i) => p.isSocket(1, i))).toEqual([true, false]);
    expect(new Population().isSocket(0, 0)).toBe(false);
    expect([0, 1, 2, 3].map((i) => p.listenerIndex(0, i))).toEqual([0, 0, 0, 1]);
  });

  it('knows which tasks restricted themselves (and their children)', () => {
    const p = new Population();
    p.fork(0);
    p.restrict(0);
    p.fork(0);
    expect(p.unrestricted([])).toEqual([1]);
  });
});

describe('padded programs', () => {
  it('are exactly as long, valid, and decide as the program they pad', () => {
    const g = compiledProgram({ default: SECCOMP_RET_ALLOW, rules: [{ nr: 39, action: retErrno(ERRNO.EPERM) }, { nr: 102, action: SECCOMP_RET_KILL_PROCESS }] });
    for (const n of [64, 3072, BPF_MAXINSNS, BPF_MAXINSNS + 10]) {
      const p = paddedProgram(g, n);
      expect(p.program.length).toBe(Math.min(n, BPF_MAXINSNS));
      expect(checkSeccompProgram(p.program).ok).toBe(true);
      expect(policyOf(p.program)).toBe(policyOf(g.program));
      expect(paddedProgram(g, n)).toBe(p); // one array per program and length
      for (const req of defaultUniverse().syscalls) expect(runSeccompProgram(p.program, seccompData(req))).toBe(runSeccompProgram(g.program, seccompData(req)));
    }
  });
});

describe('Landlock calls', () => {
  it('mostly act on a ruleset the task holds, with rules within its handled rights', () => {
    let named = 0;
    let calls = 0;
    for (const ops of sample()) {
      const pop = new Population();
      for (const op of ops) {
        if ((op.op === 'ruleset_add_rule' || op.op === 'restrict_self') && op.ruleset !== null) {
          calls++;
          if (pop.rulesets(op.task).length > 0) named++;
        }
        if (op.op === 'ruleset_create') pop.install(op.task, true, typeof op.fs === 'number' && typeof op.net === 'number' && typeof op.scoped === 'number' ? { fs: op.fs, net: op.net, scoped: op.scoped } : null);
        pop.apply(op);
      }
    }
    expect(calls).toBeGreaterThan(1000);
    expect(named / calls).toBeGreaterThan(0.8);
  });
});
