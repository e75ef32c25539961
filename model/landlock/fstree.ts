// The model file system: a small static tree of directories, regular files and a device,
// friendly to generators. The conformance executor builds the same tree in a temp directory
// (the model root "/" is that directory; dirs with mkdir, files empty, a `dev` entry as a
// character device like /dev/zero, 1:5). No rule exists above its root, so a Landlock walk "up
// to the real root" is a walk up to "/" here.
//
// A tree may hold mounts of its own directories (`mounts`): a bind mount shows a directory of
// the tree at another directory, which it hides; a detached mount (open_tree(OPEN_TREE_CLONE),
// never attached) is reached only through its descriptor, and the model names it by a path of
// its own outside the tree. Landlock's rules are on inodes (landlock_append_fs_rule holds the
// object), and its walk goes up the *visible* path (fs.c:is_access_to_paths_allowed): from a
// mount's root it follows the mount up to the mount point's parent, skipping the hidden mount
// point ("Ignores hidden mount points"), and at a detached mount's root it stops ("Stops at the
// real root"). So the index below is one of visible paths: each names an inode of the tree (its
// `canon` path, which keys the rules) and has the walk's parent.

export type FsNodeType = 'dir' | 'file' | 'dev';

export interface FsEntry {
  /** Absolute path inside the model root, e.g. "/a/f". The root "/" is implicit. */
  readonly path: string;
  readonly type: FsNodeType;
}

export interface FsMount {
  /** The directory of the tree the mount shows: its root. */
  readonly source: string;
  /** A bind mount: the directory of the tree it is mounted on (empty in the tree; the mount
   * hides it). A detached mount: a top-level name that is no entry of the tree, standing for
   * its descriptor (the executor reaches it through /proc/thread-self/fd). */
  readonly at: string;
  readonly detached?: boolean;
}

export interface FsTree {
  readonly entries: readonly FsEntry[];
  /** Mounts of the tree's own directories, made before the first task runs. */
  readonly mounts?: readonly FsMount[];
}

/** At most this many mounts in one tree. */
export const FS_MOUNTS_MAX = 4;

let DEFAULT_TREE: FsTree | undefined;

/** The default tree: one shared, frozen value, so per-tree caches (views, indexes) are reused. */
export function defaultFsTree(): FsTree {
  if (!DEFAULT_TREE) {
    const t = buildDefaultFsTree();
    for (const e of t.entries) Object.freeze(e);
    Object.freeze(t.entries);
    DEFAULT_TREE = Object.freeze(t);
  }
  return DEFAULT_TREE;
}

function buildDefaultFsTree(): FsTree {
  return {
    entries: [
      { path: '/a', type: 'dir' },
      { path: '/a/f', type: 'file' },
      { path: '/a/s', type: 'dir' },
      { path: '/a/s/g', type: 'file' },
      { path: '/b', type: 'dir' },
      { path: '/b/f', type: 'file' },
      { path: '/c', type: 'dir' },
      { path: '/c/f', type: 'file' },
      { path: '/dev', type: 'dir' },
      { path: '/dev/zero', type: 'dev' },
    ],
  };
}

let MOUNTS_TREE: FsTree | undefined;

/**
 * The default tree with two mounts of its own directories: /a/s bound on /c/m (a rule on /c
 * reaches /c/m/g, one on /a does not), and a detached copy of /a named /d (a rule on the tree's
 * root does not reach /d/f: the walk stops at the detached mount's root). One shared, frozen value.
 */
export function mountsFsTree(): FsTree {
  if (!MOUNTS_TREE) {
    const base = defaultFsTree();
    const entries = [...base.entries, Object.freeze({ path: '/c/m', type: 'dir' as const })];
    const mounts = [Object.freeze({ source: '/a/s', at: '/c/m' }), Object.freeze({ source: '/a', at: '/d', detached: true })];
    MOUNTS_TREE = Object.freeze({ entries: Object.freeze(entries), mounts: Object.freeze(mounts) });
  }
  return MOUNTS_TREE;
}

export const ROOT = '/';

/** Parent of an absolute normalised path; null for the root. */
export function parentPath(path: string): string | null {
  if (path === ROOT) return null;
  const i = path.lastIndexOf('/');
  return i <= 0 ? ROOT : path.slice(0, i);
}

/** Last component of a path ('' for the root). */
export function baseName(path: string): string {
  return path === ROOT ? '' : path.slice(path.lastIndexOf('/') + 1);
}

