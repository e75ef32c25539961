// writeScenario makes the new name durable: after rename(2) it fsyncs the directory. node:fs is
// wrapped to record the rename and every fsync (on a directory or a file), in order.
import { describe, it, expect, vi } from 'vitest';
import type * as Fs from 'node:fs';

const calls = vi.hoisted(() => [] as string[]);

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  return {
    ...fs,
    renameSync: (from: Fs.PathLike, to: Fs.PathLike) => {
      fs.renameSync(from, to);
      calls.push('rename');
    },
    fsyncSync: (fd: number) => {
      fs.fsyncSync(fd);
      calls.push(fs.fstatSync(fd).isDirectory() ? 'fsync directory' : 'fsync file');
    },
  };
});

const { writeScenario } = await import('./write.js');
const { sampleScenario } = await import('./sample.js');
const { tempDir } = await import('../test/tmp.js');

describe('writeScenario', () => {
  it('fsyncs the directory after the rename', () => {
    calls.length = 0;
    writeScenario(sampleScenario(), { dir: tempDir('strata-fsync-') });
    expect(calls.slice(calls.indexOf('rename'))).toEqual(['rename', 'fsync directory']);
  });
});
