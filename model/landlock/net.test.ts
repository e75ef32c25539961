// TCP bind / connect (landlock.md §3 "Network", net.c:current_check_access_socket).
import { describe, it, expect } from 'vitest';
import { Sim, INIT_TID as P } from './testkit.js';
import { ERRNO } from '../errno.js';
import { FS, NET } from './access.js';
import type { NetRequest } from '../request.js';

const { EACCES, EINVAL } = ERRNO;
const bind = (port: number): NetRequest => ({ kind: 'net', op: 'bind', port });
const connect = (port: number): NetRequest => ({ kind: 'net', op: 'connect', port });

describe('TCP [V]', () => {
  it('bind with a rule for the port: OK; another port without a rule: EACCES', () => {
    const s = Sim.linux();
    s.sandbox(P, { net: NET.BIND_TCP }, {}, { 8080: NET.BIND_TCP });
    expect(s.decide(P, bind(8080))).toBe(0);
    expect(s.decide(P, bind(8081))).toBe(EACCES);
  });

  it('binding port 0 needs a rule for port 0', () => {
    const s = Sim.linux();
    s.sandbox(P, { net: NET.BIND_TCP }, {}, { 8080: NET.BIND_TCP });
    expect(s.decide(P, bind(0))).toBe(EACCES);
    const s2 = Sim.linux();
    s2.sandbox(P, { net: NET.BIND_TCP }, {}, { 0: NET.BIND_TCP });
    expect(s2.decide(P, bind(0))).toBe(0);
  });

  it('connect while CONNECT is unhandled: OK; after a layer handling CONNECT_TCP with no rule: EACCES', () => {
    const s = Sim.linux();
    s.sandbox(P, { net: NET.BIND_TCP });
    expect(s.decide(P, connect(80))).toBe(0);
    s.sandbox(P, { net: NET.CONNECT_TCP });
    expect(s.decide(P, connect(80))).toBe(EACCES);
  });

  it('a rule grants only the rights it carries; every handling layer must grant', () => {
    const s = Sim.linux();
    s.sandbox(P, { net: NET.BIND_TCP | NET.CONNECT_TCP }, {}, { 80: NET.CONNECT_TCP, 81: NET.BIND_TCP | NET.CONNECT_TCP });
    expect(s.decide(P, connect(80))).toBe(0);
    expect(s.decide(P, bind(80))).toBe(EACCES);
    s.sandbox(P, { net: NET.CONNECT_TCP }, {}, { 81: NET.CONNECT_TCP });
    expect(s.decide(P, connect(80))).toBe(EACCES);
    expect(s.decide(P, connect(81))).toBe(0);
    expect(s.decide(P, bind(81))).toBe(0);
  });

  it('an fs-only domain does not restrict TCP; an invalid port is not a meaningful request', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.READ_FILE });
    expect(s.decide(P, bind(1))).toBe(0);
    expect(s.decide(P, bind(65536))).toBe(EINVAL);
    expect(s.decide(P, bind(-1))).toBe(EINVAL);
  });
});