/** The path itself, then each ancestor up to and including the root. */
export function ancestorsOrSelf(path: string): string[] {
  const out: string[] = [];
  for (let p: string | null = path; p !== null; p = parentPath(p)) out.push(p);
  return out;
}

/** Strict ancestors of a path, nearest first, ending with the root. */
export function ancestors(path: string): string[] {
  return ancestorsOrSelf(path).slice(1);
}

/** Whether `a` is `b` or one of b's ancestors. */
export function isAncestorOrSelf(a: string, b: string): boolean {
  if (a === b || a === ROOT) return true;
  return b.startsWith(a + '/');
}

/** Absolute, normalised, not the root: "/x/y" with no empty, "." or ".." component. */
export function isNormalisedPath(path: string): boolean {
  if (typeof path !== 'string' || !path.startsWith('/') || path === ROOT) return false;
  for (const c of path.slice(1).split('/')) if (c === '' || c === '.' || c === '..') return false;
  return true;
}

/** Type of the entry at `path` ('dir' for the root), or undefined if the tree has none. */
export function typeOf(tree: FsTree, path: string): FsNodeType | undefined {
  return fsIndex(tree).typeOf(path);
}

/** Problems of a tree: paths not absolute/normalised, duplicates, missing or non-dir parents. */
export function validateFsTree(tree: FsTree): string[] {
  const errors: string[] = [];
  const types = new Map<string, FsNodeType>([[ROOT, 'dir']]);
  for (const e of tree.entries) {
    if (!isNormalisedPath(e.path)) errors.push(`${JSON.stringify(e.path)}: not an absolute normalised path`);
    else if (types.has(e.path)) errors.push(`${e.path}: duplicate entry`);
    else if (e.type !== 'dir' && e.type !== 'file' && e.type !== 'dev') errors.push(`${e.path}: unknown type ${JSON.stringify(e.type)}`);
    else types.set(e.path, e.type);
  }
  for (const [path] of types) {
    const parent = parentPath(path);
    if (parent === null) continue;
    const pt = types.get(parent);
    if (pt === undefined) errors.push(`${path}: parent ${parent} does not exist`);
    else if (pt !== 'dir') errors.push(`${path}: parent ${parent} is not a directory`);
  }
  const mounts = tree.mounts ?? [];
  if (mounts.length > FS_MOUNTS_MAX) errors.push(`${mounts.length} mounts: at most ${FS_MOUNTS_MAX}`);
  const ats = new Set<string>();
  for (const m of mounts) errors.push(...mountProblems(tree, types, m, ats));
  return errors;
}

/** Problems of one mount of a tree (`ats`: the mount points seen so far). */
function mountProblems(tree: FsTree, types: ReadonlyMap<string, FsNodeType>, m: FsMount, ats: Set<string>): string[] {
  const name = `mount ${JSON.stringify(m.at)}`;
  if (!isNormalisedPath(m.source) || types.get(m.source) !== 'dir') return [`${name}: source ${JSON.stringify(m.source)} is not a directory of the tree`];
  if (!isNormalisedPath(m.at)) return [`${name}: not an absolute normalised path`];
  if (ats.has(m.at)) return [`${name}: two mounts there`];
  ats.add(m.at);
  if (m.detached) {
    // a name of its own, outside the tree
    if (parentPath(m.at) !== ROOT || types.has(m.at)) return [`${name}: a detached mount's name must be a top-level name that is no entry of the tree`];
    return [];
  }
  if (types.get(m.at) !== 'dir') return [`${name}: not a directory of the tree`];
  if (tree.entries.some((e) => e.path.startsWith(`${m.at}/`))) return [`${name}: the mount point has entries, which the mount would hide`];
  // a bind mount inside its own or another mount's source would show itself (non-recursive
  // binds do not copy the mounts beneath a source: what the walk meets would depend on order)
  for (const o of tree.mounts ?? []) {
    if (isAncestorOrSelf(o.source, m.at)) return [`${name}: inside the source ${o.source} of a mount`];
  }
  return [];
}

/**
 * A tree indexed for decisions: every visible path (the root first) gets a dense index;
 * `parent[i]` is the index where Landlock's walk goes next (-1 for the root and a detached
 * mount's root); `canon[i]` the tree entry it names (the inode; rules are keyed by it),
 * `mount[i]` its mount (0 the tree's own, k + 1 the tree's k-th). After the visible paths come
 * the hidden mount points of bind mounts (no path names them: `hiddenAt[i]` is the one under a
 * bind mount's root i, else -1); a rename of a mount point still meets Landlock with it as the
 * child. Parents come before children. Computed once per tree value and cached.
 */
