/**
 * Writes openapi/openapi.json from the routes' zod schemas, and openapi/api.d.ts
 * (openapi-typescript) from it; `--check` fails when either committed file is stale.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildApp } from '../src/api/app.js';
import { Store } from '../src/store/store.js';
import { Manager } from '../src/vmm/manager.js';

const root = new URL('..', import.meta.url).pathname;
const SPEC = join(root, 'openapi/openapi.json');
const TYPES = join(root, 'openapi/api.d.ts');

export async function generateOpenApi(): Promise<{ spec: string; types: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'cella-openapi-'));
  try {
    const manager = await Manager.open(await Store.open(`file:${join(dir, 'spec.db')}`));
    const app = await buildApp({ manager });
    const document = app.swagger();
    await app.close();
    await manager.close();
    const spec = `${JSON.stringify(document, null, 2)}\n`;
    // A field with a default is optional in a request: the server fills it in.
    const ast = await openapiTS(JSON.parse(spec), { defaultNonNullable: false });
    const types = `/** GENERATED from openapi/openapi.json by \`npm run openapi\`. Do not edit. */\n${astToString(ast)}`;
    return { spec, types };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { spec, types } = await generateOpenApi();
  if (process.argv.includes('--check')) {
    const stale = [
      ...(read(SPEC) === spec ? [] : ['openapi/openapi.json']),
      ...(read(TYPES) === types ? [] : ['openapi/api.d.ts']),
    ];
    if (stale.length > 0) {
      console.error(`stale: ${stale.join(', ')}; run npm run openapi`);
      process.exit(1);
    }
    console.log('openapi: up to date');
  } else {
    mkdirSync(join(root, 'openapi'), { recursive: true });
    writeFileSync(SPEC, spec);
    writeFileSync(TYPES, types);
    console.log('openapi: wrote openapi/openapi.json and openapi/api.d.ts');
  }
}
