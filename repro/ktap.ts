// Reading a reproducer's KTAP output (repro/driver.c): one verdict per test point.
export type KtapVerdict = 'ok' | 'not ok' | 'skip';

export interface KtapPoint {
  readonly n: number;
  readonly name: string;
  readonly verdict: KtapVerdict;
  readonly directive: string | null;
}

export function parseKtap(text: string): { plan: number | null; points: KtapPoint[] } {
  let plan: number | null = null;
  const points: KtapPoint[] = [];
  for (const line of text.split('\n')) {
    const p = /^1\.\.(\d+)/.exec(line);
    if (p) plan = Number(p[1]);
    const m = /^(not ok|ok) (\d+) (\S+)(?: - [^#]*)?(?: # (.*))?$/.exec(line);
    if (!m) continue;
    const directive = m[4] ?? null;
    const verdict: KtapVerdict = m[1] === 'ok' ? (directive?.startsWith('SKIP') ? 'skip' : 'ok') : 'not ok';
    points.push({ n: Number(m[2]), name: m[3]!, verdict, directive });
  }
  return { plan, points };
}
