// landlock_restrict_self: privilege precondition, flags, fd −1, layer limit, snapshot,
// inheritance over fork / exec / threads, TSYNC (landlock.md §1, §2, §5).
import { describe, it, expect } from 'vitest';
import { Sim, INIT_TID as P } from './testkit.js';
import { ERRNO } from '../errno.js';
import { FS, NET, SCOPE } from './access.js';
import { LANDLOCK_RESTRICT_SELF } from '../ops.js';
import { LANDLOCK_MAX_NUM_LAYERS } from '../limits.js';

const { EPERM, EINVAL, EBADF, E2BIG, EACCES } = ERRNO;
const { LOG_SAME_EXEC_OFF, LOG_NEW_EXEC_ON, LOG_SUBDOMAINS_OFF, TSYNC } = LANDLOCK_RESTRICT_SELF;

describe('privilege precondition (checked before flags and fd) [V]', () => {
  it('capset-dropped root without no_new_privs → EPERM', () => {
    const s = Sim.linux();
    const rs = s.ruleset(P, FS.READ_FILE);
    s.ok(P, { op: 'drop_cap' });
    expect(s.errno(P, { op: 'restrict_self', ruleset: rs, flags: 0 })).toBe(EPERM);
  });

  it('no no_new_privs and bad flags → EPERM, not EINVAL; no fd either → still EPERM', () => {
    const s = Sim.linux(7, { capSysAdmin: false });
    expect(s.errno(P, { op: 'restrict_self', ruleset: 0, flags: 1 << 20 })).toBe(EPERM);
    expect(s.errno(P, { op: 'restrict_self', ruleset: null, flags: 0 })).toBe(EPERM);
  });

  it('root with CAP_SYS_ADMIN and no nnp → OK, and no_new_privs stays unset', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.READ_FILE });
    expect(s.task(P).nnp).toBe(false);
    expect(s.depth(P)).toBe(1);
  });

  it('no_new_privs without capabilities → OK', () => {
    const s = Sim.linux(7, { capSysAdmin: false, nnp: true });
    s.sandbox(P, { fs: FS.READ_FILE });
    expect(s.depth(P)).toBe(1);
  });
});

describe('flags and fd', () => {
  it('unknown flag bits at the ABI → EINVAL (TSYNC on ABI 7, LOG_* before ABI 7) [V]', () => {
    const s = Sim.linux(7);
    const rs = s.ruleset(P, FS.READ_FILE);
    expect(s.errno(P, { op: 'restrict_self', ruleset: rs, flags: TSYNC })).toBe(EINVAL);
    expect(s.errno(P, { op: 'restrict_self', ruleset: rs, flags: 1 << 4 })).toBe(EINVAL);
    const s6 = Sim.linux(6);
    const rs6 = s6.ruleset(P, FS.READ_FILE);
    expect(s6.errno(P, { op: 'restrict_self', ruleset: rs6, flags: LOG_SAME_EXEC_OFF })).toBe(EINVAL);
  });

  it('flags are checked before the fd', () => {
    const s = Sim.linux(7);
    expect(s.errno(P, { op: 'restrict_self', ruleset: 0, flags: TSYNC })).toBe(EINVAL);
  });

  it('the LOG_* flags are accepted at ABI 7 and add one layer like any restrict', () => {
    const s = Sim.linux(7);
    const rs = s.ruleset(P, FS.READ_FILE);
    s.enforce(P, rs, LOG_SAME_EXEC_OFF | LOG_NEW_EXEC_ON);
    expect(s.depth(P)).toBe(1);
    expect(s.task(P).llLogSubdomainsOff).toBe(false);
    s.enforce(P, rs, LOG_SUBDOMAINS_OFF);
    expect(s.depth(P)).toBe(2);
    expect(s.task(P).llLogSubdomainsOff).toBe(true);
  });

  it('no ruleset fd → EBADF; fd −1 without exactly LOG_SUBDOMAINS_OFF → EBADF [V]', () => {
    const s = Sim.linux(7);
    expect(s.errno(P, { op: 'restrict_self', ruleset: 0, flags: 0 })).toBe(EBADF);
    expect(s.errno(P, { op: 'restrict_self', ruleset: null, flags: 0 })).toBe(EBADF);
    expect(s.errno(P, { op: 'restrict_self', ruleset: null, flags: LOG_SUBDOMAINS_OFF | LOG_SAME_EXEC_OFF })).toBe(EBADF);
  });

  it('fd −1 with LOG_SUBDOMAINS_OFF → 0, sets the cred flag, adds no layer, also at 16 layers [V]', () => {
    const s = Sim.linux(7);
    expect(s.restrict(P, null, LOG_SUBDOMAINS_OFF)).toEqual({ kind: 'ok', ret: 0 });
    expect(s.task(P).llLogSubdomainsOff).toBe(true);
    expect(s.depth(P)).toBe(0);
    const rs = s.ruleset(P, FS.MAKE_BLOCK);
    for (let i = 0; i < LANDLOCK_MAX_NUM_LAYERS; i++) s.enforce(P, rs);
    expect(s.restrict(P, null, LOG_SUBDOMAINS_OFF)).toEqual({ kind: 'ok', ret: 0 });
    expect(s.depth(P)).toBe(16);
  });
});

