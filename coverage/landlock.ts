// Landlock corners (../shared/spec/landlock.md): every depth of a domain up to the limit and
// E2BIG past it, each right handled-and-granted, handled-and-denied and unhandled, REFER's
// cases, mount, net, each scope and ptrace, a ruleset used by another process, the snapshot,
// per-thread restriction, the audit-only fd −1 call and Landlock TSYNC.
import { LANDLOCK_RESTRICT_SELF } from '../model/ops.js';
import type { Task } from '../model/state.js';
import type { DomainNode } from '../model/landlock/domain.js';
import { isAncestorOrSelfDomain } from '../model/landlock/domain.js';
import { FS, FS_BY_NAME, SCOPE, fsRightNames } from '../model/landlock/access.js';
import { abiMasks } from '../model/landlock/abi.js';
import { viewCache } from '../model/landlock/view.js';
import type { ViewCache } from '../model/landlock/view.js';
import { fsCheckIndex, fsRequiredAccess, resolveReparent } from '../model/landlock/fs.js';
import { netRight, netDecision, netUnmediated } from '../model/landlock/net.js';
import { mountCall, mountHooked } from '../model/landlock/mount.js';
import { sigurgReach } from '../model/landlock/fown.js';
import { isUnixListenerFd } from '../model/task/socket.js';
import { signalDecision } from '../model/landlock/scope.js';
import { ptraceDecision } from '../model/landlock/ptrace.js';
import { procFsDecision, procPtraceChecked } from '../model/landlock/procfs.js';
import { isRelativePath } from '../model/task/cwd.js';
import { resolveRequest } from '../model/task/relative-request.js';
import type { MountCall } from '../model/request.js';

/** The mount-tree calls decided by a hook other than hook_sb_mount. */
const OTHER_MOUNT_HOOKS: readonly MountCall[] = ['umount', 'pivot_root', 'move_mount'];
import { resolveRuleset } from '../model/landlock/syscalls.js';
import { resolveFd } from '../model/task/fds.js';
import { resolveTask } from '../model/step.js';
import type { Outcome } from '../model/outcome.js';
import { ERRNO } from '../model/errno.js';
import { LANDLOCK_MAX_NUM_LAYERS, LANDLOCK_ABI_MAX } from '../model/limits.js';
import type { TraceStep } from '../properties/trace.js';
import type { Variant } from '../variants/variant.js';
import { accepts } from '../variants/variant.js';
import { REFERENCE_ABI } from '../variants/linux.js';
import type { CornerDecl, Hits } from './corner.js';
import type { TraceContext } from './context.js';
import { actorBefore, actorAfter, hasSiblingThread } from './context.js';

const { TSYNC } = LANDLOCK_RESTRICT_SELF;

const abiOf = (v: Variant): number => v.abi ?? REFERENCE_ABI;
const landlock = (v: Variant): boolean => accepts(v, 'ruleset_create') && accepts(v, 'restrict_self');
const cwds = (v: Variant): boolean => intersecting(v) && accepts(v, 'chdir');
const sockets = (v: Variant): boolean => accepts(v, 'socketpair') && accepts(v, 'fown_set') && accepts(v, 'unix_listen') && accepts(v, 'restrict_self');
/** Per-right answers are read as Linux combines layers (every handling layer must grant). */
const intersecting = (v: Variant): boolean => landlock(v) && v.semantics.landlockCombine === 'intersect';
const scopes = (v: Variant): boolean => landlock(v) && abiMasks(abiOf(v)).scope !== 0;
const net = (v: Variant): boolean => intersecting(v) && abiMasks(abiOf(v)).netRules;

/** The fs rights a probe can ask for at an ABI (REFER is asked by rename and link). */
function fsRights(abi: number): string[] {
  return fsRightNames(abiMasks(abi).fs & ~FS.REFER);
}

const ANSWERS = ['granted', 'denied', 'unhandled'] as const;

