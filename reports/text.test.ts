// Fixed-input snapshots of the readable reports. The golden files under golden/ were checked by
// eye for readability; a change in wording or in the model's behaviour shows up as a diff here.
import { describe, it, expect } from 'vitest';
import { runTrace, traceToScenario } from '../properties/trace.js';
import { LINUX, TSYNC_OVERWRITE, LIVE_RULESET } from '../variants/index.js';
import type { Variant } from '../variants/variant.js';
import type { Op } from '../model/ops.js';
import { propertyById } from '../properties/all.js';
import { renderTrace } from './text.js';
import { renderFinding } from './finding.js';
import { renderToString } from './sink.js';
import { LINUX_TOUR, TSYNC_OVERWRITE_WITNESS, LIVE_RULESET_WITNESS } from './fixtures.js';

/** A finding report of `ops` on `variant` for `property`, as `strata check` prints it. */
function finding(variant: Variant, ops: readonly Op[], property: string, file: string, expected = true): string {
  const trace = runTrace(variant, ops);
  const p = propertyById(property)!;
  const v = p.check(trace);
  expect(v, `${property} must fail on the fixture`).not.toBeNull();
  const scenario = traceToScenario(trace, { finding: { property, statement: p.statement, seed: 7, path: '12:3:0', atStep: v!.atStep, message: v!.message } });
  return renderToString((sink) => renderFinding({ scenario, file, trace, expected }, sink));
}

describe('trace report snapshots', () => {
  it('Linux tour: every result kind, with the state change after each step', async () => {
    const trace = runTrace(LINUX, LINUX_TOUR);
    const text = renderToString((sink) => renderTrace(trace, sink, { state: true }));
    await expect(text).toMatchFileSnapshot('golden/linux-tour.replay.txt');
  });

  it('Linux refuses the e2 witness: TSYNC returns the sibling tid', async () => {
    const trace = runTrace(LINUX, TSYNC_OVERWRITE_WITNESS);
    expect(trace.steps[2]!.out.result).toEqual({ kind: 'tsync_fail', tid: 101 });
    await expect(renderToString((sink) => renderTrace(trace, sink))).toMatchFileSnapshot('golden/linux-tsync-refused.txt');
  });

  it('e2 tsync-overwrite: I2-thread finding names the weaker decision of the sibling', async () => {
    const text = finding(TSYNC_OVERWRITE, TSYNC_OVERWRITE_WITNESS, 'I2-thread', 'strata-out/tsync-overwrite.I2-thread.seed7.json');
    expect(text).toContain('weaker: t101 getppid(110): EPERM (seccomp) → allow');
    await expect(text).toMatchFileSnapshot('golden/tsync-overwrite.I2-thread.txt');
  });

  it('e1 live-ruleset: the child is weakened by its parent\'s add_rule (unexpected form with hint)', async () => {
    const text = finding(LIVE_RULESET, LIVE_RULESET_WITNESS, 'children-never-weakened', 'out dir/live ruleset.json', false);
    expect(text.split('\n').slice(0, 4).join('\n')).toContain("strata replay 'out dir/live ruleset.json'");
    await expect(text).toMatchFileSnapshot('golden/live-ruleset.children-never-weakened.txt');
  });
});

describe('renderTrace', () => {
  it('marks the steps whose re-run differs from the recording, and only those', () => {
    const trace = runTrace(LINUX, TSYNC_OVERWRITE_WITNESS);
    const recorded = trace.steps.map((s) => ({ tid: s.out.tid, result: s.out.result }));
    const forged = [recorded[0]!, { tid: 101, result: { kind: 'err', errno: 1 } } as const, { ...recorded[2]!, tid: 100 }];
    const lines: string[] = [];
    const summary = renderTrace(trace, lines, { recorded: forged });
    expect(summary.mismatches).toEqual([1]);
    expect(lines.filter((l) => l.includes('≠ recorded'))).toEqual(['       ≠ recorded: t101 → EPERM']);
    expect(renderTrace(trace, [], { recorded }).mismatches).toEqual([]);
  });

  it('writes through a writer callback exactly what it collects in an array', () => {
    const trace = runTrace(LIVE_RULESET, LIVE_RULESET_WITNESS);
    const viaArray: string[] = [];
    const viaWriter: string[] = [];
    renderTrace(trace, viaArray, { state: true });
    renderTrace(trace, (l) => viaWriter.push(l), { state: true });
    expect(viaWriter).toEqual(viaArray);
    expect(viaArray.length).toBeGreaterThan(4);
  });

  it('caps the weaker decisions listed per step', () => {
    const trace = runTrace(LIVE_RULESET, LIVE_RULESET_WITNESS);
    const lines: string[] = [];
    renderTrace(trace, lines, { maxWeaker: 1 });
    expect(lines.filter((l) => l.includes('weaker:'))).toEqual([
      '       weaker: t100 read_file /a/f: EACCES (landlock) → allow',
      '       weaker: … and 3 more',
    ]);
  });

  it('says so when there is nothing to show', () => {
    expect(renderToString((s) => renderTrace(runTrace(LINUX, []), s))).toBe('  (no operations)\n');
  });
});
