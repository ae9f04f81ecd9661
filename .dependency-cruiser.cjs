/**
 * The layers of src/ and the one direction of their arrows (docs/design.md, "Layers"). Each
 * top-level folder of src is a layer and imports only the layers listed below it; no folder is
 * in a cycle with another. `npm test` runs this (test/unit/docs/layers.test.ts); so does
 * `npx depcruise src --config .dependency-cruiser.cjs`.
 */
const BELOW = {
  // the Result type: every layer may use it (added below), it uses nothing
  result: [],
  vcpu: [],
  hypervisor: ['vcpu'],
  'event-channels': ['hypervisor', 'vcpu'],
  'grant-tables': ['hypervisor', 'vcpu'],
  xenstore: ['hypervisor', 'vcpu'],
  qrexec: ['event-channels', 'grant-tables', 'xenstore', 'hypervisor', 'vcpu'],
  'guest-kernel': ['qrexec', 'event-channels', 'grant-tables', 'xenstore', 'hypervisor', 'vcpu'],
  store: [],
  vmm: ['guest-kernel', 'qrexec', 'event-channels', 'grant-tables', 'xenstore', 'hypervisor', 'vcpu', 'store'],
  'run-elf': ['guest-kernel', 'hypervisor', 'vcpu'],
  api: ['vmm'],
  cli: [],
};

const layerRules = Object.entries(BELOW).map(([layer, below]) => ({
  name: `layer-${layer}`,
  comment: `src/${layer} may import only ${below.length > 0 ? below.map((b) => `src/${b}`).join(', ') : 'nothing of ours'} (and itself, and src/result)`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: {
    path: '^src/[^/]+/',
    pathNot: [`^src/${layer}/`, '^src/result/', ...below.map((b) => `^src/${b}/`)],
  },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-unknown-layer',
      comment: 'every folder of src is a layer declared in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^src/[^/]+/', pathNot: `^src/(${Object.keys(BELOW).join('|')})/` },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'no module is in a cycle of imports that run (type-only imports, erased when compiled, may go both ways inside a layer)',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/store/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
