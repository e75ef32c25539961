// The sigsys op on the wire and in the executor (native/sigsys_op.c, task.c): SIGSYS's action
// (the process's: ignore, default, handle) and mask (the thread's: block, unblock) decide how a
// RET_TRAP ends (kernel/signal.c:force_sig_seccomp → force_sig_info_to_task, HANDLER_CURRENT).
// Ignored, at SIG_DFL or blocked in the trapping thread, SIGSYS is reset to SIG_DFL and unblocked
// and the process dies of it, core dump and all — the end of a RET_KILL_PROCESS. Forks and
// threads copy the action and the mask (threads share the action); exec keeps SIG_IGN and the
// mask, and the executor's image installs its handler over SIG_DFL. The kernel's results on this
// machine are the expectations; each scenario is also compared with the model step by step, and
// its full tables entry by entry (conformance/diff.ts, table-diff.ts).
import { describe, expect, test } from 'vitest';
import type { Op, SigsysOpAction } from '../model/ops.js';
import { defaultUniverse } from '../model/universe.js';
import type { Universe } from '../model/universe.js';
import { runTrace, defaultScenarioWorld } from '../properties/trace.js';
import { LINUX } from '../variants/linux.js';
import { encodeScenario, type EncodeOptions } from './protocol.js';
import { diffScenario } from './diff.js';
import { diffTables } from './table-diff.js';
import type { KernelOpResult, KernelTrace } from './result.js';
import { kx, f, useSharedExecutor } from './shared-executor.js';
import { E, NR, RET, exec, filter, fork, observe, onNr, probe, strict, sys, thread } from './fixtures.js';

useSharedExecutor();

const NR_RT_SIGACTION = 13;
const NR_RT_SIGPROCMASK = 14;
const NR_LANDLOCK_CREATE_RULESET = 444;
const NR_BIND = 49;

type Action = SigsysOpAction;
const sigsys = (task: number, action: Action): Op => ({ op: 'sigsys', task, action });
/** getpid by a task given by its model tid (references shift as tasks die). */
const getpid = (tid: number): Op => ({ ...sys(0, NR.getpid), tid });
const trapGetpid = (data = 7): Op => filter(0, onNr(NR.getpid, RET.TRAP | data));

const ok = (ret = 0): KernelOpResult => ({ kind: 'ok', ret });
const err = (errno: number): KernelOpResult => ({ kind: 'err', errno });
const trap = (data = 7, nr: number = NR.getpid): KernelOpResult => ({ kind: 'probe', outcome: { kind: 'trap', data, nr, arch: 0xc000003e } });
/** A trap-induced death: what a RET_KILL_PROCESS gives (test 'the same end as RET_KILL_PROCESS'). */
const killed = (alone = true): KernelOpResult => ({ kind: 'probe', outcome: { kind: 'kill_process', signal: 'SIGSYS', alone } });

const WORLD = defaultScenarioWorld(LINUX);

/**
 * Run `ops` on the kernel (with full tables over `table` when given), expect the kernel's
 * results, then compare every step (and table entry) with the model: each is the same but the
 * indices in `notCompared` (the kernel could not show them: an unknown layer count, a skipped
 * or failed probe).
 */
