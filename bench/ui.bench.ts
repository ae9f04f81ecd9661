/**
 * bench:ui: the dashboard's first load (HTML + JS + CSS, as the manager sends them: brotli, gzip) and,
 * in Debian's Chromium, the VM list with 500 VMs while the manager makes 10 events a second: frame
 * gaps (requestAnimationFrame), long tasks (PerformanceObserver) and the time from an API call to its row.
 * `npm run bench:ui` (BENCH_SECONDS, default 30; `-- --write` puts the figures in docs/benchmarks.md).
 */
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { readdirSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { haveChromium, launchChromium } from '../test/helpers/browser.js';
import { startServer, seedTemplate } from '../test/helpers/server.js';
import { buildUiInto } from '../test/helpers/ui-build.js';
import { machine, today, writeSection } from './lib/report.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const VMS = 500;
const RUNNING = 40;
const EVENTS_PER_S = 10;
const LABELS = ['red', 'orange', 'yellow', 'green', 'gray', 'blue', 'purple', 'black'];

if (!haveChromium) {
  console.error('bench:ui needs /usr/bin/chromium (apt-get install chromium)');
  process.exit(1);
}

/** Bytes of `path` as sent for this Accept-Encoding. */
function sentBytes(url: string, encoding: string): Promise<{ bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ bytes, encoding: String(res.headers['content-encoding'] ?? 'identity') }));
    }).on('error', reject);
  });
}

