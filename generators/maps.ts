// Ops of the H1 map calls (layering-designs §3a; model/maps/), for the variants whose API has
// them (variants/op-kinds.ts MAP_OPS): one `maps` segment (generators/ops.ts) is one of
//   - map_create, as any task;
//   - map_put of a syscall number (7 in 8 a number of the universe, the calls a map rule decides;
//     else any number up to 450, which no rule decides) through the task's fd-th descriptor;
//   - seccomp_filter whose rule reads the map behind the task's fd-th descriptor (flags 0);
//   (puts and filters are made, 2 in 3 times, by the scenario's last map creator, and before the
//   scenario's first map_create, 3 in 4 times after one by the same task, so that most act on a
//   live map;)
//   - the §6 V5+H1 workflow: P makes a map, attaches a filter reading it (half the time the
//     permissive program, so the rule alone decides), forks C, then P, C, or P compromised puts
//     a key — after which every task holding the rule may do more;
//   - a compromise burst of puts: [compromise(i), map_put as i, …].
// References are indices (tasks modulo the live count, fds modulo the table) as everywhere; −1
// names the newest fd (a new map fd is the highest unless an fd below it was closed).
import type { Op } from '../model/ops.js';
import type { Variant } from '../variants/variant.js';
import { accepts } from '../variants/variant.js';
import type { GeneratorOptions } from './options.js';
import { ProgramDraws, ruleTargets, guardFor, PERMISSIVE_PROGRAM } from './policy.js';
import type { GeneratedProgram } from './policy.js';
import type { Rng } from './pick.js';
import { Weighted, chance, pick } from './pick.js';
import type { Population } from './population.js';

type MapSegment = 'create' | 'put' | 'filter' | 'workflow' | 'attack';

/** Keys outside the universe are drawn from 0..OTHER_KEY_MAX (x86_64 numbers in use). */
const OTHER_KEY_MAX = 450;

class MapDraws {
  private readonly kinds = new Weighted<MapSegment>();
  private readonly programs: ProgramDraws;
  private readonly keys: readonly number[];
  private readonly maxFd: number;
  private readonly maxRules: number;
  private readonly attackOps: number;
  private readonly compromise: boolean;
  /** Per scenario (its Population), the index of the task that last made a map. */
  private readonly creators = new WeakMap<Population, number>();

  constructor(v: Variant, o: GeneratorOptions) {
    const filters = accepts(v, 'seccomp_filter') && accepts(v, 'seccomp_filter.map');
    const forks = accepts(v, 'fork');
    this.kinds.add('create', 3).add('put', 4).add('filter', filters ? 4 : 0)
      .add('workflow', filters && forks ? 3 : 0)
      .add('attack', accepts(v, 'compromise') ? 1 : 0);
    this.programs = new ProgramDraws([...ruleTargets(o.universe), ...o.extraRuleTargets], o.reservedSyscalls.length ? guardFor(o.reservedSyscalls) : undefined);
    this.keys = [...new Set(o.universe.syscalls.map((r) => r.nr))];
    this.maxFd = o.maxFdRef;
    this.maxRules = o.maxPolicyRules;
    this.attackOps = o.attackOps;
    this.compromise = accepts(v, 'compromise');
  }

  /** Append one map segment to `out`, tracking the forks it makes in `pop`. */
  segment(rng: Rng, out: Op[], pop: Population): void {
    const kind = this.kinds.draw(rng);
    const usesMap = kind === 'put' || kind === 'filter' || kind === 'attack';
    const task = usesMap ? this.holder(rng, pop) : rng.nextInt(0, pop.size - 1);
    if (usesMap && !this.creators.has(pop) && !chance(rng, 1, 4)) {
      // no map made yet: as a program would, make one first (3 in 4 times)
      out.push({ op: 'map_create', task });
      this.creators.set(pop, task);
    }
    switch (kind) {
      case 'create':
        out.push({ op: 'map_create', task });
        this.creators.set(pop, task);
        return;
      case 'put':
        out.push(this.put(rng, task, rng.nextInt(0, this.maxFd)));
        return;
      case 'filter':
        out.push(this.filter(task, this.programs.draw(rng, this.maxRules), rng.nextInt(0, this.maxFd)));
        return;
      case 'workflow': {
        out.push({ op: 'map_create', task });
        this.creators.set(pop, task);
        out.push(this.filter(task, chance(rng, 1, 2) ? PERMISSIVE_PROGRAM : this.programs.draw(rng, this.maxRules), -1));
        out.push({ op: 'fork', task });
        pop.fork();
        const who = rng.nextInt(0, this.compromise ? 2 : 1);
        if (who === 2) out.push({ op: 'compromise', task });
        out.push(this.put(rng, who === 1 ? -1 : task, -1));
        return;
      }
      case 'attack': {
        out.push({ op: 'compromise', task });
        const n = rng.nextInt(1, this.attackOps);
        for (let i = 0; i < n; i++) out.push(this.put(rng, task, rng.nextInt(0, this.maxFd)));
        return;
      }
    }
  }

  /** A task likely to hold a map: 2 in 3 times the scenario's last map creator (its index
   * stays put unless an earlier task exits: forks append), else any. */
  private holder(rng: Rng, pop: Population): number {
    const c = this.creators.get(pop);
    if (c !== undefined && c < pop.size && !chance(rng, 1, 3)) return c;
    return rng.nextInt(0, pop.size - 1);
  }

  private put(rng: Rng, task: number, map: number): Op {
    const key = this.keys.length > 0 && !chance(rng, 1, 8) ? pick(rng, this.keys) : rng.nextInt(0, OTHER_KEY_MAX);
    return { op: 'map_put', task, map, key };
  }

  private filter(task: number, p: GeneratedProgram, map: number): Op {
    return { op: 'seccomp_filter', task, flags: 0, program: p.program, map, source: p.source };
  }
}

/** The map-op generator of a variant, or null when its API has no map calls. */
export function mapDraws(v: Variant, o: GeneratorOptions): MapDraws | null {
  return accepts(v, 'map_create') && accepts(v, 'map_put') ? new MapDraws(v, o) : null;
}

export type { MapDraws };