async function check(ops: Op[], expected: KernelOpResult[], o: { table?: Universe; notCompared?: number[] } = {}): Promise<KernelTrace> {
  const t = await kx.run(ops, WORLD, o.table ? { table: o.table } : {});
  expect(t.status).toBe('ok');
  expect(t.cleanup).toBe('clean');
  expect(t.steps.map((s) => s.result)).toEqual(expected);
  const model = runTrace(LINUX, ops, { world: WORLD, ...(o.table ? { universe: o.table } : {}) });
  const steps = diffScenario({ ops, model, kernel: t.steps });
  const notSame = steps.steps.flatMap((s, i) => (s.status === 'same' ? [] : [`${i}: ${s.status}${'why' in s ? ` (${s.why})` : ''}`]));
  expect(notSame.map((s) => Number(s.split(':')[0])), notSame.join('\n')).toEqual(o.notCompared ?? []);
  for (const i of o.notCompared ?? []) expect(steps.steps[i]!.status).toBe('not_compared');
  if (o.table) {
    const tables = diffTables({ ops, model, tables: t.tables ?? [], steps });
    const bad = tables.entries.flatMap((e) => (e.status.status === 'same' || (e.status.status === 'not_compared' && e.status.category === 'skipped') ? [] : [`${String(e.entry.point)} ${e.entry.tid} ${JSON.stringify(e.entry.request)}: ${e.status.status} ${'why' in e.status ? e.status.why : ''}`]));
    expect(bad).toEqual([]);
  }
  return t;
}

describe('encodeScenario', () => {
  const o: EncodeOptions = {
    id: 't', opTimeoutMs: 100, scenarioTimeoutMs: 200, nnp: false, capSysAdmin: true, netns: false, noAnswer: false, skips: [],
    fs: WORLD.fs,
  };
  test('sigsys <action>, the word', () => {
    const actions: Action[] = ['ignore', 'default', 'handle', 'block', 'unblock'];
    const { text, invalid } = encodeScenario(actions.map((a, k) => sigsys(k, a)), o);
    expect(invalid.size).toBe(0);
    expect(text.split('\n').filter((l) => l.startsWith('op '))).toEqual(actions.map((a, k) => `op sigsys ${k} - ${a}`));
  });
  test('an unknown action is invalid', () => {
    const { text, invalid } = encodeScenario([sigsys(0, 'stop' as Action)], o);
    expect([...invalid.keys()]).toEqual([0]);
    expect(text).not.toContain('op sigsys');
  });
});