function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const loadBefore = loadavg()[0];
const dist = buildUiInto();
const server = await startServer({ uiDir: dist });
const out: string[] = [];
try {
  // first load, as the server sends it
  const files = ['/', ...readdirSync(dist).filter((f) => /^app-.*\.(js|css)$/.test(f)).map((f) => `/ui/${f}`)];
  const sizes: Record<string, number> = { identity: 0, gzip: 0, br: 0 };
  for (const enc of ['identity', 'gzip', 'br']) {
    for (const f of files) {
      const r = await sentBytes(`${server.url}${f}`, enc);
      if (r.encoding !== enc && enc !== 'identity') throw new Error(`${f}: asked for ${enc}, got ${r.encoding}`);
      sizes[enc] += r.bytes;
    }
  }

  // 500 VMs, 40 of them running (idle kernels)
  const m = server.manager;
  await seedTemplate(m);
  const names: string[] = [];
  for (let i = 1; i < VMS; i++) {
    const name = `vm${String(i).padStart(3, '0')}`;
    names.push(name);
    await m.execute({ type: 'vm.create', name, klass: 'AppVM', label: LABELS[i % LABELS.length] as 'red', template: 'fedora', properties: { memory: 8 } as never });
  }
  const running = names.slice(0, RUNNING);
  for (const name of running) await m.execute({ type: 'vm.start', name });

  const browser = await launchChromium({ width: 1360, height: 900 });
  try {
    const page = await browser.context.newPage();
    // tsx keeps function names with an __name helper, which functions sent to the page then call
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    const t0 = Date.now();
    await page.goto(`${server.url}/`);
    await page.waitForFunction((n) => document.querySelectorAll('.vms-body .vm-row').length === n, VMS + 1, { timeout: 60_000 });
    const firstPaintMs = Date.now() - t0;
    const transfer = await page.evaluate(() =>
      performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
        .filter((e) => /\/(ui\/app-|$)/.test(new URL(e.name).pathname))
        .reduce((t, e) => t + (e as PerformanceResourceTiming).transferSize, 0),
    );

    // the renderer's main-thread time (Chrome's Performance domain): how much of each second the page works
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const busy = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const v = (name: string) => (metrics.find((x) => x.name === name)?.value ?? 0) * 1000;
      return { at: Date.now(), task: v('TaskDuration'), script: v('ScriptDuration'), layout: v('LayoutDuration'), style: v('RecalcStyleDuration') };
    };
    type Busy = Awaited<ReturnType<typeof busy>>;
    const perSecond = (a: Busy, b: Busy) => {
      const s = (b.at - a.at) / 1000;
      const f = (k: 'task' | 'script' | 'layout' | 'style') => ((b[k] - a[k]) / s).toFixed(0);
      return `${f('task')} ms/s (script ${f('script')}, style ${f('style')}, layout ${f('layout')})`;
    };

    // the recorder: frame times, long tasks, and when each row's label last changed
    const record = () =>
      page.evaluate(() => {
        const w = window as unknown as { frames: number[]; longTasks: number[]; labelSeen: Record<string, [number, string][]>; stop: boolean };
        w.frames = [];
        w.longTasks = [];
        w.labelSeen = {};
        w.stop = false;
        const tick = (t: number) => {
          w.frames.push(t);
          if (!w.stop) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
        new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask' });
        new MutationObserver((records) => {
          const now = Date.now();
          for (const r of records) {
            const row = (r.target instanceof Element ? r.target : r.target.parentElement)?.closest('.vm-row[data-vm]');
            const label = row?.querySelector('.label')?.textContent;
            if (row && label) (w.labelSeen[row.getAttribute('data-vm')!] ??= []).push([now, label]);
          }
        }).observe(document.querySelector('.vms-body')!, { subtree: true, childList: true, characterData: true });
      });
    const collect = () =>
      page.evaluate(() => {
        const w = window as unknown as { frames: number[]; longTasks: number[]; labelSeen: Record<string, [number, string][]>; stop: boolean };
        w.stop = true;
        return { frames: w.frames, longTasks: w.longTasks, labelSeen: w.labelSeen };
      });
    const frameStats = (frames: number[]) => {
      const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
      const frame = quantile(gaps, 0.5);
      const dropped = gaps.reduce((n, g) => n + Math.max(0, Math.round(g / frame) - 1), 0);
      return { frames: frames.length, fps: (frames.length - 1) / ((frames.at(-1)! - frames[0]) / 1000), p50: frame, p99: quantile(gaps, 0.99), max: gaps.at(-1) ?? 0, over50: gaps.filter((g) => g > 50).length, dropped };
    };

    // idle baseline: stats samples only
    await page.waitForTimeout(2000);
    await record();
    const idleFrom = await busy();
    await page.waitForTimeout(Math.min(10, SECONDS) * 1000);
    const idleBusy = perSecond(idleFrom, await busy());
    const idle = await collect();

    // under load: 10 events a second, label sets, tag toggles and pause/unpause (2 events each)
    const firstId = (await m.execute({ type: 'events.last' })) as number;
    await record();
    const loadFrom = await busy();
    const sent: { name: string; label: string; at: number }[] = [];
    const paused = new Set<string>();
    const started = Date.now();
    let n = 0;
    while (Date.now() - started < SECONDS * 1000) {
      const slot = n % EVENTS_PER_S; // 9 operations per second: 4 labels, 4 tags, one pause or unpause (2 events)
      const at = started + n * (1000 / EVENTS_PER_S);
      const wait = at - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const pick = names[(n * 37) % names.length];
      if (slot < 4) {
        // always another label than the VM has: a set to the same value is no event
        const before = (await m.execute({ type: 'vm.get', name: pick })).label;
        const label = LABELS[(LABELS.indexOf(before) + 1 + (n % (LABELS.length - 1))) % LABELS.length];
        sent.push({ name: pick, label, at: Date.now() });
        await m.execute({ type: 'vm.update', name: pick, changes: { label } });
      } else if (slot < 8) {
        const tag = `t${n % 3}`;
        const vm = await m.execute({ type: 'vm.get', name: pick });
        await m.execute(vm.tags.includes(tag) ? { type: 'vm.tag.remove', name: pick, tag } : { type: 'vm.tag.add', name: pick, tag });
      } else if (slot === 8) {
        const target = running[(n / 10) % running.length | 0];
        if (paused.has(target)) await m.execute({ type: 'vm.unpause', name: target }), paused.delete(target);
        else await m.execute({ type: 'vm.pause', name: target }), paused.add(target);
      }
      n++;
    }
    const elapsed = (Date.now() - started) / 1000;
    const loadBusy = perSecond(loadFrom, await busy());
    await page.waitForTimeout(1500);
    const loaded = await collect();
    const lastId = (await m.execute({ type: 'events.last' })) as number;
    const events = lastId - firstId;

    // every label change reached its row: latency from the API call to the row showing it
    const latencies: number[] = [];
    let missed = 0;
    for (const s of sent) {
      const seen = (loaded.labelSeen[s.name] ?? []).find(([t, l]) => t >= s.at && l === s.label);
      if (seen) latencies.push(seen[0] - s.at);
      else missed++;
    }
    latencies.sort((a, b) => a - b);
    // the list ends as the manager has it
    const want = Object.fromEntries((await m.execute({ type: 'vm.list', filter: {}, offset: 0, limit: 1000 })).items.map((v) => [v.name, `${v.label}|${v.state}`]));
    const shown = await page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll('.vms-body .vm-row')].map((r) => [r.getAttribute('data-vm'), `${r.querySelector('.label')?.textContent}|${r.getAttribute('data-state')}`])),
    );
    const stale = Object.keys(want).filter((k) => want[k] !== shown[k]).length;

    const a = frameStats(idle.frames);
    const b = frameStats(loaded.frames);
    const lt = (l: number[]) => `${l.length} (max ${Math.round(Math.max(0, ...l))} ms)`;
    const r1 = (x: number) => x.toFixed(1);
    out.push(
      `Measured ${today()} on ${machine()}, Chromium ${browser.context.browser()?.version() ?? '?'} (Debian, headless), \`npm run bench:ui\` (${SECONDS} s under load).`,
      `The machine is shared with other jobs (1-minute load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end, on 2 cores): figures vary between runs.`,
      '',
      `First load (HTML + JS + CSS, as the manager sends them): **${(sizes.br / 1024).toFixed(1)} KiB brotli**, ${(sizes.gzip / 1024).toFixed(1)} KiB gzip, ${(sizes.identity / 1024).toFixed(1)} KiB uncompressed (limit 200 KiB compressed); Chromium's transferSize ${(transfer / 1024).toFixed(1)} KiB (with headers).`,
      `With ${VMS} VMs (${RUNNING} running): ${firstPaintMs} ms from navigation to all ${VMS} rows on screen.`,
      '',
      `| ${VMS} VMs, list page | frames | fps | frame p50 ms | p99 ms | max ms | frames > 50 ms | dropped frames | long tasks |`,
      '|---|---:|---:|---:|---:|---:|---:|---:|---|',
      `| idle (stats samples only) | ${a.frames} | ${r1(a.fps)} | ${r1(a.p50)} | ${r1(a.p99)} | ${r1(a.max)} | ${a.over50} | ${a.dropped} | ${lt(idle.longTasks)} |`,
      `| ${r1(events / elapsed)} events/s | ${b.frames} | ${r1(b.fps)} | ${r1(b.p50)} | ${r1(b.p99)} | ${r1(b.max)} | ${b.over50} | ${b.dropped} | ${lt(loaded.longTasks)} |`,
      '',
      `${events} events in ${r1(elapsed)} s (label sets, tag toggles, pause/unpause of running VMs), on top of a stats sample a second.`,
      `The page's main thread (renderer, Chrome's TaskDuration): idle ${idleBusy}; under load ${loadBusy}.`,
      `Label changes seen in their row: ${latencies.length} of ${sent.length} (missed ${missed}); API call to row: p50 ${quantile(latencies, 0.5)} ms, p99 ${quantile(latencies, 0.99)} ms, max ${latencies.at(-1) ?? 0} ms.`,
      `Rows differing from the manager's list at the end: ${stale} of ${VMS}.`,
      'Dropped frames: the frame gaps beyond the median, in frames (a 50 ms gap at 16.7 ms frames is 2 dropped).',
    );
  } finally {
    await browser.close();
  }
} finally {
  await server.close();
  rmSync(dirname(dist), { recursive: true, force: true });
}
const text = `## Dashboard (bench:ui)\n\n${out.join('\n')}`;
console.log(text);
if (process.argv.includes('--write')) writeSection('ui', text);
