// The canonical form of a world for `strata explore`'s de-duplication: a string that two worlds
// share exactly when one is the other with tids, layer ids, ruleset ids, listener ids and
// session keyrings renamed consistently and the live tasks listed in another order. Such
// worlds have the same futures: an op sequence from one has a renamed twin from the other with
// the same results up to renaming and the same property verdicts — the model compares ids only for equality
// (never by size), takes fresh ids from counters, and the ops of a scope range over every task
// index. So a world whose form was already seen at a depth no greater is not explored again.
//
// The form lists the tasks in a canonical order — sorted by a signature that names no id
// (credentials, stacks and descriptors by content), ties broken by trying each order of the
// tied tasks and keeping the least string — and then names every id by first appearance:
// tasks by position (a dead tid — a gone parent or group leader — by first mention), layers
// and their ids (two nodes may share an id: a copied node of a broken design, a rewritten
// layer), rulesets (held by descriptors, named by layers they were restricted with, or a
// supervisee's supervisor) and listeners. What the properties read besides the world goes in
// too: whether a task is of the first task's thread group (I1, children-never-weakened), and
// the counterfactual runs a monitor carries (non-interference), each world with its own names
// and its pinned tasks by their real names — and then the real world in its own task order,
// since a counterfactual replays the real ops' task indices.
import type { World, Task, FdEntry } from '../model/state.js';
import type { FilterNode } from '../model/seccomp/stack.js';
import type { DomainNode, LandlockLayer } from '../model/landlock/domain.js';
import type { Ruleset } from '../model/landlock/ruleset.js';
import type { Insn } from '../model/ops.js';
import type { Counterfactual } from '../properties/property.js';

/** Orders of tied tasks tried before settling for the sorted order (still a sound key: it
 * only de-duplicates less). */
const MAX_ORDERS = 720;

/** Forms are comparable only between worlds of one Canonicalizer (contents are named by small
 * numbers in the order it first met them). */
export class Canonicalizer {
  /** Content strings → small numbers, so forms stay short. */
  private readonly interned = new Map<string, number>();
  private readonly programs = new WeakMap<readonly Insn[], number>();
  private readonly ruleMaps = new WeakMap<ReadonlyMap<unknown, number>, number>();
  private readonly layers = new WeakMap<LandlockLayer, number>();
  private readonly objects = new WeakMap<object, number>();
  private readonly filterChains = new WeakMap<FilterNode, number>();
  private readonly domainChains = new WeakMap<DomainNode, number>();
  private readonly filterContents = new WeakMap<FilterNode, string>();
  private readonly domainContents = new WeakMap<DomainNode, string>();
  private readonly rulesetContents = new WeakMap<Ruleset, string>();
  /** taskSignature's memo: a task value's signature, valid while the world's rulesets are the
   * same value (its descriptors' rulesets are read from there). */
  private readonly signatures = new WeakMap<Task, { readonly rulesets: World['rulesets']; readonly sig: string }>();

  /** @param rootTgid the first task's thread group (properties treat it apart). */
  constructor(private readonly rootTgid: number) {}