describe('sigsys: how a RET_TRAP ends', () => {
  test('the same end as RET_KILL_PROCESS: a trap with SIGSYS ignored kills the process with SIGSYS (core dump signal)', async () => {
    const kill = await check([filter(0, onNr(NR.getpid, RET.KILL_PROCESS)), getpid(100)], [ok(), killed()]);
    const ignored = await check([trapGetpid(), sigsys(0, 'ignore'), getpid(100)], [ok(), ok(), killed()]);
    expect(ignored.steps[2]).toEqual(kill.steps[1]);
  });

  test('the action is the process\'s: ignore and default kill at a trap, handle traps again; a fork copies it, a thread shares it', async () => {
    await check([
      trapGetpid(), fork(0), fork(0), fork(0), // 101, 102, 103
      sigsys(1, 'ignore'), sigsys(2, 'default'), sigsys(3, 'ignore'), sigsys(3, 'handle'), // 4-7
      getpid(100), getpid(103), getpid(101), getpid(102), // 8-11: the forks' actions are their own
      thread(0), sigsys(0, 'default'), getpid(100), // 12-14: 104 shares 100's action: the process dies
    ], [
      ok(), ok(101), ok(102), ok(103),
      ok(), ok(), ok(), ok(),
      trap(), trap(), killed(), killed(),
      ok(104), ok(), killed(false),
    ]);
    await check([trapGetpid(), thread(0), sigsys(1, 'ignore'), getpid(100)], [ok(), ok(101), ok(), killed(false)]);
  });

  test('the mask is the thread\'s: a thread made before the block keeps trapping, one made after inherits it, unblock traps again', async () => {
    await check([
      trapGetpid(), thread(0), sigsys(0, 'block'), thread(0), // 101 before, 102 after the block
      getpid(101), sigsys(0, 'unblock'), getpid(100), getpid(102), // 4-7
    ], [
      ok(), ok(101), ok(), ok(102),
      trap(), ok(), trap(), killed(false),
    ]);
  });

  test('a fork copies the mask and the ignored action: the child is killed too', async () => {
    await check([trapGetpid(), sigsys(0, 'block'), fork(0), getpid(101), sigsys(0, 'unblock'), getpid(100)], [ok(), ok(), ok(101), killed(), ok(), trap()]);
    await check([trapGetpid(), sigsys(0, 'ignore'), fork(0), getpid(101), getpid(100)], [ok(), ok(), ok(101), killed(), killed()]);
  });

  test('exec keeps SIG_IGN and the mask; the image installs its handler over SIG_DFL (and over the handler the exec reset)', async (ctx) => {
    ctx.skip(!f.execMemfd, 'the exec helper image cannot be exec\'d on this machine');
    await check([trapGetpid(), sigsys(0, 'ignore'), exec(0), getpid(100)], [ok(), ok(), ok(), killed()]);
    await check([trapGetpid(), sigsys(0, 'handle'), sigsys(0, 'block'), exec(0), getpid(100)], [ok(), ok(), ok(), ok(), killed()]);
    await check([trapGetpid(), sigsys(0, 'block'), exec(0), sigsys(0, 'unblock'), getpid(100)], [ok(), ok(), ok(), ok(), trap()]);
    await check([trapGetpid(), sigsys(0, 'default'), exec(0), getpid(100)], [ok(), ok(), ok(), trap()]);
    await check([trapGetpid(), sigsys(0, 'handle'), exec(0), getpid(100)], [ok(), ok(), ok(), trap()]);
  });

  test('exec from a thread: the survivor keeps its own mask and the group\'s ignored action', async (ctx) => {
    ctx.skip(!f.execMemfd || !f.pidfdThread, 'needs the exec helper and PIDFD_THREAD');
    // the survivor takes the leader's tid (fs/exec.c:de_thread)
    const t = await check([trapGetpid(), thread(0), sigsys(1, 'block'), exec(1), getpid(100)], [ok(), ok(101), ok(), ok(), killed()]);
    expect(t.steps[3]!.tid).toBe(101);
    await check([trapGetpid(), thread(0), sigsys(0, 'block'), exec(1), getpid(100)], [ok(), ok(101), ok(), ok(), trap()]);
    await check([trapGetpid(), thread(0), sigsys(0, 'ignore'), exec(1), getpid(100)], [ok(), ok(101), ok(), ok(), killed()]);
  });
});

describe('sigsys: the op\'s own call, under the task\'s filters', () => {
  test('rt_sigaction(SIGSYS) and rt_sigprocmask are what the filters see; a trap of them traps, or kills where SIGSYS would not be delivered', async () => {
    const stopped = (nr: number, data: number): KernelOpResult => ({ kind: 'stopped', outcome: { kind: 'trap', data, nr, arch: 0xc000003e } });
    await check([
      filter(0, onNr(NR_RT_SIGACTION, RET.TRAP | 3)), sigsys(0, 'ignore'), sigsys(0, 'default'), sigsys(0, 'handle'), // trapped: the action stays
      getpid(100), sigsys(0, 'block'), getpid(100), sigsys(0, 'unblock'), // 4-7: getpid returns its pid; rt_sigprocmask not trapped
    ], [
      ok(), stopped(NR_RT_SIGACTION, 3), stopped(NR_RT_SIGACTION, 3), stopped(NR_RT_SIGACTION, 3),
      expect.objectContaining({ kind: 'probe', outcome: expect.objectContaining({ kind: 'returned' }) }) as KernelOpResult, ok(), expect.objectContaining({ kind: 'probe' }) as KernelOpResult, ok(),
    ]);
    // blocked, the trap of the op's own rt_sigaction kills the process (model: stopped kill_process)
    await check([filter(0, onNr(NR_RT_SIGACTION, RET.TRAP | 3)), sigsys(0, 'block'), sigsys(0, 'handle')], [
      ok(), ok(), { kind: 'killed', scope: 'process', signal: 'SIGSYS', alone: true },
    ]);
    await check([filter(0, onNr(NR_RT_SIGPROCMASK, RET.TRAP | 4)), sigsys(0, 'block'), sigsys(0, 'ignore'), sigsys(0, 'unblock')], [
      ok(), stopped(NR_RT_SIGPROCMASK, 4), ok(), { kind: 'killed', scope: 'process', signal: 'SIGSYS', alone: true },
    ]);
    await check([filter(0, onNr(NR_RT_SIGACTION, RET.ERRNO | E.EPERM)), sigsys(0, 'ignore'), sigsys(0, 'block')], [ok(), err(E.EPERM), ok()]);
  });

  test('in strict mode rt_sigaction is not allowed: SIGKILL', async () => {
    await check([strict(0), sigsys(0, 'ignore')], [ok(), { kind: 'killed', scope: 'process', signal: 'SIGKILL', alone: true }]);
  });
});