function rightCorners(): CornerDecl[] {
  const out: CornerDecl[] = [];
  for (const right of fsRights(LANDLOCK_ABI_MAX)) {
    for (const a of ANSWERS) {
      out.push({
        id: `landlock.fs.${right}.${a}`,
        title: a === 'unhandled' ? `${right}: no layer of the domain handles it` : `${right}: handled, ${a}`,
        spec: 'landlock.md §3 Access decision',
        group: 'landlock rights',
        applies: (v) => intersecting(v) && fsRights(abiOf(v)).includes(right),
      });
    }
  }
  for (const op of ['bind', 'connect'] as const) {
    for (const a of ANSWERS) {
      out.push({
        id: `landlock.net.${op}.${a}`,
        title: a === 'unhandled' ? `TCP ${op}: no layer handles it` : `TCP ${op}: handled, ${a}`,
        spec: 'landlock.md §3 Network',
        group: 'landlock rights',
        applies: net,
      });
    }
  }
  // the other families and sockets: IPv6 decided like IPv4; UDP not mediated
  out.push(
    { id: 'landlock.net.ipv6.granted', title: 'TCP bind/connect on [::1] under a domain handling it: granted by a port rule', spec: 'landlock.md §3 Network', group: 'landlock rights', applies: net },
    { id: 'landlock.net.ipv6.denied', title: 'TCP bind/connect on [::1] under a domain handling it: EACCES without a port rule', spec: 'landlock.md §3 Network', group: 'landlock rights', applies: net },
    { id: 'landlock.net.udp.unmediated', title: 'UDP bind/connect under a domain handling the TCP right: not restricted (sk_is_tcp)', spec: 'landlock.md §3 Network', group: 'landlock rights', applies: net },
  );
  return out;
}

function depthCorners(): CornerDecl[] {
  const out: CornerDecl[] = [];
  for (let d = 1; d <= LANDLOCK_MAX_NUM_LAYERS; d++) {
    out.push({ id: `landlock.depth.${d}`, title: `a domain ${d} layer${d === 1 ? '' : 's'} deep`, spec: 'landlock.md §1 Layers', group: 'landlock depth', applies: landlock });
  }
  out.push({ id: 'landlock.depth.e2big', title: `restrict_self on a ${LANDLOCK_MAX_NUM_LAYERS}-layer domain: E2BIG, nothing changed`, spec: 'landlock.md §1 Layers', group: 'landlock depth', applies: landlock });
  return out;
}

