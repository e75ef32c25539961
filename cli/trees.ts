// The file trees `--tree` names (strata check, strata conform): the model's default tree, or one
// with mounts of its own directories (model/landlock/fstree.ts:mountsFsTree) together with the
// universe that looks through them (model/universe.ts:mountsUniverse).
import type { FsTree } from '../model/landlock/fstree.js';
import { mountsFsTree } from '../model/landlock/fstree.js';
import type { Universe } from '../model/universe.js';
import { mountsUniverse } from '../model/universe.js';
import type { GeneratorOptionsInput } from '../generators/options.js';
import { UsageError } from './errors.js';

export type TreeName = 'default' | 'mounts';

export const TREE_NAMES: readonly TreeName[] = ['default', 'mounts'];

/** The `--tree` value, or a usage error naming the choices. */
export function treeOption(value: string | undefined): TreeName {
  const name = value ?? 'default';
  if (!(TREE_NAMES as readonly string[]).includes(name)) throw new UsageError(`--tree must be one of ${TREE_NAMES.join(', ')} (got ${JSON.stringify(name)})`);
  return name as TreeName;
}

/** The tree and universe a named tree runs with; null for the default one (the generators' own). */
export function namedTree(name: TreeName | undefined): { readonly fs: FsTree; readonly universe: Universe } | null {
  return name === 'mounts' ? { fs: mountsFsTree(), universe: mountsUniverse() } : null;
}

/** Generator options for a named tree (none for the default one). */
export function treeGenerator(name: TreeName | undefined): GeneratorOptionsInput {
  const t = namedTree(name);
  return t === null ? {} : { world: { fs: t.fs }, universe: t.universe };
}