describe('sigsys: the executor\'s own calls under the task\'s filters', () => {
  test('seccomp_strict in filter mode makes the call alone (EINVAL): no listener whose trapped bind(2) would kill the task', async () => {
    for (const a of ['handle', 'ignore', 'block'] as const) {
      await check([filter(0, onNr(NR_BIND, RET.TRAP | 1)), sigsys(0, a), strict(0), getpid(100)], [ok(), ok(), err(E.EINVAL), expect.objectContaining({ kind: 'probe' }) as KernelOpResult]);
    }
    // a kill of bind(2) likewise no longer ends the task (the model: EINVAL, the task lives)
    await check([filter(0, onNr(NR_BIND, RET.KILL_PROCESS)), strict(0), getpid(100)], [ok(), err(E.EINVAL), expect.objectContaining({ kind: 'probe' }) as KernelOpResult]);
  });

  test('an abstract_unix probe towards a target whose filters may trap its listener\'s bind(2) while SIGSYS would kill it: skip; with the handler, the trapped bind fails the listener', async () => {
    const t = await check([
      fork(0), filter(1, onNr(NR_BIND, RET.TRAP | 1)), sigsys(1, 'ignore'), probe(0, { kind: 'abstract_unix', target: 1 }), getpid(101),
      sigsys(1, 'handle'), probe(0, { kind: 'abstract_unix', target: 1 }),
    ], [
      ok(101), ok(), ok(), expect.objectContaining({ kind: 'skip' }) as KernelOpResult, expect.objectContaining({ kind: 'probe' }) as KernelOpResult,
      ok(), { kind: 'error', message: 'abstract_unix: the target\'s listener: errno 38' },
    ], { notCompared: [3, 6] });
    expect(t.steps[3]!.result).toEqual({ kind: 'skip', reason: 'abstract_unix: the target task 101 makes its listener under its own filters, which may trap its bind(2), and SIGSYS is ignored in the task: a trap kills' });
    // with the handler, the trapped bind(2) (not made: its return register holds 49) fails the
    // listener, an error for the probe, and the target lives on
  });

  test('a traced task: the fatal SIGSYS passes its tracer\'s signal-delivery stop, and a trap with the handler still traps', async (ctx) => {
    ctx.skip(!f.pidfdThread, 'tracers need PIDFD_THREAD here');
    const seize = (task: number, target: number, options = 0): Op => ({ op: 'ptrace_attach', task, target, seize: true, options });
    const attach = (task: number, target: number): Op => ({ op: 'ptrace_attach', task, target, seize: false, options: 0 });
    const tr = filter(1, onNr(NR.getpid, RET.TRAP | 7));
    await check([fork(0), seize(0, 1), tr, getpid(101), sigsys(1, 'ignore'), getpid(101)], [ok(101), ok(), ok(), trap(), ok(), killed()]);
    await check([fork(0), attach(0, 1), tr, sigsys(1, 'block'), getpid(101), getpid(100)], [ok(101), ok(), ok(), ok(), killed(), expect.objectContaining({ kind: 'probe' }) as KernelOpResult]);
  });
});