export const LANDLOCK_CORNERS: readonly CornerDecl[] = [
  ...depthCorners(),
  ...rightCorners(),
  { id: 'landlock.refer.same-dir', title: 'rename/link/exchange within one directory under an fs domain (no REFER needed)', spec: 'landlock.md §3 REFER', group: 'landlock REFER', applies: intersecting },
  { id: 'landlock.refer.cross-dir', title: 'rename/link/exchange across directories allowed (REFER granted)', spec: 'landlock.md §3 REFER', group: 'landlock REFER', applies: intersecting },
  { id: 'landlock.refer.exdev', title: 'rename/link/exchange across directories: EXDEV', spec: 'landlock.md §3 REFER', group: 'landlock REFER', applies: intersecting },
  { id: 'landlock.refer.eacces', title: 'rename/link/exchange: EACCES (a MAKE_*/REMOVE_* right missing; wins over EXDEV)', spec: 'landlock.md §3 REFER', group: 'landlock REFER', applies: intersecting },
  { id: 'landlock.exchange.same-dir', title: 'RENAME_EXCHANGE within one directory under an fs domain allowed (both MAKE_* and REMOVE_*)', spec: 'delegation.md M4', group: 'landlock REFER', applies: intersecting },
  { id: 'landlock.exchange.cross-dir', title: 'RENAME_EXCHANGE across directories allowed (REFER both ways, neither side gains rights)', spec: 'delegation.md M4', group: 'landlock REFER', applies: intersecting },
  { id: 'landlock.exchange.exdev', title: 'RENAME_EXCHANGE: EXDEV (REFER denied, or one side would gain rights)', spec: 'delegation.md M4', group: 'landlock REFER', applies: intersecting },
  { id: 'landlock.exchange.eacces', title: 'RENAME_EXCHANGE: EACCES (a MAKE_*/REMOVE_* right missing on either side; wins over EXDEV)', spec: 'delegation.md M4', group: 'landlock REFER', applies: intersecting },
  { id: 'landlock.refer.unrestricted', title: 'rename/link/exchange under a domain with no fs-handling layer: not restricted', spec: 'landlock.md §3 REFER (quirk)', group: 'landlock REFER', applies: intersecting },
  { id: 'landlock.mount.denied', title: 'mount under a domain handling an fs right: EPERM', spec: 'landlock.md §3 Mount topology', group: 'landlock mount', applies: landlock },
  { id: 'landlock.mount.allowed', title: 'mount under a domain handling no fs right: allowed', spec: 'landlock.md §3 Mount topology', group: 'landlock mount', applies: landlock },
  { id: 'landlock.scope.abstract_unix.kept-listener.denied', title: 'connect to a listener kept from unix_listen, its creator\'s domain not its holder\'s: out of the scope (the creator decides)', spec: 'landlock.md §4 Abstract UNIX sockets', group: 'landlock scopes', applies: sockets },
  { id: 'landlock.fown.dropped', title: 'SIGURG to an F_SETOWN owner outside the scope of the domain recorded at F_SETOWN: dropped (hook_file_send_sigiotask)', spec: 'landlock.md §4 Signal exceptions', group: 'landlock fown', applies: sockets },
  { id: 'landlock.fown.group.dropped', title: 'SIGURG to a process-group owner dropped at a member outside the recorded domain\'s scope (each member checked: send_sigurg\'s do_each_pid_task)', spec: 'landlock.md §4 Signal exceptions', group: 'landlock fown', applies: sockets },
  { id: 'landlock.fown.group.delivered', title: 'SIGURG to a process-group owner delivered at a member', spec: 'landlock.md §4 Signal exceptions', group: 'landlock fown', applies: sockets },
  { id: 'landlock.fown.thread.dropped', title: 'SIGURG to an F_OWNER_TID thread dropped by that thread\'s own domain', spec: 'landlock.md §4 Signal exceptions', group: 'landlock fown', applies: sockets },
  { id: 'landlock.fown.unaddressed', title: 'SIGURG sent, but not to the observed task (ESRCH: another owner, not in the owner group, or no owner)', spec: 'landlock.md §4 Signal exceptions', group: 'landlock fown', applies: sockets },
  { id: 'landlock.fown.sender-scoped-delivered', title: 'SIGURG delivered where the sender could not kill() the owner: the domain recorded at F_SETOWN decides, not the sender\'s', spec: 'landlock.md §4 Signal exceptions', group: 'landlock fown', applies: sockets },
  { id: 'landlock.mount.other-hook.denied', title: 'umount, pivot_root or move_mount under a domain handling an fs right: EPERM (hook_sb_umount, hook_sb_pivotroot, hook_move_mount)', spec: 'landlock.md §3 Mount topology', group: 'landlock mount', applies: landlock },
  { id: 'landlock.mount.unhooked-in-fs-domain', title: 'open_tree(OPEN_TREE_CLONE) or mount_setattr under a domain handling an fs right: allowed (no hook)', spec: 'landlock.md §3 Mount topology', group: 'landlock mount', applies: landlock },
  { id: 'landlock.scope.signal.denied', title: 'signal out of a SCOPE_SIGNAL domain: EPERM', spec: 'landlock.md §4 Scopes', group: 'landlock scopes', applies: scopes },
  { id: 'landlock.scope.signal.allowed', title: 'signal from a SCOPE_SIGNAL domain to a task inside it', spec: 'landlock.md §4 Scopes', group: 'landlock scopes', applies: scopes },
  { id: 'landlock.scope.signal.thread', title: 'signal between threads of one process under SCOPE_SIGNAL: allowed (erratum 2)', spec: 'landlock.md §4 Signal exceptions', group: 'landlock scopes', applies: scopes },
  { id: 'landlock.scope.abstract_unix.denied', title: 'connect out of a SCOPE_ABSTRACT_UNIX_SOCKET domain: EPERM', spec: 'landlock.md §4 Abstract UNIX sockets', group: 'landlock scopes', applies: scopes },
  { id: 'landlock.scope.abstract_unix.dgram.denied', title: 'a datagram sent out of a SCOPE_ABSTRACT_UNIX_SOCKET domain: EPERM (hook_unix_may_send)', spec: 'landlock.md §4 Abstract UNIX sockets', group: 'landlock scopes', applies: scopes },
  { id: 'landlock.scope.abstract_unix.dgram.allowed', title: 'a datagram sent from a SCOPE_ABSTRACT_UNIX_SOCKET domain to a socket inside it', spec: 'landlock.md §4 Abstract UNIX sockets', group: 'landlock scopes', applies: scopes },
  { id: 'landlock.scope.abstract_unix.allowed', title: 'connect from a SCOPE_ABSTRACT_UNIX_SOCKET domain to a socket inside it', spec: 'landlock.md §4 Abstract UNIX sockets', group: 'landlock scopes', applies: scopes },
  { id: 'landlock.ptrace.denied', title: 'ptrace of a task outside the tracer\'s domain: EPERM', spec: 'landlock.md §4 ptrace', group: 'landlock ptrace', applies: landlock },
  { id: 'landlock.ptrace.allowed', title: 'ptrace by a sandboxed tracer of a task in its domain', spec: 'landlock.md §4 ptrace', group: 'landlock ptrace', applies: landlock },
  { id: 'landlock.proc.fs.denied', title: 'open of /proc/<pid>/status, environ or mem under a domain handling READ_FILE: EACCES (no rule reaches procfs)', spec: 'landlock.md §3 (hook_file_open)', group: 'landlock procfs', applies: intersecting },
  { id: 'landlock.proc.ns.in-fs-domain', title: 'open of /proc/<pid>/ns/mnt under a domain handling READ_FILE: allowed (an nsfs file, SB_NOUSER, is not checked)', spec: 'landlock.md §3 (is_nouser_or_private)', group: 'landlock procfs', applies: intersecting },
  { id: 'landlock.proc.ptrace.denied', title: 'open of /proc/<pid>/mem or ns/mnt of a task outside the caller\'s domain: EACCES (ptrace_may_access, hook_ptrace_access_check)', spec: 'landlock.md §4 ptrace', group: 'landlock procfs', applies: landlock },
  { id: 'landlock.proc.environ.unchecked', title: 'open of /proc/<pid>/environ of a process outside the caller\'s domain: allowed (mm_access skips ptrace_may_access for a perfmon_capable caller in READ mode)', spec: 'landlock.md §4 ptrace (kernel/fork.c:mm_access)', group: 'landlock procfs', applies: landlock },
  { id: 'landlock.fs.relative.granted', title: 'an fs probe by a path relative to the working directory, under a domain handling its right: allowed as its absolute path', spec: 'landlock.md §3 (is_access_to_paths_allowed walks from the file)', group: 'landlock cwd', applies: cwds },
  { id: 'landlock.fs.relative.denied', title: 'an fs probe by a path relative to the working directory, under a domain handling its right: denied as its absolute path (a cwd opens nothing more)', spec: 'landlock.md §3 (is_access_to_paths_allowed walks from the file)', group: 'landlock cwd', applies: cwds },
  { id: 'landlock.mounts.fs.bind.granted', title: 'an fs probe through a bind mount, granted by the domain handling it', spec: 'landlock.md §3 (is_access_to_paths_allowed: hidden mount points are skipped)', group: 'landlock mounts', applies: intersecting, mounts: true },
  { id: 'landlock.mounts.fs.bind.denied', title: 'an fs probe through a bind mount, denied by the domain handling it', spec: 'landlock.md §3 (is_access_to_paths_allowed: hidden mount points are skipped)', group: 'landlock mounts', applies: intersecting, mounts: true },
  { id: 'landlock.mounts.fs.detached.granted', title: 'an fs probe through a detached mount, granted (a rule at or beneath its root)', spec: 'landlock.md §3 (is_access_to_paths_allowed stops at the real root)', group: 'landlock mounts', applies: intersecting, mounts: true },
  { id: 'landlock.mounts.fs.detached.denied', title: 'an fs probe through a detached mount, denied (no rule above its root reaches it)', spec: 'landlock.md §3 (is_access_to_paths_allowed stops at the real root)', group: 'landlock mounts', applies: intersecting, mounts: true },
  { id: 'landlock.mounts.fs.path-decides', title: 'an inode decided otherwise through a mount than through its own path (the walk goes up the path seen)', spec: 'landlock.md §3 (rules on inodes, walk on paths)', group: 'landlock mounts', applies: intersecting, mounts: true },
  { id: 'landlock.mounts.reparent.exdev', title: 'rename, link or exchange between two mounts: EXDEV before any hook', spec: 'model (do_renameat2, do_linkat)', group: 'landlock mounts', applies: (v) => accepts(v, 'probe'), mounts: true },
  { id: 'landlock.mounts.mount-point-moved', title: 'a bind mount point renamed in an fs domain: the hidden entry is the child Landlock checks (then EBUSY)', spec: 'landlock.md §3 (current_check_refer_path)', group: 'landlock mounts', applies: intersecting, mounts: true },
  { id: 'landlock.chdir.denied-dir', title: 'chdir into a directory whose READ_DIR the domain denies: allowed (no Landlock hook on chdir)', spec: 'landlock.md §3 (no chdir hook)', group: 'landlock cwd', applies: cwds },
  { id: 'landlock.ptrace.own-group', title: 'ptrace of a thread of one\'s own process: EPERM before any LSM', spec: 'landlock.md corrections (kernel/ptrace.c:ptrace_attach)', group: 'landlock ptrace', applies: (v) => accepts(v, 'probe') },
  { id: 'landlock.ruleset.sent', title: 'a ruleset fd sent to another process (SCM_RIGHTS)', spec: 'landlock.md §1 Ruleset', group: 'landlock rulesets', applies: (v) => landlock(v) && accepts(v, 'send_fd') },
  { id: 'landlock.ruleset.used-after-send', title: 'a ruleset received by SCM_RIGHTS used by its receiver (add_rule or restrict_self)', spec: 'landlock.md §1 Ruleset', group: 'landlock rulesets', applies: (v) => landlock(v) && accepts(v, 'send_fd') },
  { id: 'landlock.ruleset.used-by-other', title: 'a ruleset used by a process other than its creator', spec: 'landlock.md §1 Ruleset', group: 'landlock rulesets', applies: landlock },
  { id: 'landlock.ruleset.rule-after-restrict', title: 'a rule added to a ruleset a live domain was made from (the domain is a snapshot)', spec: 'landlock.md §1 Domain', group: 'landlock rulesets', applies: landlock },
  { id: 'landlock.restrict.one-thread', title: 'restrict_self by one thread of several, without TSYNC (credentials are per thread)', spec: 'landlock.md §2 Threads', group: 'landlock inheritance', applies: (v) => landlock(v) && accepts(v, 'thread') },
  { id: 'landlock.log.no-layer', title: 'restrict_self(-1, LOG_SUBDOMAINS_OFF): no layer, only the flag', spec: 'landlock.md §3 Audit-log flags', group: 'landlock inheritance', applies: (v) => landlock(v) && accepts(v, 'restrict_self.log') },
  { id: 'landlock.tsync.ok', title: 'Landlock TSYNC gives every sibling thread the caller\'s new domain', spec: 'landlock.md §2 TSYNC', group: 'landlock TSYNC', applies: (v) => landlock(v) && accepts(v, 'restrict_self.tsync') },
  { id: 'landlock.tsync.overwrites', title: 'Landlock TSYNC replaces a sibling domain that is no ancestor of the new one', spec: 'landlock.md §2 TSYNC', group: 'landlock TSYNC', applies: (v) => landlock(v) && accepts(v, 'restrict_self.tsync') },
];

