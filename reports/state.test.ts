import { describe, it, expect } from 'vitest';
import { runTrace } from '../properties/trace.js';
import { LINUX } from '../variants/index.js';
import { worldDiff, taskWords } from './state.js';
import { layerChanges } from './layers.js';
import { LINUX_TOUR } from './fixtures.js';

const trace = runTrace(LINUX, LINUX_TOUR);
const diff = (i: number): string[] => worldDiff(trace.steps[i]!.before, trace.steps[i]!.after);

describe('worldDiff', () => {
  it('is empty for a failed op (same world)', () => {
    expect(trace.steps[2]!.out.result).toEqual({ kind: 'err', errno: 13 });
    expect(diff(2)).toEqual([]);
  });

  it('names a new task with its whole state, a removed task, credential changes', () => {
    expect(diff(0)).toEqual(['+ t101 (process, parent t100): no_new_privs 0, CAP_SYS_ADMIN, seccomp [] · landlock [], fds {}']);
    expect(diff(1)).toEqual(['~ t100: CAP_SYS_ADMIN dropped']);
    expect(diff(3)).toEqual(['~ t100: no_new_privs 0 → 1']);
    expect(diff(21)).toEqual(['- t100 is gone']);
  });

  it('shows a shared fd table once per thread group', () => {
    const i = LINUX_TOUR.findIndex((o, k) => k > 14 && o.op === 'seccomp_filter');
    expect(i).toBe(15);
    // TSYNC: both threads get the filter; neither table changed
    expect(diff(15)).toEqual(['~ t102: Seccomp_filters 1 → 2', '~ t103: Seccomp_filters 1 → 2']);
  });

  it('reports fds and rulesets', () => {
    expect(diff(6)).toEqual([
      '~ t100: fds {3 listener 1 (cloexec)} → {3 listener 1 (cloexec), 4 ruleset 0 (cloexec)}',
      '+ ruleset 0: handles fs read_file, net —; 0 rules',
    ]);
  });

  it('agrees with layerChanges on which stacks moved', () => {
    expect(layerChanges(trace.steps[15]!.before, trace.steps[15]!.after)).toEqual(['t102 seccomp [1] → [3, 1]', 't103 seccomp [1] → [3, 1]']);
    expect(taskWords(trace.initial.tasks.at(0)!)).toBe('t100 (process, parent t1): no_new_privs 0, CAP_SYS_ADMIN, seccomp [] · landlock [], fds {}');
  });
});
