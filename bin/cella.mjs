#!/usr/bin/env node
// cella: runs the plain JavaScript built from src/run-elf (scripts/build.mjs; see built.mjs).
import { builtEntry } from './built.mjs';

await import(await builtEntry('run-elf/main'));
