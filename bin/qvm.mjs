#!/usr/bin/env node
// The qvm command and its qvm-* links: the name it is run by picks the command.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli/qvm.ts');
await run();
