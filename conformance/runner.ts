// KernelExecutor: the Node side of the conformance executor. One strata-exec process, started
// lazily through its transport (transport.ts: on this machine; vm/transport.ts: in a guest under
// QEMU) and reused; one request and one reply per scenario; Node-side timeouts on every
// request; a dead or hung executor is killed and restarted on the next call, never waited on.
import { fileURLToPath } from 'node:url';
import type { Op } from '../model/ops.js';
import type { FsTree } from '../model/landlock/fstree.js';
import { defaultFsTree } from '../model/landlock/fstree.js';
import { LANDLOCK_ABI_MAX } from '../model/limits.js';
import type { KernelFeatures, KernelTableEntry, KernelTrace } from './result.js';
import type { Request } from '../model/request.js';
import type { Universe } from '../model/universe.js';
import { encodeScenario, parseFeatures, parseReply } from './protocol.js';
import { kernelSkipReason } from './skips.js';
import { worldUnavailableReason } from './availability.js';
import type { ExecutorChannel, ExecutorTransport, ScenarioGroup } from './transport.js';
import { localTransport } from './transport.js';

/** The initial world of a scenario; the same fields as the model's WorldOptions and the
 * scenario document's `world`. Defaults are the model's (model/state.ts:initialWorld). */
export interface KernelWorld {
  readonly abi?: number;
  readonly nnp?: boolean;
  readonly capSysAdmin?: boolean;
  readonly fs?: FsTree;
}

export interface KernelRunOptions {
  /** Longest wait for one op (default 2000 ms). */
  readonly opTimeoutMs?: number;
  /** Longest run of the whole scenario (default: 10 s, at least 2 × opTimeoutMs). */
  readonly scenarioTimeoutMs?: number;
  /** Answer user notifications with ECANCELED (default); false leaves them pending. */
  readonly answerNotifications?: boolean;
  /** Scenario id echoed in the reply (default: a counter). */
  readonly id?: string;
  /** Full-table observes over this universe: after every observe (the observed task) and at the
   * end (every live task), every request of the universe and every task-relative request towards
   * every other live task, each made by a disposable child of the task (protocol.md). */
  readonly table?: Universe;
}

/** The tabled requests of a universe as the executor is asked for them: those this kernel can
 * make (`sent`, with their universe indices) and the others with the reason. */
export interface TablePlan {
  readonly sent: readonly Request[];
  readonly index: readonly number[];
  readonly skipped: ReadonlyMap<number, string>;
}

export function tablePlan(u: Universe, worldAbi: number, f: KernelFeatures): TablePlan {
  const sent: Request[] = [];
  const index: number[] = [];
  const skipped = new Map<number, string>();
  [...u.syscalls, ...u.landlock].forEach((request, i) => {
    const why = kernelSkipReason({ op: 'probe', task: 0, request }, worldAbi, f) ??
      (request.kind === 'net' && !f.netns ? 'no private network namespace here: full tables make no net request in the host\'s' : null);
    if (why) skipped.set(i, why);
    else {
      sent.push(request);
      index.push(i);
    }
  });
  return { sent, index, skipped };
}

/** The reply's table entries in universe indices, with a `skip` entry for every request the
 * plan left out, for every task and point the executor reported. */
function tableEntries(entries: readonly KernelTableEntry[], plan: TablePlan): KernelTableEntry[] {
  const out: KernelTableEntry[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    if (typeof e.request === 'number') {
      const i = plan.index[e.request];
      if (i === undefined) continue;
      out.push({ ...e, request: i });
    } else out.push(e);
    const key = `${e.point}/${e.tid}`;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const [i, reason] of plan.skipped) out.push({ point: e.point, tid: e.tid, request: i, result: { kind: 'skip', reason } });
  }
  return out;
}

export interface KernelExecutorOptions {
  /** Path of strata-exec (default: conformance/build/strata-exec), run on this machine. */
  readonly binary?: string;
  /** How the executor is started (default: localTransport(binary)): vm/transport.ts boots a
   * kernel image under QEMU and runs it there. */
  readonly transport?: ExecutorTransport;
  /** Extra time Node grants beyond the scenario timeout before killing the executor. */
  readonly graceMs?: number;
  /** Directory for the scenarios' temporary trees (TMPDIR of the executor; default: inherited). */
  readonly tmpDir?: string;
  /** Extra environment variables for the executor. */
  readonly env?: Readonly<Record<string, string>>;
}

export const DEFAULT_BINARY = fileURLToPath(new URL('./build/strata-exec', import.meta.url));

