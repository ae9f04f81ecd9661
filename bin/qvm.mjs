#!/usr/bin/env node
// The qvm command and its qvm-* links: the name it is run by picks the command. It runs the plain
// JavaScript built from src/cli (scripts/build.mjs; see built.mjs).
import { builtEntry } from './built.mjs';

const { run } = await import(await builtEntry('cli/qvm'));
await run();