export class FsIndex {
  /** The visible paths, indexes 0 .. paths.length − 1. */
  readonly paths: readonly string[];
  readonly types: readonly FsNodeType[];
  readonly parent: Int32Array;
  readonly canon: readonly string[];
  readonly mount: Int32Array;
  readonly hiddenAt: Int32Array;
  /** Whether the tree has mounts (else canon[i] === paths[i] and mount[i] === 0). */
  readonly hasMounts: boolean;
  private readonly byPath: Map<string, number>;

  constructor(readonly tree: FsTree) {
    const errors = validateFsTree(tree);
    if (errors.length > 0) throw new Error(`invalid model fs tree: ${errors.join('; ')}`);
    const typeOfEntry = new Map<string, FsNodeType>([[ROOT, 'dir'], ...tree.entries.map((e) => [e.path, e.type] as const)]);
    const mounts = tree.mounts ?? [];
    // visible path → [canon, mount]
    const visible = new Map<string, readonly [string, number]>([[ROOT, [ROOT, 0]]]);
    for (const e of tree.entries) visible.set(e.path, [e.path, 0]);
    mounts.forEach((m, k) => {
      visible.set(m.at, [m.source, k + 1]);
      for (const e of tree.entries) if (e.path.startsWith(`${m.source}/`)) visible.set(m.at + e.path.slice(m.source.length), [e.path, k + 1]);
    });
    // Parents before children: sort by depth, then path (stable for equal trees).
    const order = [...visible.keys()].sort((x, y) => (x === ROOT ? -1 : y === ROOT ? 1 : depthOf(x) - depthOf(y) || (x < y ? -1 : x > y ? 1 : 0)));
    const binds = mounts.filter((m) => !m.detached);
    const size = order.length + binds.length;
    this.paths = order;
    this.types = [...order.map((p) => typeOfEntry.get(visible.get(p)![0])!), ...binds.map(() => 'dir' as const)];
    this.canon = [...order.map((p) => visible.get(p)![0]), ...binds.map((m) => m.at)];
    this.byPath = new Map(order.map((p, i) => [p, i] as const));
    this.parent = new Int32Array(size);
    this.mount = new Int32Array(size);
    this.hiddenAt = new Int32Array(size).fill(-1);
    const detachedAt = new Set(mounts.filter((m) => m.detached).map((m) => m.at));
    for (let i = 0; i < order.length; i++) {
      const p = order[i]!;
      this.mount[i] = visible.get(p)![1];
      this.parent[i] = i === 0 || detachedAt.has(p) ? -1 : this.byPath.get(parentPath(p)!)!;
    }
    binds.forEach((m, k) => {
      const h = order.length + k;
      const root = this.byPath.get(m.at)!;
      this.parent[h] = this.parent[root]!;
      this.hiddenAt[root] = h;
    });
    this.hasMounts = mounts.length > 0;
  }

  /** All nodes, hidden mount points included. */
  get size(): number {
    return this.types.length;
  }

  /** Index of a visible path, or -1. */
  indexOf(path: string): number {
    const i = this.byPath.get(path);
    return i === undefined ? -1 : i;
  }

  typeOf(path: string): FsNodeType | undefined {
    const i = this.byPath.get(path);
    return i === undefined ? undefined : this.types[i];
  }

  /** The root of a mount of the tree (a bind mount's or a detached one's). */
  isMountRoot(i: number): boolean {
    return i > 0 && i < this.paths.length && (this.parent[i] === -1 || this.mount[this.parent[i]!] !== this.mount[i]);
  }

  /** The tree entry a visible path names (its inode), or undefined. */
  canonOf(path: string): string | undefined {
    const i = this.byPath.get(path);
    return i === undefined ? undefined : this.canon[i];
  }

  isDir(i: number): boolean {
    return this.types[i] === 'dir';
  }
}

function depthOf(path: string): number {
  let n = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) n++;
  return n;
}

const INDEXES = new WeakMap<FsTree, FsIndex>();

/** The (cached) index of a tree. Throws on an invalid tree (validate first). */
export function fsIndex(tree: FsTree): FsIndex {
  let ix = INDEXES.get(tree);
  if (ix === undefined) {
    ix = new FsIndex(tree);
    INDEXES.set(tree, ix);
  }
  return ix;
}
