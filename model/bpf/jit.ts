// A JIT for accepted seccomp programs, as the kernel JITs every filter (BPF JIT always on here):
// the decoded program (interp.ts) becomes one JavaScript function. Classic BPF only jumps
// forward, so straight-line code falls through `case` labels of a single switch and only taken
// branches dispatch. Semantics are exactly the interpreter's (a property test pins them equal);
// `run` tiers up from the interpreter after a few runs, so one-shot programs never pay for
// code generation.
import { CompiledProgram, runProgram, OPS } from './interp.js';

/** Runs before a program is JIT-compiled (interpreted until then): generated scenarios use most
 * programs a few dozen times, so only programs that keep being evaluated pay for code generation. */
export const JIT_THRESHOLD = 512;

/**
 * Programs longer than this stay interpreted: V8 does not optimise a function that large, so its
 * code runs slower than the interpreter and costs tens of milliseconds to generate (measured on
 * a policy padded with unreachable RETs: 2048 insns 30 ms, 32 ns a run jitted against 13 ns
 * interpreted; 4096 insns 20–30 ms, 75–120 ns against 18–45 ns; up to 1024 insns the JIT wins).
 */
export const JIT_MAX_INSNS = 1024;

export type JitFunction = (data: Uint32Array, mem: Int32Array) => number;

const MEM = new Int32Array(16);
const JITTED = new WeakMap<CompiledProgram, JitFunction>();
const RUNS = new WeakMap<CompiledProgram, number>();

/** Generate the JavaScript body of a decoded program. */
export function jitSource(prog: CompiledProgram): string {
  const c = prog.code;
  const n = prog.length;
  const out: string[] = ['let A = 0, X = 0, pc = 0;', 'for (;;) switch (pc) {'];
  const jump = (target: number): string => `{ pc = ${target}; continue; }`;
  for (let pc = 0; pc < n; pc++) {
    const o = c[pc * 4]!, v = c[pc * 4 + 1]!, t = c[pc * 4 + 2]! >> 2, f = c[pc * 4 + 3]! >> 2;
    out.push(`case ${pc}:`);
    const cond = (expr: string): string => {
      if (t === pc + 1 && f === pc + 1) return '';
      if (t === pc + 1) return `if (!(${expr})) ${jump(f)}`;
      if (f === pc + 1) return `if (${expr}) ${jump(t)}`;
      return `if (${expr}) ${jump(t)} else ${jump(f)}`;
    };
    const u = v >>> 0;
    switch (o) {
      case OPS.LD_ABS: out.push(`A = data[${v}] | 0;`); break;
      case OPS.LD_IMM: out.push(`A = ${v};`); break;
      case OPS.LDX_IMM: out.push(`X = ${v};`); break;
      case OPS.LD_MEM: out.push(`A = mem[${v}];`); break;
      case OPS.LDX_MEM: out.push(`X = mem[${v}];`); break;
      case OPS.ST: out.push(`mem[${v}] = A;`); break;
      case OPS.STX: out.push(`mem[${v}] = X;`); break;
      case OPS.TAX: out.push('X = A;'); break;
      case OPS.TXA: out.push('A = X;'); break;
      case OPS.ADD_K: out.push(`A = (A + ${v}) | 0;`); break;
      case OPS.ADD_X: out.push('A = (A + X) | 0;'); break;
      case OPS.SUB_K: out.push(`A = (A - ${v}) | 0;`); break;
      case OPS.SUB_X: out.push('A = (A - X) | 0;'); break;
      case OPS.MUL_K: out.push(`A = Math.imul(A, ${v});`); break;
      case OPS.MUL_X: out.push('A = Math.imul(A, X);'); break;
      case OPS.DIV_K: out.push(`A = ((A >>> 0) / ${u}) | 0;`); break;
      case OPS.DIV_X: out.push('if (X === 0) return 0; A = ((A >>> 0) / (X >>> 0)) | 0;'); break;
      case OPS.AND_K: out.push(`A &= ${v};`); break;
      case OPS.AND_X: out.push('A &= X;'); break;
      case OPS.OR_K: out.push(`A |= ${v};`); break;
      case OPS.OR_X: out.push('A |= X;'); break;
      case OPS.XOR_K: out.push(`A ^= ${v};`); break;
      case OPS.XOR_X: out.push('A ^= X;'); break;
      case OPS.LSH_K: out.push(`A <<= ${v};`); break;
      case OPS.LSH_X: out.push('A <<= X;'); break;
      case OPS.RSH_K: out.push(`A = (A >>> ${v}) | 0;`); break;
      case OPS.RSH_X: out.push('A = (A >>> X) | 0;'); break;
      case OPS.NEG: out.push('A = -A | 0;'); break;
      case OPS.JA: out.push(t === pc + 1 ? '' : jump(t)); break;
      // JGT/JGE K operands are stored biased (k ^ 0x80000000), see interp.ts.
      case OPS.JEQ_K: out.push(cond(`A === ${v}`)); break;
      case OPS.JEQ_X: out.push(cond('A === X')); break;
      case OPS.JGT_K: out.push(cond(`(A ^ 0x80000000) > ${v}`)); break;
      case OPS.JGT_X: out.push(cond('(A >>> 0) > (X >>> 0)')); break;
      case OPS.JGE_K: out.push(cond(`(A ^ 0x80000000) >= ${v}`)); break;
      case OPS.JGE_X: out.push(cond('(A >>> 0) >= (X >>> 0)')); break;
      case OPS.JSET_K: out.push(cond(`(A & ${v}) !== 0`)); break;
      case OPS.JSET_X: out.push(cond('(A & X) !== 0')); break;
      case OPS.RET_K: out.push(`return ${u};`); break;
      case OPS.RET_A: out.push('return A >>> 0;'); break;
      default: out.push('return 2147483648;'); // unreachable for accepted programs: fail closed
    }
  }
  out.push('default: return 2147483648;', '}');
  return out.join('\n');
}

/** The JIT-compiled function of a decoded program (cached). */
export function jit(prog: CompiledProgram): JitFunction {
  let fn = JITTED.get(prog);
  if (!fn) {
    fn = new Function('data', 'mem', jitSource(prog)) as JitFunction;
    JITTED.set(prog, fn);
  }
  return fn;
}

/** Run a decoded program: interpreted for its first JIT_THRESHOLD runs, JIT-compiled after
 * (unless it is longer than JIT_MAX_INSNS). */
export function run(prog: CompiledProgram, data: Uint32Array): number {
  const fn = JITTED.get(prog);
  if (fn) return fn(data, MEM);
  if (prog.length > JIT_MAX_INSNS) return runProgram(prog, data);
  const n = (RUNS.get(prog) ?? 0) + 1;
  if (n < JIT_THRESHOLD) {
    RUNS.set(prog, n);
    return runProgram(prog, data);
  }
  return jit(prog)(data, MEM);
}
