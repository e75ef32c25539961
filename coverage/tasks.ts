// Task-tree corners: exec with and without no_new_privs and CAP_SYS_ADMIN (what exec keeps and
// what it gives back), and exec from a thread of several (de_thread: the image keeps the exec'ing
// thread's own stacks).
import type { TraceStep } from '../properties/trace.js';
import type { Variant } from '../variants/variant.js';
import { accepts } from '../variants/variant.js';
import type { CornerDecl, Hits } from './corner.js';
import type { TraceContext } from './context.js';
import { actorBefore, hasSiblingThread } from './context.js';

const exec = (v: Variant): boolean => accepts(v, 'exec');
const SPEC = 'seccomp.md §1 (execve keeps), corrections (exec restores root\'s CAP_SYS_ADMIN); landlock.md §2';

export const TASK_CORNERS: readonly CornerDecl[] = [
  { id: 'exec.nnp.cap', title: 'exec with no_new_privs and CAP_SYS_ADMIN', spec: SPEC, group: 'exec', applies: (v) => exec(v) && accepts(v, 'set_nnp') },
  { id: 'exec.nnp.nocap', title: 'exec with no_new_privs, CAP_SYS_ADMIN dropped', spec: SPEC, group: 'exec', applies: (v) => exec(v) && accepts(v, 'set_nnp') && accepts(v, 'drop_cap') },
  { id: 'exec.nonnp.cap', title: 'exec without no_new_privs, with CAP_SYS_ADMIN', spec: SPEC, group: 'exec', applies: exec },
  { id: 'exec.nonnp.nocap', title: 'exec without no_new_privs, CAP_SYS_ADMIN dropped (given back by exec)', spec: SPEC, group: 'exec', applies: (v) => exec(v) && accepts(v, 'drop_cap') },
  { id: 'exec.from-thread', title: 'exec by one thread of several (de_thread)', spec: 'seccomp.md §1 (the exec\'ing thread\'s stack)', group: 'exec', applies: (v) => exec(v) && accepts(v, 'thread') },
];

export function detectTasks(step: TraceStep, _ctx: TraceContext, hits: Hits): void {
  if (step.op.op !== 'exec' || step.out.result.kind !== 'ok') return;
  const task = actorBefore(step);
  if (task === undefined) return;
  hits.hit(`exec.${task.nnp ? 'nnp' : 'nonnp'}.${task.capSysAdmin ? 'cap' : 'nocap'}`);
  if (hasSiblingThread(step.before, task)) hits.hit('exec.from-thread');
}
