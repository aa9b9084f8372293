import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { someSatisfies } from '../../src/analysis/lockfile-drift.js';

/** A small deterministic generator (mulberry32, no Math.random: failures reproduce). */
function generator(seed: number) {
  let s = seed;
  const next = (n: number): number => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const pick = <T>(xs: readonly T[]): T => xs[next(xs.length)]!;
  const num = (): string => pick(['0', '1', '2', '3', '10']);
  const pre = (): string => pick(['', '', '', '-0', '-alpha', '-alpha.1', '-beta.2', '-rc.1', '-1']);
  const version = (): string => `${num()}.${num()}.${num()}${pre()}${pick(['', '', '+build.5'])}`;
  /** Versions the next range may compare against, so that bounds often fall exactly on a locked version. */
  let near: string[] = [];
  const partial = (): string =>
    near.length > 0 && next(3) === 0
      ? pick(near).replace(/\+.*$/, '')
      : pick([
          `${num()}`,
          `${num()}.${num()}`,
          `${num()}.x`,
          `${num()}.${num()}.x`,
          '*',
          `${num()}.${num()}.${num()}${pre()}`,
        ]);
  const comparator = (): string => `${pick(['', '=', '>', '>=', '<', '<=', '^', '~', '~>'])}${partial()}`;
  const set = (): string =>
    next(6) === 0 ? `${partial()} - ${partial()}` : Array.from({ length: 1 + next(3) }, comparator).join(' ');
  const range = (): string =>
    next(8) === 0 ? pick(['*', '', 'x', '>=0.0.0']) : Array.from({ length: 1 + next(3) }, set).join(' || ');
  const versions = (): string[] => (near = Array.from({ length: next(6) }, version));
  return { versions, range };
}

describe('someSatisfies', () => {
  it('agrees with semver.satisfies (includePrerelease) on generated ranges and version lists', () => {
    const g = generator(7);
    const options = { includePrerelease: true };
    let satisfied = 0;
    for (let i = 0; i < 20_000; i++) {
      const versions = g.versions();
      const text = g.range();
      let range: semver.Range;
      try {
        range = new semver.Range(text, options);
      } catch {
        continue;
      }
      const sorted = versions.map((v) => new semver.SemVer(v, options)).sort((a, b) => a.compare(b));
      const expected = versions.some((v) => semver.satisfies(v, text, options));
      if (expected) satisfied++;
      expect([text, versions, someSatisfies(range, sorted)]).toEqual([text, versions, expected]);
    }
    // Both outcomes are exercised.
    expect(satisfied).toBeGreaterThan(2_000);
    expect(satisfied).toBeLessThan(18_000);
  });
});
