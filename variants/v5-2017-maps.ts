// Landlock v5 (Feb 2017) with H1 maps (layering-designs §2, §3a "Optional H1 (maps)"): v5's rules
// were eBPF programs, and an eBPF program may read eBPF maps — lookups needed no privilege, and
// user space fills a map with bpf(BPF_MAP_UPDATE_ELEM) through any descriptor on it. A rule
// "deny unless x ∈ M" therefore gives every holder of M's descriptor the power to widen what
// every task whose chain holds the rule may do, after the fact: `P.add(fs: deny unless x∈M);
// P.fork->C; P.mapput(M,x)` → A(C) grows (§6 V5+H1).
//
// Modelled as v5-2017 (in-place appends to a shared top layer, flags 0, no modify call) plus the
// `seccompMaps` switch: `map_create` (a map fd, O_CLOEXEC), `map_put`, and seccomp_filter's
// `map` field — the program's rule reads that map (model/maps/rule.ts: the lookup is the
// program's prologue; the rule decides the syscall numbers of the request universe, every other
// call is the program's alone). A put rewrites every layer reading the map by path copying
// (model/maps/reach.ts). Map fds pass by fork and SCM_RIGHTS and close like any fd.
import type { Variant } from './variant.js';
import { expectViolations } from './variant.js';
import { TASK_OPS, MAP_OPS } from './op-kinds.js';
import { LINUX_SEMANTICS } from '../model/semantics.js';

export const V5_2017_MAPS: Variant = {
  id: 'v5-2017-maps',
  title: 'Landlock v5 (2017) with H1 maps: rules that read eBPF maps any map-fd holder can fill',
  source:
    'Landlock v5 patches (Feb 2017), rules as eBPF programs reading eBPF maps, https://lore.kernel.org/all/?q=s%3A%22Handle+Landlock+events+per+process+hierarchy%22; kernel/bpf/syscall.c:map_create, map_update_elem (Linux 4.10) (layering-designs §2, §3a H1, §6 V5+H1)',
  semantics: { ...LINUX_SEMANTICS, seccompInPlaceAppend: true, seccompMaps: true },
  opKinds: [...TASK_OPS, 'seccomp_filter', ...MAP_OPS, 'send_fd', 'close_fd'],
  // §6 V5+H1 row: I2, I6, I11 — a put loosens another process's layer by no explicit relaxation
  // path, through a call that should change no decision. The same put changes the content of a
  // forked child's layer (I1), loosens the caller itself (I3) and its threads (I2-thread), the
  // child (children-never-weakened) and what it decides (non-interference); v5's in-place
  // appends add I4, as in v5-2017.
  expectations: expectViolations(['I1', 'I2', 'I2-thread', 'I3', 'I4', 'I6', 'I11', 'children-never-weakened', 'non-interference']),
  witness: { property: 'I2', maxOps: 4 },
};