// ---- detection ----

/** Fs rights some layer of the domain handles. */
function handledFs(d: DomainNode | null): number {
  let m = 0;
  for (let n = d; n !== null; n = n.prev) m |= n.layer.handledFs;
  return m;
}

function handledNet(d: DomainNode | null): number {
  let m = 0;
  for (let n = d; n !== null; n = n.prev) m |= n.layer.handledNet;
  return m;
}

function scopedBy(d: DomainNode | null, scope: number): boolean {
  for (let n = d; n !== null; n = n.prev) if ((n.layer.scoped & scope) !== 0) return true;
  return false;
}

/** Did Landlock decide this probe (seccomp let the call run)? */
function landlockDecided(o: Outcome): boolean {
  return o.kind === 'allow' || (o.kind === 'errno' && o.by !== 'seccomp');
}

/** An fs probe through a tree with mounts, decided by a domain handling its right: through which
 * mount, and whether the inode's own path would be decided otherwise (the walk goes up the path
 * seen: model/landlock/fstree.ts). */
function mountCorners(views: ViewCache, d: DomainNode, idx: number, required: number, denied: boolean, hits: Hits): void {
  const ix = views.ix;
  let root = idx;
  while (root > 0 && !ix.isMountRoot(root)) root = ix.parent[root]!;
  if (root <= 0) return;
  hits.hit(`landlock.mounts.fs.${ix.parent[root] === -1 ? 'detached' : 'bind'}.${denied ? 'denied' : 'granted'}`);
  const own = ix.indexOf(ix.canon[idx]!);
  const allowed = views.node(d).allowed;
  if (own >= 0 && ((required & ~allowed[idx]!) === 0) !== ((required & ~allowed[own]!) === 0)) hits.hit('landlock.mounts.fs.path-decides');
}