  /** The canonical form of `world` with a monitor's counterfactual runs. */
  key(world: World, counterfactuals: readonly Counterfactual[] = []): string {
    const split = counterfactuals.some((c) => c.world !== null);
    const n = world.tasks.length;
    const tasks: Task[] = [];
    for (let i = 0; i < n; i++) tasks.push(world.tasks.at(i)!);
    let best: string;
    let names: Names;
    if (split || n <= 1) {
      names = new Names(this, this.rootTgid, world, null);
      best = names.world(tasks);
    } else {
      const sigs = new Map<Task, string>();
      for (const t of tasks) sigs.set(t, this.taskSignature(world, t));
      const sorted = tasks.slice().sort((a, b) => (sigs.get(a)! < sigs.get(b)! ? -1 : sigs.get(a)! > sigs.get(b)! ? 1 : 0));
      const orders = tiedOrders(sorted, sigs);
      names = new Names(this, this.rootTgid, world, null);
      best = names.world(orders[0]!);
      for (let k = 1; k < orders.length; k++) {
        const other = new Names(this, this.rootTgid, world, null);
        const s = other.world(orders[k]!);
        if (s < best) {
          best = s;
          names = other;
        }
      }
    }
    if (counterfactuals.length === 0) return best;
    const parts = [best];
    for (const c of counterfactuals) {
      parts.push(`|C${names.tid(c.watched)}:`);
      if (c.world === null) continue;
      const realName = new Map<number, string>();
      if (c.pins) for (const [real, cf] of c.pins) realName.set(cf, `r${names.tid(real)}`);
      const cfTasks: Task[] = [];
      for (let i = 0; i < c.world.tasks.length; i++) cfTasks.push(c.world.tasks.at(i)!);
      parts.push(new Names(this, this.rootTgid, c.world, realName).world(cfTasks));
    }
    return parts.join('');
  }

  intern(s: string): number {
    let id = this.interned.get(s);
    if (id === undefined) this.interned.set(s, (id = this.interned.size));
    return id;
  }

  objectId(o: object): number {
    let id = this.objects.get(o);
    if (id === undefined) this.objects.set(o, (id = this.intern(`o:${JSON.stringify(o)}`)));
    return id;
  }

  programId(p: readonly Insn[]): number {
    let id = this.programs.get(p);
    if (id === undefined) this.programs.set(p, (id = this.intern(`p:${p.map((i) => i.join(',')).join(';')}`)));
    return id;
  }

  programsId(ps: readonly (readonly Insn[])[]): string {
    return ps.map((p) => this.programId(p)).join('+');
  }

  ruleMapId(m: ReadonlyMap<unknown, number> | undefined): number {
    if (m === undefined) return -1;
    let id = this.ruleMaps.get(m);
    if (id === undefined) {
      const entries = [...m].map(([k, v]) => `${String(k)}=${v}`).sort();
      this.ruleMaps.set(m, (id = this.intern(`m:${entries.join(',')}`)));
    }
    return id;
  }

  layerId(l: LandlockLayer): number {
    let id = this.layers.get(l);
    if (id === undefined) {
      this.layers.set(l, (id = this.intern(`l:${l.handledFs},${l.handledNet},${l.scoped},${this.ruleMapId(l.fsRules)},${this.ruleMapId(l.netRules)}`)));
    }
    return id;
  }

  /** A filter node's own content (no ids). */
  filterContent(f: FilterNode): string {
    let s = this.filterContents.get(f);
    if (s === undefined) {
      s = `${this.programsId(f.programs)}.${f.rev}.${f.log ? 1 : 0}${f.waitKillableRecv ? 1 : 0}.${f.mutability[0]}.${f.listener === null ? 0 : 1}`;
      this.filterContents.set(f, s);
    }
    return s;
  }

  /** A domain node's own content (no ids). */
  domainContent(d: DomainNode): string {
    let s = this.domainContents.get(d);
    if (s === undefined) {
      s = `${this.layerId(d.layer)}.${d.rev}.${d.mutability[0]}.${d.base ? this.layerId(d.base) : '-'}.${d.ruleset === undefined ? 0 : 1}${d.supervisor === undefined ? 0 : 1}`;
      this.domainContents.set(d, s);
    }
    return s;
  }

  /** A ruleset's own content (no ids, not its supervisor's). */
  rulesetOwn(r: Ruleset): string {
    let s = this.rulesetContents.get(r);
    if (s === undefined) {
      s = `${r.handledFs},${r.handledNet},${r.scoped},${this.ruleMapId(r.fsRules)},${this.ruleMapId(r.netRules)},${r.role ?? ''},${this.ruleMapId(r.committedFs)},${this.ruleMapId(r.committedNet)}`;
      this.rulesetContents.set(r, s);
    }
    return s;
  }

