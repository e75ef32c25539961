// The model file system: a small static tree of directories, regular files and a device,
// friendly to generators. The conformance executor builds the same tree in a temp directory
// (the model root "/" is that directory; dirs with mkdir, files empty, a `dev` entry as a
// character device like /dev/zero, 1:5). The whole tree lies on one mount and no rule exists
// above its root, so a Landlock walk "up to the real root" is a walk up to "/" here.

export type FsNodeType = 'dir' | 'file' | 'dev';

export interface FsEntry {
  /** Absolute path inside the model root, e.g. "/a/f". The root "/" is implicit. */
  readonly path: string;
  readonly type: FsNodeType;
}

export interface FsTree {
  readonly entries: readonly FsEntry[];
}

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
  return errors;
}

/**
 * A tree indexed for decisions: every path (the root first) gets a dense index; `parent[i]` is
 * the index of its parent (-1 for the root). Computed once per tree value and cached.
 */
export class FsIndex {
  readonly paths: readonly string[];
  readonly types: readonly FsNodeType[];
  readonly parent: Int32Array;
  private readonly byPath: Map<string, number>;

  constructor(readonly tree: FsTree) {
    const errors = validateFsTree(tree);
    if (errors.length > 0) throw new Error(`invalid model fs tree: ${errors.join('; ')}`);
    // Parents before children: sort by depth, then path (stable for equal trees).
    const entries = [...tree.entries].sort((x, y) => depthOf(x.path) - depthOf(y.path) || (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
    this.paths = [ROOT, ...entries.map((e) => e.path)];
    this.types = ['dir', ...entries.map((e) => e.type)];
    this.byPath = new Map(this.paths.map((p, i) => [p, i] as const));
    this.parent = new Int32Array(this.paths.length);
    this.parent[0] = -1;
    for (let i = 1; i < this.paths.length; i++) this.parent[i] = this.byPath.get(parentPath(this.paths[i]!)!)!;
  }

  get size(): number {
    return this.paths.length;
  }

  /** Index of a path, or -1. */
  indexOf(path: string): number {
    const i = this.byPath.get(path);
    return i === undefined ? -1 : i;
  }

  typeOf(path: string): FsNodeType | undefined {
    const i = this.byPath.get(path);
    return i === undefined ? undefined : this.types[i];
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
