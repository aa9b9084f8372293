import { describe, expect, it } from 'vitest';
import { compareComposer, versionOrder } from '../../src/analysis/versions/index.js';

// [a, b, expected sign of compare(a, b)] per ecosystem; each row is also checked reversed.
const TABLE: Record<string, [string, string, -1 | 0 | 1][]> = {
  npm: [
    ['4.17.20', '4.17.21', -1],
    ['1.0.0-beta.2', '1.0.0-beta.11', -1],
    ['1.0.0-rc.1', '1.0.0', -1],
    ['1.0.0+build.5', '1.0.0', 0],
    ['10.0.0', '9.9.9', 1],
    ['v2.0.0', '2.0.0', 0],
  ],
  'crates.io': [
    ['0.9.0', '0.10.0', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
  ],
  Go: [
    ['v0.0.0-20191109021931-daa7c04131f5', 'v0.1.0', -1],
    ['v1.2.3+incompatible', 'v1.2.3', 0],
    ['v2.0.0', 'v1.99.0', 1],
  ],
  PyPI: [
    ['3.1.2', '3.1.3', -1],
    ['1.0', '1.0.0', 0],
    ['1.0rc1', '1.0', -1],
    ['1.0.dev1', '1.0a1', -1],
    ['1.0', '1.0.post1', -1],
    ['1!0.1', '2.0', 1],
    ['2.0.0', '10.0.0', -1],
    ['1.0+local.7', '1.0', 1],
  ],
  RubyGems: [
    ['1.0.a', '1.0', -1],
    ['1.0', '1.0.0', 0],
    ['1.10.0', '1.9.9', 1],
    ['6.1.7.3', '6.1.7.10', -1],
    ['2.0.0.rc1', '2.0.0', -1],
  ],
  Packagist: [
    ['1.0-beta', '1.0', -1],
    ['1.0', '1.0-p1', -1],
    ['1.0RC1', '1.0', -1],
    ['1.0-alpha', '1.0-beta', -1],
    ['1.0-dev', '1.0-alpha', -1],
    ['v5.4.1', '5.4.10', -1],
    ['2.0.0', '2.0.0', 0],
    ['1.0.0', '1.0', 1],
  ],
};

describe('each ecosystem orders versions by its own rules', () => {
  for (const [eco, rows] of Object.entries(TABLE)) {
    const order = versionOrder(eco, 'ECOSYSTEM')!;
    it.each(rows)(`${eco}: %s vs %s → %i`, (a, b, want) => {
      expect(order(a, b)).toBe(want);
      expect(order(b, a)).toBe(want === 0 ? 0 : -want);
    });
  }

  it('SEMVER ranges use semver whatever the ecosystem', () => {
    expect(versionOrder('PyPI', 'SEMVER')!('1.2.3', '1.10.0')).toBe(-1);
  });

  it('has no order for GIT ranges or ecosystems the scan does not collect', () => {
    expect(versionOrder('npm', 'GIT')).toBeUndefined();
    expect(versionOrder('Debian:12', 'ECOSYSTEM')).toBeUndefined();
  });

  it('answers undefined for what an ecosystem cannot read, never a guess', () => {
    expect(versionOrder('npm', 'ECOSYSTEM')!('latest', '1.0.0')).toBeUndefined();
    expect(versionOrder('PyPI', 'ECOSYSTEM')!('not a version', '1.0')).toBeUndefined();
    expect(compareComposer('dev-main', '1.0.0')).toBeUndefined();
  });
});
