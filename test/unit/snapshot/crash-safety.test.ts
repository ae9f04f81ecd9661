import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { partPathOf, readSnapshot } from '../../../src/vmm/suspend/format/index.js';
import { differencesFromSample, seeded } from './support/sample.js';
import { tempDir } from './support/temp-dir.js';
import { LOOP_SHAPE } from './support/write-loop.js';

const dir = tempDir('snap-crash');
const script = fileURLToPath(new URL('./support/write-loop.ts', import.meta.url));
const LANES = 3;
const RUNS_PER_LANE = 10;

interface KilledRun {
  readonly started: number[];
  readonly done: number[];
}

/** Starts the writer child, waits until it is about to write, lets it run `delayMs`, then SIGKILLs it. */
async function runAndKill(path: string, first: number, delayMs: number): Promise<KilledRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, path, String(first)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('ready\n')) resolve();
    });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('exit', () => reject(new Error(`writer exited before it was killed: ${err}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGKILL');
  await closed;
  expect(err).toBe('');
  const numbers = (word: string) => out.split('\n').filter((l) => l.startsWith(`${word} `)).map((l) => Number(l.slice(word.length + 1)));
  return { started: numbers('start'), done: numbers('done') };
}

/** The seq of the whole snapshot at `path` (checked against that version's contents), or null when there is none. */
async function wholeSnapshotAt(path: string): Promise<number | null> {
  const view = await readSnapshot(path);
  if (!view.ok) {
    expect(view.error.code).toBe('SNAPSHOT_NOT_FOUND');
    return null;
  }
  try {
    const seq = (view.value.header as { seq: number }).seq;
    expect(await differencesFromSample(view.value, seq, LOOP_SHAPE)).toEqual([]);
    return seq;
  } finally {
    await view.value.close();
  }
}

/**
 * A left-over .part is never read under its name; a copy under another name is refused unless it is complete, and
 * then it is one of `candidates` (after a write completed in this run, only later versions: a write removes a stale one).
 */
async function checkPart(path: string, candidates: readonly number[]): Promise<boolean> {
  const part = partPathOf(path);
  if (!existsSync(part)) return false;
  expect(await readSnapshot(part)).toMatchObject({ ok: false, error: { code: 'SNAPSHOT_PARTIAL' } });
  const copy = `${path}.copy`;
  copyFileSync(part, copy);
  const view = await readSnapshot(copy);
  if (view.ok) {
    const seq = (view.value.header as { seq: number }).seq;
    expect(candidates).toContain(seq);
    expect(await differencesFromSample(view.value, seq, LOOP_SHAPE)).toEqual([]);
    await view.value.close();
  }
  return true;
}

async function lane(index: number, rnd: () => number, seen: { parts: number; absent: number; replaced: number }): Promise<void> {
  const laneDir = join(dir, `lane-${index}`);
  mkdirSync(laneDir);
  const path = join(laneDir, 'vm.snap');
  let survivor: number | null = null;
  const history: number[] = [];
  for (let run = 0; run < RUNS_PER_LANE; run++) {
    if (run % 4 === 0) {
      rmSync(path, { force: true });
      survivor = null;
    }
    const first = index * 1_000_000 + run * 10_000 + 1;
    const delay = rnd() % 3 === 0 ? rnd() % 4 : rnd() % 120;
    const { started, done } = await runAndKill(path, first, delay);
    const seq = await wholeSnapshotAt(path);
    const written = survivor === null ? started : [survivor, ...started];
    if (seq === null) {
      expect(survivor).toBeNull();
      expect(done).toEqual([]);
      seen.absent++;
    } else {
      expect(written).toContain(seq);
      if (done.length > 0) expect(seq).toBeGreaterThanOrEqual(Math.max(...done));
      if (seq !== survivor) seen.replaced++;
    }
    history.push(...started);
    const afterDone = done.length > 0 ? started.filter((s) => s > Math.max(...done)) : history;
    if (await checkPart(path, afterDone)) seen.parts++;
    survivor = seq;
  }
}

describe('snapshot crash safety', () => {
  it(`leaves the path absent or a whole written version when the writer is SIGKILLed (${LANES * RUNS_PER_LANE} runs)`, async () => {
    const seed = Date.now() >>> 0;
    const rnd = seeded(seed);
    const seen = { parts: 0, absent: 0, replaced: 0 };
    await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i, seeded(rnd()), seen)));
    console.info(`crash safety (seed ${seed}): ${seen.replaced} runs left a newer version, ${seen.absent} left none, ${seen.parts} left a .part`);
  });
});
