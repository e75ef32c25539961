// Test support: open a page in headless Chromium (Debian package `chromium`) and look at it as a
// person would, through the Chrome DevTools Protocol over --remote-debugging-pipe (fd 3 in,
// fd 4 out, messages NUL-terminated JSON: no WebSocket, no port, no npm package): count the
// elements a query selects, collect console errors and uncaught exceptions, take a screenshot.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The chromium binary, or null when it is not installed. */
export function chromiumBinary(): string | null {
  for (const b of ['chromium', 'chromium-browser']) {
    const r = spawnSync('sh', ['-c', `command -v ${b}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

export interface PageLook {
  /** selector → number of elements. */
  readonly counts: Readonly<Record<string, number>>;
  /** Console errors, uncaught exceptions, and log entries of level error (e.g. a failed load). */
  readonly errors: readonly string[];
  readonly screenshot: Buffer;
  /** Requests the page made for anything but its own file (must be none: offline). */
  readonly requests: readonly string[];
}

interface Pending { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }

class Cdp {
  private id = 0;
  private buf = '';
  private readonly pending = new Map<number, Pending>();
  readonly events: { method: string; params: Record<string, unknown>; sessionId?: string }[] = [];
  private waiters: { method: string; resolve: () => void }[] = [];
  constructor(private readonly input: Writable, output: Readable) {
    output.setEncoding('utf8');
    output.on('data', (d: string) => {
      this.buf += d;
      for (let at = this.buf.indexOf('\0'); at >= 0; at = this.buf.indexOf('\0')) {
        const msg = JSON.parse(this.buf.slice(0, at)) as { id?: number; result?: Record<string, unknown>; error?: { message: string }; method?: string; params?: Record<string, unknown>; sessionId?: string };
        this.buf = this.buf.slice(at + 1);
        if (msg.id !== undefined) {
          const p = this.pending.get(msg.id);
          this.pending.delete(msg.id);
          if (msg.error) p?.reject(new Error(msg.error.message));
          else p?.resolve(msg.result ?? {});
        } else if (msg.method) {
          this.events.push({ method: msg.method, params: msg.params ?? {}, ...(msg.sessionId ? { sessionId: msg.sessionId } : {}) });
          this.waiters = this.waiters.filter((w) => (w.method === msg.method ? (w.resolve(), false) : true));
        }
      }
    });
  }
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = ++this.id;
    this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }
  waitFor(method: string): Promise<void> {
    if (this.events.some((e) => e.method === method)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ method, resolve }));
  }
}

/** Open `url` in a fresh headless Chromium, wait for its load, and look at it. */
/** `clip`: a selector whose first element alone is photographed (default: the viewport). */
export async function lookAtPage(binary: string, url: string, selectors: readonly string[], clip?: string, width = 1400): Promise<PageLook> {
  const profile = mkdtempSync(join(tmpdir(), 'strata-chromium-'));
  let child: ChildProcess | null = null;
  try {
    child = spawn(binary, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-pipe', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: true });
    child.stderr!.resume();
    const cdp = new Cdp(child.stdio[3] as Writable, child.stdio[4] as Readable);
    const { targetId } = (await cdp.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    for (const m of ['Runtime.enable', 'Log.enable', 'Page.enable', 'Network.enable']) await cdp.send(m, {}, sessionId);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
    const loaded = cdp.waitFor('Page.loadEventFired');
    await cdp.send('Page.navigate', { url }, sessionId);
    await loaded;
    const counts: Record<string, number> = {};
    for (const s of selectors) {
      const r = (await cdp.send('Runtime.evaluate', { expression: `document.querySelectorAll(${JSON.stringify(s)}).length`, returnByValue: true }, sessionId)) as { result: { value: number } };
      counts[s] = r.result.value;
    }
    let area: Record<string, number> | undefined;
    if (clip) {
      const r = (await cdp.send('Runtime.evaluate', { expression: `(() => { const b = document.querySelector(${JSON.stringify(clip)})?.getBoundingClientRect(); return b ? { x: b.x + scrollX, y: b.y + scrollY, width: b.width, height: b.height, scale: 1 } : null; })()`, returnByValue: true }, sessionId)) as { result: { value: Record<string, number> | null } };
      area = r.result.value ?? undefined;
    }
    const shot = (await cdp.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: area !== undefined, ...(area ? { clip: area } : {}) }, sessionId)) as { data: string };
    const errors: string[] = [];
    const requests: string[] = [];
    for (const e of cdp.events) {
      const p = e.params as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (e.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert')) errors.push(`console.${p.type}: ${JSON.stringify(p.args)}`);
      if (e.method === 'Runtime.exceptionThrown') errors.push(`exception: ${JSON.stringify(p.exceptionDetails?.text ?? p)}`);
      if (e.method === 'Log.entryAdded' && p.entry?.level === 'error') errors.push(`log: ${String(p.entry.text)} ${String(p.entry.url ?? '')}`);
      if (e.method === 'Network.requestWillBeSent' && p.request?.url !== url && p.request?.url !== 'about:blank') requests.push(String(p.request?.url));
    }
    await cdp.send('Browser.close').catch(() => undefined);
    return { counts, errors, screenshot: Buffer.from(shot.data, 'base64'), requests };
  } finally {
    // Chromium's helper processes (zygote, GPU, …) share its process group and may still write
    // to the profile after the browser closes: kill the group, wait for the browser to go, and
    // remove the profile with retries (an ENOTEMPTY race otherwise).
    if (child) {
      const c = child;
      if (c.pid !== undefined) {
        try { process.kill(-c.pid, 'SIGKILL'); } catch { /* already gone */ }
      }
      if (c.exitCode === null && c.signalCode === null) await new Promise<void>((res) => { c.once('exit', () => res()); setTimeout(res, 5000).unref(); });
    }
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}
