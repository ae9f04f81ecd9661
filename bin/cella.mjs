#!/usr/bin/env node
// cella: registers tsx so Node runs the TypeScript entry directly, then starts it.
import { register } from 'tsx/esm/api';

register();
await import('../src/vmm/run-elf/main.ts');