/** The request text for one scenario (what run() sends; bench/conformance.ts replays it). */
export function encodeRun(
  ops: readonly Op[],
  world: KernelWorld,
  options: KernelRunOptions,
  f: KernelFeatures,
): { text: string; invalid: Map<number, string>; scenarioTimeoutMs: number; plan: TablePlan | null } {
  const opTimeoutMs = options.opTimeoutMs ?? 2000;
  const scenarioTimeoutMs = options.scenarioTimeoutMs ?? Math.max(10_000, 2 * opTimeoutMs);
  const worldAbi = world.abi ?? LANDLOCK_ABI_MAX - 1;
  // a first task the executor cannot start as the world says: every op is skipped, with the reason
  const unrealisable = worldUnavailableReason(world, f);
  const skips = ops.map((op) => {
    if (unrealisable) return unrealisable;
    try {
      return kernelSkipReason(op, worldAbi, f);
    } catch {
      return null; // malformed: the encoder reports it as invalid
    }
  });
  // A supervised scenario (model/seccomp/notify.ts) takes no full tables: the tables' disposable
  // probes would be notified on the scenario's listeners, whose queue is the supervisor's alone
  // (one FIFO per filter, delegation.md U11), and no one would answer them.
  const supervised = ops.some((op) => op?.op === 'notif_supervise');
  const plan = options.table && !supervised ? tablePlan(options.table, worldAbi, f) : null;
  const requests = [...ops.flatMap((op) => (op?.op === 'probe' ? [op.request?.kind] : [])), ...(plan?.sent ?? []).map((r) => r.kind)];
  const { text, invalid } = encodeScenario(ops, {
    id: options.id ?? 's',
    opTimeoutMs,
    scenarioTimeoutMs,
    nnp: world.nnp ?? false,
    capSysAdmin: world.capSysAdmin ?? true,
    fs: world.fs ?? defaultFsTree(),
    netns: f.netns && requests.includes('net'),
    noAnswer: options.answerNotifications === false,
    skips,
    ...(plan ? { table: plan.sent } : {}),
  });
  return { text, invalid, scenarioTimeoutMs, plan };
}

interface Pending {
  readonly channel: ExecutorChannel;
  readonly resolve: (lines: string[] | null) => void;
  /** The scenario's process group and session, once the executor has announced them. */
  group?: ScenarioGroup;
}

export class KernelExecutor {
  private channel: ExecutorChannel | null = null;
  private buffer = '';
  private lines: string[] = [];
  private pending: Pending | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private stderrTail = '';
  /** Why the last executor ended, when its transport knows (a guest that did not boot). */
  private exitReason: string | null = null;
  /** The signal that ended the executor during the last request, if one did. */
  private exitSignal: string | null = null;
  private cachedFeatures: KernelFeatures | null = null;
  private seq = 0;
  private closed = false;
  private readonly graceMs: number;
  private readonly env: NodeJS.ProcessEnv;
  /** How executors are started: strata-exec here (default), or in a guest (vm/transport.ts). */
  readonly transport: ExecutorTransport;

  constructor(options: KernelExecutorOptions = {}) {
    this.transport = options.transport ?? localTransport(options.binary ?? DEFAULT_BINARY);
    this.graceMs = options.graceMs ?? 3000;
    this.env = { ...process.env, ...options.env, ...(options.tmpDir === undefined ? {} : { TMPDIR: options.tmpDir }) };
  }

  /** The kernel's features (detected once per executor, then cached). */
  features(): Promise<KernelFeatures> {
    if (this.cachedFeatures) return Promise.resolve(this.cachedFeatures);
    return this.serialize(async () => {
      if (this.cachedFeatures) return this.cachedFeatures;
      const lines = await this.request('features\n', 20_000);
      if (!lines) throw new Error(`strata-exec: feature detection failed${this.failure()}`);
      this.cachedFeatures = parseFeatures(lines);
      return this.cachedFeatures;
    });
  }

  /** Run one scenario on the live kernel: one request, one reply. Never rejects for a kernel or
   * executor failure; that is reported in the trace. */
  async run(ops: readonly Op[], world: KernelWorld = {}, options: KernelRunOptions = {}): Promise<KernelTrace> {
    const f = await this.features();
    const { text, invalid, scenarioTimeoutMs, plan } = encodeRun(ops, world, { id: `s${++this.seq}`, ...options }, f);
    const lines = await this.serialize(() => this.request(text, scenarioTimeoutMs + this.graceMs));
    if (!lines) {
      const message = `the executor failed${this.failure()}`;
      return {
        status: 'executor_failed',
        steps: ops.map(() => ({ tid: 0, result: { kind: 'error', message } })),
        elapsedUs: 0,
        cleanup: 'unknown',
        message,
        ...(plan ? { tables: [] } : {}),
        ...(this.exitSignal !== null ? { executorSignal: this.exitSignal } : {}),
      };
    }
    const { tables, ...reply } = parseReply(lines, ops.length);
    const steps = reply.steps.map((s, i) => (invalid.has(i) ? { tid: 0, result: { kind: 'invalid' as const, reason: invalid.get(i)! } } : s));
    return { ...reply, steps, ...(plan ? { tables: tableEntries(tables, plan) } : {}) };
  }