describe('layers', () => {
  it('16 restricts succeed; the 17th and 18th give E2BIG and change nothing; old restrictions stay [V]', () => {
    const s = Sim.linux();
    const rs = s.ruleset(P, FS.READ_FILE);
    s.path(P, rs, '/a', FS.READ_FILE);
    for (let i = 0; i < LANDLOCK_MAX_NUM_LAYERS; i++) s.enforce(P, rs);
    expect(s.depth(P)).toBe(16);
    expect(s.errno(P, { op: 'restrict_self', ruleset: rs, flags: 0 })).toBe(E2BIG);
    expect(s.errno(P, { op: 'restrict_self', ruleset: rs, flags: 0 })).toBe(E2BIG);
    const net = s.ruleset(P, 0, NET.BIND_TCP);
    expect(s.errno(P, { op: 'restrict_self', ruleset: net, flags: 0 })).toBe(E2BIG);
    expect(s.fs(P, 'read_file', '/b/f')).toBe(EACCES);
    expect(s.fs(P, 'read_file', '/a/f')).toBe(0);
  });

  it('the same ruleset twice adds two layers with new identities, whatever it handles [V]', () => {
    for (const handled of [{ fs: FS.MAKE_BLOCK }, { net: NET.BIND_TCP }, { scoped: SCOPE.SIGNAL }]) {
      const s = Sim.linux();
      const rs = s.ruleset(P, handled.fs ?? 0, handled.net ?? 0, handled.scoped ?? 0);
      s.enforce(P, rs);
      const first = s.task(P).domain!;
      s.enforce(P, rs);
      const second = s.task(P).domain!;
      expect(second.depth).toBe(2);
      expect(second.prev).toBe(first);
      expect(second.id).not.toBe(first.id);
      expect(s.world.nextLayerId).toBe(3);
    }
  });

  it('layer-count oracle: 16 minus the depth more restricts fit, after fork and exec too [V]', () => {
    const s = Sim.linux();
    const rs = s.ruleset(P, FS.MAKE_BLOCK);
    s.enforce(P, rs);
    const c = s.fork(P);
    s.ok(c, { op: 'exec' });
    const rs2 = s.ruleset(c, FS.MAKE_BLOCK);
    let fit = 0;
    while (s.restrict(c, rs2).kind === 'ok') fit++;
    expect(fit).toBe(15);
  });

  it('records the mutability chosen (immutable by default)', () => {
    const s = Sim.linux();
    const rs = s.ruleset(P, FS.READ_FILE);
    s.enforce(P, rs);
    expect(s.task(P).domain!.mutability).toBe('immutable');
    s.ok(P, { op: 'restrict_self', ruleset: rs, flags: 0, mutability: 'stricter' });
    expect(s.task(P).domain!.mutability).toBe('stricter');
  });
});

describe('snapshot: a domain never follows its ruleset [V]', () => {
  it('add_rule after restrict changes neither the enforcer nor an earlier child; a fresh enforcer sees it', () => {
    const s = Sim.linux();
    const rs = s.ruleset(P, FS.READ_FILE);
    s.path(P, rs, '/a', FS.READ_FILE);
    s.enforce(P, rs);
    const early = s.fork(P);
    const domBefore = s.task(P).domain;
    s.path(P, rs, '/b', FS.READ_FILE);
    expect(s.task(P).domain).toBe(domBefore);
    expect(s.fs(P, 'read_file', '/b/f')).toBe(EACCES);
    expect(s.fs(early, 'read_file', '/b/f')).toBe(EACCES);
    // A fresh unsandboxed process enforcing the same fd gets rule B.
    const s2 = new Sim({ abi: 7 });
    const r2 = s2.ruleset(P, FS.READ_FILE);
    s2.path(P, r2, '/a', FS.READ_FILE);
    const fresh = s2.fork(P);
    s2.path(P, r2, '/b', FS.READ_FILE);
    s2.enforce(fresh, r2);
    expect(s2.fs(fresh, 'read_file', '/b/f')).toBe(0);
  });
});

