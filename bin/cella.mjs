#!/usr/bin/env node
// cella: runs the plain JavaScript built from src/vmm/run-elf (scripts/build.mjs; see built.mjs).
import { builtEntry } from './built.mjs';

await import(await builtEntry('vmm/run-elf/main'));
