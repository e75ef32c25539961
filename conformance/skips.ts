// Which ops the live kernel cannot run faithfully, each with its reason (reported as `skip`,
// never as a pass): variant-only operations and fields, features this kernel lacks, and
// Landlock rights on which the scenario's ABI and the kernel's ABI disagree.
import { CREATE_RULESET } from '../model/landlock/access.js';
import { LANDLOCK_ERRATA_FIXED } from '../model/landlock/abi.js';
import { u64Bits, type U64 } from '../model/u64.js';
import type { Op, Insn } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG } from '../model/ops.js';
import { AUDIT_ARCH_I386 } from '../model/request.js';
import type { KernelFeatures } from './result.js';
import { lacksCapSysAdmin } from './availability.js';

/** The Landlock ABI that introduced each bit (Documentation/userspace-api/landlock.rst;
 * spec/landlock.md "ABI table"). Bits past the end need an ABI no known kernel has. */
const FS_BIT_ABI = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 5, 9];
const NET_BIT_ABI = [4, 4, 10, 10];
const SCOPE_BIT_ABI = [6, 6];
const RESTRICT_FLAG_ABI = [7, 7, 7, 8];
const NET_RULE_ABI = 4;

/** SECCOMP_RET_ACTION_FULL values by the names SECCOMP_GET_ACTION_AVAIL reports. */
const ACTIONS: ReadonlyMap<number, string> = new Map([
  [0x80000000, 'kill_process'], [0x00000000, 'kill_thread'], [0x00030000, 'trap'], [0x00050000, 'errno'],
  [0x7fc00000, 'user_notif'], [0x7ff00000, 'trace'], [0x7ffc0000, 'log'], [0x7fff0000, 'allow'],
]);

const MODEL_FILTER_FLAGS = Object.values(SECCOMP_FILTER_FLAG).reduce((a, b) => a | b, 0);


/** A bit the kernel and the scenario's world disagree on: one ABI has it, the other not. */
function abiConflict(mask: U64, table: readonly number[], what: string, worldAbi: number, kernelAbi: number): string | null {
  const lo = Math.min(worldAbi, kernelAbi);
  const hi = Math.max(worldAbi, kernelAbi);
  for (const b of u64Bits(mask)) {
    const need = table[b] ?? Infinity;
    if (need > lo && need <= hi) {
      return `${what} bit ${b} needs Landlock ABI ${need}: the kernel has ABI ${kernelAbi}, the scenario's world ABI ${worldAbi}`;
    }
  }
  return null;
}

function returnedActions(program: readonly Insn[]): number[] {
  const out: number[] = [];
  for (const i of program) if (Array.isArray(i) && i[0] === 0x06) out.push((i[3] >>> 0) & 0xffff0000);
  return out;
}