describe('inheritance', () => {
  it('fork shares the domain; exec keeps it [V]', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.READ_FILE }, { '/a': FS.READ_FILE });
    const c = s.fork(P);
    expect(s.task(c).domain).toBe(s.task(P).domain);
    expect(s.fs(c, 'read_file', '/b/f')).toBe(EACCES);
    const d = s.task(c).domain;
    s.ok(c, { op: 'exec' });
    expect(s.task(c).domain).toBe(d);
    expect(s.fs(c, 'read_file', '/b/f')).toBe(EACCES);
  });

  it('threads: restrict affects only the calling thread and the threads it creates later [V]', () => {
    const s = Sim.linux();
    const t1 = s.thread(P);
    s.sandbox(t1, { fs: FS.READ_FILE }, { '/a': FS.READ_FILE });
    expect(s.fs(t1, 'read_file', '/b/f')).toBe(EACCES);
    expect(s.fs(P, 'read_file', '/b/f')).toBe(0);
    const t1child = s.thread(t1);
    expect(s.fs(t1child, 'read_file', '/b/f')).toBe(EACCES);
    const mainChild = s.thread(P);
    expect(s.fs(mainChild, 'read_file', '/b/f')).toBe(0);
  });
});

describe('TSYNC (ABI 8)', () => {
  it('overwrites every sibling thread\'s domain with the caller\'s new one, even a deeper one', () => {
    const s = Sim.linux(8);
    const t = s.thread(P);
    const other = s.fork(P);
    s.sandbox(t, { fs: FS.WRITE_FILE }, { '/c': FS.WRITE_FILE });
    s.sandbox(t, { net: NET.BIND_TCP });
    expect(s.depth(t)).toBe(2);
    const rs = s.ruleset(P, FS.READ_FILE);
    s.path(P, rs, '/a', FS.READ_FILE);
    s.enforce(P, rs, TSYNC);
    expect(s.task(t).domain).toBe(s.task(P).domain);
    expect(s.depth(t)).toBe(1);
    // The sibling's own layers are gone: replaced, not intersected.
    expect(s.fs(t, 'write_file', '/b/f')).toBe(0);
    expect(s.decide(t, { kind: 'net', op: 'bind', port: 1 })).toBe(0);
    expect(s.fs(t, 'read_file', '/b/f')).toBe(EACCES);
    // Another process is untouched.
    expect(s.task(other).domain).toBe(null);
  });

  it('sets no_new_privs on the siblings iff the caller has it', () => {
    const s = Sim.linux(8);
    const t = s.thread(P);
    const rs = s.ruleset(P, FS.READ_FILE);
    s.enforce(P, rs, TSYNC);
    expect(s.task(t).nnp).toBe(false);
    s.ok(P, { op: 'set_nnp' });
    s.enforce(P, rs, TSYNC);
    expect(s.task(t).nnp).toBe(true);
  });

  it('fd −1 with LOG_SUBDOMAINS_OFF | TSYNC: no layer; siblings get the caller\'s Landlock blob', () => {
    const s = Sim.linux(8);
    const t = s.thread(P);
    s.sandbox(t, { fs: FS.READ_FILE });
    expect(s.restrict(P, null, LOG_SUBDOMAINS_OFF | TSYNC)).toEqual({ kind: 'ok', ret: 0 });
    expect(s.depth(P)).toBe(0);
    expect(s.task(t).domain).toBe(null);
    expect(s.task(t).llLogSubdomainsOff).toBe(true);
  });

  it('E2BIG with TSYNC changes no thread', () => {
    const s = Sim.linux(8);
    const t = s.thread(P);
    const rs = s.ruleset(P, FS.MAKE_BLOCK);
    for (let i = 0; i < LANDLOCK_MAX_NUM_LAYERS; i++) s.enforce(P, rs);
    expect(s.errno(P, { op: 'restrict_self', ruleset: rs, flags: TSYNC })).toBe(E2BIG);
    expect(s.task(t).domain).toBe(null);
  });
});
