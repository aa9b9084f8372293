import * as pep440 from '@renovatebot/pep440';
import * as gem from '@renovatebot/ruby-semver';
import semver from 'semver';
import { compareComposer } from './composer.js';

/** -1, 0 or 1; undefined when either version is not one the ecosystem's rules can order. */
export type VersionCompare = (a: string, b: string) => number | undefined;

/**
 * Semantic Versioning 2.0 (npm, crates.io, Go, and every OSV `SEMVER` range): a leading `v` is dropped (Go writes
 * `v1.2.3`, OSV `1.2.3`), and a Go pseudo-version (`0.0.0-20191109021931-daa7c04131f5`) is the pre-release it is
 * written as. Build metadata (Go's `+incompatible`) does not order.
 */
const compareSemver: VersionCompare = (a, b) => {
  const x = semverOf(a);
  const y = semverOf(b);
  return x && y ? semver.compare(x, y) : undefined;
};

const semverCache = new Map<string, semver.SemVer | null>();
function semverOf(v: string): semver.SemVer | null {
  let got = semverCache.get(v);
  if (got === undefined) {
    if (semverCache.size > 50_000) semverCache.clear();
    got = semver.parse(v.trim().replace(/^v(?=\d)/, ''));
    semverCache.set(v, got);
  }
  return got;
}

/** PEP 440 (PyPI): epochs, pre-, post- and dev releases, local versions, `1.0 == 1.0.0`, via @renovatebot/pep440. */
const comparePep440: VersionCompare = (a, b) => {
  if (!pep440.valid(a) || !pep440.valid(b)) return undefined;
  return Math.sign(pep440.compare(a, b));
};

/** RubyGems' Gem::Version (`1.0.a` < `1.0`, `1.0 == 1.0.0`, letters start a pre-release), via @renovatebot/ruby-semver. */
const compareRubyGems: VersionCompare = (a, b) => {
  if (!gem.valid(a) || !gem.valid(b)) return undefined;
  return gem.eq(a, b) ? 0 : gem.gt(a, b) ? 1 : -1;
};

/** Each OSV ecosystem's order for `ECOSYSTEM` ranges; ecosystems the scan does not collect have none. */
const BY_ECOSYSTEM: Readonly<Record<string, VersionCompare>> = {
  npm: compareSemver,
  'crates.io': compareSemver,
  Go: compareSemver,
  PyPI: comparePep440,
  RubyGems: compareRubyGems,
  Packagist: compareComposer,
};

/** The order an OSV range of `type` uses for `ecosystem` (`Debian:12` → `Debian`); undefined when unknown (a `GIT` range). */
export function versionOrder(ecosystem: string, type: string): VersionCompare | undefined {
  if (type === 'SEMVER') return compareSemver;
  if (type !== 'ECOSYSTEM') return undefined;
  return BY_ECOSYSTEM[ecosystem.split(':')[0]!];
}

export { compareComposer };
