// The u64 fields of a scenario (model/u64.ts) in canonical form: a value below 2^53 is a number
// however it was written, one at or above it a lower-case hex string without leading zeros. Hex
// strings are version 2 (scenario/types.ts); a version-1 document that holds one is refused with
// the field's path rather than read as something it does not say.
import type { Op, LandlockRule } from '../model/ops.js';
import type { Request, SyscallRequest } from '../model/request.js';
import { u64, type U64 } from '../model/u64.js';
import type { Scenario } from './types.js';
import { ScenarioError } from './errors.js';

class Canon {
  constructor(private readonly version: number, private readonly source: string) {}

  value(v: U64, pointer: string): U64 {
    if (typeof v === 'number') return v;
    if (this.version < 2) throw new ScenarioError('schema', this.source, pointer, `a hex value ("${v}") needs scenario version 2 (this document says version ${this.version})`);
    return u64(BigInt(v));
  }

  request(r: Request, pointer: string): Request {
    if (r.kind !== 'syscall') return r;
    const ip = this.value(r.ip, `${pointer}/ip`);
    const args = r.args.map((a, i) => this.value(a, `${pointer}/args/${i}`)) as unknown as SyscallRequest['args'];
    return ip === r.ip && args.every((a, i) => a === r.args[i]) ? r : { ...r, ip, args };
  }

  rule(r: LandlockRule, pointer: string): LandlockRule {
    const access = this.value(r.access, `${pointer}/access`);
    if (r.type === 'net_port') {
      const port = this.value(r.port, `${pointer}/port`);
      return access === r.access && port === r.port ? r : { ...r, access, port };
    }
    return access === r.access ? r : { ...r, access };
  }

  op(o: Op, pointer: string): Op {
    switch (o.op) {
      case 'ruleset_create': {
        const fs = this.value(o.fs, `${pointer}/fs`), net = this.value(o.net, `${pointer}/net`), scoped = this.value(o.scoped, `${pointer}/scoped`);
        return fs === o.fs && net === o.net && scoped === o.scoped ? o : { ...o, fs, net, scoped };
      }
      case 'ruleset_add_rule': {
        const rule = this.rule(o.rule, `${pointer}/rule`);
        return rule === o.rule ? o : { ...o, rule };
      }
      case 'probe': {
        const request = this.request(o.request, `${pointer}/request`);
        return request === o.request ? o : { ...o, request };
      }
      default: return o;
    }
  }
}

/** `s` with its u64 fields canonical (the same object when they already are). */
export function canonicalU64Fields(s: Scenario, source: string): Scenario {
  const c = new Canon(s.version, source);
  const ops = s.ops.map((o, i) => c.op(o, `/ops/${i}`));
  const syscalls = s.universe.syscalls.map((r, i) => c.request(r, `/universe/syscalls/${i}`) as SyscallRequest);
  const opsSame = ops.every((o, i) => o === s.ops[i]);
  const uniSame = syscalls.every((r, i) => r === s.universe.syscalls[i]);
  if (opsSame && uniSame) return s;
  return { ...s, ops, universe: uniSame ? s.universe : { ...s.universe, syscalls } };
}
