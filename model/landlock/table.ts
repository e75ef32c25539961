// Landlock decision tables: for a domain node and a universe, the decision (0 or errno) on
// every tabled Landlock request, computed once per node and reused.
//
// A node's table is built from its parent's: every request's verdict is the combination of
// the layers' verdicts (any denial denies, EACCES wins over EXDEV), so table(node) =
// combine(table(prev), verdicts(layer)). The per-layer verdicts are cached per layer object
// (path-copied nodes above a changed layer reuse them). One quirk is not per layer: a domain
// with no fs-handling layer does not restrict rename/link at all, while once it has one,
// every layer takes part (REFER is "initially denied" in each); so the raw combination is kept
// per node and gated by `hasFs` for rename/link. Everything depends only on the node chain and
// the fs tree, both immutable, so the WeakMap caches never go stale.
import type { Universe, TabledLandlockRequest } from '../universe.js';
import type { FsTree } from './fstree.js';
import type { DomainNode, LandlockLayer } from './domain.js';
import { ERRNO } from '../errno.js';
import { viewCache } from './view.js';
import type { ViewCache } from './view.js';
import { fsCheckIndex, fsLayerCode, fsRequiredAccess, resolveReparent, reparentLayerCode, combineCodes } from './fs.js';
import type { Reparent } from './fs.js';
import { netRight, netUnmediated, netLayerCode } from './net.js';
import type { Evaluation } from '../evaluation.js';
import type { MountCall } from '../request.js';
import { mountCall, mountHooked, mountLayerCode } from './mount.js';

/** How one request of the universe is evaluated, resolved once per cache. */
type Plan =
  /** A decision no layer takes part in: a meaningless request's errno, or 0 for one Landlock
   * does not mediate (UDP). */
  | { readonly t: 'fixed'; readonly code: number }
  | { readonly t: 'fs'; readonly idx: number; readonly required: number }
  | { readonly t: 'reparent'; readonly r: Reparent }
  | { readonly t: 'mount'; readonly call: MountCall }
  | { readonly t: 'net'; readonly port: number; readonly right: number };

interface NodeEntry {
  /** Combined layer verdicts, ungated. */
  readonly raw: Int32Array;
  /** The decisions. */
  readonly table: Int32Array;
  readonly hasFs: boolean;
}

export class LandlockTables {
  readonly requests: readonly TabledLandlockRequest[];
  private readonly views: ViewCache;
  private readonly plans: readonly Plan[];
  private readonly rootEntry: NodeEntry;
  private readonly layers = new WeakMap<LandlockLayer, Int32Array>();
  private readonly nodes = new WeakMap<DomainNode, NodeEntry>();

  constructor(universe: Universe, fs: FsTree, readonly evaluation: Evaluation) {
    this.requests = universe.landlock;
    this.views = viewCache(fs);
    this.plans = this.requests.map((req) => planOf(this.views, req));
    const table = new Int32Array(this.plans.length);
    this.plans.forEach((p, i) => {
      if (p.t === 'fixed') table[i] = p.code;
    });
    this.rootEntry = { raw: new Int32Array(this.plans.length), table, hasFs: false };
  }

  /** The decision on every request of the universe (index-aligned). Do not mutate. */
  table(node: DomainNode | null): Int32Array {
    return this.entry(node).table;
  }

  private entry(node: DomainNode | null): NodeEntry {
    if (node === null) return this.rootEntry;
    const e = this.nodes.get(node);
    return e !== undefined ? e : this.build(node);
  }

  private build(node: DomainNode): NodeEntry {
    if (this.evaluation.landlockCombine === 'union') return this.buildUnion(node);
    const parent = this.entry(node.prev);
    const own = this.layerCodes(node.layer);
    const n = this.plans.length;
    const raw = new Int32Array(n);
    const table = new Int32Array(n);
    const hasFs = parent.hasFs || node.layer.handledFs !== 0;
    for (let i = 0; i < n; i++) {
      const plan = this.plans[i]!;
      if (plan.t === 'fixed') {
        table[i] = plan.code;
        continue;
      }
      const c = combineCodes(parent.raw[i]!, own[i]!);
      raw[i] = c;
      table[i] = plan.t === 'reparent' && !hasFs ? 0 : c;
    }
    const e: NodeEntry = { raw, table, hasFs };
    this.nodes.set(node, e);
    return e;
  }

