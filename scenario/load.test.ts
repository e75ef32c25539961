import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario, loadScenario } from './load.js';
import { MAX_SCENARIO_BYTES } from './limits.js';
import { ScenarioError } from './errors.js';
import { formatScenario } from './format.js';
import { sampleScenario, sampleDiscrepancy, kernelRunWithErrors } from './sample.js';
import { tempDir } from '../test/tmp.js';

/** The sample as a mutable plain object. */
function doc(): Record<string, any> {
  return JSON.parse(JSON.stringify(sampleScenario()));
}

/** The one-line message of parsing `d` as scenario.json (fails the test if it parses). */
function problem(d: unknown): string {
  try {
    parseScenario(typeof d === 'string' ? d : JSON.stringify(d), 'scenario.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('expected a ScenarioError');
}

type Case = readonly [what: string, mutate: (d: Record<string, any>) => unknown, message: string];

const CASES: readonly Case[] = [
  ['not JSON', () => '{"strata": "scenario",', 'scenario.json: not valid JSON (Expected double-quoted property name at line 1 column 23)'],
  ['truncated JSON', () => '{"strata": "scenario"', 'scenario.json: not valid JSON (Expected \',\' or \'}\' after property value at line 1 column 22)'],
  ['empty file', () => '', 'scenario.json: not valid JSON (the file is empty)'],
  ['JSON error with a position', () => '{"strata" "scenario"}', "scenario.json: not valid JSON (Expected ':' after property name at line 1 column 11)"],
  ['not an object', () => [1, 2], 'scenario.json: not a strata scenario (expected a JSON object)'],
  ['no strata marker', (d) => { delete d.strata; return d; }, 'scenario.json: /strata: not a strata scenario (expected "strata": "scenario")'],
  ['no version', (d) => { delete d.version; return d; }, 'scenario.json: /version: required field is missing'],
  ['unknown version', (d) => { d.version = 3; return d; }, 'scenario.json: /version: unsupported scenario version 3 (this strata reads versions 1 and 2; it writes 2)'],
  ['version as string', (d) => { d.version = '1'; return d; }, 'scenario.json: /version: unsupported scenario version "1" (this strata reads versions 1 and 2; it writes 2)'],
  ['a hex value in a version-1 document', (d) => { d.version = 1; d.ops.push({ op: 'ruleset_create', task: 0, fs: '0x8000000000000000', net: 0, scoped: 0 }); return d; },
    `scenario.json: /ops/55/fs: a hex value ("0x8000000000000000") needs scenario version 2 (this document says version 1)`],
  ['a hex value past 64 bits', (d) => { d.ops[0] = { op: 'ruleset_create', task: 0, fs: '0x10000000000000000', net: 0, scoped: 0 }; return d; }, 'scenario.json: /ops/0/fs: must be a u64: an integer in [0, 2^53), or a hex string "0x…" of 1 to 16 digits (scenario version 2)'],
  ['bad kind', (d) => { d.kind = 'log'; return d; }, 'scenario.json: /kind: must be one of "script", "trace"'],
  ['unknown top-level field', (d) => { d.seed = 3; return d; }, 'scenario.json: /seed: unknown field (allowed here: strata, version, kind, description, variant, world, universe, ops, results, target, finding, kernel, discrepancy)'],
  ['missing world', (d) => { delete d.world; return d; }, 'scenario.json: /world: required field is missing'],
  ['task not an integer', (d) => { d.ops[3].task = 1.5; return d; }, 'scenario.json: /ops/3/task: must be integer'],
  ['task a string', (d) => { d.ops[3].task = 'P'; return d; }, 'scenario.json: /ops/3/task: must be integer'],
  ['unknown op', (d) => { d.ops[0].op = 'frok'; return d; }, 'scenario.json: /ops/0/op: unknown op "frok" (expected one of: fork, thread, exec, exit, set_nnp, drop_cap, compromise, seccomp_strict, seccomp_filter, ruleset_create, ruleset_supervisee, ruleset_add_rule, restrict_self, send_fd, close_fd, modify, map_create, map_put, probe, observe, ptrace_attach, ptrace_traceme, ptrace_setoptions, ptrace_response, ptrace_get_filter, notif_supervise, notif_recv, notif_send, notif_id_valid, notif_addfd, notif_set_flags, notif_sizes, notif_poll, notif_return, seccomp_action_avail, fd_call, keyctl, socketpair, fown_set, unix_listen, chdir, umount, sigsys, setpgid)'],
  ['op not a string', (d) => { d.ops[0].op = 7; return d; }, 'scenario.json: /ops/0/op: must be string'],
  ['op missing', (d) => { delete d.ops[0].op; return d; }, 'scenario.json: /ops/0/op: required field is missing'],
  ['op field missing', (d) => { delete d.ops[4].program; return d; }, 'scenario.json: /ops/4/program: required field is missing'],
  ['unknown op field', (d) => { d.ops[0].child = 1; return d; }, 'scenario.json: /ops/0/child: unknown field (allowed here: op, task, tid)'],
  ['negative tid pin', (d) => { d.ops[3].tid = -1; return d; }, 'scenario.json: /ops/3/tid: must be >= 0'],
  ['short instruction', (d) => { d.ops[4].program[0] = [6, 0, 0]; return d; }, 'scenario.json: /ops/4/program/0: must have exactly 4 items'],
  ['instruction field out of range', (d) => { d.ops[4].program[0] = [6, 256, 0, 0]; return d; }, 'scenario.json: /ops/4/program/0/1: must be <= 255'],
  ['k beyond u32', (d) => { d.ops[4].program[0] = [6, 0, 0, 2 ** 32]; return d; }, 'scenario.json: /ops/4/program/0/3: must be <= 4294967295'],
  ['bad mutability', (d) => { d.ops[4].mutability = 'mutable'; return d; }, 'scenario.json: /ops/4/mutability: must be one of "immutable", "stricter", "any"'],
  ['ruleset neither fd nor null', (d) => { d.ops[10].ruleset = '-1'; return d; }, 'scenario.json: /ops/10/ruleset: must be integer or null'],
  ['unknown rule type', (d) => { d.ops[7].rule.type = 'path'; return d; }, 'scenario.json: /ops/7/rule/type: unknown type "path" (expected one of: path_beneath, net_port)'],
  ['relative rule path', (d) => { d.ops[7].rule.path = 'a'; return d; }, 'scenario.json: /ops/7/rule/path: must be an absolute normalised path ("/" or "/a/f": no trailing "/", no empty, "." or ".." component)'],
  ['net family out of range', (d) => { d.ops[18].request.family = 5; return d; }, 'scenario.json: /ops/18/request/family: must be one of 4, 6'],
  ['net proto unknown', (d) => { d.ops[18].request.proto = 'sctp'; return d; }, 'scenario.json: /ops/18/request/proto: must be one of "tcp", "udp"'],
  ['a socket type on a ptrace request', (d) => { d.ops[19].request.type = 'dgram'; return d; }, 'scenario.json: /ops/19/request/type: unknown field (allowed here: kind, target)'],
  ['an exchange with no partner', (d) => { d.ops[16].request = { kind: 'exchange', from: '/a/f' }; return d; }, 'scenario.json: /ops/16/request/to: required field is missing'],
  ['umount of a path with a trailing "/"', (d) => { d.ops[52].path = '/c/'; return d; }, 'scenario.json: /ops/52/path: must be an absolute normalised path ("/" or "/a/f": no trailing "/", no empty, "." or ".." component)'],
  ['sigsys with an unknown action', (d) => { d.ops[53].action = 'catch'; return d; }, 'scenario.json: /ops/53/action: must be one of "ignore", "default", "handle", "block", "unblock"'],
  ['setpgid with a negative task reference', (d) => { d.ops[54].pid = -1; return d; }, 'scenario.json: /ops/54/pid: must be >= 0'],
  ['fown_set with an unknown owner', (d) => { d.ops[47].owner = 'session'; return d; }, 'scenario.json: /ops/47/owner: must be one of "process", "thread", "group"'],
  ['sigurg with a `to` that is no task reference', (d) => { d.ops[48].request.to = 'parent'; return d; }, 'scenario.json: /ops/48/request/to: must be integer'],
  ['a bind mount on no directory of the tree', (d) => { d.world.fs.mounts = [{ source: '/a', at: '/nope' }]; return d; }, 'scenario.json: /world/fs: mount "/nope": not a directory of the tree'],
  ['a tree entry whose parent is missing', (d) => { d.world.fs.entries.push({ path: '/x/y', type: 'dir' }); return d; }, 'scenario.json: /world/fs: /x/y: parent /x does not exist'],
  ['chdir without a path', (d) => { delete d.ops[51].path; return d; }, 'scenario.json: /ops/51/path: required field is missing'],
  ['chdir to a path with an empty component', (d) => { d.ops[51].path = 'a//f'; return d; }, 'scenario.json: /ops/51/path: must be an absolute path, or a relative one without an empty component (no leading, trailing or double "/")'],
  ['a relative path in the universe', (d) => { d.universe.landlock[0] = { kind: 'fs', access: 'read_file', path: 'a/f' }; return d; }, 'scenario.json: /universe/landlock/0/path: must be an absolute normalised path ("/" or "/a/f": no trailing "/", no empty, "." or ".." component)'],
  ['proc without its file', (d) => { d.ops[50].request = { kind: 'proc', target: 1 }; return d; }, 'scenario.json: /ops/50/request/file: required field is missing'],
  ['proc with an unknown file', (d) => { d.ops[50].request.file = 'maps'; return d; }, 'scenario.json: /ops/50/request/file: must be one of "status", "environ", "mem", "ns"'],
  ['sigurg without its descriptor', (d) => { d.ops[48].request = { kind: 'sigurg' }; return d; }, 'scenario.json: /ops/48/request/fd: required field is missing'],
  ['fown_set without its owner', (d) => { delete d.ops[47].target; return d; }, 'scenario.json: /ops/47/target: required field is missing'],
  ['a listener that is no descriptor index', (d) => { d.ops[19].request = { kind: 'abstract_unix', target: 1, listener: 'L0' }; return d; }, 'scenario.json: /ops/19/request/listener: must be integer'],
  ['unix_listen with a field it has not', (d) => { d.ops[49].fd = 0; return d; }, 'scenario.json: /ops/49/fd: unknown field (allowed here: op, task, tid)'],
  ['mount call unknown', (d) => { d.ops[17].request.call = 'chroot'; return d; }, 'scenario.json: /ops/17/request/call: must be one of "new", "bind", "remount", "propagation", "move", "umount", "pivot_root", "move_mount", "open_tree", "mount_setattr"'],
  ['keyctl call unknown', (d) => { d.ops[45].call = 'revoke'; return d; }, 'scenario.json: /ops/45/call: must be one of "join_session", "session_to_parent"'],
  ['unknown request kind', (d) => { d.ops[14].request.kind = 'sys'; return d; }, 'scenario.json: /ops/14/request/kind: unknown kind "sys" (expected one of: syscall, fs, rename, link, exchange, mount, net, signal, ptrace, abstract_unix, sigurg, proc)'],
  ['five syscall args', (d) => { d.ops[14].request.args.pop(); return d; }, 'scenario.json: /ops/14/request/args: must have exactly 6 items'],
  ['unknown fs access', (d) => { d.ops[15].request.access = 'read'; return d; }, 'scenario.json: /ops/15/request/access: must be one of "execute", "write_file", "read_file", "read_dir", "remove_dir", "remove_file", "make_char", "make_dir", "make_reg", "make_sock", "make_fifo", "make_block", "make_sym", "refer", "truncate", "ioctl_dev"'],
  ['port beyond u16', (d) => { d.ops[18].request.port = 70000; return d; }, 'scenario.json: /ops/18/request/port: must be <= 65535'],
  ['task request in the universe', (d) => { d.universe.landlock.push({ kind: 'signal', target: 0 }); return d; }, 'scenario.json: /universe/landlock/12/kind: unknown kind "signal" (expected one of: fs, rename, link, exchange, mount, net)'],
  ['abi beyond the model', (d) => { d.world.abi = 9; return d; }, 'scenario.json: /world/abi: must be <= 8 (the highest Landlock ABI the model knows)'],
  ['bad fs entry type', (d) => { d.world.fs.entries[0].type = 'link'; return d; }, 'scenario.json: /world/fs/entries/0/type: must be one of "dir", "file", "dev"'],
  ['trace without results', (d) => { delete d.results; return d; }, 'scenario.json: /results: required field is missing'],
  ['script with results', (d) => { d.kind = 'script'; return d; }, 'scenario.json: /results: only a trace has results (kind is "script")'],
  ['results shorter than ops', (d) => { d.results.pop(); return d; }, 'scenario.json: /results: has 54 entries for 55 ops (a trace has one per op)'],
  ['unknown result kind', (d) => { d.results[0].result.kind = 'fine'; return d; }, 'scenario.json: /results/0/result/kind: unknown kind "fine" (expected one of: ok, err, tsync_fail, probe, killed, stopped, observe, invalid)'],
  ['errno 0', (d) => { d.results[8].result.errno = 0; return d; }, 'scenario.json: /results/8/result/errno: must be >= 1'],
  ['verdict neither object nor null', (d) => { d.results[15].result.probe.seccomp = 'none'; return d; }, 'scenario.json: /results/15/result/probe/seccomp: must be object or null'],
  ['unknown outcome kind', (d) => { d.results[15].result.probe.outcome.kind = 'deny'; return d; }, 'scenario.json: /results/15/result/probe/outcome/kind: unknown kind "deny" (expected one of: allow, errno, trap, kill_thread, kill_process, notify)'],
  ['bad seccomp mode', (d) => { d.results[20].result.state.seccompMode = 3; return d; }, 'scenario.json: /results/20/result/state/seccompMode: must be one of 0, 1, 2'],
  ['unknown target', (d) => { d.target = 'qemu'; return d; }, 'scenario.json: /target: must be one of "model", "kernel"'],
  ['empty variant id', (d) => { d.variant.id = ''; return d; }, 'scenario.json: /variant/id: must NOT have fewer than 1 characters'],
  ['finding without seed', (d) => { delete d.finding.seed; return d; }, 'scenario.json: /finding/seed: required field is missing'],
  ['bad replay path', (d) => { d.finding.path = '3,1'; return d; }, 'scenario.json: /finding/path: must match ^[0-9]*(:[0-9]+)*$'],
  ['finding beyond the last step', (d) => { d.finding.atStep = 55; return d; }, 'scenario.json: /finding/atStep: step 55 does not exist (the scenario has 55 ops)'],
  ['explore finding without a scope', (d) => { delete d.finding.seed; delete d.finding.path; d.finding.explore = { depth: 3 }; return d; }, 'scenario.json: /finding/explore/scope: required field is missing'],
  ['explore finding at depth 0', (d) => { delete d.finding.seed; delete d.finding.path; d.finding.explore = { scope: 'small', depth: 0 }; return d; }, 'scenario.json: /finding/explore/depth: must be >= 1'],
];

/** The sample discrepancy (a trace with a kernel run) as a mutable plain object. */
function kdoc(): Record<string, any> {
  return JSON.parse(JSON.stringify(sampleDiscrepancy()));
}

const KERNEL_CASES: readonly Case[] = [
  ['kernel run without results', (d) => { delete d.kernel.results; return d; }, 'scenario.json: /kernel/results: required field is missing'],
  ['kernel results shorter than ops', (d) => { d.kernel.results.pop(); return d; }, 'scenario.json: /kernel/results: has 54 entries for 55 ops (a kernel run has one per op)'],
  ['unknown kernel status', (d) => { d.kernel.status = 'fine'; return d; }, 'scenario.json: /kernel/status: must be one of "ok", "timeout", "error", "executor_failed"'],
  ['unknown kernel result kind', (d) => { d.kernel.results[0].result.kind = 'probe_ok'; return d; },
    'scenario.json: /kernel/results/0/result/kind: unknown kind "probe_ok" (expected one of: ok, err, tsync_fail, probe, killed, stopped, observe, invalid, skip, timeout, not_run, error)'],
  ['a model result where a kernel result goes', (d) => { d.kernel.results[14].result = d.results[14].result; return d; }, 'scenario.json: /kernel/results/14/result/outcome: required field is missing'],
  ['unknown kernel outcome kind', (d) => { d.kernel.results[14].result.outcome.kind = 'allow'; return d; },
    'scenario.json: /kernel/results/14/result/outcome/kind: unknown kind "allow" (expected one of: returned, errno, trap, kill_thread, kill_process, notify)'],
  ['unknown layer count neither number nor null', (d) => { d.kernel.results[20].result.state.landlockLayers = '?'; return d; }, 'scenario.json: /kernel/results/20/result/state/landlockLayers: must be integer or null'],
  ['timeout scope', (d) => { d.kernel.results[23].result.scope = 'task'; return d; }, 'scenario.json: /kernel/results/23/result/scope: must be one of "op", "scenario"'],
  ['discrepancy without steps', (d) => { d.discrepancy.steps = []; return d; }, 'scenario.json: /discrepancy/steps: must not be empty when no full-table entry differs'],
  ['discrepancy beyond the last step', (d) => { d.discrepancy.steps = [3, 55]; return d; }, 'scenario.json: /discrepancy/steps/1: step 55 does not exist (the scenario has 55 ops)'],
  ['discrepancy steps out of order', (d) => { d.discrepancy.steps = [19, 16]; return d; }, 'scenario.json: /discrepancy/steps/1: steps must be in increasing order'],
  ['discrepancy without a kernel run', (d) => { delete d.kernel; return d; }, "scenario.json: /kernel: required field is missing (a discrepancy compares the model's results with the kernel's)"],
  ['discrepancy in a script', (d) => { delete d.results; d.kind = 'script'; return d; }, "scenario.json: /discrepancy: only a trace has a discrepancy (it compares the model's results with the kernel's)"],
  ['bad discrepancy path', (d) => { d.discrepancy.path = 'x'; return d; }, 'scenario.json: /discrepancy/path: must match ^[0-9]*(:[0-9]+)*$'],
];

describe('parseScenario: a kernel run and a discrepancy, malformed', () => {
  for (const [what, mutate, message] of KERNEL_CASES) {
    it(what, () => {
      expect(problem(mutate(kdoc()))).toBe(message);
    });
  }

  it('well-formed ones load and round-trip (every kernel result and outcome kind)', () => {
    for (const s of [sampleDiscrepancy(), kernelRunWithErrors()]) {
      expect(parseScenario(formatScenario(s), 's.json')).toEqual(s);
    }
  });
});

describe('parseScenario: every malformation is one line naming the field', () => {
  for (const [what, mutate, message] of CASES) {
    it(what, () => {
      expect(problem(mutate(doc()))).toBe(message);
    });
  }

  it('a finding of strata explore has its scope and depth instead of a fast-check seed and path', () => {
    const d = doc();
    delete d.finding.seed;
    delete d.finding.path;
    d.finding.explore = { scope: 'small', depth: 3 };
    expect(parseScenario(JSON.stringify(d), 's.json').finding).toEqual({ ...d.finding });
  });

  it('errors are typed by kind', () => {
    const kinds = (['', '[]', JSON.stringify({ ...doc(), kind: 'x' })] as const).map((t) => {
      try { parseScenario(t, 's'); } catch (e) { return (e as ScenarioError).kind; }
      return 'none';
    });
    expect(kinds).toEqual(['syntax', 'version', 'schema']);
  });
});

describe('loadScenario', () => {
  it('reads a written scenario back equal', () => {
    const dir = tempDir('strata-load-');
    const file = join(dir, 's.json');
    writeFileSync(file, formatScenario(sampleScenario()));
    expect(loadScenario(file)).toEqual(sampleScenario());
  });

  it('names a missing file in one line', () => {
    const file = join(tmpdir(), 'strata-no-such-file.json');
    expect(() => loadScenario(file)).toThrowError(`${file}: cannot read: no such file or directory (ENOENT)`);
  });

  it('names a directory given as a file', () => {
    expect(() => loadScenario(tmpdir())).toThrowError(/: cannot read: illegal operation on a directory \(EISDIR\)$/);
  });
});

describe('loadScenario: odd inputs', () => {
  it('ignores a leading UTF-8 byte-order mark', () => {
    const file = join(tempDir('strata-load-'), 'bom.json');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(formatScenario(sampleScenario()))]));
    expect(loadScenario(file)).toEqual(sampleScenario());
  });

  it('shows an invisible character in a JSON error as an escape, on one line', () => {
    const file = join(tempDir('strata-load-'), 'nul.json');
    writeFileSync(file, '\u0000{}\n');
    expect(() => loadScenario(file)).toThrowError(`${file}: not valid JSON (Unexpected token '\\u0000')`);
  });

  it('refuses a device instead of reading it forever (/dev/zero)', () => {
    expect(() => loadScenario('/dev/zero')).toThrowError('/dev/zero: cannot read: not a regular file (a device or socket)');
  });

  it('refuses a file larger than MAX_SCENARIO_BYTES', () => {
    const file = join(tempDir('strata-load-'), 'big.json');
    writeFileSync(file, Buffer.alloc(MAX_SCENARIO_BYTES + 1, 0x20));
    expect(() => loadScenario(file)).toThrowError(`${file}: 32.0 MiB: larger than a scenario file may be (32 MiB)`);
  });
});
