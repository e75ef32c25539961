import { describe, it, expect } from 'vitest';
import { testReporters } from './reporters.js';

describe('the test run\'s reporters', () => {
  it('keep vitest\'s GitHub Actions annotations on GitHub Actions', () => {
    expect(testReporters({ GITHUB_ACTIONS: 'true' })).toEqual(['default', './test/summary-reporter.ts', 'github-actions']);
  });
  it('are the default and the plain summary line elsewhere', () => {
    expect(testReporters({})).toEqual(['default', './test/summary-reporter.ts']);
    expect(testReporters({ GITHUB_ACTIONS: 'false' })).toEqual(['default', './test/summary-reporter.ts']);
  });
});
