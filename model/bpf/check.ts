// Program validation as seccomp(2) does it: bpf_check_basics_ok + bpf_check_classic (with
// chk_code_allowed and check_load_and_stores, net/core/filter.c), then seccomp_check_filter
// (kernel/seccomp.c). Never throws; every rejection is EINVAL.
import type { Insn } from '../ops.js';
import { ERRNO } from '../errno.js';
import { BPF_MAXINSNS, BPF_MEMWORDS, SECCOMP_DATA_SIZE } from '../limits.js';
import {
  BPF_LD, BPF_LDX, BPF_ST, BPF_STX, BPF_ALU, BPF_JMP, BPF_RET, BPF_MISC,
  BPF_W, BPF_H, BPF_B, BPF_IMM, BPF_ABS, BPF_IND, BPF_MEM, BPF_LEN, BPF_MSH,
  BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND, BPF_LSH, BPF_RSH, BPF_NEG, BPF_MOD, BPF_XOR,
  BPF_JA, BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_K, BPF_X, BPF_A, BPF_TAX, BPF_TXA,
  normalizeInsn, disasmInsn,
} from './insn.js';
import { ebpfLength } from './ebpf.js';

export type CheckResult =
  | { readonly ok: true; readonly program: readonly Insn[]; readonly ebpfLen: number }
  | { readonly ok: false; readonly errno: number; readonly reason: string };

const ALU_OPS = [BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_MOD, BPF_AND, BPF_OR, BPF_XOR, BPF_LSH, BPF_RSH];
const JMP_CONDS = [BPF_JEQ, BPF_JGE, BPF_JGT, BPF_JSET];

/** chk_code_allowed: the classic opcodes the socket-filter machine knows. */
const CLASSIC_CODES: ReadonlySet<number> = new Set<number>([
  ...ALU_OPS.flatMap((op) => [BPF_ALU | op | BPF_K, BPF_ALU | op | BPF_X]),
  BPF_ALU | BPF_NEG,
  BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_H | BPF_ABS, BPF_LD | BPF_B | BPF_ABS,
  BPF_LD | BPF_W | BPF_LEN,
  BPF_LD | BPF_W | BPF_IND, BPF_LD | BPF_H | BPF_IND, BPF_LD | BPF_B | BPF_IND,
  BPF_LD | BPF_IMM, BPF_LD | BPF_MEM,
  BPF_LDX | BPF_W | BPF_LEN, BPF_LDX | BPF_B | BPF_MSH, BPF_LDX | BPF_IMM, BPF_LDX | BPF_MEM,
  BPF_ST, BPF_STX,
  BPF_MISC | BPF_TAX, BPF_MISC | BPF_TXA,
  BPF_RET | BPF_K, BPF_RET | BPF_A,
  BPF_JMP | BPF_JA,
  ...JMP_CONDS.flatMap((op) => [BPF_JMP | op | BPF_K, BPF_JMP | op | BPF_X]),
]);

/** seccomp_check_filter: the subset seccomp accepts (everything but MOD, LD H/B, IND, MSH). */
const SECCOMP_CODES: ReadonlySet<number> = new Set<number>([
  BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_W | BPF_LEN, BPF_LDX | BPF_W | BPF_LEN,
  BPF_RET | BPF_K, BPF_RET | BPF_A,
  ...ALU_OPS.filter((op) => op !== BPF_MOD).flatMap((op) => [BPF_ALU | op | BPF_K, BPF_ALU | op | BPF_X]),
  BPF_ALU | BPF_NEG,
  BPF_LD | BPF_IMM, BPF_LDX | BPF_IMM, BPF_MISC | BPF_TAX, BPF_MISC | BPF_TXA,
  BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM, BPF_ST, BPF_STX,
  BPF_JMP | BPF_JA,
  ...JMP_CONDS.flatMap((op) => [BPF_JMP | op | BPF_K, BPF_JMP | op | BPF_X]),
]);

/** SKF_AD_OFF (-0x1000 as u32) and the ancillary offsets bpf_anc_helper knows (0..60 step 4). */
const SKF_AD_OFF = 0xfffff000;
const SKF_AD_MAX = 64;

const bad = (reason: string): CheckResult => ({ ok: false, errno: ERRNO.EINVAL, reason });
const at = (pc: number, insn: Insn, why: string): string => `insn ${pc} (${disasmInsn(insn, pc)}): ${why}`;

const CHECKED = new WeakMap<object, CheckResult>();

/**
 * The whole seccomp_prepare_filter program path: length, bpf_check_classic, seccomp_check_filter.
 * Results are cached per program array (ops are immutable data), so a program installed again
 * yields the same normalised array and its decoded/JIT-compiled forms are reused.
 */
export function checkSeccompProgram(raw: unknown): CheckResult {
  if (!Array.isArray(raw)) return bad('program is not an instruction array');
  const hit = CHECKED.get(raw);
  if (hit) return hit;
  const r = checkUncached(raw);
  CHECKED.set(raw, r);
  if (r.ok) CHECKED.set(r.program, r);
  return r;
}