  /** A ruleset's content (no ids; its supervisor's content one level down). */
  rulesetContent(r: Ruleset | undefined, world: World, depth = 0): string {
    if (!r) return '?';
    const own = this.rulesetOwn(r);
    if (r.supervisorId === undefined || depth > 0) return own;
    return `${own}<${this.rulesetContent(world.rulesets[r.supervisorId], world, 1)}`;
  }

  private filterChain(f: FilterNode | null): number {
    if (f === null) return -1;
    let id = this.filterChains.get(f);
    if (id === undefined) this.filterChains.set(f, (id = this.intern(`fc:${this.filterContent(f)}<${this.filterChain(f.prev)}`)));
    return id;
  }

  private domainChain(d: DomainNode | null): number {
    if (d === null) return -1;
    let id = this.domainChains.get(d);
    if (id === undefined) this.domainChains.set(d, (id = this.intern(`dc:${this.domainContent(d)}<${this.domainChain(d.prev)}`)));
    return id;
  }

  /** What a task is, naming no id: the order tasks are listed in before names are given. */
  taskSignature(world: World, t: Task): string {
    const hit = this.signatures.get(t);
    if (hit !== undefined && (hit.rulesets === world.rulesets || t.fds.length === 0)) return hit.sig;
    const sig = this.freshSignature(world, t);
    this.signatures.set(t, { rulesets: world.rulesets, sig });
    return sig;
  }

  private freshSignature(world: World, t: Task): string {
    let fds = '';
    for (const e of t.fds) {
      fds += `${e.fd}${e.cloexec ? 'c' : ''}${e.obj.kind[0]}`;
      if (e.obj.kind === 'ruleset') fds += this.intern(this.rulesetContent(world.rulesets[e.obj.id], world));
      fds += ';';
    }
    return `${t.tgid === this.rootTgid ? 'R' : ''}${t.tid === t.tgid ? 'L' : ''}${credentials(t)}|${this.filterChain(t.filter)}|${this.domainChain(t.domain)}|${fds}`;
  }
}

function credentials(t: Task): string {
  return `${t.nnp ? 1 : 0}${t.capSysAdmin ? 1 : 0}${t.capPermitted ? 1 : 0}${t.seccompMode}${t.llLogSubdomainsOff ? 1 : 0}${t.compromised ? 1 : 0}.${t.filterCount}`;
}

/** Every order of `sorted` that keeps tasks of different signatures in sorted order (at most
 * MAX_ORDERS; beyond that, the sorted order alone). */
function tiedOrders(sorted: readonly Task[], sigs: ReadonlyMap<Task, string>): Task[][] {
  const groups: Task[][] = [];
  for (const t of sorted) {
    const last = groups[groups.length - 1];
    if (last && sigs.get(last[0]!) === sigs.get(t)) last.push(t);
    else groups.push([t]);
  }
  let count = 1;
  for (const g of groups) for (let k = 2; k <= g.length; k++) count *= k;
  if (count === 1 || count > MAX_ORDERS) return [sorted.slice()];
  let orders: Task[][] = [[]];
  for (const g of groups) {
    const perms = permutations(g);
    const next: Task[][] = [];
    for (const o of orders) for (const p of perms) next.push([...o, ...p]);
    orders = next;
  }
  return orders;
}

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [xs.slice()];
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i++) {
    const rest = [...xs.slice(0, i), ...xs.slice(i + 1)];
    for (const p of permutations(rest)) out.push([xs[i]!, ...p]);
  }
  return out;
}

/** Names given by first appearance while one world is written out in one task order. */
class Names {
  private readonly tids = new Map<number, string>();
  private dead = 0;
  private readonly layerIds = new Map<number, number>();
  private readonly filterNodes = new Map<FilterNode, number>();
  private readonly domainNodes = new Map<DomainNode, number>();
  private readonly rulesets = new Map<number, number>();
  private readonly listeners = new Map<number, number>();
  private readonly keyrings = new Map<number, number>();
  private readonly maps = new Map<number, number>();
  private readonly sockets = new Map<number, number>();
  private pairs = 0;
  private readonly out: string[] = [];

