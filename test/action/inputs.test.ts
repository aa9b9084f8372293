import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { effectiveGate, InputError, parseList, readInputs } from '../../src/action/inputs.js';

let ws: string;
let outside: string;
const saved = { ...process.env };

beforeEach(() => {
  ws = realpathSync(mkdtempSync(join(tmpdir(), 'pc-ws-')));
  outside = realpathSync(mkdtempSync(join(tmpdir(), 'pc-out-')));
  mkdirSync(join(ws, 'sub', 'deeper'), { recursive: true });
  for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_')) delete process.env[k];
});

afterEach(() => {
  process.env = { ...saved };
  rmSync(ws, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const set = (inputs: Record<string, string>) => {
  for (const [k, v] of Object.entries(inputs)) process.env[`INPUT_${k.toUpperCase()}`] = v;
};
const errorOf = (fn: () => unknown): InputError => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
};

describe('action inputs', () => {
  it('uses defaults when inputs are empty', () => {
    const got = readInputs(ws);
    expect(got).toMatchObject({ root: ws, relativeRoot: '', workspace: ws, config: '', token: '', exclude: [] });
    expect(got.only).toBeUndefined();
    expect(got.sarifCategory).toBe('root');
    // No fail-on input: the config file's fail-on applies, else high (see scan.ts).
    expect(got.failOn).toBeUndefined();
  });

  it('resolves the config input inside the workspace', () => {
    set({ config: 'ci/gate.yml' });
    expect(readInputs(ws).config).toBe(join(ws, 'ci', 'gate.yml'));
    set({ config: '../elsewhere.yml' });
    expect(errorOf(() => readInputs(ws)).message).toBe(`Input "config" must be a file inside the workspace (${ws}); got "../elsewhere.yml"`);
  });

  it('reads every input, including the hyphenated fail-on', () => {
    set({ path: 'sub/deeper', 'fail-on': ' Medium ', token: 'ghs_x', exclude: 'vendor/**, dist/**\n\n  test/fixtures/**  \n' });
    const got = readInputs(ws);
    // The root stays the workspace: the folder is scanned as part of it.
    expect(got).toMatchObject({ root: ws, relativeRoot: '', only: ['sub/deeper'], sarifCategory: 'sub/deeper' });
    expect(got.failOn).toBe('medium');
    expect(got.token).toBe('ghs_x');
    expect(got.exclude).toEqual(['vendor/**', 'dist/**', 'test/fixtures/**']);
  });

  it('rejects a bad fail-on naming the input and the allowed values', () => {
    set({ 'fail-on': 'hihg' });
    expect(errorOf(() => readInputs(ws)).message).toBe(
      'Input "fail-on" must be one of critical, high, medium, low, info, never; got "hihg"',
    );
  });

  it('accepts every allowed fail-on value', () => {
    for (const v of ['critical', 'high', 'medium', 'low', 'info', 'never']) {
      set({ 'fail-on': v });
      expect(readInputs(ws).failOn).toBe(v);
    }
  });

  it('rejects a path that escapes the workspace with ../', () => {
    set({ path: '../' });
    expect(errorOf(() => readInputs(ws)).message).toBe(`Input "path" must name files or folders inside the workspace (${ws}); got "../": ../ is outside the root ${ws}`);
    writeFileSync(join(outside, 'x'), 'x');
    set({ path: `sub/../../${outside.split('/').pop()}/x` });
    expect(errorOf(() => readInputs(ws)).message).toContain(`is outside the root ${ws}`);
  });

  it('rejects an absolute path outside the workspace, accepts one inside', () => {
    set({ path: outside });
    expect(errorOf(() => readInputs(ws)).message).toContain(`${outside} is outside the root ${ws}`);
    set({ path: join(ws, 'sub') });
    expect(readInputs(ws)).toMatchObject({ root: ws, only: ['sub'] });
  });

  it('rejects a folder symlink and a file symlink that lead outside the workspace, even beside a good path', () => {
    symlinkSync(outside, join(ws, 'link'));
    writeFileSync(join(outside, 'Dockerfile'), 'FROM scratch\n');
    symlinkSync(join(outside, 'Dockerfile'), join(ws, 'sub', 'Dockerfile'));
    set({ path: 'link' });
    expect(errorOf(() => readInputs(ws)).message).toContain('link leads outside the root');
    set({ path: 'sub/deeper\nlink/Dockerfile' });
    expect(errorOf(() => readInputs(ws)).message).toContain('link/Dockerfile leads outside the root');
    set({ path: 'sub/Dockerfile' });
    expect(errorOf(() => readInputs(ws)).message).toContain('sub/Dockerfile is a symlink that leads outside the root');
  });

  it('takes files and folders, one per line; a missing one is kept (the scan skips it with a notice), none existing is an error', () => {
    writeFileSync(join(ws, 'sub', 'Dockerfile'), 'FROM scratch\n');
    set({ path: ' sub/Dockerfile \n\n  sub/deeper\r\ngone.yml\n' });
    expect(readInputs(ws)).toMatchObject({ root: ws, only: ['sub/Dockerfile', 'sub/deeper', 'gone.yml'], sarifCategory: 'sub/Dockerfile,sub/deeper,gone.yml' });
    set({ path: 'nope' });
    expect(errorOf(() => readInputs(ws)).message).toContain('"nope": no such file or directory: nope');
    set({ path: 'sub\n.' });
    expect(readInputs(ws).only).toBeUndefined();
  });

  it('names paths from the outermost checkout in the workspace: a nested repository (a submodule) is not a root of its own', () => {
    mkdirSync(join(ws, '.git'));
    writeFileSync(join(ws, 'sub', '.git'), 'gitdir: ../.git/modules/sub\n');
    set({ path: 'sub/deeper' });
    expect(readInputs(ws)).toMatchObject({ root: ws, relativeRoot: '', only: ['sub/deeper'] });
  });

  it('a checkout in a folder of the workspace is the root for paths inside it', () => {
    mkdirSync(join(ws, 'sub', '.git'));
    set({ path: 'sub/deeper' });
    expect(readInputs(ws)).toMatchObject({ root: join(ws, 'sub'), relativeRoot: 'sub', only: ['deeper'], sarifCategory: 'sub/deeper' });
    // A folder symlinked into the workspace is not searched for `.git`: its repository is elsewhere.
    mkdirSync(join(outside, '.git'));
    symlinkSync(outside, join(ws, 'elsewhere'));
    set({ path: 'elsewhere' });
    expect(errorOf(() => readInputs(ws)).message).toContain(`elsewhere leads outside the root ${ws} through a symlink`);
  });

  it('allows a folder whose name starts with two dots', () => {
    mkdirSync(join(ws, '..hidden'));
    set({ path: '..hidden' });
    expect(readInputs(ws).only).toEqual(['..hidden']);
  });

  it('parseList splits on commas and newlines', () => {
    expect(parseList('a,b\r\nc\n, ,d')).toEqual(['a', 'b', 'c', 'd']);
    expect(parseList('')).toEqual([]);
  });

  it('effectiveGate: new where there is a base (pull requests, merge groups, pushes to the default branch), else all; the input wins', () => {
    for (const eventName of ['pull_request', 'pull_request_target', 'merge_group']) expect(effectiveGate(undefined, { eventName })).toBe('new');
    const push = (ref: string) => ({ eventName: 'push', push: { ref, defaultBranch: 'main' } });
    expect(effectiveGate(undefined, push('refs/heads/main'))).toBe('new');
    expect(effectiveGate(undefined, push('refs/heads/feature'))).toBe('all');
    expect(effectiveGate(undefined, push('refs/tags/main'))).toBe('all');
    expect(effectiveGate(undefined, { eventName: 'push' })).toBe('all');
    for (const eventName of ['schedule', 'workflow_dispatch', '']) expect(effectiveGate(undefined, { eventName })).toBe('all');
    expect(effectiveGate('all', { eventName: 'pull_request' })).toBe('all');
    expect(effectiveGate('new', { eventName: 'schedule' })).toBe('new');
  });
});
