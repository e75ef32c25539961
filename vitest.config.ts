import { defineConfig } from 'vitest/config';
import { testReporters } from './test/reporters.js';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // keeps vitest's github-actions reporter under GITHUB_ACTIONS=true (test/reporters.ts)
    reporters: testReporters(process.env),
  },
});