  /** @param fixed names given in advance (a counterfactual's pinned tasks: their real names). */
  constructor(
    private readonly c: Canonicalizer,
    private readonly rootTgid: number,
    private readonly w: World,
    private readonly fixed: ReadonlyMap<number, string> | null,
  ) {}

  /** The name of a tid (a live task's is given when the world is written out). */
  tid(tid: number): string {
    let s = this.tids.get(tid);
    if (s === undefined) this.tids.set(tid, (s = `d${this.dead++}`));
    return s;
  }

  world(tasks: readonly Task[]): string {
    const w = this.w;
    tasks.forEach((t, i) => this.tids.set(t.tid, this.fixed?.get(t.tid) ?? `${i}`));
    this.out.push(`S${this.c.objectId(w.semantics)}.${this.c.objectId(w.fs)}.${w.abi}`);
    // the order processes joined their groups matters only where Landlock asks who heads a
    // group (semantics.sigioScopeFix false): then each task carries its join's rank
    const since = w.semantics.sigioScopeFix ? null : [...new Set(tasks.map((t) => t.pgSince))].sort((a, b) => a - b);
    for (const t of tasks) {
      this.out.push(`|T${this.tid(t.tid)},${this.tid(t.tgid)},${this.tid(t.ppid)},${t.tgid === this.rootTgid ? 'R' : ''}${credentials(t)}k${this.keyring(t.sessionKeyring)}${t.cwd !== '/' ? `c${t.cwd}` : ''}${t.sigsys !== 'handled' ? `s${t.sigsys}` : ''}${t.sigsysBlocked ? 'b' : ''}g${this.tid(t.pgid)}${t.forkNoExec ? '' : 'x'}${since ? `@${since.indexOf(t.pgSince)}` : ''}`);
      this.filter(t.filter);
      this.domain(t.domain);
    }
    // Descriptors after every stack, so a layer handle finds its layer named if a task holds it.
    for (const t of tasks) {
      this.out.push('|D');
      for (const e of t.fds) this.entry(e);
    }
    return this.out.join('');
  }

  private layerId(id: number): number {
    let n = this.layerIds.get(id);
    if (n === undefined) this.layerIds.set(id, (n = this.layerIds.size));
    return n;
  }

  private filter(top: FilterNode | null): void {
    for (let f = top; f !== null; f = f.prev) {
      const known = this.filterNodes.get(f);
      if (known !== undefined) {
        this.out.push(`^f${known}`);
        return;
      }
      this.filterNodes.set(f, this.filterNodes.size);
      this.out.push(`f${this.layerId(f.id)}:${this.c.filterContent(f)}${f.listener === null ? '' : `l${this.listener(f.listener)}`}`);
      // H1 maps: which map each program's rule reads, and the calls it decides (model/maps/rule.ts)
      if (f.mapRules !== null) {
        for (const r of f.mapRules) {
          if (r === null) this.out.push('-');
          else {
            this.out.push('r');
            const m = this.map(r.map);
            this.out.push(`m${m}:${r.scope.join(',')};`);
          }
        }
      }
    }
    this.out.push('.');
  }

  private domain(top: DomainNode | null): void {
    for (let d = top; d !== null; d = d.prev) {
      const known = this.domainNodes.get(d);
      if (known !== undefined) {
        this.out.push(`^d${known}`);
        return;
      }
      this.domainNodes.set(d, this.domainNodes.size);
      this.out.push(`d${this.layerId(d.id)}:${this.c.domainContent(d)}`);
      if (d.ruleset !== undefined) this.out.push(`r${this.ruleset(d.ruleset)}`);
      if (d.supervisor !== undefined) this.out.push(`s${this.ruleset(d.supervisor)}`);
    }
    this.out.push('.');
  }

