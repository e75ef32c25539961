// KernelExecutor: the Node side of the conformance executor. One strata-exec process, spawned
// lazily and reused; one request and one reply per scenario; Node-side timeouts on every
// request; a dead or hung executor is killed and restarted on the next call, never waited on.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
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
import { executorUnavailableReason, worldUnavailableReason } from './availability.js';

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
  /** Path of strata-exec (default: conformance/build/strata-exec). */
  readonly binary?: string;
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
  const plan = options.table ? tablePlan(options.table, worldAbi, f) : null;
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
  readonly child: ChildProcess;
  readonly resolve: (lines: string[] | null) => void;
  /** The scenario's process group, once the executor has announced it. */
  pgid?: number;
}

/** SIGKILL to a scenario's process group whose executor is gone (its tasks would outlive it). */
function killGroup(pgid: number | undefined): void {
  if (pgid === undefined || pgid <= 1) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export class KernelExecutor {
  private child: ChildProcess | null = null;
  private buffer = '';
  private lines: string[] = [];
  private pending: Pending | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private stderrTail = '';
  /** The signal that ended the executor during the last request, if one did. */
  private exitSignal: string | null = null;
  private cachedFeatures: KernelFeatures | null = null;
  private seq = 0;
  private closed = false;
  private readonly binary: string;
  private readonly graceMs: number;
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: KernelExecutorOptions = {}) {
    this.binary = options.binary ?? DEFAULT_BINARY;
    this.graceMs = options.graceMs ?? 3000;
    this.env = { ...process.env, ...options.env, ...(options.tmpDir === undefined ? {} : { TMPDIR: options.tmpDir }) };
  }

  /** The kernel's features (detected once per executor binary, then cached). */
  features(): Promise<KernelFeatures> {
    if (this.cachedFeatures) return Promise.resolve(this.cachedFeatures);
    return this.serialize(async () => {
      if (this.cachedFeatures) return this.cachedFeatures;
      const lines = await this.request('features\n', 20_000);
      if (!lines) throw new Error(`strata-exec: feature detection failed${this.stderrTail ? `: ${this.stderrTail.trim()}` : ''}`);
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
      const message = `the executor failed${this.stderrTail ? `: ${this.stderrTail.trim()}` : ''}`;
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
    const child = this.child;
    if (!child) return;
    this.child = null;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
      }, 2000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (child.exitCode !== null || child.signalCode !== null) {
        clearTimeout(timer);
        resolve();
        return;
      }
      child.stdin?.end();
    });
  }

  /**
   * Stop now (an interrupt): SIGKILL to the executor and to the running scenario's process group;
   * a run in progress resolves as `executor_failed`, later calls fail. Resolves once the executor
   * has exited and its work directory is removed (the exit handler in spawnChild).
   */
  async kill(): Promise<void> {
    this.closed = true;
    const child = this.child;
    killGroup(this.pending?.pgid);
    if (!child) return;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** The executor's pid while it runs (for tests). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** An executor killed before it could clean up leaves its work directory behind: a fresh one
   * removes it (`--sweep` removes only what a dead executor provably made, native/workdir.h). */
  private sweep(): void {
    try {
      spawnSync(this.binary, ['--sweep'], { env: this.env, stdio: 'ignore', timeout: 5000, killSignal: 'SIGKILL' });
    } catch {
      // nothing to do: the next executor's start-up sweeps as well
    }
  }

  private serialize<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private spawnChild(): ChildProcess {
    if (this.closed) throw new Error('KernelExecutor is closed');
    if (!existsSync(this.binary)) {
      throw new Error(`strata-exec not found at ${this.binary}: build it with "sh conformance/build.sh" (npm ci runs it)`);
    }
    // not executable (a noexec mount): said now, not after a request's timeout
    const unavailable = executorUnavailableReason(this.binary, 0);
    if (unavailable) throw new Error(unavailable);
    const child = spawn(this.binary, [], { stdio: ['pipe', 'pipe', 'pipe'], env: this.env });
    this.buffer = '';
    this.lines = [];
    this.stderrTail = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => this.onData(child, chunk));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    child.stdin!.on('error', () => undefined);
    child.on('error', (e) => {
      // spawn(2) itself failed (no 'exit' follows): answer the pending request now
      this.stderrTail += `\n${e.message}`;
      if (this.child === child) this.child = null;
      if (this.pending?.child === child) {
        const p = this.pending;
        this.pending = null;
        p.resolve(null);
      }
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      // an executor killed with SIGKILL (or crashed) leaves its work directory behind
      if (signal !== null || code !== 0) this.sweep();
      if (this.pending?.child === child) {
        const p = this.pending;
        this.pending = null;
        this.stderrTail += `\nexited (${signal ?? code})`;
        this.exitSignal = signal;
        killGroup(p.pgid);
        p.resolve(null);
      }
    });
    this.child = child;
    return child;
  }

  private onData(child: ChildProcess, chunk: string): void {
    if (child !== this.child) return;
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (line.startsWith('started ') && this.pending) {
        this.pending.pgid = Number(line.split(' ')[2]);
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
   * killed, and the next request starts a fresh one). */
  private request(text: string, timeoutMs: number): Promise<string[] | null> {
    let child: ChildProcess;
    try {
      child = this.child ?? this.spawnChild();
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.pending?.resolve !== done) return;
        const pgid = this.pending.pgid;
        this.pending = null;
        this.stderrTail += `\nno reply within ${timeoutMs} ms: executor killed`;
        if (this.child === child) this.child = null;
        child.kill('SIGKILL');
        killGroup(pgid);
        resolve(null);
      }, timeoutMs);
      const done = (lines: string[] | null): void => {
        clearTimeout(timer);
        resolve(lines);
      };
      this.pending = { child, resolve: done };
      this.lines = [];
      this.exitSignal = null;
      child.stdin!.write(text);
    });
  }
}
