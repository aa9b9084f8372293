/**
 * Packagist (Composer) version order, as the OSV database evaluates Packagist ranges: PHP's `version_compare`
 * on the version without a leading `v` (osv.dev's PackagistVersion). No maintained JavaScript implementation of
 * PHP's ordering exists (the PHP ports come inside whole-standard-library packages), so this is the small
 * algorithm itself, table-tested in test/analysis/versions.test.ts.
 *
 * `-`, `_` and `+` become `.`, a `.` goes between a digit and a non-digit (`1.0RC1` → `1.0.RC.1`), and the parts
 * are compared left to right: numbers by value, words by rank (unknown < dev < alpha = a < beta = b < RC = rc <
 * number < pl = p). When one version has parts left over, a number there makes it the greater, a word is ranked
 * against a number (`1.0-beta` < `1.0` < `1.0-p1`).
 */
const RANK: Readonly<Record<string, number>> = { dev: 0, alpha: 1, a: 1, beta: 2, b: 2, RC: 3, rc: 3, '#': 4, pl: 5, p: 5 };
const rank = (part: string): number => RANK[part] ?? -1;
const isNumber = (part: string): boolean => /^\d+$/.test(part);

function canonicalComposer(version: string): string {
  return version
    .replace(/^v/, '')
    .replace(/[-_+]/g, '.')
    .replace(/([^\d.])(\d)/g, '$1.$2')
    .replace(/(\d)([^\d.])/g, '$1.$2');
}

function compareNumbers(a: string, b: string): number {
  // Digits of any length: compared without converting past 2^53.
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  return x.length !== y.length ? Math.sign(x.length - y.length) : x < y ? -1 : x > y ? 1 : 0;
}

function compareParts(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const p = a[i]!;
    const q = b[i]!;
    const c = isNumber(p) && isNumber(q) ? compareNumbers(p, q) : Math.sign(rank(isNumber(p) ? '#' : p) - rank(isNumber(q) ? '#' : q));
    if (c !== 0) return c;
  }
  if (a.length > b.length) return isNumber(a[n]!) ? 1 : compareParts(a.slice(n), ['#']);
  if (a.length < b.length) return isNumber(b[n]!) ? -1 : compareParts(['#'], b.slice(n));
  return 0;
}

/** -1, 0 or 1; undefined for what is not a release version (`dev-main`, a branch, an empty string). */
export function compareComposer(a: string, b: string): number | undefined {
  if (!/^v?\d/.test(a) || !/^v?\d/.test(b)) return undefined;
  return compareParts(canonicalComposer(a).split('.'), canonicalComposer(b).split('.'));
}
