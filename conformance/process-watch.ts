// Test support for the fault-injection suite: the executor's process tree as /proc shows it
// (children, sessions), to kill a part of it from outside and to check afterwards that
// nothing of it is left. Linux only; reads /proc/<pid>/task/<tid>/children and /proc/<pid>/stat.
import { readdirSync, readFileSync } from 'node:fs';
import { statFields } from './transport.js';

/** The children of `pid` (every thread's), or [] once it is gone. */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/)) if (c) out.push(Number(c));
    } catch {
      // the thread is gone
    }
  }
  return out;
}

/** The session of `pid` (field 6 of /proc/<pid>/stat), or null once it is gone. */
export function sessionOf(pid: number): number | null {
  const f = statFields(pid);
  return f ? Number(f[3]) : null;
}

/** Whether `pid` exists and is not a zombie. */
export function alive(pid: number): boolean {
  const f = statFields(pid);
  return f !== null && f[0] !== 'Z';
}

/** Every live process whose session is one of `sessions`. */
export function processesInSessions(sessions: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const g = sessionOf(Number(e));
    if (g !== null && sessions.has(g) && alive(Number(e))) out.push(Number(e));
  }
  return out;
}

/** Poll `probe` (every few ms) until it gives a value; the caller's test timeout bounds it. */
export async function waitFor<T>(probe: () => T | null | undefined, stop: () => boolean = () => false): Promise<T | null> {
  for (;;) {
    const v = probe();
    if (v !== null && v !== undefined) return v;
    if (stop()) return null;
    await new Promise((r) => setTimeout(r, 2));
  }
}
