// Writes the corpus's generated part once: corpus/section6/ from properties/section6.ts (every
// minimal witness of layering-designs §6, and the §6-style rows strata added) and
// corpus/conform/ from the scenarios that pinned the model and executor bugs strata conform
// found (git history: "found by strata conform"; conformance/seccomp.test.ts,
// conformance/landlock.test.ts, model/task/conformance-fixes.test.ts, model/seccomp/filter.test.ts).
// Each file is a trace: the model's results are recorded, so a change of the model shows.
// Run once by hand (`npx tsx corpus/make.ts`); the files are kept on purpose, never regenerated
// by a test (corpus/corpus.test.ts replays them and fails on any change of result).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Op } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG as FLAG } from '../model/ops.js';
import { SECTION6 } from '../properties/section6.js';
import { runTrace, traceToScenario } from '../properties/trace.js';
import { ALL_PROPERTIES } from '../properties/all.js';
import { builtinVariant } from '../variants/registry.js';
import { formatScenario } from '../scenario/format.js';
import { NR, RET, FS, PLUMBING, allowOnly, closeFd, exec, exit, filter, fork, observe, onNr, ret, setNnp, strict, thread, dropCap, ruleset, sendFd } from '../conformance/fixtures.js';

const root = fileURLToPath(new URL('.', import.meta.url));

function write(dir: string, name: string, variantId: string, ops: readonly Op[], description: string): void {
  const variant = builtinVariant(variantId)!;
  const trace = runTrace(variant, ops);
  const violated = ALL_PROPERTIES.flatMap((p) => {
    const v = p.check(trace);
    return v ? [`${p.id} at #${v.atStep}`] : [];
  });
  const s = traceToScenario(trace, { description: `${description} [model: ${violated.length ? `violates ${violated.join(', ')}` : 'every property holds'}]` });
  mkdirSync(`${root}${dir}`, { recursive: true });
  writeFileSync(`${root}${dir}/${name}.json`, formatScenario(s));
}

SECTION6.forEach((row, i) => {
  write('section6', `${String(i + 1).padStart(2, '0')}-${row.variant}`, row.variant, row.ops, `layering-designs §6 witness: ${row.row}`);
});

const notif = onNr(NR.getpid, RET.USER_NOTIF);
const ptrace = (task: number, target: number): Op => ({ op: 'probe', task, request: { kind: 'ptrace', target } });
const addRule = (task: number, path: string, access: number): Op => ({ op: 'ruleset_add_rule', task, ruleset: 0, rule: { type: 'path_beneath', path, access } });

