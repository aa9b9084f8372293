import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config.js';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const rule = rules.find((r) => r.id === 'unpinned-action')!;
const scan = (text: string, config?: string) =>
  scanFiles({ '.github/workflows/release.yml': text }, { rules: [rule], ...(config ? { config: parseConfig(config, '.github/portcullis.yml', rules) } : {}) }).findings;
const SHA = 'f7dd8c54c2067bafc12ca7a55595d5ee9b75204a';
const release = (ref: string) =>
  [
    'name: SLSA go releaser',
    'on:',
    '  push:',
    '    tags: ["*"]',
    'permissions: read-all',
    'jobs:',
    '  build:',
    '    permissions:',
    '      id-token: write',
    '      contents: write',
    '      actions: read',
    `    uses: slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@${ref}`,
    '    with:',
    '      go-version: 1.22',
    '',
  ].join('\n');

describe('unpinned-action: reusable workflows that must be referenced by a release tag', () => {
  it('slsa-github-generator at a full release tag passes; by SHA, short tag or branch it is reported with the documented reason', () => {
    expect(scan(release('v2.1.0'))).toEqual([]);
    for (const ref of [SHA, 'v2', 'main']) {
      const [f, ...rest] = scan(release(ref));
      expect(rest, ref).toEqual([]);
      expect(f!.line).toBe(12);
      expect(f!.message).toContain('reference a full release tag, `@vX.Y.Z`');
      expect(f!.message).toContain('slsa-verifier');
    }
  });

  it('other reusable workflows still need a SHA, and a policy entry for the repository overrides the exception', () => {
    expect(scan(release('v2.1.0').replace('slsa-framework/slsa-github-generator', 'acme/generator')).map((f) => f.line)).toEqual([12]);
    const cfg = 'rules:\n  unpinned-action:\n    options:\n      policy:\n        slsa-framework/slsa-github-generator: hash-pin\n';
    expect(scan(release('v2.1.0'), cfg).map((f) => f.line)).toEqual([12]);
    expect(scan(release(SHA), cfg)).toEqual([]);
  });
});
