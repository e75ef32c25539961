// procfs files opened about another task (model/landlock/procfs.ts): which check meets which
// file, under Linux and under the designs that change how layers combine or how domains relate.
import { describe, it, expect } from 'vitest';
import { Sim, INIT_TID as P } from './testkit.js';
import { ERRNO } from '../errno.js';
import { FS, NET } from './access.js';
import type { ProcFile } from '../request.js';
import { PROC_FILES } from './procfs.js';

const { EACCES } = ERRNO;
const open = (s: Sim, from: number, to: number, file: ProcFile): number => s.decide(from, { kind: 'proc', target: s.ref(to), file });
const all = (s: Sim, from: number, to: number): number[] => PROC_FILES.map((f) => open(s, from, to, f));

describe('procfs opens [V 6.18: conformance/landlock.test.ts 11]', () => {
  it('no domain: every file of every task opens', () => {
    const s = Sim.linux();
    const c = s.fork(P);
    s.sandbox(c, { fs: FS.READ_FILE });
    expect(all(s, P, c)).toEqual([0, 0, 0, 0]);
  });

  it('a net-only domain towards an outsider: status and environ open, mem and ns/mnt EACCES (the ptrace check)', () => {
    const s = Sim.linux();
    const c = s.fork(P);
    s.sandbox(c, { net: NET.BIND_TCP });
    expect(all(s, c, P)).toEqual([0, 0, EACCES, EACCES]);
    expect(all(s, c, c)).toEqual([0, 0, 0, 0]);
  });

  it('a READ_FILE domain: every procfs file EACCES, even its own; its own ns/mnt opens (nsfs), an outsider\'s does not', () => {
    const s = Sim.linux();
    const c = s.fork(P);
    s.sandbox(c, { fs: FS.READ_FILE }, { '/': FS.READ_FILE });
    expect(all(s, c, c)).toEqual([EACCES, EACCES, EACCES, 0]);
    expect(open(s, c, P, 'ns')).toBe(EACCES);
  });

  it('a domain handling other fs rights only: no file check', () => {
    const s = Sim.linux();
    const c = s.fork(P);
    s.sandbox(c, { fs: FS.WRITE_FILE | FS.READ_DIR });
    const g = s.fork(c);
    s.sandbox(g, { fs: FS.EXECUTE });
    expect(all(s, c, g)).toEqual([0, 0, 0, 0]); // g is in c's domain
    expect(all(s, g, c)).toEqual([0, 0, EACCES, EACCES]);
  });

  it('one thread group passes the ptrace check both ways, a thread sandboxed deeper than its leader included', () => {
    const s = Sim.linux();
    const t = s.thread(P);
    s.sandbox(t, { net: NET.CONNECT_TCP });
    expect(all(s, t, P)).toEqual([0, 0, 0, 0]);
    expect(all(s, P, t)).toEqual([0, 0, 0, 0]);
  });

  it('sibling domains: neither reaches the other\'s mem', () => {
    const s = Sim.linux();
    const a = s.fork(P);
    const b = s.fork(P);
    s.sandbox(a, { net: NET.BIND_TCP });
    s.sandbox(b, { net: NET.BIND_TCP });
    expect(open(s, a, b, 'mem')).toBe(EACCES);
    expect(open(s, b, a, 'mem')).toBe(EACCES);
  });

  it('under the union of layers (a design), a layer not handling READ_FILE lets a procfs file through', () => {
    const s = Sim.variant({ landlockCombine: 'union' });
    const c = s.fork(P);
    s.sandbox(c, { fs: FS.READ_FILE });
    s.sandbox(c, { net: NET.BIND_TCP });
    expect(open(s, c, c, 'status')).toBe(0);
    expect(Sim.linux().decide(P, { kind: 'proc', target: 0, file: 'status' })).toBe(0);
  });

  it('under a depth relation (a design), a deeper sibling\'s mem opens', () => {
    const s = Sim.variant({ landlockScope: 'depth' });
    const a = s.fork(P);
    const b = s.fork(P);
    s.sandbox(a, { net: NET.BIND_TCP });
    s.sandbox(b, { net: NET.BIND_TCP });
    s.sandbox(b, { net: NET.BIND_TCP });
    expect(open(s, a, b, 'mem')).toBe(0);
    expect(open(s, b, a, 'mem')).toBe(EACCES);
  });
});
