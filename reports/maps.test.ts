// The H1 map calls in the readable reports: the §6 V5+H1 witness as `strata replay` prints it
// (golden file), and the words of the map ops, their results and the map changes.
import { describe, it, expect } from 'vitest';
import { runTrace } from '../properties/trace.js';
import { builtinVariant } from '../variants/registry.js';
import { SECTION6 } from '../properties/section6.js';
import { renderTrace } from './text.js';
import { renderToString } from './sink.js';
import { opWords } from './op-words.js';
import { resultWords } from './result-words.js';
import { worldDiff } from './state.js';

const ROW = SECTION6.find((r) => r.variant === 'v5-2017-maps')!;
const trace = runTrace(builtinVariant('v5-2017-maps')!, ROW.ops);

describe('H1 maps in the reports', () => {
  it('the §6 V5+H1 witness, with the state change after each step', async () => {
    const text = renderToString((sink) => renderTrace(trace, sink, { state: true }));
    await expect(text).toMatchFileSnapshot('golden/v5-2017-maps.replay.txt');
  });

  it('names the calls, the map fd, the rule and the key', () => {
    const words = trace.steps.map((s) => `${opWords(s.op, s.before, s.before.tasks.byTid(s.out.tid))} → ${resultWords(s.op, s.out.result)}`);
    expect(words).toEqual([
      'bpf(BPF_MAP_CREATE) → ok, map fd 3',
      'seccomp(SET_MODE_FILTER, flags 0, "raw: allow all" (1 insn), deny unless nr ∈ map fd 3) → ok',
      'fork() → ok, child t101',
      'bpf(BPF_MAP_UPDATE_ELEM, map fd 3, key getpid(39)) → ok',
    ]);
  });

  it('lists the maps created and changed', () => {
    const at = (i: number) => worldDiff(trace.steps[i]!.before, trace.steps[i]!.after);
    expect(at(0)).toEqual(['~ t100: fds {} → {3 map 0 (cloexec)}', '+ map 0: {}']);
    expect(at(3)).toEqual(['~ map 0: {getpid(39)} (was 0 keys)']);
  });
});
