import { describe, expect, it } from 'vitest';
import { isDigestPinned, isScratch, parseImageRef, pinnedExample, pinStatus } from '../../src/analysis/image-ref.js';

const D = 'sha256:' + 'ab'.repeat(32);

describe('parseImageRef', () => {
  it.each([
    ['node', { name: 'node', repository: 'node', canonical: 'docker.io/library/node' }],
    ['node:22.11', { name: 'node', repository: 'node', tag: '22.11', canonical: 'docker.io/library/node' }],
    ['bitnami/redis:7', { repository: 'bitnami/redis', tag: '7', canonical: 'docker.io/bitnami/redis' }],
    ['ghcr.io/Org/App:1.0', { registry: 'ghcr.io', repository: 'Org/App', tag: '1.0', canonical: 'ghcr.io/org/app' }],
    ['localhost:5000/app', { registry: 'localhost:5000', repository: 'app', canonical: 'localhost:5000/app' }],
    ['localhost/app:2', { registry: 'localhost', repository: 'app', tag: '2' }],
    [
      `gcr.io/distroless/static:nonroot@${D}`,
      { registry: 'gcr.io', repository: 'distroless/static', tag: 'nonroot', digest: D },
    ],
    [`alpine@${D}`, { name: 'alpine', digest: D }],
  ])('%s', (text, expected) => {
    expect(parseImageRef(text)).toMatchObject({ ...expected, templated: false });
  });

  it('rejects empty and whitespace, accepts templated references', () => {
    expect(parseImageRef('')).toBeUndefined();
    expect(parseImageRef('a b')).toBeUndefined();
    expect(parseImageRef('${{ matrix.image }}')).toMatchObject({ templated: true });
    expect(parseImageRef('${REG}/app:${TAG}')).toMatchObject({ name: '${REG}/app', tag: '${TAG}', templated: true });
    expect(parseImageRef('app:${TAG:-1}')).toMatchObject({ name: 'app', tag: '${TAG:-1}' });
  });
});

describe('pin status', () => {
  const status = (t: string) => pinStatus(parseImageRef(t)!);
  it('gives each reference exactly one status', () => {
    expect(status('node')).toBe('latest');
    expect(status('node:latest')).toBe('latest');
    expect(status('node:22')).toBe('unpinned');
    expect(status(`node:22@${D}`)).toBe('pinned');
    expect(status(`node@${D}`)).toBe('pinned');
    expect(status(`node:latest@${D}`)).toBe('pinned');
    expect(status('node@sha256:abc')).toBe('unpinned');
    expect(status('${IMAGE}')).toBe('unpinned');
    expect(status('${REGISTRY}/node')).toBe('latest');
  });

  it('recognises digests and scratch', () => {
    expect(isDigestPinned(parseImageRef(`x@${D}`)!)).toBe(true);
    expect(isDigestPinned(parseImageRef(`x@${D.toUpperCase()}`)!)).toBe(false);
    expect(isScratch(parseImageRef('SCRATCH')!)).toBe(true);
    expect(isScratch(parseImageRef('scratch:1')!)).toBe(false);
    expect(isScratch(parseImageRef('ghcr.io/scratch')!)).toBe(false);
  });

  it('formats the fix', () => {
    expect(pinnedExample(parseImageRef('node:22.11')!)).toBe('node:22.11@sha256:<digest>');
    expect(pinnedExample(parseImageRef('ghcr.io/o/a:latest')!)).toBe('ghcr.io/o/a:<version>@sha256:<digest>');
    expect(pinnedExample(parseImageRef('${IMAGE}')!)).toBe('<image>:<version>@sha256:<digest>');
  });
});
