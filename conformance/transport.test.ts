// The local transport's post-mortem kill of a dead executor's scenario (killScenarioGroup): it
// kills the scenario's process group and every process of its session, and nothing else when
// the coordinator's pid has come to name another process — a session leader started later, as
// another executor's coordinator is under --workers once the number is reused (pid_max 32768
// here, and a full table forks thousands of disposable children a second).
import { describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { localTransport, sessionMembers, startTimeOf, statFields } from './transport.js';
import { DEFAULT_BINARY } from './runner.js';

/** A session of its own (spawn's `detached` is setsid(2)), led by a shell with two sleeping
 * children in it, one of them in a process group of its own (perl setpgrp: perl-base is essential in Debian). Its leader's pid. */
async function foreignSession(): Promise<number> {
  const c = spawn('sh', ['-c', 'sleep 60 & perl -e "setpgrp(0, 0); sleep 60" & sleep 60'], { stdio: 'ignore', detached: true });
  const sid = c.pid!;
  const deadline = Date.now() + 5000;
  for (;;) {
    const members = sessionMembers(sid);
    const groups = new Set(members.map((p) => statFields(p)?.[2] ?? null));
    if (members.length >= 4 && groups.size >= 2) return sid;
    if (Date.now() > deadline) throw new Error(`the session did not come up: ${members.length} members, ${groups.size} groups`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every one of `pids` gone or a zombie within `ms`. */
async function gone(pids: readonly number[], ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (pids.every((p) => { const s = statFields(p)?.[0] ?? null; return s === null || s === 'Z'; })) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('localTransport.killScenarioGroup', () => {
  const transport = localTransport(DEFAULT_BINARY);

  test('kills the whole session, also members that left the leader\'s process group', async () => {
    const sid = await foreignSession();
    const members = sessionMembers(sid);
    expect(members.length).toBeGreaterThanOrEqual(3);
    transport.killScenarioGroup({ pgid: sid, leaderStart: startTimeOf(sid) });
    expect(await gone(members, 3000)).toBe(true);
    expect(sessionMembers(sid)).toEqual([]);
  });

  test('leaves alone a session whose leader started at another time than the one announced (a reused pid)', async () => {
    const sid = await foreignSession();
    const members = sessionMembers(sid);
    const start = startTimeOf(sid)!;
    transport.killScenarioGroup({ pgid: sid, leaderStart: start - 1 });
    await new Promise((r) => setTimeout(r, 200));
    expect(sessionMembers(sid).sort()).toEqual(members.sort());
    // and with the right start time it is this scenario's: killed
    transport.killScenarioGroup({ pgid: sid, leaderStart: start });
    expect(await gone(members, 3000)).toBe(true);
  });
});
