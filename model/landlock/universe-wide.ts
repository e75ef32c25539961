// A wide Landlock request universe over a tree: every fs access on every path, every
// rename/link/exchange pair, mount, and TCP (IPv4, IPv6) and UDP bind/connect on a few ports.
// Meaningless combinations are included (they decide a fixed errno); use `meaningfulOnly` to drop them.
import type { Universe, TabledLandlockRequest } from '../universe.js';
import type { FsAccess } from '../request.js';
import type { FsTree } from './fstree.js';
import { fsIndex } from './fstree.js';
import { FS_BY_NAME } from './access.js';
import { MOUNT_CALLS } from './mount.js';
import { landlockDecideDomain } from './decide.js';
import { ERRNO } from '../errno.js';
import { LINUX_EVALUATION } from '../evaluation.js';

export function wideUniverse(fs: FsTree, ports: readonly number[] = [0, 80, 8080], meaningfulOnly = true): Universe {
  const ix = fsIndex(fs);
  const landlock: TabledLandlockRequest[] = [];
  for (const path of ix.paths) {
    for (const access of Object.keys(FS_BY_NAME) as FsAccess[]) landlock.push({ kind: 'fs', access, path });
  }
  for (const from of ix.paths) {
    for (const to of ix.paths) {
      landlock.push({ kind: 'rename', from, to });
      landlock.push({ kind: 'link', from, to });
      landlock.push({ kind: 'exchange', from, to });
    }
  }
  for (const call of MOUNT_CALLS) landlock.push(call === 'new' ? { kind: 'mount' } : { kind: 'mount', call });
  for (const port of ports) {
    for (const op of ['bind', 'connect'] as const) {
      landlock.push({ kind: 'net', op, port }, { kind: 'net', op, port, family: 6 }, { kind: 'net', op, port, proto: 'udp' });
    }
  }
  const keep = meaningfulOnly ? landlock.filter((r) => isMeaningful(fs, r)) : landlock;
  return { syscalls: [], landlock: keep };
}

/** A request the executor can perform: no domain answers it with ENOENT or EINVAL. */
export function isMeaningful(fs: FsTree, req: TabledLandlockRequest): boolean {
  const e = landlockDecideDomain(fs, null, req, LINUX_EVALUATION);
  return e !== ERRNO.ENOENT && e !== ERRNO.EINVAL;
}
