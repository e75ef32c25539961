// File-system decisions (security/landlock/fs.c). How each request is performed — the
// conformance executor does exactly this on the real kernel, in the tree built in a temp dir:
//
//   fs execute    P (file)       execve(P): open with __FMODE_EXEC → EXECUTE | READ_FILE on P
//                                (get_required_file_open_access); an empty file then fails with
//                                ENOEXEC, which counts as allowed.
//   fs read_file  P (file, dev)  open(P, O_RDONLY) → READ_FILE on P.
//   fs write_file P (file, dev)  open(P, O_WRONLY) → WRITE_FILE on P.
//   fs read_dir   P (dir)        open(P, O_RDONLY|O_DIRECTORY) → READ_DIR on P.
//   fs truncate   P (file)       truncate(P, 0) → TRUNCATE on P (hook_path_truncate).
//   fs ioctl_dev  P (dev)        open(P, O_RDONLY) then ioctl(FIONREAD) → READ_FILE and
//                                IOCTL_DEV on P (hook_file_open records IOCTL_DEV, hook_file_ioctl).
//   fs make_X     P (dir)        create an entry of X's type under a fresh name in P (mkdirat,
//                                mknodat, symlinkat) → MAKE_X on P (hook_path_mknod/mkdir/symlink).
//   fs remove_file P (file, dev) unlink(P) → REMOVE_FILE on P's parent (hook_path_unlink).
//   fs remove_dir P (dir, ≠ /)   rmdir(P) → REMOVE_DIR on P's parent (hook_path_rmdir); a
//                                non-empty P then fails with ENOTEMPTY, which counts as allowed.
//   rename F → D                 renameat2(F, D/<fresh name>, 0) (hook_path_rename).
//   exchange F ↔ G               renameat2(F, G, RENAME_EXCHANGE) (hook_path_rename, exchange).
//   link   F → D (F not a dir)   linkat(F, D/<fresh name>) (hook_path_link).
//   mount                        mount-tree changes (model/landlock/mount.ts): EPERM iff the
//                                call meets a hook and some layer handles an fs right.
// Any other combination (missing path → ENOENT; wrong type, `refer` as a plain access, moving
// a dir into itself, linking a dir → EINVAL) is not a meaningful request: the model answers
// that errno whatever the domain, and generators should not produce it.
//
// rename/link (current_check_refer_path): same directory → MAKE_* (+ REMOVE_* for rename) on D,
// EACCES. Across directories (6.18 logic, one mount, no rule above the model root), per layer
// L with REFER counted as handled by every layer: P1 = L's denials on F's parent chain, P2 on
// D's chain, C1 from the rule on F itself; EACCES if L denies a requested right other than
// REFER (REMOVE_* on F's parent, MAKE_* on D: is_eacces, which wins), EXDEV if L denies REFER
// on either side or if F would gain rights (no_more_access: P1 ∩ C1 ⊄ P2, file rights only for
// a non-directory). The domain's answer combines the layers' (EACCES > EXDEV > 0); a domain
// with no fs-handling layer does not restrict rename/link at all.
//
// RENAME_EXCHANGE (delegation.md M4) checks both directions: F's parent also needs MAKE_<G's
// type> (and REMOVE_<F's>), G's parent MAKE_<F's type> and REMOVE_<G's>; across directories
// neither F nor G may gain rights (no_more_access with both children). F and G must both exist
// and neither may contain the other (do_renameat2's lock_rename trap: EINVAL); exchanging an
// entry with itself still meets the hook (vfs_rename's source == target return comes after it).
import { ERRNO } from '../errno.js';
import type { FsRequest, ReparentRequest, FsAccess } from '../request.js';
import type { FsIndex, FsNodeType } from './fstree.js';
import { FS, FS_ALL, ACCESS_FILE, FS_INITIALLY_DENIED } from './access.js';
import type { LayerFsView, NodeView } from './view.js';

interface FsRequestKind {
  readonly required: number;
  readonly dir: boolean;
  readonly file: boolean;
  readonly dev: boolean;
  /** Checked on the parent of the path (removals). */
  readonly onParent: boolean;
}

const k = (required: number, types: readonly FsNodeType[], onParent = false): FsRequestKind => ({
  required,
  dir: types.includes('dir'),
  file: types.includes('file'),
  dev: types.includes('dev'),
  onParent,
});

