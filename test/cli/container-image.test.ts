/** The container image definition at the repository root (for CI systems other than GitHub Actions) passes the gate. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanFiles } from '../../src/scan.js';

const root = join(import.meta.dirname, '..', '..');

describe('the root Dockerfile', () => {
  it('is pinned by digest, runs as a non-root user and raises no finding', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:24-alpine@sha256:[0-9a-f]{64}$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    const result = scanFiles({ Dockerfile: dockerfile, '.dockerignore': readFileSync(join(root, '.dockerignore'), 'utf8') });
    expect(result.findings).toEqual([]);
  });

  it('copies only the CLI bundle and its documents (the .dockerignore admits nothing else)', () => {
    const ignore = readFileSync(join(root, '.dockerignore'), 'utf8').trim().split('\n');
    expect(ignore[0]).toBe('*');
    const copied = [...readFileSync(join(root, 'Dockerfile'), 'utf8').matchAll(/^COPY (.+) \S+$/gm)].flatMap((m) => m[1]!.split(' '));
    for (const file of copied) expect(ignore).toContain(`!${file}`);
  });
});