function probeCorners(step: TraceStep, task: Task, hits: Hits): void {
  const op = step.op;
  const r = step.out.result;
  if (op.op !== 'probe' || r.kind !== 'probe' || !landlockDecided(r.probe.outcome)) return;
  const req = op.request;
  const o = r.probe.outcome;
  const d = task.domain;
  const denied = o.kind === 'errno';
  switch (req.kind) {
    case 'fs': {
      if (d === null) return;
      const views = viewCache(step.before.fs);
      const res = resolveRequest(step.before, task, req);
      if ('invalid' in res || res.lookup !== undefined || res.request.kind !== 'fs') return;
      const abs = res.request;
      const idx = fsCheckIndex(views.ix, abs);
      if (idx < 0) return;
      const required = fsRequiredAccess(req.access);
      const handled = handledFs(d);
      const allowed = views.node(d).allowed[idx]!;
      if (isRelativePath(req.path) && (handled & required) !== 0) hits.hit(`landlock.fs.relative.${denied ? 'denied' : 'granted'}`);
      if (views.ix.hasMounts && (handled & required) !== 0) mountCorners(views, d, idx, required, denied, hits);
      for (const name of fsRightNames(required)) {
        const bit = FS_BY_NAME[name];
        hits.hit(`landlock.fs.${name}.${(handled & bit) === 0 ? 'unhandled' : (allowed & bit) !== 0 ? 'granted' : 'denied'}`);
      }
      return;
    }
    case 'net': {
      if (d === null) return;
      const right = netRight(req);
      if (right === 0) return;
      const handled = (handledNet(d) & right) !== 0;
      if (netUnmediated(req)) {
        if (handled) hits.hit('landlock.net.udp.unmediated');
        return;
      }
      const verdict = !handled ? 'unhandled' : netDecision(viewCache(step.before.fs).node(d), req.port, right) === 0 ? 'granted' : 'denied';
      hits.hit(`landlock.net.${req.op}.${verdict}`);
      if (req.family === 6 && handled) hits.hit(`landlock.net.ipv6.${verdict}`);
      return;
    }
    case 'rename':
    case 'link':
    case 'exchange': {
      const views = viewCache(step.before.fs);
      const rp = resolveReparent(views.ix, req);
      if (rp === -ERRNO.EXDEV && views.ix.hasMounts) hits.hit('landlock.mounts.reparent.exdev');
      if (d === null || typeof rp === 'number') return;
      // a bind mount point moved: the hidden entry is the child Landlock checks
      if (rp.from >= views.ix.paths.length && views.node(d).hasFs) hits.hit('landlock.mounts.mount-point-moved');
      if (!views.node(d).hasFs) hits.hit('landlock.refer.unrestricted');
      else if (rp.fromParent === rp.to) hits.hit('landlock.refer.same-dir');
      else if (!denied) hits.hit('landlock.refer.cross-dir');
      if (denied && o.errno === ERRNO.EXDEV) hits.hit('landlock.refer.exdev');
      if (denied && o.errno === ERRNO.EACCES) hits.hit('landlock.refer.eacces');
      if (req.kind === 'exchange' && views.node(d).hasFs) hits.hit(`landlock.exchange.${denied ? (o.errno === ERRNO.EXDEV ? 'exdev' : 'eacces') : rp.fromParent === rp.to ? 'same-dir' : 'cross-dir'}`);
      return;
    }
    case 'mount':
      if (d !== null) {
        hits.hit(denied ? 'landlock.mount.denied' : 'landlock.mount.allowed');
        // the calls no hook sees, inside a domain that denies the others
        if (!mountHooked(mountCall(req)) && handledFs(d) !== 0) hits.hit('landlock.mount.unhooked-in-fs-domain');
        if (denied && OTHER_MOUNT_HOOKS.includes(mountCall(req))) hits.hit('landlock.mount.other-hook.denied');
      }
      return;
    case 'signal':
    case 'abstract_unix': {
      const scope = req.kind === 'signal' ? SCOPE.SIGNAL : SCOPE.ABSTRACT_UNIX_SOCKET;
      if (!scopedBy(d, scope)) return;
      const target = resolveTask(step.before, req.target);
      if (target === undefined) return;
      if (req.kind === 'signal' && target.tgid === task.tgid) hits.hit('landlock.scope.signal.thread');
      else hits.hit(`landlock.scope.${req.kind}.${denied ? 'denied' : 'allowed'}`);
      if (req.kind === 'abstract_unix' && req.type === 'dgram') hits.hit(`landlock.scope.abstract_unix.dgram.${denied ? 'denied' : 'allowed'}`);
      // a listener kept from unix_listen whose creator's domain is not its holder's now: denied
      // by the creator's (within the scope through an outsider: conformance/landlock.test.ts 10)
      if (req.kind === 'abstract_unix' && req.listener !== undefined) {
        const l = resolveFd(target, req.listener, isUnixListenerFd);
        if (denied && l?.obj.kind === 'unix_listener' && l.obj.creator !== target.domain) hits.hit('landlock.scope.abstract_unix.kept-listener.denied');
      }
      return;
    }
    case 'sigurg': {
      if (o.kind === 'errno' && o.errno === ERRNO.ESRCH) hits.hit('landlock.fown.unaddressed');
      const reach = sigurgReach(step.before, task, req);
      if (reach === null) return;
      const dropped = denied && o.errno === ERRNO.EPERM;
      if (reach.ownerType === 'group') hits.hit(dropped ? 'landlock.fown.group.dropped' : 'landlock.fown.group.delivered');
      if (reach.ownerType === 'thread' && dropped) hits.hit('landlock.fown.thread.dropped');
      if (dropped) hits.hit('landlock.fown.dropped');
      // delivered where the sender's own kill() would be scoped out: the record decides
      else if (!denied && signalDecision(d, task.tgid, reach.leader.domain, reach.leader.tgid, 'ancestor') !== 0) hits.hit('landlock.fown.sender-scoped-delivered');
      return;
    }
    case 'proc': {
      if (d === null) return;
      const target = resolveTask(step.before, req.target);
      if (target === undefined) return;
      const fsDenied = procFsDecision(d, req.file) !== 0;
      const ptraceRefused = ptraceDecision(d, task.tgid, target.domain, target.tgid, 'ancestor') !== 0;
      if (denied && fsDenied) hits.hit('landlock.proc.fs.denied');
      else if (denied && ptraceRefused && procPtraceChecked(req.file)) hits.hit('landlock.proc.ptrace.denied');
      if (!denied && req.file === 'ns' && (handledFs(d) & FS.READ_FILE) !== 0) hits.hit('landlock.proc.ns.in-fs-domain');
      if (!denied && req.file === 'environ' && ptraceRefused) hits.hit('landlock.proc.environ.unchecked');
      return;
    }
    case 'ptrace': {
      if (denied && o.by === 'kernel') hits.hit('landlock.ptrace.own-group');
      else if (denied) hits.hit('landlock.ptrace.denied');
      else if (d !== null) {
        const target = resolveTask(step.before, req.target);
        if (target !== undefined && target.tgid !== task.tgid) hits.hit('landlock.ptrace.allowed');
      }
      return;
    }
    default:
      return;
  }
}

