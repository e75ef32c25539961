// seccomp filter return values and the one precedence rule (include/uapi/linux/seccomp.h,
// kernel/seccomp.c:seccomp_run_filters, __seccomp_filter).
import type { SeccompActionKind } from '../outcome.js';

export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_KILL_THREAD = 0x00000000;
export const SECCOMP_RET_KILL = SECCOMP_RET_KILL_THREAD;
export const SECCOMP_RET_TRAP = 0x00030000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_USER_NOTIF = 0x7fc00000;
export const SECCOMP_RET_TRACE = 0x7ff00000;
export const SECCOMP_RET_LOG = 0x7ffc0000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;

export const SECCOMP_RET_ACTION_FULL = 0xffff0000;
export const SECCOMP_RET_ACTION = 0x7fff0000;
export const SECCOMP_RET_DATA = 0x0000ffff;

/** The eight action values the kernel knows (seccomp_get_action_avail). */
export const KNOWN_ACTIONS: readonly number[] = [
  SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_TRAP, SECCOMP_RET_ERRNO,
  SECCOMP_RET_USER_NOTIF, SECCOMP_RET_TRACE, SECCOMP_RET_LOG, SECCOMP_RET_ALLOW,
];

// Builders (data is the low 16 bits).
export const retErrno = (errno: number): number => (SECCOMP_RET_ERRNO | (errno & SECCOMP_RET_DATA)) >>> 0;
export const retTrap = (data = 0): number => (SECCOMP_RET_TRAP | (data & SECCOMP_RET_DATA)) >>> 0;
export const retTrace = (data = 0): number => (SECCOMP_RET_TRACE | (data & SECCOMP_RET_DATA)) >>> 0;

/** ACTION_ONLY(ret): (s32)(ret & SECCOMP_RET_ACTION_FULL) — the value filters compete by. */
export function actionOnly(ret: number): number {
  return (ret & 0xffff0000) | 0;
}

/** SECCOMP_RET_DATA of a return value. */
export function retData(ret: number): number {
  return ret & SECCOMP_RET_DATA;
}

/**
 * seccomp_run_filters' step: does `cur` (an older filter's value) replace `best` (the value so
 * far, from newer filters)? Only when strictly less, so ties keep the newer filter's value.
 */
export function replaces(cur: number, best: number): boolean {
  return actionOnly(cur) < actionOnly(best);
}

/**
 * Combine a sequence of filter returns given newest first, as seccomp_run_filters does:
 * start from ALLOW, replace on strictly-less. Returns the winning u32 and its index (or -1
 * when nothing beat the initial ALLOW, i.e. `match` stays NULL).
 */
export function foldNewestFirst(rets: readonly number[]): { ret: number; index: number } {
  let ret = SECCOMP_RET_ALLOW;
  let index = -1;
  for (let i = 0; i < rets.length; i++) {
    const r = rets[i]! >>> 0;
    if (replaces(r, ret)) { ret = r; index = i; }
  }
  return { ret, index };
}

/** The kind __seccomp_filter dispatches on (action = ret & ACTION_FULL); unknown → kill_process. */
export function actionKind(ret: number): SeccompActionKind {
  switch ((ret & 0xffff0000) >>> 0) {
    case SECCOMP_RET_KILL_THREAD: return 'kill_thread';
    case SECCOMP_RET_TRAP: return 'trap';
    case SECCOMP_RET_ERRNO: return 'errno';
    case SECCOMP_RET_USER_NOTIF: return 'user_notif';
    case SECCOMP_RET_TRACE: return 'trace';
    case SECCOMP_RET_LOG: return 'log';
    case SECCOMP_RET_ALLOW: return 'allow';
    default: return 'kill_process'; // KILL_PROCESS and every unknown value
  }
}

/** Human-readable name of a return value, e.g. "ERRNO(13)", "0x40000(unknown)". */
export function formatRet(ret: number): string {
  const d = retData(ret);
  const full = (ret & 0xffff0000) >>> 0;
  const known = KNOWN_ACTIONS.includes(full);
  if (!known) return `0x${(ret >>> 0).toString(16)}(unknown→KILL_PROCESS)`;
  const name = actionKind(ret).toUpperCase();
  return d === 0 ? name : `${name}(${d})`;
}
