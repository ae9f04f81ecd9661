/** Crash-test child: writes sample snapshot after snapshot to one path, reporting each on stdout, until it is killed. */
import { writeSync } from 'node:fs';
import { writeSnapshot } from '../../../../src/vmm/suspend/format/index.js';
import { sampleHeader, sampleSections, type SampleShape } from './sample.js';

/** The shape of every snapshot the child writes (the parent regenerates versions from it). */
export const LOOP_SHAPE: SampleShape = { frames: 1024, density: 0.3 };

async function main(path: string, first: number): Promise<void> {
  writeSync(1, 'ready\n');
  for (let seq = first; seq < first + 100_000; seq++) {
    writeSync(1, `start ${seq}\n`);
    const written = await writeSnapshot(path, sampleHeader(seq), sampleSections(seq, LOOP_SHAPE));
    if (!written.ok) {
      writeSync(2, `${written.error.code} ${written.error.message}\n`);
      process.exit(1);
    }
    writeSync(1, `done ${seq}\n`);
  }
}

if (process.argv[1]?.endsWith('write-loop.ts')) await main(process.argv[2], Number(process.argv[3]));
