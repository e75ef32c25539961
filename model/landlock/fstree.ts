// The model file system: a small static tree of directories, regular files and a device,
// friendly to generators. The conformance executor builds the same tree in a temp directory.

export type FsNodeType = 'dir' | 'file' | 'dev';

export interface FsEntry {
  /** Absolute path inside the model root, e.g. "/a/f". The root "/" is implicit. */
  readonly path: string;
  readonly type: FsNodeType;
}

export interface FsTree {
  readonly entries: readonly FsEntry[];
}

export function defaultFsTree(): FsTree {
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
