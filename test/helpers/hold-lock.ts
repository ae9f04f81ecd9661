/** Test child: takes the data-directory lock of argv[2], says `locked` on stdout, and holds it until it is killed. */
import { writeSync } from 'node:fs';
import { lockDataDir } from '../../src/data-lock.js';

await lockDataDir(process.argv[2]);
writeSync(1, 'locked\n');
setInterval(() => undefined, 60_000);