/** Does some live task's domain hold a layer made from ruleset `id`? */
function enforced(step: TraceStep, id: number): boolean {
  return step.before.tasks.some((t) => {
    for (let n = t.domain; n !== null; n = n.prev) if (n.ruleset === id) return true;
    return false;
  });
}

/** The ruleset used by a successful add_rule / restrict_self, noted against its creator and receivers. */
function used(step: TraceStep, task: Task, index: number, ctx: TraceContext, hits: Hits): void {
  const rs = resolveRuleset(step.before, task, index);
  if (rs === undefined) return;
  const creator = ctx.creator.get(rs.id);
  if (creator !== undefined && creator !== task.tgid) hits.hit('landlock.ruleset.used-by-other');
  if (ctx.received.has(`${rs.id}:${task.tgid}`)) hits.hit('landlock.ruleset.used-after-send');
}

export function detectLandlock(step: TraceStep, ctx: TraceContext, hits: Hits): void {
  const task = actorBefore(step);
  if (task === undefined) return;
  const op = step.op;
  const r = step.out.result;
  switch (op.op) {
    case 'probe':
      probeCorners(step, task, hits);
      return;
    case 'chdir': {
      // into a directory the domain may not list (READ_DIR handled and denied there)
      if (r.kind !== 'ok' || task.domain === null) return;
      const after = actorAfter(step, task);
      const views = viewCache(step.before.fs);
      const idx = after === undefined ? -1 : views.ix.indexOf(after.cwd);
      if (idx >= 0 && (handledFs(task.domain) & FS.READ_DIR) !== 0 && (views.node(task.domain).allowed[idx]! & FS.READ_DIR) === 0) hits.hit('landlock.chdir.denied-dir');
      return;
    }
    case 'ruleset_create':
    case 'ruleset_supervisee':
      if (r.kind === 'ok') ctx.creator.set(step.after.rulesets.length - 1, task.tgid);
      return;
    case 'ruleset_add_rule':
      if (r.kind !== 'ok') return;
      used(step, task, op.ruleset, ctx, hits);
      {
        const rs = resolveRuleset(step.before, task, op.ruleset);
        if (rs !== undefined && enforced(step, rs.id)) hits.hit('landlock.ruleset.rule-after-restrict');
      }
      return;
    case 'send_fd': {
      if (r.kind !== 'ok') return;
      const e = resolveFd(task, op.fd);
      const to = resolveTask(step.before, op.to);
      if (e === undefined || e.obj.kind !== 'ruleset' || to === undefined || to.tgid === task.tgid) return;
      hits.hit('landlock.ruleset.sent');
      ctx.received.add(`${e.obj.id}:${to.tgid}`);
      return;
    }
    case 'restrict_self': {
      if (r.kind === 'err' && r.errno === ERRNO.E2BIG) hits.hit('landlock.depth.e2big');
      if (r.kind !== 'ok') return;
      if (op.ruleset === null) {
        hits.hit('landlock.log.no-layer');
        return;
      }
      used(step, task, op.ruleset, ctx, hits);
      const after = actorAfter(step, task);
      if (after?.domain) hits.hit(`landlock.depth.${after.domain.depth}`);
      const siblings = hasSiblingThread(step.before, task);
      if ((op.flags & TSYNC) === 0) {
        if (siblings) hits.hit('landlock.restrict.one-thread');
        return;
      }
      if (!siblings) return;
      hits.hit('landlock.tsync.ok');
      // a sibling whose old domain is no ancestor of its new one lost layers: overwritten
      for (const t of step.before.tasks) {
        if (t.tgid !== task.tgid || t.tid === task.tid) continue;
        const now = step.after.tasks.find((x) => x.tid === t.tid);
        if (now !== undefined && !isAncestorOrSelfDomain(t.domain, now.domain)) {
          hits.hit('landlock.tsync.overwrites');
          break;
        }
      }
      return;
    }
    default:
      return;
  }
}
