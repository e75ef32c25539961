// The model world's change over one step, for `strata replay`: tasks added and removed, each
// surviving task's credentials, seccomp mode, filter count, Landlock depth and fd table (one line
// per thread group for the shared table), and rulesets and maps created or changed.
import type { World, Task, FdEntry, FdTable } from '../model/state.js';
import type { Ruleset } from '../model/landlock/ruleset.js';
import { stacksWords, groupLines, GROUP_SHOWN } from './layers.js';
import type { TaskChanges } from './task-changes.js';
import { taskChanges } from './task-changes.js';
import { fsMask, netMask, syscallName } from './names.js';
import type { BpfMap } from '../model/maps/map.js';

const MODE = ['off', 'strict', 'filter'] as const;
const bit = (b: boolean): string => (b ? '1' : '0');
/** Tasks named as sharers of a changed fd table; the rest are counted. */
const SHARERS_SHOWN = 8;

/** `3 ruleset 0`, `4 listener 1 (cloexec)`. */
export function fdEntryWords(e: FdEntry): string {
  const obj = e.obj.kind === 'layer_handle' ? `layer handle ${e.obj.layer}` : `${e.obj.kind} ${e.obj.id}`;
  return `${e.fd} ${obj}${e.cloexec ? ' (cloexec)' : ''}`;
}

export function fdTableWords(fds: FdTable): string {
  return fds.length === 0 ? '{}' : `{${fds.map(fdEntryWords).join(', ')}}`;
}

/** A task's whole visible state in one line (new tasks, world summaries). */
export function taskWords(t: Task): string {
  const kind = t.tid === t.tgid ? `process, parent t${t.ppid}` : `thread of t${t.tgid}`;
  const flags = [`no_new_privs ${bit(t.nnp)}`, t.capSysAdmin ? 'CAP_SYS_ADMIN' : 'no CAP_SYS_ADMIN'];
  if (t.compromised) flags.push('compromised');
  return `t${t.tid} (${kind}): ${flags.join(', ')}, ${stacksWords(t)}, fds ${fdTableWords(t.fds)}`;
}

/** `ruleset 0: fs read_file, net —, 2 rules`. */
export function rulesetWords(r: Ruleset): string {
  const rules = r.fsRules.size + r.netRules.size;
  return `ruleset ${r.id}: handles fs ${fsMask(r.handledFs)}, net ${netMask(r.handledNet)}; ${rules} rule${rules === 1 ? '' : 's'}`;
}

/** `map 0: {getpid(39), getuid(102)}`. */
export function mapWords(m: BpfMap): string {
  return `map ${m.id}: {${m.keys.map((k) => syscallName(k)).join(', ')}}`;
}

/** The world's change as lines (empty when nothing changed); consecutive tasks with the same
 * change share a line (layers.ts:groupLines). */
export function worldDiff(before: World, after: World, changes: TaskChanges = taskChanges(before, after)): string[] {
  if (before === after) return [];
  const out: string[] = [];
  const { removed, changed } = changes;
  const run: number[] = [];
  for (const t of removed) run.push(t.tid);
  if (run.length > GROUP_SHOWN + 1) groupLines(run, 'are gone', out, '- ', ' ', ' ');
  else groupLines(run, 'is gone', out, '- ');
  run.length = 0;
  let text = '';
  let words = '';
  let pb: Task | undefined;
  let pt: Task | undefined;
  const fdsShown = new Set<FdTable>();
  for (const { before: b, after: t } of changed) {
    if (!b) {
      groupLines(run, text, out, '~ ', ': ');
      run.length = 0;
      text = '';
      pb = undefined;
      out.push(`+ ${taskWords(t)}`);
      fdsShown.add(t.fds);
      continue;
    }
    // Fields shown equal to the previous task's, before and after, and no fd table change:
    // the same words (TSYNC changes every thread of a group alike).
    const same = pb !== undefined && pt !== undefined && b.fds === t.fds && pb.fds === pt.fds && sameShown(b, pb) && sameShown(t, pt);
    pb = b;
    pt = t;
    if (!same) words = changeWords(b, t, after, fdsShown);
    if (words === '') continue;
    if (words !== text) {
      groupLines(run, text, out, '~ ', ': ');
      run.length = 0;
      text = words;
    }
    run.push(t.tid);
  }
  groupLines(run, text, out, '~ ', ': ');
  if (after.rulesets !== before.rulesets) {
    for (const r of after.rulesets) {
      const b = before.rulesets[r.id];
      if (!b) out.push(`+ ${rulesetWords(r)}`);
      else if (b !== r) out.push(`~ ${rulesetWords(r)} (was ${b.fsRules.size + b.netRules.size})`);
    }
  }
  if (after.maps !== before.maps) {
    for (const m of after.maps) {
      const b = before.maps[m.id];
      if (!b) out.push(`+ ${mapWords(m)}`);
      else if (b !== m) out.push(`~ ${mapWords(m)} (was ${b.keys.length} key${b.keys.length === 1 ? '' : 's'})`);
    }
  }
  return out;
}

