// Seccomp benchmarks: interpreter throughput and decision-table build time. Printable lines
// only; no assertions (bench/main.ts prints them).
import type { Insn } from '../model/ops.js';
import { compile, runProgram } from '../model/bpf/interp.js';
import { jit, JIT_THRESHOLD } from '../model/bpf/jit.js';
import type { JitFunction } from '../model/bpf/jit.js';
import type { CompiledProgram } from '../model/bpf/interp.js';
import { ldArch, ldNr, jeq, ret } from '../model/bpf/asm.js';
import { AUDIT_ARCH_X86_64 } from '../model/request.js';
import { defaultUniverse } from '../model/universe.js';
import { initialWorld } from '../model/state.js';
import type { World } from '../model/state.js';
import { step } from '../model/step.js';
import { SeccompTables } from '../model/seccomp/table.js';
import { SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS, retErrno } from '../model/seccomp/action.js';
import { LINUX_EVALUATION } from '../model/evaluation.js';

/** A typical 20-instruction allow-list: arch check, then a chain of nr compares. seccomp()
 * (317) is always allowed, so such filters can be stacked (the op gate runs them on it). */
export function twentyInsnFilter(salt = 0): Insn[] {
  const nrs = [0, 1, 2, 3, 5, 8, 9, 10, 11, 12, 13, 14, 15].map((n) => n + salt);
  nrs.push(317);
  const p: Insn[] = [ldArch(), jeq(AUDIT_ARCH_X86_64, 1, 0), ret(SECCOMP_RET_KILL_PROCESS), ldNr()];
  for (let i = 0; i < nrs.length; i++) p.push(jeq(nrs[i]!, nrs.length - i, 0));
  p.push(ret(retErrno(1 + salt)), ret(SECCOMP_RET_ALLOW));
  return p;
}

/** Evaluations per second of `prog` over a mix of nrs: interpreted, or through `jitted`. */
function evalsPerSecond(prog: CompiledProgram, ms: number, jitted?: JitFunction): number {
  const data = new Uint32Array(16);
  const mem = new Int32Array(16);
  data[1] = AUDIT_ARCH_X86_64;
  let n = 0, sink = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 100_000; i++) {
      data[0] = i & 63; // a mix of matching and falling-through nrs
      sink ^= jitted ? jitted(data, mem) : runProgram(prog, data);
    }
    n += 100_000;
    t = performance.now();
  }
  if (sink === 0xdeadbeef) console.log(''); // keep the loop alive
  return (n / (t - t0)) * 1000;
}

export async function benchSeccomp(): Promise<string[]> {
  const lines: string[] = [];
  const p20 = compile(twentyInsnFilter());
  const p1 = compile([ret(SECCOMP_RET_ALLOW)]);
  evalsPerSecond(p20, 200); // warm up
  evalsPerSecond(p1, 200);
  const r20 = evalsPerSecond(p20, 1000);
  const r1 = evalsPerSecond(p1, 1000);
  const j20 = jit(p20);
  evalsPerSecond(p20, 200, j20);
  const rj = evalsPerSecond(p20, 1000, j20);
  lines.push(`seccomp JIT (what evaluation uses after ${JIT_THRESHOLD} runs): 20-insn filter ${(rj / 1e6).toFixed(1)} M evals/s (target ≥ 20 M); ${(rj / r20).toFixed(1)}x the interpreter`);
  lines.push(`seccomp interpreter: 20-insn filter ${(r20 / 1e6).toFixed(1)} M evals/s; 1-insn baseline ${(r1 / 1e6).toFixed(1)} M evals/s (ratio ${(r1 / r20).toFixed(1)}x)`);

  // A 16-filter stack, each a distinct 20-instruction filter.
  let w: World = initialWorld({ nnp: true });
  for (let i = 0; i < 16; i++) w = step(w, { op: 'seccomp_filter', task: 0, flags: 0, program: twentyInsnFilter(i) }).world;
  const top = w.tasks.at(0)!.filter!;
  if (top.depth !== 16) throw new Error(`bench setup: expected a 16-filter stack, got ${top.depth}`);
  const u = defaultUniverse();
  for (let i = 0; i < 50; i++) new SeccompTables(u, LINUX_EVALUATION).tableOf(top); // warm up
  const reps = 500;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) new SeccompTables(u, LINUX_EVALUATION).tableOf(top);
  const us = ((performance.now() - t0) / reps) * 1000;
  lines.push(`seccomp decision table: 16-filter stack × ${u.syscalls.length} default-universe syscalls built in ${us.toFixed(1)} µs (from scratch, ${top.depth} node tables)`);
  return lines;
}
