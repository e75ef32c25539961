// Decision tables: consistency with landlockDecide, incremental reuse, comparison.
import { describe, it, expect } from 'vitest';
import { Sim, INIT_TID as P } from './testkit.js';
import { ERRNO } from '../errno.js';
import { FS, NET } from './access.js';
import { defaultUniverse } from '../universe.js';
import type { Universe } from '../universe.js';
import { LandlockTables, landlockTables, compareTables, looserIn } from './table.js';
import { landlockDecideDomain } from './decide.js';
import { wideUniverse } from './universe-wide.js';
import { LINUX_EVALUATION } from '../evaluation.js';

describe('decision tables', () => {
  it('agree with landlockDecide on every request, for every node of a stack', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.READ_FILE | FS.REFER | FS.MAKE_REG | FS.REMOVE_FILE }, { '/': FS.REFER | FS.MAKE_REG | FS.REMOVE_FILE, '/a': FS.READ_FILE });
    s.sandbox(P, { net: NET.BIND_TCP }, {}, { 8080: NET.BIND_TCP });
    s.sandbox(P, { fs: FS.WRITE_FILE | FS.TRUNCATE }, { '/c': FS.WRITE_FILE });
    const u: Universe = wideUniverse(s.world.fs);
    const tables = new LandlockTables(u, s.world.fs, LINUX_EVALUATION);
    for (let n = s.task(P).domain; n !== null; n = n.prev) {
      const t = tables.table(n);
      u.landlock.forEach((req, i) => expect([i, t[i]]).toEqual([i, landlockDecideDomain(s.world.fs, n, req, LINUX_EVALUATION)]));
    }
    expect([...tables.table(null)]).toEqual(u.landlock.map((r) => landlockDecideDomain(s.world.fs, null, r, LINUX_EVALUATION)));
  });

  it('are computed once per node and cached per universe × tree', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.READ_FILE });
    const u = defaultUniverse();
    const tables = landlockTables(u, s.world.fs, LINUX_EVALUATION);
    expect(landlockTables(u, s.world.fs, LINUX_EVALUATION)).toBe(tables);
    const d = s.task(P).domain!;
    expect(tables.table(d)).toBe(tables.table(d));
  });

  it('compare two domains', () => {
    const s = Sim.linux();
    const c = s.fork(P);
    s.sandbox(c, { fs: FS.READ_FILE }, { '/a': FS.READ_FILE });
    const u = defaultUniverse();
    const tables = landlockTables(u, s.world.fs, LINUX_EVALUATION);
    expect(compareTables(tables, null, null)).toEqual([]);
    const diff = compareTables(tables, s.task(P).domain, s.task(c).domain);
    expect(diff.map((d) => d.request)).toEqual([{ kind: 'fs', access: 'read_file', path: '/b/f' }, { kind: 'rename', from: '/a/f', to: '/b' }, { kind: 'exchange', from: '/a/f', to: '/b/f' }]);
    // the exchange: /b/f would gain READ_FILE under /a (no_more_access)
    expect(diff.map((d) => d.b)).toEqual([ERRNO.EACCES, ERRNO.EXDEV, ERRNO.EXDEV]);
    expect(looserIn(tables, s.task(c).domain, s.task(P).domain)).toHaveLength(3);
    expect(looserIn(tables, s.task(P).domain, s.task(c).domain)).toHaveLength(0);
  });
});
