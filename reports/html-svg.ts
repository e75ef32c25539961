// The process tree over time as plain SVG, generated here (no layout library: the layout is a
// grid — one lane per task, one column per step — so a graph-layout package would add a
// dependency and a second coordinate system for nothing; plain SVG needs no script and renders
// offline in any browser). Tasks are lanes; fork (solid) and thread (dashed) edges go from the
// parent's lane to the child's at the step that made it; an exec is a diamond; each live task's
// seccomp (blue family) and Landlock (green family) layers are boxes, newest on the left; a
// layer object held by several tasks in a column (shared by reference: fork and thread copy the
// pointer) is drawn in the same colour with a `shared` outline and linked across the lanes; the
// failing step's column is highlighted and the weakened request written under it.
import type { ProcessPicture } from './html-picture.js';

const COL = 132;
const LANE = 58;
const LEFT = 70;
const TOP = 46;
const BOX_W = 19;
const BOX_H = 14;

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A stable colour for a layer key: seccomp blues, Landlock greens. */
function layerColour(key: string): string {
  const id = Number(/\d+/.exec(key)?.[0] ?? 0);
  const l = 38 + ((id * 17) % 30);
  return key.startsWith('s') ? `hsl(${205 + ((id * 23) % 40)},65%,${l}%)` : `hsl(${110 + ((id * 29) % 40)},50%,${l}%)`;
}

export function renderProcessSvg(p: ProcessPicture, title: string, id = 'p'): string {
  const lane = new Map(p.tids.map((t, i) => [t, i] as const));
  const width = LEFT + COL * p.columns.length + 20;
  const height = TOP + LANE * p.tids.length + 30 + (p.weakened.length ? 18 * p.weakened.length + 8 : 0);
  const y = (tid: number): number => TOP + LANE * (lane.get(tid) ?? 0) + LANE / 2;
  const x = (col: number): number => LEFT + COL * col;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="process-tree" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">`);
  out.push(`<title>${escapeXml(title)}</title>`);
  // column heads and the failing step's highlight
  for (let c = 0; c < p.columns.length; c++) {
    const step = c - 1;
    if (p.failing.includes(step)) out.push(`<rect class="failing-step" data-step="${step}" x="${x(c) - 4}" y="4" width="${COL - 4}" height="${TOP + LANE * p.tids.length - 4}" rx="6"/>`);
    const head = c === 0 ? 'initial' : `#${step}`;
    const s = p.steps[step];
    out.push(`<text class="col-head" x="${x(c) + 4}" y="18">${escapeXml(head)}${s ? ` <tspan class="actor">t${s.tid}</tspan>` : ''}</text>`);
    if (s) out.push(`<text class="col-op" x="${x(c) + 4}" y="32"><title>${escapeXml(`${s.op} → ${s.result}`)}</title>${escapeXml(s.op.length > 20 ? `${s.op.slice(0, 19)}…` : s.op)}</text>`);
  }
  // lanes: from the first column a task is alive in to the last
  for (const tid of p.tids) {
    const alive = p.columns.map((col) => col.some((t) => t.tid === tid));
    const first = alive.indexOf(true);
    const last = alive.lastIndexOf(true);
    out.push(`<text class="lane-label" x="8" y="${y(tid) + 4}">t${tid}</text>`);
    out.push(`<line class="lane" data-tid="${tid}" x1="${x(first)}" y1="${y(tid)}" x2="${x(last) + COL - 10}" y2="${y(tid)}"/>`);
  }
  // births
  for (const b of p.births) {
    const cx = x(b.step + 1) + 2;
    out.push(`<line class="edge ${b.via}" data-from="${b.parent}" data-to="${b.tid}" x1="${cx}" y1="${y(b.parent)}" x2="${cx}" y2="${y(b.tid)}" marker-end="url(#arrow-${id})"/>`);
  }
  // acting task per step, execs
  p.steps.forEach((s, i) => {
    if (!lane.has(s.tid)) return;
    const cx = x(i + 1) + COL - 16;
    if (s.exec) out.push(`<path class="exec" data-step="${i}" d="M${cx} ${y(s.tid) - 7} l7 7 l-7 7 l-7 -7 z"><title>execve at #${i}</title></path>`);
    else out.push(`<circle class="act${p.failing.includes(i) ? ' failing' : ''}" data-step="${i}" cx="${cx}" cy="${y(s.tid)}" r="4"><title>${escapeXml(`#${i} t${s.tid} ${s.op} → ${s.result}`)}</title></circle>`);
  });
  // stacks, and the layers shared by several tasks in a column
  p.columns.forEach((col, c) => {
    const holders = new Map<string, number[]>();
    for (const t of col) for (const k of [...t.seccomp, ...t.landlock]) holders.set(k, [...(holders.get(k) ?? []), t.tid]);
    for (const [k, tids] of holders) {
      if (tids.length < 2) continue;
      const ys = tids.map(y);
      const off = k.startsWith('s') ? -9 : 9;
      const idx = Math.max(...col.filter((t) => tids.includes(t.tid)).map((t) => (k.startsWith('s') ? t.seccomp : t.landlock).indexOf(k)));
      const lx = x(c) + 6 + idx * (BOX_W + 2) + BOX_W / 2;
      out.push(`<line class="share-link" data-layer="${k}" data-column="${c}" x1="${lx}" y1="${Math.min(...ys) + off}" x2="${lx}" y2="${Math.max(...ys) + off}" stroke="${layerColour(k)}"/>`);
    }
    for (const t of col) {
      const rows: [readonly string[], number][] = [[t.seccomp, -16], [t.landlock, 2]];
      if (t.seccompMode === 1) out.push(`<text class="strict" x="${x(c) + 6}" y="${y(t.tid) - 5}">strict</text>`);
      for (const [keys, dy] of rows) {
        if (t.seccompMode === 1 && dy < 0) continue;
        keys.forEach((k, i) => {
          const shared = (holders.get(k)?.length ?? 0) > 1;
          const bx = x(c) + 6 + i * (BOX_W + 2);
          out.push(`<g class="layer ${k.startsWith('s') ? 'seccomp' : 'landlock'}${shared ? ' shared' : ''}" data-layer="${k}" data-tid="${t.tid}" data-column="${c}">`
            + `<rect x="${bx}" y="${y(t.tid) + dy}" width="${BOX_W}" height="${BOX_H}" rx="3" fill="${layerColour(k)}"/>`
            + `<text x="${bx + BOX_W / 2}" y="${y(t.tid) + dy + 10.5}">${escapeXml(k.slice(1).split('@')[0]!)}</text>`
            + `<title>${escapeXml(`${k.startsWith('s') ? 'seccomp filter' : 'Landlock layer'} ${k.slice(1)} of t${t.tid}${shared ? ` (shared by t${holders.get(k)!.join(', t')})` : ''}`)}</title></g>`);
        });
      }
    }
  });
  let wy = TOP + LANE * p.tids.length + 22;
  for (const w of p.weakened) {
    out.push(`<text class="weakened" x="${LEFT}" y="${wy}">weaker at #${p.failing[0]}: ${escapeXml(w)}</text>`);
    wy += 18;
  }
  out.push(`<defs><marker id="arrow-${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#444"/></marker></defs>`);
  out.push('</svg>');
  return out.join('\n');
}