function checkUncached(raw: readonly unknown[]): CheckResult {
  const flen = raw.length;
  // seccomp_prepare_filter / bpf_check_basics_ok
  if (flen === 0 || flen > BPF_MAXINSNS) return bad(`length ${flen} not in 1..${BPF_MAXINSNS}`);
  const prog: Insn[] = new Array<Insn>(flen);
  for (let pc = 0; pc < flen; pc++) {
    const n = normalizeInsn(raw[pc]);
    if (!n) return bad(`insn ${pc} is not four integers`);
    prog[pc] = n;
  }
  const classic = checkClassic(prog);
  if (classic) return bad(classic);
  const sec = checkSeccompSubset(prog);
  if (sec) return bad(sec);
  return { ok: true, program: prog, ebpfLen: ebpfLength(prog) };
}

/** bpf_check_classic: opcode known, per-opcode checks, last insn RET, check_load_and_stores. */
export function checkClassic(prog: readonly Insn[]): string | null {
  const flen = prog.length;
  for (let pc = 0; pc < flen; pc++) {
    const insn = prog[pc]!;
    const [code, jt, jf, k] = insn;
    if (!CLASSIC_CODES.has(code)) return at(pc, insn, 'opcode not allowed (chk_code_allowed)');
    switch (code) {
      case BPF_ALU | BPF_DIV | BPF_K:
      case BPF_ALU | BPF_MOD | BPF_K:
        if (k === 0) return at(pc, insn, 'division by constant zero');
        break;
      case BPF_ALU | BPF_LSH | BPF_K:
      case BPF_ALU | BPF_RSH | BPF_K:
        if (k >= 32) return at(pc, insn, 'shift by 32 or more');
        break;
      case BPF_LD | BPF_MEM:
      case BPF_LDX | BPF_MEM:
      case BPF_ST:
      case BPF_STX:
        if (k >= BPF_MEMWORDS) return at(pc, insn, `scratch word ${k} out of range`);
        break;
      case BPF_JMP | BPF_JA:
        if (k >= flen - pc - 1) return at(pc, insn, 'jump past the end');
        break;
      case BPF_LD | BPF_W | BPF_ABS:
      case BPF_LD | BPF_H | BPF_ABS:
      case BPF_LD | BPF_B | BPF_ABS: {
        const anc = k >= SKF_AD_OFF && k - SKF_AD_OFF < SKF_AD_MAX && (k - SKF_AD_OFF) % 4 === 0;
        if (!anc && k >= SKF_AD_OFF) return at(pc, insn, 'unknown ancillary load');
        break;
      }
      default:
        if ((code & 0x07) === BPF_JMP) {
          if (pc + jt + 1 >= flen || pc + jf + 1 >= flen) return at(pc, insn, 'jump past the end');
        }
    }
  }
  const last = prog[flen - 1]![0];
  if (last !== (BPF_RET | BPF_K) && last !== (BPF_RET | BPF_A)) return 'last instruction is not RET';
  return checkLoadAndStores(prog);
}

/** check_load_and_stores: no read of a scratch word that some path has not written. */
export function checkLoadAndStores(prog: readonly Insn[]): string | null {
  const flen = prog.length;
  const masks = new Uint16Array(flen).fill(0xffff);
  let memvalid = 0;
  for (let pc = 0; pc < flen; pc++) {
    memvalid &= masks[pc]!;
    const [code, jt, jf, k] = prog[pc]!;
    switch (code) {
      case BPF_ST:
      case BPF_STX:
        memvalid |= 1 << k;
        break;
      case BPF_LD | BPF_MEM:
      case BPF_LDX | BPF_MEM:
        if (!(memvalid & (1 << k))) return at(pc, prog[pc]!, `read of scratch word ${k} before any write`);
        break;
      case BPF_JMP | BPF_JA:
        masks[pc + 1 + k] = masks[pc + 1 + k]! & memvalid;
        memvalid = 0xffff;
        break;
      default:
        if ((code & 0x07) === BPF_JMP) {
          masks[pc + 1 + jt] = masks[pc + 1 + jt]! & memvalid;
          masks[pc + 1 + jf] = masks[pc + 1 + jf]! & memvalid;
          memvalid = 0xffff;
        }
    }
  }
  return null;
}

/** seccomp_check_filter: the allowed subset; LD W ABS 4-aligned below sizeof(seccomp_data). */
export function checkSeccompSubset(prog: readonly Insn[]): string | null {
  for (let pc = 0; pc < prog.length; pc++) {
    const insn = prog[pc]!;
    const [code, , , k] = insn;
    if (!SECCOMP_CODES.has(code)) return at(pc, insn, 'opcode not allowed in seccomp');
    if (code === (BPF_LD | BPF_W | BPF_ABS) && (k >= SECCOMP_DATA_SIZE || (k & 3) !== 0)) {
      return at(pc, insn, 'load offset not 4-aligned inside seccomp_data');
    }
  }
  return null;
}

/** Convenience: is the program accepted by seccomp? */
export function isValidSeccompProgram(raw: unknown): boolean {
  return checkSeccompProgram(raw).ok;
}

