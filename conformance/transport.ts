// How the runner (runner.ts KernelExecutor) reaches an executor: the protocol (protocol.md) is
// the same everywhere, only the transport differs. `localTransport` runs strata-exec on this
// machine's kernel, its stdin and stdout the protocol; `vm/transport.ts` runs it as the init's
// child in a QEMU guest, the protocol on a serial port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { executorUnavailableReason } from './availability.js';

/** One started executor: where requests go and replies come from. */
export interface ExecutorChannel {
  readonly pid: number | undefined;
  /** Write request text (a channel that is not ready yet holds it until it is). */
  write(text: string): void;
  /** No more requests: let the executor end by itself. */
  end(): void;
  /** End it now (SIGKILL). */
  kill(): void;
  /** Whether it has ended. */
  readonly ended: boolean;
  /** Reply text, in order. */
  onData(listener: (chunk: string) => void): void;
  /** What the executor says about itself (its stderr; a guest's kernel console, filtered). */
  onDiagnostic(listener: (text: string) => void): void;
  /** It ended: `code` or `signal` as for a child process; `reason` says why when the transport
   * knows better than the status (a guest that did not boot). Once. */
  onExit(listener: (code: number | null, signal: string | null, reason?: string) => void): void;
}

/** A way to start executors. */
export interface ExecutorTransport {
  /** What the replies' kernel is, for messages ("this machine's kernel", "the guest ..."). */
  readonly name: string;
  /** Why no executor can start now, one line, or null (checked before each start). */
  unavailableReason(): string | null;
  /** Start one executor (throws with one line when it cannot start at all). */
  start(env: NodeJS.ProcessEnv): ExecutorChannel;
  /** Longest time a fresh executor may take before it answers its first request (a boot). */
  readonly startupMs: number;
  /** A scenario's processes outlive a dead executor on this machine: kill its process group
   * and session (`group`: as the executor announced it). A guest's die with the guest: nothing
   * to do there. */
  killScenarioGroup(group: ScenarioGroup | undefined): void;
  /** The start time of a process of this machine (startTimeOf), where scenarios run here. */
  leaderStartTime?(pid: number): number | null;
  /** After an executor ended abnormally: remove what it left (a host work directory). */
  afterAbnormalEnd(env: NodeJS.ProcessEnv): void;
}

/** A child process as a channel: stdin and stdout are the protocol, stderr the diagnostics. */
export function processChannel(child: ChildProcess): ExecutorChannel {
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdin!.on('error', () => undefined);
  let exited = false;
  const exitListeners: ((code: number | null, signal: string | null, reason?: string) => void)[] = [];
  const finish = (code: number | null, signal: string | null, reason?: string): void => {
    if (exited) return;
    exited = true;
    for (const l of exitListeners) l(code, signal, reason);
  };
  // spawn(2) itself failed: no 'exit' follows
  child.on('error', (e) => finish(null, null, e.message));
  child.on('exit', (code, signal) => finish(code, signal));
  return {
    get pid() {
      return child.pid;
    },
    write: (text) => {
      child.stdin!.write(text);
    },
    end: () => {
      child.stdin!.end();
    },
    kill: () => {
      child.kill('SIGKILL');
    },
    get ended() {
      return exited || child.exitCode !== null || child.signalCode !== null;
    },
    onData: (l) => {
      child.stdout!.on('data', l);
    },
    onDiagnostic: (l) => {
      child.stderr!.on('data', l);
    },
    onExit: (l) => {
      exitListeners.push(l);
    },
  };
}

/** A scenario's process group and session, as the executor announced them ("started <id>
 * <pgid>"): the coordinator's pid, and that process's start time then (field 22 of
 * /proc/<pid>/stat; null if it could not be read), which tells it from a later process given the
 * same pid once the scenario is gone. */
export interface ScenarioGroup {
  readonly pgid: number;
  readonly leaderStart: number | null;
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and
 * parentheses, so the split starts after its last ')'): index k is proc(5)'s field k + 3 (0 the
 * state, 1 ppid, 2 pgrp, 3 session, 19 starttime); null once the process is gone. */
export function statFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Field 22 of /proc/<pid>/stat (start time, clock ticks after boot), or null once it is gone. */
export function startTimeOf(pid: number): number | null {
  const v = Number(statFields(pid)?.[19]);
  return Number.isFinite(v) ? v : null;
}

/** The live processes of session `sid` (field 6 of /proc/<pid>/stat), read now; zombies (already
 * dead, waiting for their parent) are left out. */
export function sessionMembers(sid: number): number[] {
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^[0-9]+$/.test(e)) continue;
    const f = statFields(e); // null: gone meanwhile
    if (f && Number(f[3]) === sid && f[0] !== 'Z' && f[0] !== 'X') out.push(Number(e));
  }
  return out;
}

/** strata-exec on this machine's kernel. */
export function localTransport(binary: string): ExecutorTransport {
  return {
    name: 'this machine\'s kernel',
    unavailableReason: () => {
      if (!existsSync(binary)) return `strata-exec not found at ${binary}: build it with "sh conformance/build.sh" (npm ci runs it)`;
      // not executable (a noexec mount): said now, not after a request's timeout
      return executorUnavailableReason(binary, 0);
    },
    start: (env) => processChannel(spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'], env })),
    startupMs: 0,
    leaderStartTime: startTimeOf,
    killScenarioGroup: (group) => {
      if (group === undefined || group.pgid <= 1) return;
      const pgid = group.pgid;
      // the coordinator still there, but started at another time: its pid now names another
      // process (the scenario is gone, the number reused, e.g. by another executor's
      // coordinator under --workers): its group and session are not this scenario's
      const start = startTimeOf(pgid);
      if (start !== null && group.leaderStart !== null && start !== group.leaderStart) return;
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
      // a scenario's tasks may have left its process group (op setpgid), never its session,
      // which the coordinator leads (conformance/executor.c): kill what is left of that too, pass
      // after pass while any is found (a fork that completed between a scan and its kill left a
      // child the next scan sees; the session id cannot be reused while a member lives)
      for (let pass = 0; pass < 8; pass++) {
        const members = sessionMembers(pgid);
        if (members.length === 0) break;
        for (const pid of members) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
    },
    // An executor killed with SIGKILL (or crashed) leaves its work directory behind: a fresh one
    // removes it (`--sweep` removes only what a dead executor provably made, native/workdir.h).
    afterAbnormalEnd: (env) => {
      try {
        spawnSync(binary, ['--sweep'], { env, stdio: 'ignore', timeout: 5000, killSignal: 'SIGKILL' });
      } catch {
        // nothing to do: the next executor's start-up sweeps as well
      }
    },
  };
}