const CONFORM: readonly [string, readonly Op[], string][] = [
  ['model-cap-sys-admin-at-exec', [dropCap(0), filter(0, ret(RET.ALLOW)), exec(0), filter(0, ret(RET.ALLOW)), observe(0)],
    'model bug found by strata conform (commit e2a4841): root regains CAP_SYS_ADMIN at exec from its permitted set (security/commoncap.c:cap_bprm_creds_from_file) — a filter install is EACCES after drop_cap and succeeds after exec'],
  ['model-ptrace-own-thread-group', [thread(0), ptrace(0, 1), ptrace(1, 0)],
    'model bug found by strata conform (commit e2a4841): PTRACE_ATTACH to a task of the caller\'s own thread group is EPERM before any LSM (kernel/ptrace.c:ptrace_attach)'],
  ['model-listener-freed-on-close', [filter(0, notif, FLAG.NEW_LISTENER), fork(0), closeFd(0, 0), filter(0, notif, FLAG.NEW_LISTENER), closeFd(1, 0), filter(0, notif, FLAG.NEW_LISTENER)],
    'model bug found by strata conform (commit 4118b76): a listener whose every descriptor is closed no longer counts for has_duplicate_listener — EBUSY while the forked child holds it, ok once it is closed there too (kernel/seccomp.c:seccomp_notify_detach)'],
  ['executor-kill-process-on-exit', [setNnp(0), filter(0, onNr(NR.exit, RET.KILL_PROCESS)), thread(0), exit(0), observe(0)],
    'executor bug found by strata conform (commit ce34365): a filter\'s KILL_PROCESS on exit(2) ends the whole thread group, siblings too (the executor asks a sibling)'],
  ['executor-kill-thread-on-exit', [setNnp(0), filter(0, onNr(NR.exit, RET.KILL_THREAD)), thread(0), exit(0), observe(0)],
    'executor bug found by strata conform (commit ce34365): a filter\'s KILL_THREAD on exit(2) of a thread with siblings looks like the exit itself'],
  ['executor-strict-exec-leader', [thread(0), strict(0), exec(0), observe(0)],
    'executor bug found by strata conform (commit ce34365): strict mode kills only the exec\'ing thread (here the leader) before execve runs; its sibling lives on (the executor watches the thread\'s own pidfd)'],
  ['executor-strict-exec-thread', [thread(0), strict(1), exec(1), observe(0)],
    'executor bug found by strata conform (commit ce34365): strict mode kills only the exec\'ing thread (not the leader) before execve runs; the leader lives on'],
  ['executor-oracle-trap-not-op', [filter(0, onNr(NR.exit, RET.TRAP | 7)), strict(0), observe(0), fork(0)],
    'executor bug found by strata conform (commit ce34365): a trap on the layer oracle\'s exit(2) (its child shares the task\'s memory) is not the op\'s'],
  ['executor-thread-killed-in-add-rule', [filter(0, onNr(445, RET.KILL_THREAD)), thread(0), addRule(0, '/c/f', FS.READ_FILE), ruleset(0, FS.REFER)],
    'executor bug found by strata conform (commit 67d4d66): a thread killed inside landlock_add_rule leaves no descriptor of the executor behind in its group (descriptor numbers keep matching the model\'s)'],
  ['executor-send-fd-trap', [ruleset(0, FS.MAKE_REG), fork(0), filter(0, onNr(NR.sendmsg, RET.TRAP | 7)), sendFd(0, 0, 1), observe(0)],
    'executor bug found by strata conform (commit 5dbd92e): send_fd answers a trap on its sendmsg like any op (it was taken for a sent descriptor)'],
  ['executor-send-fd-errno-0', [ruleset(0, FS.MAKE_REG), fork(0), filter(0, onNr(NR.sendmsg, RET.ERRNO | 0)), sendFd(0, 0, 1), ruleset(1, FS.MAKE_REG)],
    'executor bug found by strata conform (commit 5dbd92e): a RET_ERRNO(0) on send_fd\'s sendmsg returns 0 and nothing arrives (the receiver\'s next descriptor number shows it)'],
  ['executor-notify-oracle-not-op', [filter(0, onNr(446, RET.USER_NOTIF), FLAG.NEW_LISTENER), strict(0)],
    'executor bug found by strata conform (commit b4ead27): only the acting task\'s own user notification is the op\'s — the layer oracle\'s child made strict mode look stopped; strict after the filter is EINVAL'],
  ['executor-send-fd-to-strict', [ruleset(0, FS.MAKE_REG), fork(0), strict(1), sendFd(0, 0, 1), observe(1)],
    'executor bug found by strata conform (commit b4ead27): send_fd to a task in strict mode is skipped on the kernel (its recvmsg would kill it), not a killed receiver'],
  ['executor-orphan-opath-strict-sibling', [thread(0), strict(1), strict(0), addRule(0, '/a', FS.READ_FILE), observe(0)],
    'executor bug found by strata conform (commit 5a86da7): the orphaned O_PATH descriptor is not dropped through a strict sibling (its close_range would kill it)'],
  ['model-op-gate-passes-the-resolved-fd', [
    filter(0, [[0x20, 0, 0, 0], [0x15, 0, 3, NR.close], [0x20, 0, 0, 16], [0x15, 0, 1, 0x7ffffffe], [6, 0, 0, RET.ERRNO | 1], [6, 0, 0, RET.ALLOW]]),
    closeFd(0, 0), ruleset(0, FS.READ_FILE), closeFd(0, 0), closeFd(0, 0)],
    'model bug found by strata conform (commit e2a4841): the op gate gives a filter the descriptor the op resolves — close(2) with no descriptor to name passes NO_FD (0x7ffffffe) as the executor does, so a filter matching it answers EPERM before the kernel\'s EBADF; with a ruleset fd open the same op closes it (kernel/seccomp.c:__secure_computing sees the call\'s real arguments)'],
  ['model-exec-kills-the-blocked-thread', [
    { op: 'notif_supervise', task: 0 }, filter(0, onNr(NR.getgid, RET.USER_NOTIF), FLAG.NEW_LISTENER), thread(0),
    { op: 'probe', task: 0, request: { kind: 'syscall', nr: NR.getgid, arch: 0xc000003e, ip: 0, args: [0, 0, 0, 0, 0, 0] } },
    exec(1), ruleset(0, FS.READ_FILE)],
    'model bug found by strata conform (the supervisor protocol\'s first 5000-scenario run): an exec by a non-leader thread kills the leader blocked in a notified call (fs/exec.c:de_thread) and takes over its tid — the notification goes with the dead thread, and the new t100 runs ops'],
  ['model-notif-op-unsupervised-before-filters', [setNnp(0), filter(0, allowOnly(PLUMBING, RET.ERRNO | 1)), { op: 'notif_recv', task: 0, fd: 1 }],
    'model bug found by strata conform (the 20 000-scenario run with tracers, seed 7): a listener ioctl in a scenario without notif_supervise is out of scope before any filter sees it, as on the executor — the model let the task\'s ERRNO filter stop it first'],
  ['model-notif-recv-would-block-before-filters', [setNnp(0), filter(0, onNr(16, RET.ERRNO | 1)), filter(0, ret(RET.ALLOW), FLAG.NEW_LISTENER),
    { op: 'notif_supervise', task: 0 }, { op: 'notif_recv', task: 0, fd: 0 }],
    'model bug found by strata conform (the same run, once the above was fixed): a RECV with nothing queued on a filter with users would sleep, which the executor refuses before the task calls ioctl(2) — out of scope before a filter denying ioctl(2) decides it (the model let the filter stop it)'],
  ['model-rmdir-dot', [
    { op: 'chdir', task: 0, path: '/a/s' },
    { op: 'probe', task: 0, request: { kind: 'fs', access: 'remove_dir', path: '.' } },
    { op: 'probe', task: 0, request: { kind: 'fs', access: 'remove_dir', path: '..' } },
    { op: 'probe', task: 0, request: { kind: 'fs', access: 'remove_file', path: '.' } }],
    'model bug found by strata conform (the first 20 000-scenario run with relative paths, seed 7): rmdir(".") is EINVAL before any hook (fs/namei.c:do_rmdir, LAST_DOT), where the model decided it as an rmdir of the cwd\'s absolute path; rmdir("..") is ENOTEMPTY and unlink(".") EISDIR alike'],
  ['model-abstract-dgram-is-sendto', [thread(0), filter(0, onNr(44, RET.ERRNO | 1)),
    { op: 'probe', task: 0, request: { kind: 'abstract_unix', target: 1, type: 'dgram' } },
    { op: 'probe', task: 0, request: { kind: 'abstract_unix', target: 1 } }],
    'model bug found by strata conform (8 000 scenarios, seed 41): an abstract-unix datagram is sent with sendto(2), which a filter sees — the model gave seccomp connect(2), the stream request\'s call'],
];

for (const [name, ops, description] of CONFORM) write('conform', name, 'linux', ops, description);
