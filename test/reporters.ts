// The reporters of the project's own test run. Naming reporters in vitest.config.ts replaces
// vitest's defaults, among them the `github-actions` reporter vitest adds by itself when
// GITHUB_ACTIONS=true (annotations on the failing lines): so it is added back here, under the
// same condition.
export function testReporters(env: Readonly<Record<string, string | undefined>>): string[] {
  return ['default', './test/summary-reporter.ts', ...(env.GITHUB_ACTIONS === 'true' ? ['github-actions'] : [])];
}
