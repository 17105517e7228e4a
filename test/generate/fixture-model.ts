/** A hand-built bundle input (no scanner): the golden files are rendered from it. */
import type { BundleInput } from '../../src/generate/model.js';

const target = (
  qualname: string,
  extra: Partial<BundleInput['targets'][number]> = {},
): BundleInput['targets'][number] => ({
  module: 'pkg.mod',
  qualname,
  kind: 'method',
  async: false,
  generator: false,
  signature: '(self, x, *, y=1) -> int',
  fingerprint: '0123456789abcdef',
  sentinel: 'pkg.mod',
  line: 10,
  startLine: 9,
  endLine: 12,
  sourceHash: 'fedcba9876543210',
  bindingSites: [],
  ...extra,
});

export const FIXTURE_INPUT: BundleInput = {
  name: 'fixture',
  body: 'passthrough',
  package: 'pkg',
  distribution: { name: 'pkg-dist', version: '1.2.3' },
  patchkitVersion: '0.1.0',
  targets: [
    target('run', {
      kind: 'function',
      bindingSites: [
        { module: 'pkg', name: 'run' },
        { module: 'pkg.cli', name: 'go' },
      ],
    }),
    target('Client.fetch', { async: true }),
    target('Client.stream', { generator: true }),
    target('Client.astream', { async: true, generator: true }),
    target('Client.create', { kind: 'classmethod', sentinel: 'pkg' }),
    target('Client.name', { kind: 'property', signature: "(self) -> 'str # \\\\ \\'quoted\\''" }),
  ],
};
