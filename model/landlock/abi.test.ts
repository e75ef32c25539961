// ABI data (landlock.md §3 ABI table, §6 errata).
import { describe, it, expect } from 'vitest';
import { abiMasks, LANDLOCK_ABIS, LANDLOCK_ABIS_UNKNOWN_TO_MODEL, LANDLOCK_ERRATA, LANDLOCK_ERRATA_FIXED } from './abi.js';
import { FS, ACCESS_FILE, FS_ALL, fsRightNames, hasBitsOutside } from './access.js';
import { LANDLOCK_ABI_MAX } from '../limits.js';

describe('ABI masks derived from the last flag', () => {
  it('match the ABI table', () => {
    expect(LANDLOCK_ABIS.map((a) => a.abi)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(LANDLOCK_ABIS.length).toBe(LANDLOCK_ABI_MAX);
    const rows = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => {
      const m = abiMasks(n);
      return [m.fs, m.net, m.scope, m.restrictFlags, m.attrSize];
    });
    expect(rows).toEqual([
      [0x1fff, 0, 0, 0, 8],
      [0x3fff, 0, 0, 0, 8],
      [0x7fff, 0, 0, 0, 8],
      [0x7fff, 0x3, 0, 0, 16],
      [0xffff, 0x3, 0, 0, 16],
      [0xffff, 0x3, 0x3, 0, 24],
      [0xffff, 0x3, 0x3, 0x7, 24],
      [0xffff, 0x3, 0x3, 0xf, 24],
    ]);
    expect(abiMasks(8).fs).toBe(FS_ALL);
    expect(abiMasks(99).abi).toBe(8);
  });

  it('lists ABI 9 (RESOLVE_UNIX) and 10 as unknown to the model', () => {
    expect(LANDLOCK_ABIS_UNKNOWN_TO_MODEL.map((a) => a.abi)).toEqual([9, 10]);
    expect(hasBitsOutside(FS.RESOLVE_UNIX, abiMasks(8).fs)).toBe(true);
  });

  it('errata: 3 known, all fixed on the reference kernel (ERRATA query = 0x7) [V]', () => {
    expect(LANDLOCK_ERRATA.map((e) => [e.id, e.abi])).toEqual([[1, 4], [2, 6], [3, 1]]);
    expect(LANDLOCK_ERRATA_FIXED).toBe(0x7);
  });

  it('file rights and helpers', () => {
    expect(fsRightNames(ACCESS_FILE)).toEqual(['execute', 'write_file', 'read_file', 'truncate', 'ioctl_dev']);
    expect(hasBitsOutside(2 ** 33, 0xffff)).toBe(true);
    expect(hasBitsOutside(-1, 0xffff)).toBe(true);
    expect(hasBitsOutside(0x8000, 0xffff)).toBe(false);
  });
});
