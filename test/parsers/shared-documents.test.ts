import { describe, expect, it } from 'vitest';
import type { Project } from '../../src/core/types.js';
import { parseLockfile, readLockfile, rememberLockfile } from '../../src/parsers/lockfiles/index.js';
import { parseManifest } from '../../src/parsers/manifests/index.js';
import { readManifest, rememberManifest } from '../../src/parsers/manifests/workspace.js';

// A project view that counts reads: a document the scan already parsed must not be read again.
function countingProject(files: Record<string, string>): Project & { reads: string[] } {
  const reads: string[] = [];
  return { reads, has: (p) => p in files, read: (p) => (reads.push(p), files[p]), list: () => Object.keys(files) };
}

describe('documents parsed once per scan', () => {
  const lock = JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'a' }, 'node_modules/x': { version: '1.0.0' } } });
  const manifest = JSON.stringify({ name: 'a', dependencies: { x: '^1.0.0' } });

  it('readLockfile returns the lockfile the scan remembered, without reading it again', () => {
    const project = countingProject({ 'package-lock.json': lock });
    const doc = parseLockfile('package-lock.json', lock, []);
    rememberLockfile(project, 'package-lock.json', doc);
    expect(readLockfile(project, 'package-lock.json')).toBe(doc);
    expect(project.reads).toEqual([]);
  });

  it('readManifest returns the manifest the scan remembered, without reading it again', () => {
    const project = countingProject({ 'package.json': manifest });
    const doc = parseManifest('package.json', manifest, []);
    rememberManifest(project, 'package.json', doc);
    expect(readManifest(project, 'package.json')).toBe(doc);
    expect(project.reads).toEqual([]);
  });
});
