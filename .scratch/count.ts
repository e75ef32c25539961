import fc from 'fast-check';
import { opsArbitrary } from '../generators/scenario.js';
import { conformanceProfile } from '../generators/options.js';
import { LINUX } from '../variants/linux.js';
import { run } from '../model/step.js';
import { initialWorld } from '../model/state.js';
const samples = fc.sample(opsArbitrary(LINUX, conformanceProfile()), { numRuns: 1000, seed: 3 });
const counts: Record<string, number> = {};
for (const ops of samples) {
  const r = run(initialWorld({ capSysAdmin: true }), ops);
  r.steps.forEach((s, i) => {
    const op = ops[i]!;
    if (op.op.startsWith('ptrace')) { const k = `${op.op}:${s.result.kind}${s.result.kind === 'err' ? (s.result as any).errno : ''}`; counts[k] = (counts[k] ?? 0) + 1; }
    if (s.result.kind === 'probe' && s.result.probe.trace) { const k = `traced:${s.result.probe.trace.response.kind}:${s.result.probe.outcome.kind}`; counts[k] = (counts[k] ?? 0) + 1; }
    if (s.result.kind === 'probe' && s.result.probe.seccomp?.action === 'trace' && !s.result.probe.trace) counts['trace-enosys'] = (counts['trace-enosys'] ?? 0) + 1;
    if (s.result.kind === 'invalid') counts['invalid:' + op.op] = (counts['invalid:' + op.op] ?? 0) + 1;
  });
}
console.log(counts);
