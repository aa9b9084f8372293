import { describe, expect, it } from 'vitest';
import { interpolate, type ComposeVars } from '../../src/analysis/compose-vars.js';
import latestImageTag from '../../src/rules/containers/latest-image-tag.js';
import unpinnedImage from '../../src/rules/containers/unpinned-image.js';
import { scanFiles } from '../../src/scan.js';

const D = 'sha256:' + 'ab'.repeat(32);
const vars = (o: Record<string, string>): ComposeVars => ({ get: (n) => o[n], source: '.env' });

function scan(files: Record<string, string>) {
  return scanFiles(files, { rules: [unpinnedImage, latestImageTag] }).findings.map((f) => [f.ruleId, f.path, f.line, f.confidence, f.message]);
}

const COMPOSE = 'services:\n  flags:\n    image: ${FLAGD_IMAGE}\n  db:\n    image: postgres:${PG_VERSION:-17}\n  web:\n    image: ${REGISTRY}/web:1.0\n';

describe('compose images resolved from the committed .env', () => {
  it('judges an image whose variables the .env beside the compose file sets, at medium confidence', () => {
    const f = scan({ 'deploy/compose.yaml': COMPOSE, 'deploy/.env': `FLAGD_IMAGE=ghcr.io/someone/flagd:v0.16.0\nPG_VERSION=latest\n` });
    expect(f.map((x) => x.slice(0, 4))).toEqual([
      ['unpinned-image', 'deploy/compose.yaml', 3, 'medium'],
      ['latest-image-tag', 'deploy/compose.yaml', 5, 'medium'],
      // a variable the file does not set keeps the reference templated, as before
      ['unpinned-image', 'deploy/compose.yaml', 7, 'medium'],
    ]);
    expect(f[0]![4]).toContain('service flags image: ghcr.io/someone/flagd:v0.16.0 (`${FLAGD_IMAGE}` with deploy/.env) is not pinned by digest');
    expect(f[1]![4]).toContain('postgres:latest (`postgres:${PG_VERSION:-17}` with deploy/.env)');
  });

  it('stays silent for a pinned value, an unset variable, and a .env elsewhere', () => {
    const pinned = scan({ 'compose.yaml': COMPOSE, '.env': `FLAGD_IMAGE=ghcr.io/someone/flagd:v0.16.0@${D}\nPG_VERSION=17@${D}\n` });
    expect(pinned.map((x) => x[2])).toEqual([7]);
    // without a .env beside it, the whole-variable image is skipped and the rest judged as before
    expect(scan({ 'compose.yaml': COMPOSE }).map((x) => x[2])).toEqual([5, 7]);
    expect(scan({ 'compose.yaml': COMPOSE, 'other/.env': 'FLAGD_IMAGE=redis:7\n' }).map((x) => x[2])).toEqual([5, 7]);
  });

  it('interpolates the way compose does', () => {
    const v = vars({ A: 'x', E: '', N: '${A}:1' });
    expect(interpolate('$A/${A}', v)).toBe('x/x');
    expect(interpolate('${E:-d} ${E-d} ${U-d} ${U:-d}', v)).toBe('d  d d');
    expect(interpolate('${A:+alt}${E:+alt}', v)).toBe('alt');
    expect(interpolate('${N}', v)).toBe('x:1');
    expect(interpolate('$$A', v)).toBe('$A');
    expect(interpolate('${U}', v)).toBeUndefined();
    expect(interpolate('${E:?set it}', v)).toBeUndefined();
    expect(interpolate('${U:-${A}}', v)).toBe('x');
  });
});
