// The syscall seccomp sees for each Landlock-mediated request (model/request-syscall.ts), as the
// executor makes it (conformance/native/probe.c).
import { describe, it, expect } from 'vitest';
import { landlockSyscallNr } from './request-syscall.js';

describe('landlockSyscallNr', () => {
  it('an abstract-unix stream request is connect(2), a datagram sendto(2) (found by strata conform: a filter answering errno = nr told them apart)', () => {
    expect(landlockSyscallNr({ kind: 'abstract_unix', target: 0 })).toBe(42);
    expect(landlockSyscallNr({ kind: 'abstract_unix', target: 0, type: 'stream' })).toBe(42);
    expect(landlockSyscallNr({ kind: 'abstract_unix', target: 0, type: 'dgram' })).toBe(44);
  });

  it('a procfs open is openat(2); a sigurg send sendto(2)', () => {
    expect(landlockSyscallNr({ kind: 'proc', target: 0, file: 'ns' })).toBe(257);
    expect(landlockSyscallNr({ kind: 'sigurg', fd: 0 })).toBe(44);
  });
});
