// Tracer links (kernel/ptrace.c: task->ptrace, task->parent via ptrace_link) and the declared
// behaviour of each tracer at a seccomp stop. Kept in the world beside the tasks, not on them:
// a link names two tasks, is not inherited by fork (ptrace links are per task), and ends when
// either task leaves (kernel/exit.c:exit_ptrace, __ptrace_unlink from release_task).
import type { World, Task } from '../state.js';
import { worldWith } from '../state.js';

/** PTRACE_O_* bits (include/uapi/linux/ptrace.h). */
export const PTRACE_O = {
  TRACESECCOMP: 0x80,
  EXITKILL: 0x100000,
  SUSPEND_SECCOMP: 0x200000,
} as const;

/** PTRACE_O_MASK: every option bit the kernel knows (0xff | EXITKILL | SUSPEND_SECCOMP). */
export const PTRACE_O_MASK = 0x003000ff;

/** ptrace(2) request numbers the ops are made with (include/uapi/linux/ptrace.h). */
export const PTRACE_REQ = {
  TRACEME: 0,
  CONT: 7,
  GETREGS: 12,
  SETREGS: 13,
  ATTACH: 16,
  SETOPTIONS: 0x4200,
  SEIZE: 0x4206,
  INTERRUPT: 0x4207,
  SECCOMP_GET_FILTER: 0x420c,
  SECCOMP_GET_METADATA: 0x420d,
  GET_SYSCALL_INFO: 0x420e,
} as const;

/**
 * What a tracer does at a PTRACE_EVENT_SECCOMP stop of a tracee (its user-space program, chosen
 * by ops: a compromised tracer may change it): `allow` — PTRACE_CONT, the call runs (after the
 * re-check); `skip` — orig_rax = −1 and rax = −errno (errno 0: returns 0); `rewrite` — the call
 * number and arguments replaced, then re-checked (kernel/seccomp.c:__seccomp_filter, since 4.8).
 */
export type TraceResponse =
  | { readonly kind: 'allow' }
  | { readonly kind: 'skip'; readonly errno: number }
  | { readonly kind: 'rewrite'; readonly nr: number; readonly args: readonly number[] };

export interface TraceLink {
  readonly tracer: number;
  readonly tracee: number;
  /** The PTRACE_O_* options in force (SEIZE's or SETOPTIONS'). */
  readonly options: number;
  /** PTRACE_SEIZE (true) or PTRACE_ATTACH / PTRACE_TRACEME (false). */
  readonly seized: boolean;
}

export interface PtraceState {
  readonly links: readonly TraceLink[];
  /** Each tracer's declared response at seccomp stops (absent: allow). */
  readonly responses: readonly { readonly tracer: number; readonly response: TraceResponse }[];
}

export const NO_PTRACE: PtraceState = Object.freeze({ links: Object.freeze([]), responses: Object.freeze([]) }) as PtraceState;
export const ALLOW_RESPONSE: TraceResponse = Object.freeze({ kind: 'allow' }) as TraceResponse;

/** The link that traces `tid`, if any. */
export function linkOfTracee(world: World, tid: number): TraceLink | undefined {
  const links = world.ptrace.links;
  for (let i = 0; i < links.length; i++) if (links[i]!.tracee === tid) return links[i];
  return undefined;
}

/** The tracer's declared response at seccomp stops. */
export function responseOf(world: World, tracer: number): TraceResponse {
  for (const r of world.ptrace.responses) if (r.tracer === tracer) return r.response;
  return ALLOW_RESPONSE;
}

/** Is the task's seccomp suspended by its tracer (PT_SUSPEND_SECCOMP)? */
export function seccompSuspended(world: World, task: Task): boolean {
  if (world.ptrace.links.length === 0) return false;
  const l = linkOfTracee(world, task.tid);
  return l !== undefined && (l.options & PTRACE_O.SUSPEND_SECCOMP) !== 0;
}

export function withPtrace(world: World, ptrace: PtraceState): World {
  return worldWith(world, { ptrace });
}

/**
 * The links and responses whose tasks are all still alive (exit_ptrace: a tracer's exit detaches
 * its tracees, which run on; a tracee's exit unlinks it). `exec`: the thread that exec'd took its
 * group leader's tid (fs/exec.c:de_thread, exchange_tids); the old leader's own links went with it.
 */
export function prunePtrace(world: World, exec?: { readonly from: number; readonly to: number }): World {
  const p = world.ptrace;
  if (p.links.length === 0 && p.responses.length === 0) return world;
  const rename = (tid: number): number => (exec && tid === exec.from ? exec.to : tid);
  const gone = (tid: number): boolean => exec !== undefined && exec.from !== exec.to && tid === exec.to;
  const links: TraceLink[] = [];
  let changed = false;
  for (const l of p.links) {
    if (gone(l.tracer) || gone(l.tracee)) { changed = true; continue; }
    const tracer = rename(l.tracer), tracee = rename(l.tracee);
    if (!world.tasks.byTid(tracer) || !world.tasks.byTid(tracee)) { changed = true; continue; }
    if (tracer !== l.tracer || tracee !== l.tracee) { changed = true; links.push({ ...l, tracer, tracee }); } else links.push(l);
  }
  const responses: { tracer: number; response: TraceResponse }[] = [];
  for (const r of p.responses) {
    if (gone(r.tracer)) { changed = true; continue; }
    const tracer = rename(r.tracer);
    if (!world.tasks.byTid(tracer)) { changed = true; continue; }
    if (tracer !== r.tracer) { changed = true; responses.push({ tracer, response: r.response }); } else responses.push(r);
  }
  if (!changed) return world;
  return withPtrace(world, links.length === 0 && responses.length === 0 ? NO_PTRACE : { links, responses });
}