  /** Stop the executor (it removes nothing left behind: every scenario cleaned up already). */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue.catch(() => undefined);
    await this.stop();
  }

  /** Stop the running executor and forget the features: the next call starts a fresh one (a
   * guest booted with other parameters, vm/transport.ts). */
  async restart(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.stop();
    this.cachedFeatures = null;
  }

  private async stop(): Promise<void> {
    const channel = this.channel;
    if (!channel) return;
    this.channel = null;
    await new Promise<void>((resolve) => {
      if (channel.ended) {
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        channel.kill();
      }, 2000);
      channel.onExit(() => {
        clearTimeout(timer);
        resolve();
      });
      channel.end();
    });
  }

  /**
   * Stop now (an interrupt): SIGKILL to the executor and to the running scenario's process group;
   * a run in progress resolves as `executor_failed`, later calls fail. Resolves once the executor
   * (QEMU, for a guest) has exited and its work directory is removed (the exit handler in
   * spawnChild).
   */
  async kill(): Promise<void> {
    this.closed = true;
    const channel = this.channel;
    this.transport.killScenarioGroup(this.pending?.group);
    if (!channel || channel.ended) return;
    await new Promise<void>((resolve) => {
      channel.onExit(() => resolve());
      channel.kill();
    });
  }

  /** The executor's pid while it runs (for tests; QEMU's for a guest). */
  get pid(): number | undefined {
    return this.channel?.pid;
  }

  /** What is known of the last failure, as a suffix of a message. */
  private failure(): string {
    const why = this.exitReason ?? this.stderrTail.trim();
    return why ? `: ${why}` : '';
  }

  private serialize<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private spawnChild(): ExecutorChannel {
    if (this.closed) throw new Error('KernelExecutor is closed');
    const unavailable = this.transport.unavailableReason();
    if (unavailable) throw new Error(unavailable);
    this.buffer = '';
    this.lines = [];
    this.stderrTail = '';
    this.exitReason = null;
    const channel = this.transport.start(this.env);
    channel.onData((chunk) => this.onData(channel, chunk));
    channel.onDiagnostic((chunk) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    channel.onExit((code, signal, reason) => {
      if (this.channel === channel) this.channel = null;
      if (reason !== undefined) this.exitReason = reason;
      // an executor killed with SIGKILL (or crashed) may leave its work directory behind
      if (signal !== null || code !== 0) this.transport.afterAbnormalEnd(this.env);
      if (this.pending?.channel === channel) {
        const p = this.pending;
        this.pending = null;
        if (reason === undefined) this.stderrTail += `\nexited (${signal ?? code})`;
        this.exitSignal = signal;
        this.transport.killScenarioGroup(p.group);
        p.resolve(null);
      }
    });
    this.channel = channel;
    return channel;
  }

  private onData(channel: ExecutorChannel, chunk: string): void {
    if (channel !== this.channel) return;
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (line.startsWith('started ') && this.pending) {
        const pgid = Number(line.split(' ')[2]);
        this.pending.group = { pgid, leaderStart: this.transport.leaderStartTime?.(pgid) ?? null };
        continue;
      }
      this.lines.push(line);
      if (line === 'end' && this.pending) {
        const p = this.pending;
        const lines = this.lines;
        this.pending = null;
        this.lines = [];
        p.resolve(lines);
      }
    }
  }

  /** Write one request and wait for its reply; null if the executor died or hung (it is then
   * killed, and the next request starts a fresh one). A fresh executor gets the transport's
   * start-up time on top (a guest's boot). */
  private request(text: string, timeoutMs: number): Promise<string[] | null> {
    let channel: ExecutorChannel;
    let fresh = false;
    try {
      fresh = this.channel === null;
      channel = this.channel ?? this.spawnChild();
    } catch (e) {
      return Promise.reject(e);
    }
    const waitMs = timeoutMs + (fresh ? this.transport.startupMs : 0);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.pending?.resolve !== done) return;
        const group = this.pending.group;
        this.pending = null;
        this.stderrTail += `\nno reply within ${waitMs} ms: executor killed`;
        if (this.channel === channel) this.channel = null;
        channel.kill();
        this.transport.killScenarioGroup(group);
        resolve(null);
      }, waitMs);
      const done = (lines: string[] | null): void => {
        clearTimeout(timer);
        resolve(lines);
      };
      this.pending = { channel, resolve: done };
      this.lines = [];
      this.exitSignal = null;
      channel.write(text);
    });
  }
}