/** Why `op` is not run on this kernel, or null to run it. */
export function kernelSkipReason(op: Op, worldAbi: number, f: KernelFeatures): string | null {
  const landlock = (): string | null => (f.landlockAbi <= 0 ? 'this kernel has no Landlock' : null);
  switch (op.op) {
    case 'modify':
    case 'ruleset_supervisee':
      return `variant-only operation: Linux has no ${op.op}`;
    case 'map_create':
    case 'map_put':
      return `variant-only operation: ${op.op} exists only in variants with H1 maps (a seccomp filter cannot read a bpf map)`;
    case 'exec':
      if (f.environment && f.environment.execImage !== 'task') return 'the exec helper build/strata-task is missing: the fallback image makes system calls the model does not know of';
      // the model's tasks are root whose exec gives CAP_SYS_ADMIN back from the permitted set
      // (security/commoncap.c:cap_bprm_creds_from_file); this executor has none to give
      if (lacksCapSysAdmin(f)) return 'the executor lacks CAP_SYS_ADMIN, which a root task\'s exec gives back in the model';
      return f.execMemfd ? null : 'the exec helper image (a memfd copy of the executor) cannot be exec\'d here';
    case 'seccomp_filter': {
      if ((op.mutability !== undefined && op.mutability !== 'immutable') || op.export) return 'variant-only field (mutability/export) on seccomp_filter';
      if (op.map !== undefined) return 'variant-only field (map, H1 maps) on seccomp_filter';
      const unknown = op.flags & MODEL_FILTER_FLAGS & ~f.seccompFilterFlags;
      if (unknown) return `this kernel does not know seccomp filter flag(s) 0x${unknown.toString(16)}`;
      if (op.flags & SECCOMP_FILTER_FLAG.NEW_LISTENER && !f.userNotif) return 'user notification does not work on this kernel';
      if (Array.isArray(op.program)) {
        for (const a of returnedActions(op.program)) {
          const name = ACTIONS.get(a);
          if (name && !f.seccompActions.includes(name)) return `this kernel lacks the seccomp action ${name}`;
        }
      }
      return null;
    }
    case 'ruleset_create':
      if (op.supervisor) return 'variant-only field: supervisor rulesets (mutable-domains RFC)';
      // the queries answer what the kernel is: the model answers for its world
      if (op.flags === CREATE_RULESET.VERSION && worldAbi !== f.landlockAbi) {
        return landlock() ?? `the VERSION query answers the kernel's Landlock ABI ${f.landlockAbi}, the scenario's world is ABI ${worldAbi}`;
      }
      if (op.flags === CREATE_RULESET.ERRATA && f.landlockErrata !== LANDLOCK_ERRATA_FIXED) {
        return landlock() ?? `the ERRATA query: this kernel ${f.landlockErrata < 0 ? 'has no such query' : `fixes errata 0x${f.landlockErrata.toString(16)}`}, the model answers 0x${LANDLOCK_ERRATA_FIXED.toString(16)} (model/landlock/abi.ts)`;
      }
      return (
        landlock() ??
        abiConflict(op.fs, FS_BIT_ABI, 'handled fs access', worldAbi, f.landlockAbi) ??
        abiConflict(op.net, NET_BIT_ABI, 'handled net access', worldAbi, f.landlockAbi) ??
        abiConflict(op.scoped, SCOPE_BIT_ABI, 'scope', worldAbi, f.landlockAbi)
      );
    case 'ruleset_add_rule': {
      if (op.commit) return 'variant-only field: commit (mutable-domains RFC)';
      const r = op.rule;
      if (r?.type === 'net_port') {
        return landlock() ?? abiConflict(2 ** 0, [NET_RULE_ABI], 'net_port rule', worldAbi, f.landlockAbi) ??
          abiConflict(r.access, NET_BIT_ABI, 'net access', worldAbi, f.landlockAbi);
      }
      return landlock() ?? (r ? abiConflict(r.access, FS_BIT_ABI, 'fs access', worldAbi, f.landlockAbi) : null);
    }
    case 'restrict_self':
      if ((op.mutability !== undefined && op.mutability !== 'immutable') || op.export) return 'variant-only field (mutability/export) on restrict_self';
      return landlock() ?? abiConflict(op.flags, RESTRICT_FLAG_ABI, 'restrict_self flag', worldAbi, f.landlockAbi);
    case 'probe': {
      const r = op.request;
      if (r?.kind === 'syscall' && r.arch === AUDIT_ARCH_I386 && !f.ia32) return 'this kernel runs no i386 system calls (no IA32 emulation)';
      if (r?.kind === 'syscall' && r.ip !== 0) return 'the executor cannot make a call from a chosen instruction pointer';
      if (r?.kind === 'mount' && !f.mountns) return 'no private mount namespace for the mount probe';
      if (r?.kind === 'net' && !f.netns) return 'no private network namespace for the net probe (it would bind and connect on the host\'s loopback)';
      return null;
    }
    case 'umount':
      // the executor makes the tree's mounts, and the call, in its private mount namespace only
      return f.mountns ? null : 'no private mount namespace for the umount op (the call would act on the host\'s mounts)';
    case 'notif_supervise': case 'notif_recv': case 'notif_send': case 'notif_id_valid': case 'notif_addfd':
    case 'notif_set_flags': case 'notif_sizes': case 'notif_poll': case 'notif_return':
      return f.userNotif ? null : 'user notification does not work on this kernel';
    default:
      return null;
  }
}