/** The fields changeWords shows, fds aside, are equal. */
function sameShown(a: Task, b: Task): boolean {
  return a.nnp === b.nnp && a.capSysAdmin === b.capSysAdmin && a.compromised === b.compromised && a.seccompMode === b.seccompMode
    && a.filterCount === b.filterCount && a.domain === b.domain && a.llLogSubdomainsOff === b.llLogSubdomainsOff;
}

/** A surviving task's change without its tid (`no_new_privs 0 → 1, …`), '' if none shows. */
function changeWords(b: Task, t: Task, after: World, fdsShown: Set<FdTable>): string {
  const parts: string[] = [];
  if (b.nnp !== t.nnp) parts.push(`no_new_privs ${bit(b.nnp)} → ${bit(t.nnp)}`);
  if (b.capSysAdmin !== t.capSysAdmin) parts.push(t.capSysAdmin ? 'CAP_SYS_ADMIN regained' : 'CAP_SYS_ADMIN dropped');
  if (b.compromised !== t.compromised) parts.push('now compromised');
  if (b.seccompMode !== t.seccompMode) parts.push(`seccomp mode ${MODE[b.seccompMode]} → ${MODE[t.seccompMode]}`);
  if (b.filterCount !== t.filterCount) parts.push(`Seccomp_filters ${b.filterCount} → ${t.filterCount}`);
  const db = b.domain?.depth ?? 0;
  const da = t.domain?.depth ?? 0;
  if (db !== da) parts.push(`Landlock layers ${db} → ${da}`);
  else if (b.domain !== t.domain) parts.push('Landlock domain replaced');
  if (b.llLogSubdomainsOff !== t.llLogSubdomainsOff) parts.push(`LOG_SUBDOMAINS_OFF ${bit(b.llLogSubdomainsOff)} → ${bit(t.llLogSubdomainsOff)}`);
  if (b.fds !== t.fds && !fdsShown.has(t.fds) && !sameFds(b.fds, t.fds)) {
    const sharers: string[] = [];
    let more = 0;
    for (const x of after.tasks) {
      if (x.fds !== t.fds || x.tid === t.tid) continue;
      if (sharers.length < SHARERS_SHOWN) sharers.push(`t${x.tid}`);
      else more++;
    }
    if (more) sharers.push(`and ${more} more`);
    parts.push(`fds ${fdTableWords(b.fds)} → ${fdTableWords(t.fds)}${sharers.length ? ` (shared with ${sharers.join(', ')})` : ''}`);
    fdsShown.add(t.fds);
  }
  return parts.join(', ');
}

function sameFds(a: FdTable, b: FdTable): boolean {
  return a.length === b.length && a.every((e, i) => e.fd === b[i]!.fd && e.cloexec === b[i]!.cloexec && JSON.stringify(e.obj) === JSON.stringify(b[i]!.obj));
}