const FS_REQUESTS: Readonly<Record<FsAccess, FsRequestKind>> = {
  execute: k(FS.EXECUTE | FS.READ_FILE, ['file']),
  write_file: k(FS.WRITE_FILE, ['file', 'dev']),
  read_file: k(FS.READ_FILE, ['file', 'dev']),
  read_dir: k(FS.READ_DIR, ['dir']),
  remove_dir: k(FS.REMOVE_DIR, ['dir'], true),
  remove_file: k(FS.REMOVE_FILE, ['file', 'dev'], true),
  make_char: k(FS.MAKE_CHAR, ['dir']),
  make_dir: k(FS.MAKE_DIR, ['dir']),
  make_reg: k(FS.MAKE_REG, ['dir']),
  make_sock: k(FS.MAKE_SOCK, ['dir']),
  make_fifo: k(FS.MAKE_FIFO, ['dir']),
  make_block: k(FS.MAKE_BLOCK, ['dir']),
  make_sym: k(FS.MAKE_SYM, ['dir']),
  refer: k(0, []),
  truncate: k(FS.TRUNCATE, ['file']),
  ioctl_dev: k(FS.READ_FILE | FS.IOCTL_DEV, ['dev']),
};

/** Rights an fs request needs (0 for a request kind that is never meaningful). */
export function fsRequiredAccess(access: FsAccess): number {
  return FS_REQUESTS[access]?.required ?? 0;
}

/** Index of the path whose rights decide an fs request, or −errno if it is not meaningful. */
export function fsCheckIndex(ix: FsIndex, req: FsRequest): number {
  const kind = FS_REQUESTS[req.access];
  if (kind === undefined || kind.required === 0) return -ERRNO.EINVAL;
  const i = ix.indexOf(req.path);
  if (i < 0) return -ERRNO.ENOENT;
  const t = ix.types[i];
  if (t === 'dir' ? !kind.dir : t === 'file' ? !kind.file : !kind.dev) return -ERRNO.EINVAL;
  if (!kind.onParent) return i;
  const p = ix.parent[i]!;
  return p < 0 ? -ERRNO.EINVAL : p;
}

/** The domain's decision on a meaningful fs request (one lookup, whatever the depth). */
export function fsDecision(view: NodeView, idx: number, required: number): number {
  return (required & ~view.allowed[idx]!) !== 0 ? ERRNO.EACCES : 0;
}

/** One layer's verdict on a meaningful fs request. */
export function fsLayerCode(lv: LayerFsView, idx: number, required: number): number {
  return (required & ~lv.allowed[idx]!) !== 0 ? ERRNO.EACCES : 0;
}

/** A meaningful rename/link/exchange, resolved against the tree. */
export interface Reparent {
  /** REMOVE_* is requested on the source side (rename and exchange: hook_path_rename's `removable`). */
  readonly rename: boolean;
  readonly from: number;
  readonly fromParent: number;
  /** The new parent directory (for an exchange, G's parent). */
  readonly to: number;
  readonly fromIsDir: boolean;
  /** get_mode_access(F): the MAKE_* right for F's type. */
  readonly make: number;
  /** maybe_remove(F): REMOVE_DIR or REMOVE_FILE. */
  readonly remove: number;
  /** The entry F is exchanged with (RENAME_EXCHANGE), or −1. */
  readonly other: number;
  readonly otherIsDir: boolean;
  /** get_mode_access(G) and maybe_remove(G); 0 without an exchange. */
  readonly otherMake: number;
  readonly otherRemove: number;
}

const makeOf = (t: FsNodeType): number => (t === 'dir' ? FS.MAKE_DIR : t === 'file' ? FS.MAKE_REG : FS.MAKE_CHAR);
const removeOf = (t: FsNodeType): number => (t === 'dir' ? FS.REMOVE_DIR : FS.REMOVE_FILE);

/** Is `a` the entry `b` or one of its ancestors? */
function contains(ix: FsIndex, a: number, b: number): boolean {
  for (let i = b; i >= 0; i = ix.parent[i]!) if (i === a) return true;
  return false;
}

/**
 * The entry a rename moves: the path's own, or for a bind mount's root the hidden mount point —
 * do_renameat2 looks the last component up in the parent's mount (lookup_one_qstr_excl does not
 * cross mounts), so Landlock's no_more_access sees the mount point's rules as the child's, and
 * vfs_rename then refuses with EBUSY (is_local_mountpoint; conformance/compare.ts counts it as
 * allowed).
 */
function moved(ix: FsIndex, i: number): number {
  const h = ix.hiddenAt[i]!;
  return h >= 0 ? h : i;
}

/**
 * do_renameat2 and do_linkat: the old and new paths on different mounts → EXDEV, after the
 * lookups and before any hook (rename compares the parents' mounts, link the old path's own
 * and the new parent's). The tree's root is on the tree's mount; a detached mount's root has no
 * parent in the model: the executor names it /proc/thread-self/fd/N, whose parent is on procfs (−2 here).
 */
function acrossMounts(ix: FsIndex, kind: ReparentRequest['kind'], from: number, to: number): number {
  const mountOfParent = (i: number): number => (i === 0 ? 0 : ix.parent[i]! < 0 ? -2 : ix.mount[ix.parent[i]!]!);
  const a = kind === 'link' ? ix.mount[from]! : mountOfParent(from);
  const b = kind === 'exchange' ? mountOfParent(to) : ix.mount[to]!;
  return a !== b ? -ERRNO.EXDEV : 0;
}

