// Whether the live-kernel executor can run here at all, said in one line: it must run as root
// (each scenario gets its own mount and network namespaces, tasks change credentials) and its
// binary must be built (conformance/build.sh, run by `npm ci`).
import { existsSync } from 'node:fs';

/** Why the executor at `binary` cannot run in this process, or null if it may. */
export function executorUnavailableReason(binary: string, uid: number | undefined = process.getuid?.()): string | null {
  if (uid !== undefined && uid !== 0) {
    return `the live-kernel executor needs root (it creates a namespace per scenario); running as uid ${uid}`;
  }
  if (!existsSync(binary)) return `the live-kernel executor is not built (${binary} is missing): run "sh conformance/build.sh" (npm ci runs it)`;
  return null;
}
