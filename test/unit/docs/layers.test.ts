/**
 * The layers of src/ (.dependency-cruiser.cjs): each folder imports only the layers below it, and
 * no module is in a cycle of imports that run. A new upward import fails this test.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;
const config = createRequire(import.meta.url)(`${ROOT}.dependency-cruiser.cjs`) as { forbidden: unknown[]; options: Record<string, unknown> };

/** Every violation of the rules in src/, as `rule: from → to`. */
async function violations(): Promise<string[]> {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const result = await cruise(['src'], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } } as never);
    const output = result.output as ICruiseResult;
    return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
  } finally {
    process.chdir(cwd);
  }
}

describe('the layers of src/', () => {
  it('import only downwards, and no module is in a cycle', async () => {
    expect(await violations()).toEqual([]);
  }, 120_000);

  it('are checked for real: an import from src/vmm into src/hypervisor is refused', async () => {
    const probe = `${ROOT}src/hypervisor/zz-layer-probe.ts`;
    writeFileSync(probe, "import { Manager } from '../vmm/manager.js';\nexport const upward = Manager;\n");
    try {
      expect(await violations()).toEqual(['layer-hypervisor: src/hypervisor/zz-layer-probe.ts → src/vmm/manager.ts']);
    } finally {
      rmSync(probe, { force: true });
    }
  }, 120_000);
});