  /** A socket end's name (pairs keep their ends together: the peer of end n is n ^ 1), with
   * its F_SETOWN record written where it is first named: the owner process and the domain
   * recorded (model/task/socket.ts). */
  private socket(id: number): number {
    const known = this.sockets.get(id);
    if (known !== undefined) return known;
    const peer = this.sockets.get(id ^ 1);
    const n = peer !== undefined ? peer ^ 1 : 2 * this.pairs++;
    this.sockets.set(id, n);
    const s = this.w.sockets[id];
    if (s !== undefined && s.owner !== 0) {
      this.out.push(`{S${n}=${s.ownerType === 'process' ? '' : s.ownerType === 'thread' ? 't' : 'g'}${this.tid(s.owner)}`);
      this.domain(s.fownSubject);
      this.out.push(`/${this.tid(s.fownSetterTgid)}`);
      if (s.fownSetter !== s.fownSubject) this.domain(s.fownSetter);
      this.out.push('}');
    }
    return n;
  }

  private unixListener(id: number, creator: DomainNode | null): number {
    const known = this.sockets.get(id);
    if (known !== undefined) return known;
    const n = 2 * this.pairs++;
    this.sockets.set(id, n);
    this.out.push(`{U${n}=`);
    this.domain(creator);
    this.out.push('}');
    return n;
  }

  /** A session keyring's name: 0, the one inherited from outside, keeps its own; the scenario's
   * joined keyrings are named by first appearance. */
  private keyring(k: number): number {
    if (k === 0) return 0;
    let n = this.keyrings.get(k);
    if (n === undefined) this.keyrings.set(k, (n = this.keyrings.size + 1));
    return n;
  }

  private listener(id: number): number {
    let n = this.listeners.get(id);
    if (n === undefined) this.listeners.set(id, (n = this.listeners.size));
    return n;
  }

  /** An H1 map's name; its keys are written where it is first named (they decide what later
   * puts make of the layers reading it). */
  private map(id: number): number {
    const known = this.maps.get(id);
    if (known !== undefined) return known;
    const n = this.maps.size;
    this.maps.set(id, n);
    this.out.push(`{M${n}=${(this.w.maps[id]?.keys ?? []).join(',')}}`);
    return n;
  }

  /** A ruleset's name; its content is written where it is first named. */
  private ruleset(id: number): number {
    const known = this.rulesets.get(id);
    if (known !== undefined) return known;
    const n = this.rulesets.size;
    this.rulesets.set(id, n);
    const r = this.w.rulesets[id];
    const sup = r?.supervisorId !== undefined ? `<${this.ruleset(r.supervisorId)}` : '';
    this.out.push(`{R${n}=${r ? this.c.rulesetOwn(r) : '?'}${sup}}`);
    return n;
  }

  private entry(e: FdEntry): void {
    const o = e.obj;
    const head = `${e.fd}${e.cloexec ? 'c' : ''}`;
    if (o.kind === 'ruleset') this.out.push(`${head}r${this.ruleset(o.id)};`);
    else if (o.kind === 'listener') this.out.push(`${head}l${this.listener(o.id)};`);
    // H1 maps (v5-2017-maps): by content, the map's id named by first appearance.
    else if (o.kind === 'map') this.out.push(`${head}m${this.map(o.id)};`);
    // A socket end: named by first appearance, with its F_SETOWN record and its peer's.
    else if (o.kind === 'socket') this.out.push(`${head}s${this.socket(o.id)};`);
    // An abstract listener: named by first appearance, with its creator's domain.
    else if (o.kind === 'unix_listener') this.out.push(`${head}u${this.unixListener(o.id, o.creator)};`);
    // A layer no task holds any more gets a name not seen in any stack.
    else this.out.push(`${head}h${this.layerId(o.layer)};`);
  }
}
