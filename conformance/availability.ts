// Whether the live-kernel executor can run here, and what of the model's world it can realise.
// Two checks, both said in one line naming what is missing and how to get it:
//  - before the executor starts (executorUnavailableReason): root (each scenario gets its own
//    namespaces, tasks change credentials), the binary built and executable (not on a noexec
//    mount: spawning it would fail);
//  - from its feature reply (environmentProblem): what the executor itself runs with, which
//    every task starts from (the exec helper image, capabilities, an inherited seccomp filter,
//    the work directory's mount flags).
// A missing piece the model's world can do without is adapted to instead (worldUnavailableReason,
// environmentAdaptations): without CAP_SYS_ADMIN scenarios start without it, and so on.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import type { KernelFeatures } from './result.js';

/** Capability numbers (include/uapi/linux/capability.h). */
const CAP_SYS_ADMIN = 21n;
const CAP_MKNOD = 27n;

const hasCap = (capEff: bigint, cap: bigint): boolean => ((capEff >> cap) & 1n) === 1n;

/** The executor runs without CAP_SYS_ADMIN (root in a container with default capabilities). */
export function lacksCapSysAdmin(f: KernelFeatures): boolean {
  return f.environment !== undefined && !hasCap(f.environment.capEff, CAP_SYS_ADMIN);
}

/** Why the executor at `binary` cannot run in this process, or null if it may. */
export function executorUnavailableReason(binary: string, uid: number | undefined = process.getuid?.()): string | null {
  if (uid !== undefined && uid !== 0) {
    return `the live-kernel executor needs root (it creates a namespace per scenario); running as uid ${uid}`;
  }
  if (!existsSync(binary)) return `the live-kernel executor is not built (${binary} is missing): run "sh conformance/build.sh" (npm ci runs it)`;
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    // access(2) with X_OK fails for root only without any x bit or on a noexec mount (fs/open.c:do_faccessat)
    const mode = statSync(binary).mode;
    if ((mode & 0o111) === 0) return `the live-kernel executor ${binary} is not executable (mode ${(mode & 0o7777).toString(8)}): run "sh conformance/build.sh" (npm ci runs it)`;
    return `the live-kernel executor ${binary} cannot be executed: its file system is mounted noexec; install strata on a file system mounted exec (or copy conformance/build there and pass --executor)`;
  }
  return null;
}

/** What the executor reported about itself makes every scenario unfaithful: the one-line reason
 * (what is missing and how to get it), or null. A stand-in that reports nothing is trusted. */
export function environmentProblem(f: KernelFeatures): string | null {
  if (f.seccompActions.length === 0) {
    return 'this kernel offers no seccomp filters (SECCOMP_GET_ACTION_AVAIL knows no action: CONFIG_SECCOMP_FILTER off, or seccomp(2) blocked for the executor): run on a kernel with seccomp filters';
  }
  const e = f.environment;
  if (!e) return null;
  if (e.execImage !== 'task') {
    return 'the exec helper conformance/build/strata-task is missing beside the executor (its build failed: see conformance/build/task.log; the fallback image makes system calls the model does not know of): install gcc with its static libgcc and rerun "sh conformance/build.sh"';
  }
  if (e.seccompMode !== 0) {
    return 'the live-kernel executor itself runs under a seccomp filter (every task would start with it; a container\'s default seccomp profile?): run it without one (docker run --security-opt seccomp=unconfined)';
  }
  if (!hasCap(e.capEff, CAP_MKNOD)) {
    return 'the live-kernel executor needs CAP_MKNOD (each scenario\'s tree holds a character device): run it with that capability (it is in Docker\'s default set; docker run --cap-add MKNOD)';
  }
  if (!e.mknod) {
    return 'the live-kernel executor cannot make a character device (each scenario\'s tree holds one) although it has CAP_MKNOD: a user namespace (rootless container?) allows none; run it as root of the initial user namespace';
  }
  if (!f.mountns && (e.workdirNoexec || e.workdirNodev)) {
    const flag = e.workdirNoexec ? 'noexec' : 'nodev';
    return `without a private mount namespace (it needs CAP_SYS_ADMIN) the scenarios' trees are built in TMPDIR, whose file system is mounted ${flag} (execute or device probes would fail there): set TMPDIR to a directory on a file system mounted exec,dev, or run with CAP_SYS_ADMIN`;
  }
  return null;
}

/** Why the executor cannot start a scenario's first task in `world`, or null if it can. */
export function worldUnavailableReason(world: { readonly nnp?: boolean; readonly capSysAdmin?: boolean }, f: KernelFeatures): string | null {
  const e = f.environment;
  if (!e) return null;
  if ((world.capSysAdmin ?? true) && !hasCap(e.capEff, CAP_SYS_ADMIN)) {
    return 'the scenario\'s first task has CAP_SYS_ADMIN, which the executor lacks (a container\'s default capabilities?): run with it (docker run --cap-add SYS_ADMIN)';
  }
  if (!(world.nnp ?? false) && e.noNewPrivs) {
    return 'the scenario\'s first task starts without no_new_privs, which the executor already has set (inherited from its parent): run it from a process without no_new_privs';
  }
  return null;
}

/** How the world strata conform generates is adapted to this executor, one line each. */
export function environmentAdaptations(f: KernelFeatures): string[] {
  const e = f.environment;
  const out: string[] = [];
  if (lacksCapSysAdmin(f)) {
    out.push('no CAP_SYS_ADMIN: every scenario\'s first task starts without it and exec ops are skipped (run with CAP_SYS_ADMIN for the full world)');
  }
  if (e?.noNewPrivs) out.push('no_new_privs is already set on the executor: every scenario\'s first task starts with it');
  return out;
}