describe('sigsys: the executor\'s own children', () => {
  const U = defaultUniverse();
  const getpidEntry = U.syscalls.findIndex((r) => r.nr === NR.getpid && r.arch === 0xc000003e && r.args.every((a) => a === 0));

  test('full tables: the disposable child has copies of the action and the mask, so a trap in it ends as a RET_KILL_PROCESS entry', async () => {
    const t = await check([
      trapGetpid(), thread(0), sigsys(1, 'block'), observe(0), observe(1), // 3, 4: 100 traps, 101 is killed
      sigsys(0, 'ignore'), observe(0), sigsys(0, 'handle'), sigsys(1, 'unblock'), observe(1), // 6: killed; 9: traps
    ], [
      ok(), ok(101), ok(), expect.objectContaining({ kind: 'observe' }) as KernelOpResult, expect.objectContaining({ kind: 'observe' }) as KernelOpResult,
      ok(), expect.objectContaining({ kind: 'observe' }) as KernelOpResult, ok(), ok(), expect.objectContaining({ kind: 'observe' }) as KernelOpResult,
    ], { table: U });
    const entry = (point: number | 'end', tid: number) => t.tables?.find((e) => e.point === point && e.tid === tid && e.request === getpidEntry)?.result;
    const childKilled = { kind: 'probe', outcome: { kind: 'kill_process', signal: null, alone: true } };
    expect(entry(3, 100)).toEqual(trap());
    expect(entry(4, 101)).toEqual(childKilled);
    expect(entry(6, 100)).toEqual(childKilled);
    expect(entry(9, 101)).toEqual(trap());
    // the children's deaths changed nothing of the tasks': both trap at the end
    expect(entry('end', 100)).toEqual(trap());
    expect(entry('end', 101)).toEqual(trap());
    // what a RET_KILL_PROCESS entry gives
    const k = await check([filter(0, onNr(NR.getpid, RET.KILL_PROCESS)), observe(0)], [ok(), expect.objectContaining({ kind: 'observe' }) as KernelOpResult], { table: U });
    expect(k.tables?.find((e) => e.point === 1 && e.request === getpidEntry)?.result).toEqual(childKilled);
  });

  test('a child\'s trap-induced death does not reset the task\'s own SIG_IGN: exec still keeps it', async (ctx) => {
    ctx.skip(!f.execMemfd, 'the exec helper image cannot be exec\'d on this machine');
    await check([trapGetpid(), sigsys(0, 'ignore'), observe(0), exec(0), getpid(100)], [
      ok(), ok(), expect.objectContaining({ kind: 'observe' }) as KernelOpResult, ok(), killed(),
    ], { table: U });
  });

  test('the layer oracle\'s child dies at a trap where SIGSYS is ignored or blocked: the count is unknown, and the reason says why', async () => {
    const t = await check([
      filter(0, onNr(NR_LANDLOCK_CREATE_RULESET, RET.TRAP | 5)), sigsys(0, 'ignore'), observe(0), sigsys(0, 'handle'), sigsys(0, 'block'), observe(0),
    ], [
      ok(), ok(), expect.objectContaining({ kind: 'observe' }) as KernelOpResult, ok(), ok(), expect.objectContaining({ kind: 'observe' }) as KernelOpResult,
    ], { notCompared: [2, 5] });
    const why = (i: number): unknown => {
      const r = t.steps[i]!.result;
      return r.kind === 'observe' ? [r.state.landlockLayers, r.state.landlockError] : r;
    };
    expect(why(2)).toEqual([null, 'the layer oracle\'s child died before answering (a filter of the task? SIGSYS is ignored in the task: a trap kills)']);
    expect(why(5)).toEqual([null, 'the layer oracle\'s child died before answering (a filter of the task? SIGSYS is blocked in the task: a trap kills)']);
  });
});