  /**
   * landlockCombine 'union' (model/evaluation.ts): a request is allowed when one layer alone
   * allows it (that layer's own Linux decision, as a one-layer domain), else the newest layer's
   * denial stands — landlock/decide.ts's decideDomain, request by request.
   */
  private buildUnion(node: DomainNode): NodeEntry {
    const own = this.layerCodes(node.layer);
    const hasFs = node.layer.handledFs !== 0;
    const n = this.plans.length;
    const alone = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const plan = this.plans[i]!;
      alone[i] = plan.t === 'fixed' ? plan.code : plan.t === 'reparent' && !hasFs ? 0 : own[i]!;
    }
    let table = alone;
    if (node.prev !== null) {
      const below = this.entry(node.prev).table;
      table = new Int32Array(n);
      for (let i = 0; i < n; i++) table[i] = alone[i] === 0 || below[i] === 0 ? 0 : alone[i]!;
    }
    const e: NodeEntry = { raw: table, table, hasFs };
    this.nodes.set(node, e);
    return e;
  }

  /** One layer's verdict on every request (in a domain that has an fs-handling layer). */
  private layerCodes(layer: LandlockLayer): Int32Array {
    let codes = this.layers.get(layer);
    if (codes !== undefined) return codes;
    const lv = this.views.layer(layer);
    codes = new Int32Array(this.plans.length);
    for (let i = 0; i < this.plans.length; i++) {
      const p = this.plans[i]!;
      switch (p.t) {
        case 'fs': codes[i] = fsLayerCode(lv, p.idx, p.required); break;
        case 'reparent': codes[i] = reparentLayerCode(lv, p.r); break;
        case 'mount': codes[i] = mountLayerCode(p.call, layer.handledFs); break;
        case 'net': codes[i] = netLayerCode(layer, p.port, p.right); break;
        case 'fixed': break;
      }
    }
    this.layers.set(layer, codes);
    return codes;
  }
}

function planOf(views: ViewCache, req: TabledLandlockRequest): Plan {
  switch (req.kind) {
    case 'fs': {
      const idx = fsCheckIndex(views.ix, req);
      return idx < 0 ? { t: 'fixed', code: -idx } : { t: 'fs', idx, required: fsRequiredAccess(req.access) };
    }
    case 'rename':
    case 'link':
    case 'exchange': {
      const r = resolveReparent(views.ix, req);
      return typeof r === 'number' ? { t: 'fixed', code: -r } : { t: 'reparent', r };
    }
    case 'mount': {
      const call = mountCall(req);
      return mountHooked(call) ? { t: 'mount', call } : { t: 'fixed', code: 0 };
    }
    case 'net': {
      const right = netRight(req);
      if (right === 0 || (req.proto !== undefined && req.proto !== 'tcp' && req.proto !== 'udp')) return { t: 'fixed', code: ERRNO.EINVAL };
      return netUnmediated(req) ? { t: 'fixed', code: 0 } : { t: 'net', port: req.port, right };
    }
    default:
      return { t: 'fixed', code: ERRNO.EINVAL };
  }
}

const CACHES = new WeakMap<Universe, WeakMap<FsTree, Map<Evaluation, LandlockTables>>>();

/** The (cached) tables of a universe over a tree, under an evaluation (model/evaluation.ts). */
export function landlockTables(universe: Universe, fs: FsTree, evaluation: Evaluation): LandlockTables {
  let byFs = CACHES.get(universe);
  if (byFs === undefined) {
    byFs = new WeakMap();
    CACHES.set(universe, byFs);
  }
  let byEval = byFs.get(fs);
  if (byEval === undefined) byFs.set(fs, (byEval = new Map()));
  let t = byEval.get(evaluation);
  if (t === undefined) {
    t = new LandlockTables(universe, fs, evaluation);
    byEval.set(evaluation, t);
  }
  return t;
}

/** One request on which two domains decide differently. */
export interface TableDifference {
  readonly index: number;
  readonly request: TabledLandlockRequest;
  readonly a: number;
  readonly b: number;
}

/** The requests on which domains `a` and `b` differ (empty: same tables). */
export function compareTables(tables: LandlockTables, a: DomainNode | null, b: DomainNode | null): TableDifference[] {
  const ta = tables.table(a);
  const tb = tables.table(b);
  const out: TableDifference[] = [];
  if (ta === tb) return out;
  for (let i = 0; i < ta.length; i++) {
    if (ta[i] !== tb[i]) out.push({ index: i, request: tables.requests[i]!, a: ta[i]!, b: tb[i]! });
  }
  return out;
}

/** Requests allowed under `b` but denied under `a` (b is looser there). */
export function looserIn(tables: LandlockTables, a: DomainNode | null, b: DomainNode | null): TableDifference[] {
  return compareTables(tables, a, b).filter((d) => d.a !== 0 && d.b === 0);
}