/** EXDEV when a rename/link/exchange joins two mounts of the tree (the VFS's answer, before any
 * hook), else 0. */
export function reparentAcrossMounts(ix: FsIndex, req: ReparentRequest): number {
  // resolveReparent gives −EXDEV for that only (Landlock's EXDEV comes from reparentLayerCode)
  return ix.hasMounts && resolveReparent(ix, req) === -ERRNO.EXDEV ? ERRNO.EXDEV : 0;
}

/** Resolve a rename/link request, or −errno if it is not meaningful. */
export function resolveReparent(ix: FsIndex, req: ReparentRequest): Reparent | number {
  const from = ix.indexOf(req.from);
  const to = ix.indexOf(req.to);
  if (from < 0 || to < 0) return -ERRNO.ENOENT;
  // the lookups' own failures first (the tree's root, a new parent that is no directory), then
  // two mounts (EXDEV), then what the VFS refuses within one
  if (req.kind === 'exchange' ? from === 0 || to === 0 : from === 0 || !ix.isDir(to)) return -ERRNO.EINVAL;
  if (ix.hasMounts) {
    const x = acrossMounts(ix, req.kind, from, to);
    if (x !== 0) return x;
  }
  const t = ix.types[from]!;
  if (req.kind === 'exchange') {
    // do_renameat2: neither side may be the tree's root or contain the other (lock_rename's trap).
    if (from === 0 || to === 0 || (from !== to && (contains(ix, from, to) || contains(ix, to, from)))) return -ERRNO.EINVAL;
    const u = ix.types[to]!;
    return {
      rename: true,
      from: moved(ix, from),
      fromParent: ix.parent[from]!,
      to: ix.parent[to]!,
      fromIsDir: t === 'dir',
      make: makeOf(t),
      remove: removeOf(t),
      other: moved(ix, to),
      otherIsDir: u === 'dir',
      otherMake: makeOf(u),
      otherRemove: removeOf(u),
    };
  }
  if (from === 0 || !ix.isDir(to)) return -ERRNO.EINVAL;
  const rename = req.kind === 'rename';
  // A directory is only renamed, and never into itself or beneath itself.
  if (t === 'dir' && (!rename || contains(ix, from, to))) return -ERRNO.EINVAL;
  return {
    rename,
    from: moved(ix, from),
    fromParent: ix.parent[from]!,
    to,
    fromIsDir: t === 'dir',
    make: makeOf(t),
    remove: removeOf(t),
    other: -1,
    otherIsDir: false,
    otherMake: 0,
    otherRemove: 0,
  };
}

/** One layer's verdict on a rename/link/exchange, in a domain that has an fs-handling layer. */
export function reparentLayerCode(lv: LayerFsView, r: Reparent): number {
  // current_check_refer_path: parent1 (F's) gets MAKE_<G> for an exchange and REMOVE_<F>;
  // parent2 (the new one) MAKE_<F> and, for an exchange, REMOVE_<G>.
  const side1 = r.otherMake | (r.rename ? r.remove : 0);
  const side2 = r.make | r.otherRemove;
  if (r.fromParent === r.to) {
    // Same directory: no REFER needed (is_access_to_paths_allowed on new_dir alone).
    return ((side1 | side2) & ~lv.allowed[r.to]!) !== 0 ? ERRNO.EACCES : 0;
  }
  const req1 = side1 | FS.REFER;
  const req2 = side2 | FS.REFER;
  const p1 = lv.deny[r.fromParent]!;
  const p2 = lv.deny[r.to]!;
  // is_eacces: a denied requested right other than REFER gives EACCES, which wins.
  if ((((p1 & req1) | (p2 & req2)) & ~FS_INITIALLY_DENIED) !== 0) return ERRNO.EACCES;
  // no_more_access: F may not gain rights in G's place, nor (exchange) G in F's; then REFER
  // itself on either side.
  if ((p1 & lv.ownDeny[r.from]! & (r.fromIsDir ? FS_ALL : ACCESS_FILE) & ~p2) !== 0) return ERRNO.EXDEV;
  if (r.other >= 0 && (p2 & lv.ownDeny[r.other]! & (r.otherIsDir ? FS_ALL : ACCESS_FILE) & ~p1) !== 0) return ERRNO.EXDEV;
  if (((p1 | p2) & FS.REFER) !== 0) return ERRNO.EXDEV;
  return 0;
}

/** Combine two verdicts of stacked layers: any denial denies; EACCES wins over EXDEV. */
export function combineCodes(a: number, b: number): number {
  if (a === 0) return b;
  if (b === 0 || a === ERRNO.EACCES) return a;
  return b === ERRNO.EACCES ? b : a;
}
