// The coverage section of `strata check --coverage` on a hand-made Coverage: the Landlock success
// rates, each group's counts with its spec sections, the corners never reached by name, title and
// section, corners outside the catalogue, and how each op kind's calls ended.
import { describe, it, expect } from 'vitest';
import type { Coverage } from '../coverage/report.js';
import { renderCoverage } from './coverage.js';
import { renderToString } from './sink.js';

const COVERAGE: Coverage = {
  variant: 'linux',
  scenarios: 100,
  ops: 1000,
  reached: 3,
  corners: [
    { id: 'landlock.depth.1', title: 'a domain 1 layer deep', spec: 'landlock.md §1 Layers', group: 'landlock depth', count: 40 },
    { id: 'landlock.depth.2', title: 'a domain 2 layers deep', spec: 'landlock.md §1 Layers', group: 'landlock depth', count: 7 },
    { id: 'landlock.depth.e2big', title: 'E2BIG', spec: 'landlock.md §1 Layers', group: 'landlock depth', count: 0 },
    { id: 'seccomp.tsync.ok', title: 'TSYNC succeeds', spec: 'seccomp.md §5 TSYNC (success)', group: 'seccomp TSYNC', count: 2 },
  ],
  undeclared: [{ id: 'design.modify.any', count: 1 }],
  opResults: [
    { op: 'restrict_self', calls: 50, results: { ok: 31, EBADF: 10, stopped: 9 } },
    { op: 'ruleset_add_rule', calls: 20, results: { ok: 13, EINVAL: 7 } },
  ],
};

describe('renderCoverage', () => {
  const text = renderToString((s) => renderCoverage(COVERAGE, s));

  it('says how many corners were reached, and the Landlock calls\' success rates', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe('coverage of linux: 3 of 4 corners reached in 100 scenarios (1000 ops)');
    expect(lines[1]).toBe('  Landlock calls: ruleset_add_rule 65% ok (13 of 20), restrict_self 62% ok (31 of 50)');
  });

  it('prints each group\'s counts with its spec section', () => {
    expect(text).toContain('  landlock depth (landlock.md §1 Layers)\n    landlock.depth.{1 40, 2 7, e2big 0}\n');
    expect(text).toContain('  seccomp TSYNC (seccomp.md §5 TSYNC (success))\n    seccomp.tsync.ok 2\n');
  });

  it('names the corners never reached, with title and section, and those outside the catalogue', () => {
    expect(text).toContain('  NEVER REACHED (1):\n    landlock.depth.e2big  E2BIG [landlock.md §1 Layers]\n');
    expect(text).toContain("  reached but not in linux's catalogue (a catalogue error): design.modify.any 1\n");
  });

  it('prints how each op kind\'s calls ended', () => {
    expect(text).toContain('    restrict_self         50 calls: ok 62%, EBADF 20%, stopped 18%\n');
    expect(text).toContain('    ruleset_add_rule      20 calls: ok 65%, EINVAL 35%\n');
  });

  it('says so when every corner was reached', () => {
    const all = renderToString((s) => renderCoverage({ ...COVERAGE, corners: COVERAGE.corners.filter((c) => c.count > 0), reached: 3, undeclared: [] }, s));
    expect(all).toContain('  every corner reached\n');
    expect(all).not.toContain('NEVER REACHED');
    expect(all).not.toContain('catalogue error');
  });
});
