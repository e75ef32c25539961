import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { testReporters } from './test/reporters.js';

/** The files that boot kernels under QEMU (TCG: one guest takes a whole core, and an op's
 * deadline is wall-clock): they run last, one at a time, with nothing beside them. */
const GUESTS = ['conformance/kernels.test.ts', 'conformance/vm/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // keeps vitest's github-actions reporter under GITHUB_ACTIONS=true (test/reporters.ts)
    reporters: testReporters(process.env),
    projects: [
      {
        extends: true,
        test: {
          name: 'host',
          include: ['**/*.test.ts'],
          exclude: ['node_modules/**', ...GUESTS],
          // every core: vitest's default leaves one idle (cores - 1: one file at a time on CI's
          // two cores), while many files wait on processes and the kernel more than they compute
          maxWorkers: availableParallelism(),
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'guests', include: GUESTS, exclude: ['node_modules/**'], maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
