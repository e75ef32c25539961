// Names for numbers: errnos, flag bits, access masks, syscalls, outcomes and requests, as the
// man pages spell them. Pure formatting helpers for the report renderers.
import { u64BigInt, u64Lo, type U64 } from '../model/u64.js';
import type { Outcome } from '../model/outcome.js';
import { formatOutcome } from '../model/outcome.js';
import type { Request } from '../model/request.js';
import { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386 } from '../model/request.js';
import { SECCOMP_FILTER_FLAG, LANDLOCK_RESTRICT_SELF } from '../model/ops.js';
import { errnoName } from '../model/errno.js';
import { fsRightNames, FS_BY_NAME, NET, SCOPE } from '../model/landlock/access.js';
import { PROC_PATH } from '../model/landlock/procfs.js';

/** Names of the set bits of `value` per `table` ({NAME: bit}); unknown bits as hex. */
export function flagNames(value: number, table: Readonly<Record<string, number>>): string {
  if (value === 0) return '0';
  const out: string[] = [];
  let rest = value >>> 0;
  for (const [name, bit] of Object.entries(table)) {
    if ((rest & bit) !== 0) {
      out.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0) out.push(`0x${rest.toString(16)}`);
  return out.join('|');
}

export const seccompFlags = (v: number): string => flagNames(v, SECCOMP_FILTER_FLAG);
export const restrictFlags = (v: number): string => flagNames(v, LANDLOCK_RESTRICT_SELF);

/** A Landlock fs access mask as right names (`read_file|write_file`), `—` when empty. */
/** A u64 mask's known low bits by name, the rest as one hex value (model/u64.ts). */
function maskWords(mask: U64, low: (m: number) => string): string {
  if (mask === 0) return '—';
  const lo = u64Lo(mask);
  const high = u64BigInt(mask) - BigInt(lo);
  const words = lo === 0 ? [] : [low(lo)];
  if (high > 0n) words.push(`0x${high.toString(16)}`);
  return words.join('|');
}

export function fsMask(mask: U64): string {
  return maskWords(mask, (m) => {
    const names = fsRightNames(m);
    const known = names.reduce((k, n) => k + FS_BY_NAME[n], 0);
    const rest = m - known;
    return [...names, ...(rest > 0 ? [`0x${rest.toString(16)}`] : [])].join('|');
  });
}

export function netMask(mask: U64): string {
  return maskWords(mask, (m) => flagNames(m, { bind_tcp: NET.BIND_TCP, connect_tcp: NET.CONNECT_TCP }));
}

export function scopeMask(mask: U64): string {
  return maskWords(mask, (m) => flagNames(m, { abstract_unix: SCOPE.ABSTRACT_UNIX_SOCKET, signal: SCOPE.SIGNAL }));
}

/** x86_64 syscall names for the numbers strata's universes and ops use. */
const X86_64: Readonly<Record<number, string>> = {
  0: 'read', 1: 'write', 3: 'close', 39: 'getpid', 42: 'connect', 49: 'bind', 56: 'clone', 57: 'fork',
  59: 'execve', 60: 'exit', 62: 'kill', 63: 'uname', 101: 'ptrace', 102: 'getuid', 104: 'getgid',
  107: 'geteuid', 110: 'getppid', 126: 'capset', 140: 'getpriority', 157: 'prctl', 165: 'mount',
  231: 'exit_group', 257: 'openat', 265: 'linkat', 316: 'renameat2', 317: 'seccomp', 321: 'bpf',
  444: 'landlock_create_ruleset', 445: 'landlock_add_rule', 446: 'landlock_restrict_self',
};
const I386: Readonly<Record<number, string>> = { 1: 'exit', 20: 'getpid', 37: 'kill' };

/** `getpid(39)`, `i386 getpid(20)`, or `syscall 999` when unnamed. */
export function syscallName(nr: number, arch: number = AUDIT_ARCH_X86_64): string {
  if (arch === AUDIT_ARCH_X86_64) return X86_64[nr] ? `${X86_64[nr]}(${nr})` : `syscall ${nr}`;
  if (arch === AUDIT_ARCH_I386) return I386[nr] ? `i386 ${I386[nr]}(${nr})` : `i386 syscall ${nr}`;
  return `syscall ${nr} (arch 0x${(arch >>> 0).toString(16)})`;
}

/**
 * A request in words. Task-relative requests name the target tid when `targetTid` resolves it.
 */
export function requestWords(r: Request, targetTid?: (ref: number) => number | undefined): string {
  switch (r.kind) {
    case 'syscall': {
      const args = r.args.some((a) => a !== 0) ? ` args [${r.args.join(', ')}]` : '';
      const ip = r.ip !== 0 ? ` ip 0x${r.ip.toString(16)}` : '';
      return `${syscallName(r.nr, r.arch)}${args}${ip}`;
    }
    case 'fs': return `${r.access} ${r.path}`;
    case 'rename': case 'link': return `${r.kind} ${r.from} into ${r.to}`;
    case 'exchange': return `exchange ${r.from} with ${r.to}`;
    case 'mount': return r.call !== undefined && r.call !== 'new' ? r.call.replace('_', ' ') : 'mount';
    case 'net': return `${r.op} ${r.proto ?? 'tcp'}${r.family === 6 ? '6' : ''} port ${r.port}`;
    case 'sigurg': {
      if (r.to === undefined) return `send MSG_OOB on socket #${r.fd} (SIGURG to its peer's owner)`;
      const tid = targetTid?.(r.to);
      return `send MSG_OOB on socket #${r.fd} (SIGURG at ${tid !== undefined ? `t${tid}` : `<task #${r.to}>`})`;
    }
    case 'proc': {
      const tid = targetTid?.(r.target);
      return `open /proc/${tid !== undefined ? `t${tid}` : `<task #${r.target}>`}/${PROC_PATH[r.file]}`;
    }
    default: {
      const tid = targetTid?.(r.target);
      const what = r.kind !== 'abstract_unix' ? r.kind : r.type === 'dgram' ? 'send a datagram to the abstract unix socket of' : 'connect to abstract unix socket of';
      return `${what} ${tid !== undefined ? `t${tid}` : `task #${r.target}`}${r.listener !== undefined ? ` (its listener socket #${r.listener}, kept from unix_listen)` : ''}`;
    }
  }
}

/** An outcome in words, errnos by name: `EPERM (seccomp)`, `allow`, `kill_process`. */
export function outcomeWords(o: Outcome): string {
  if (o.kind === 'errno') return o.errno === 0 ? `skipped, returns 0 (${o.by})` : `${errnoName(o.errno)} (${o.by})`;
  return formatOutcome(o);
}
