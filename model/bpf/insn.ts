// Classic BPF instruction encoding (include/uapi/linux/bpf_common.h, filter.h) and a
// disassembler to readable text. An instruction is the 4-tuple of struct sock_filter.
import type { Insn } from '../ops.js';

// Classes.
export const BPF_LD = 0x00;
export const BPF_LDX = 0x01;
export const BPF_ST = 0x02;
export const BPF_STX = 0x03;
export const BPF_ALU = 0x04;
export const BPF_JMP = 0x05;
export const BPF_RET = 0x06;
export const BPF_MISC = 0x07;
// Sizes.
export const BPF_W = 0x00;
export const BPF_H = 0x08;
export const BPF_B = 0x10;
// Modes.
export const BPF_IMM = 0x00;
export const BPF_ABS = 0x20;
export const BPF_IND = 0x40;
export const BPF_MEM = 0x60;
export const BPF_LEN = 0x80;
export const BPF_MSH = 0xa0;
// ALU / JMP operations.
export const BPF_ADD = 0x00;
export const BPF_SUB = 0x10;
export const BPF_MUL = 0x20;
export const BPF_DIV = 0x30;
export const BPF_OR = 0x40;
export const BPF_AND = 0x50;
export const BPF_LSH = 0x60;
export const BPF_RSH = 0x70;
export const BPF_NEG = 0x80;
export const BPF_MOD = 0x90;
export const BPF_XOR = 0xa0;
export const BPF_JA = 0x00;
export const BPF_JEQ = 0x10;
export const BPF_JGT = 0x20;
export const BPF_JGE = 0x30;
export const BPF_JSET = 0x40;
// Sources.
export const BPF_K = 0x00;
export const BPF_X = 0x08;
export const BPF_A = 0x10; // RET source (BPF_RVAL)
// MISC.
export const BPF_TAX = 0x00;
export const BPF_TXA = 0x80;

export const bpfClass = (code: number): number => code & 0x07;
export const bpfSize = (code: number): number => code & 0x18;
export const bpfMode = (code: number): number => code & 0xe0;
export const bpfOp = (code: number): number => code & 0xf0;
export const bpfSrc = (code: number): number => code & 0x08;
export const bpfRval = (code: number): number => code & 0x18;

/** BPF_STMT(code, k). */
export function stmt(code: number, k = 0): Insn {
  return [code & 0xffff, 0, 0, k >>> 0];
}

/** BPF_JUMP(code, k, jt, jf). */
export function jump(code: number, k: number, jt: number, jf: number): Insn {
  return [code & 0xffff, jt & 0xff, jf & 0xff, k >>> 0];
}

/** Normalise a raw instruction as a C executor would store it in struct sock_filter
 * (u16 code, u8 jt, u8 jf, u32 k); null if a field is not a finite integer. */
export function normalizeInsn(i: unknown): Insn | null {
  if (!Array.isArray(i) || i.length !== 4) return null;
  for (const v of i) if (typeof v !== 'number' || !Number.isInteger(v)) return null;
  return [i[0] & 0xffff, i[1] & 0xff, i[2] & 0xff, i[3] >>> 0];
}

/** Names of struct seccomp_data words by byte offset (for the disassembler). */
export function seccompDataField(off: number): string {
  if (off === 0) return 'nr';
  if (off === 4) return 'arch';
  if (off === 8) return 'ip.lo';
  if (off === 12) return 'ip.hi';
  if (off >= 16 && off < 64 && off % 4 === 0) {
    const i = (off - 16) >> 3;
    return `args[${i}].${off % 8 === 0 ? 'lo' : 'hi'}`;
  }
  return `?${off}`;
}

const ALU_NAMES: Record<number, string> = {
  [BPF_ADD]: 'add', [BPF_SUB]: 'sub', [BPF_MUL]: 'mul', [BPF_DIV]: 'div', [BPF_OR]: 'or',
  [BPF_AND]: 'and', [BPF_LSH]: 'lsh', [BPF_RSH]: 'rsh', [BPF_NEG]: 'neg', [BPF_MOD]: 'mod',
  [BPF_XOR]: 'xor',
};
const JMP_NAMES: Record<number, string> = {
  [BPF_JA]: 'ja', [BPF_JEQ]: 'jeq', [BPF_JGT]: 'jgt', [BPF_JGE]: 'jge', [BPF_JSET]: 'jset',
};

const hex = (k: number): string => `0x${(k >>> 0).toString(16)}`;

/** One instruction as text, in the style of tools/bpf/bpf_dbg ("ld [0] ; nr"). */
export function disasmInsn(insn: Insn, pc = 0): string {
  const [code, jt, jf, k] = insn;
  switch (bpfClass(code)) {
    case BPF_LD:
    case BPF_LDX: {
      const r = bpfClass(code) === BPF_LD ? 'ld' : 'ldx';
      const sz = bpfSize(code) === BPF_W ? '' : bpfSize(code) === BPF_H ? 'h' : bpfSize(code) === BPF_B ? 'b' : '?';
      switch (bpfMode(code)) {
        case BPF_IMM: return `${r} #${hex(k)}`;
        case BPF_ABS: return `${r}${sz} [${k}] ; ${seccompDataField(k)}`;
        case BPF_IND: return `${r}${sz} [x + ${k}]`;
        case BPF_MEM: return `${r} M[${k}]`;
        case BPF_LEN: return `${r} #len`;
        case BPF_MSH: return `${r}${sz} 4*([${k}]&0xf)`;
        default: return `.word ${hex(code)} ; unknown load`;
      }
    }
    case BPF_ST: return `st M[${k}]`;
    case BPF_STX: return `stx M[${k}]`;
    case BPF_ALU: {
      const name = ALU_NAMES[bpfOp(code)] ?? `alu?${hex(bpfOp(code))}`;
      if (bpfOp(code) === BPF_NEG) return name;
      return bpfSrc(code) === BPF_X ? `${name} x` : `${name} #${hex(k)}`;
    }
    case BPF_JMP: {
      const name = JMP_NAMES[bpfOp(code)] ?? `jmp?${hex(bpfOp(code))}`;
      if (bpfOp(code) === BPF_JA) return `ja L${pc + 1 + k}`;
      const src = bpfSrc(code) === BPF_X ? 'x' : `#${hex(k)}`;
      return `${name} ${src}, L${pc + 1 + jt}, L${pc + 1 + jf}`;
    }
    case BPF_RET:
      if (bpfRval(code) === BPF_A) return 'ret a';
      if (bpfRval(code) === BPF_K) return `ret #${hex(k)}`;
      return 'ret ?';
    case BPF_MISC:
      if ((code & 0xf8) === BPF_TAX) return 'tax';
      if ((code & 0xf8) === BPF_TXA) return 'txa';
      return `.word ${hex(code)} ; unknown misc`;
  }
  return `.word ${hex(code)}`;
}

/** A whole program, one numbered line per instruction. */
export function disasm(program: readonly Insn[]): string {
  return program.map((insn, pc) => `L${pc}: ${disasmInsn(insn, pc)}`).join('\n');
}
