// A deliberately altered model, for the tests of full-table observes (conformance/table.test.ts):
// Linux, except that a Landlock layer made by a thread that is not its group's leader does not
// handle LANDLOCK_ACCESS_FS_TRUNCATE, so that thread's truncate(2) is allowed where Linux denies
// it (security/landlock/fs.c:hook_path_truncate). One decision of one request, in a state that a
// generated probe reaches only by chance: the kind of model error full tables are for.
import { taskWith, worldWith } from '../model/state.js';
import type { StepFn, Variant } from '../variants/variant.js';
import { linuxVariant } from '../variants/linux.js';

const TRUNCATE = 1 << 14; // LANDLOCK_ACCESS_FS_TRUNCATE (include/uapi/linux/landlock.h)

function forgetTruncateInThreads(inner: StepFn): StepFn {
  return function alteredStep(world, op) {
    const out = inner(world, op);
    if (op.op !== 'restrict_self' || out.result.kind !== 'ok') return out;
    const tasks = out.world.tasks.mapAll((t) => {
      if (t.tid !== out.tid || t.tid === t.tgid || !t.domain || (t.domain.layer.handledFs & TRUNCATE) === 0) return t;
      const d = t.domain;
      return taskWith(t, { domain: { ...d, layer: { ...d.layer, handledFs: d.layer.handledFs & ~TRUNCATE } } });
    });
    return { ...out, world: worldWith(out.world, { tasks }) };
  };
}

/** `linux` at Landlock ABI `abi`, altered as above. */
export function alteredVariant(abi: number): Variant {
  const linux = linuxVariant(abi);
  return { ...linux, id: 'test-altered-truncate', title: 'Test only: linux whose non-leader threads\' layers forget TRUNCATE', wrap: forgetTruncateInThreads };
}
