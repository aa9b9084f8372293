import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/parsers/discover.js';
import { readTextFile } from '../../src/parsers/read.js';
import { scanDirectory } from '../../src/scan.js';

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A temp tree from { relativePath: content }. */
function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'portcullis-discover-'));
  temps.push(root);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  return root;
}

const opts = { exclude: [] as string[] };
const paths = async (root: string, o = opts) => (await discover(root, o)).files.map((f) => f.path);

describe('discover', () => {
  it('lists files with relative POSIX paths in code-unit order', async () => {
    const root = tree({ 'b.txt': 'bb', 'a/z.txt': 'z', 'a/B.txt': '', 'A.txt': 'x', '.hidden/x': '1' });
    const { files, skipped } = await discover(root, opts);
    expect(files.map((f) => f.path)).toEqual(['.hidden/x', 'A.txt', 'a/B.txt', 'a/z.txt', 'b.txt']);
    expect(skipped).toEqual([]);
  });

  it('skips VCS, dependency and virtualenv folders silently, at any depth', async () => {
    const root = tree({
      'src/a.js': '',
      'node_modules/x/package.json': '{}',
      'pkg/node_modules/y/index.js': '',
      '.git/config': '',
      'vendor/lib.go': '',
      '.venv/lib/site.py': '',
      'py/__pycache__/m.pyc': '',
      'infra/.terraform/x.tf': '',
    });
    const { files, skipped } = await discover(root, opts);
    expect(files.map((f) => f.path)).toEqual(['src/a.js']);
    expect(skipped).toEqual([]);
  });

  it('honours nested .gitignore files, negation and .git/info/exclude', async () => {
    const root = tree({
      '.gitignore': '*.log\nbuild/\n',
      'keep.txt': '',
      'debug.log': '',
      'build/out.js': '',
      'sub/.gitignore': '!important.log\nsecret.txt\n',
      'sub/important.log': '',
      'sub/other.log': '',
      'sub/secret.txt': '',
      'secret.txt': '',
      'deep/a/.gitignore': '/only-here.txt\n',
      'deep/a/only-here.txt': '',
      'deep/a/b/only-here.txt': '',
      '.git/info/exclude': 'local-notes.md\n',
      'local-notes.md': '',
    });
    expect(await paths(root)).toEqual([
      '.gitignore',
      'deep/a/.gitignore',
      'deep/a/b/only-here.txt',
      'keep.txt',
      'secret.txt',
      'sub/.gitignore',
      'sub/important.log',
    ]);
  });

  it('applies exclude globs to files and to whole directories', async () => {
    const root = tree({ 'fixtures/a/Dockerfile': '', 'test/data/x.json': '', 'src/a.min.js': '', 'src/a.js': '', '.github/workflows/ci.yml': '' });
    expect(await paths(root, { ...opts, exclude: ['fixtures', 'test/**', '**/*.min.js'] })).toEqual(['.github/workflows/ci.yml', 'src/a.js']);
    expect(await paths(root, { ...opts, exclude: ['fixtures/**', './test/'] })).toEqual(['.github/workflows/ci.yml', 'src/a.js', 'src/a.min.js']);
  });

  it('leaves the size cap to reading: a file over it is listed, and the scan reports it skipped with a grouped reason', async () => {
    const root = tree({ 'big.txt': Buffer.alloc(2048, 65), 'small.txt': 'ok', 'z/big.yml': Buffer.alloc(4096, 65) });
    const { files, skipped } = await discover(root, opts);
    expect(files.map((f) => f.path)).toEqual(['big.txt', 'small.txt', 'z/big.yml']);
    expect(skipped).toEqual([]);
    const result = await scanDirectory(root, { maxFileBytes: 1024 });
    expect(result.notices[0]!.message).toBe('skipped 1 file(s): 1 larger than 1 KiB (big.txt)');
    expect(result.stats).toMatchObject({ filesSeen: 3, filesRead: 1, skipped: 1 });
    // A YAML file may be a Kubernetes manifest, and one too large to read fails closed (see unchecked-file).
    expect(result.findings.map((f) => [f.ruleId, f.path])).toEqual([['unchecked-file', 'z/big.yml']]);
  });

  it('never follows a symlink out of the root, and terminates on symlink loops', async () => {
    const root = tree({ 'real/a.txt': 'a', 'inner.txt': 'i' });
    symlinkSync('/etc', join(root, 'etc-link'));
    const outside = tree({ 'secret.txt': 's' });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'hostname-link'));
    symlinkSync(root, join(root, 'real/loop'));
    symlinkSync('..', join(root, 'real/up'));
    symlinkSync(join(root, 'inner.txt'), join(root, 'inner-link.txt'));
    symlinkSync(join(root, 'missing'), join(root, 'dangling'));
    const { files, skipped } = await discover(root, opts);
    expect(files.map((f) => f.path)).toEqual(['inner-link.txt', 'inner.txt', 'real/a.txt']);
    expect(skipped).toEqual([
      { path: 'dangling', reason: 'broken symlink' },
      { path: 'etc-link', reason: 'symlink outside the root' },
      { path: 'hostname-link', reason: 'symlink outside the root' },
      { path: 'real/loop', reason: 'symlink loop' },
      { path: 'real/up', reason: 'symlink loop' },
    ]);
  });

  it('follows a directory symlink inside the root once when its target is not otherwise scanned', async () => {
    const root = tree({ '.gitignore': 'hidden/\n', 'hidden/x.txt': 'x', 'shown/y.txt': 'y' });
    symlinkSync(join(root, 'hidden'), join(root, 'alias'));
    symlinkSync(join(root, 'shown'), join(root, 'alias2'));
    expect(await paths(root)).toEqual(['.gitignore', 'alias/x.txt', 'shown/y.txt']);
  });

  it('gives the same answer on every run', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`d${i % 7}/f${(i * 37) % 60}.txt`] = String(i);
    const root = tree(files);
    const first = await paths(root);
    expect(await paths(root)).toEqual(first);
    expect(first).toEqual([...first].sort());
    expect(first).toHaveLength(60);
  });
});

describe('readTextFile', () => {
  const file = (content: string | Buffer): string => {
    const root = tree({ f: content });
    return join(root, 'f');
  };

  it('reads UTF-8 and strips a UTF-8 BOM', () => {
    expect(readTextFile(file('héllo\n'), 100)).toBe('héllo\n');
    expect(readTextFile(file(Buffer.from([0xef, 0xbb, 0xbf, 0x61])), 100)).toBe('a');
  });

  it('replaces invalid UTF-8 instead of throwing', () => {
    expect(readTextFile(file(Buffer.from([0x61, 0xff, 0xfe, 0x62])), 100)).toBe('a\ufffd\ufffdb');
  });

  it('detects binary content by a NUL byte', () => {
    expect(readTextFile(file(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x01])), 100)).toEqual({ skip: 'binary', cause: 'binary' });
  });

  it('decodes UTF-16 with a BOM, little and big endian', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('FROM alpine\n', 'utf16le')]);
    expect(readTextFile(file(le), 100)).toBe('FROM alpine\n');
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('FROM alpine\n', 'utf16le').swap16()]);
    expect(readTextFile(file(be), 100)).toBe('FROM alpine\n');
  });

  it('reads files one after another through one buffer, small and over a mebibyte, BOM or not, whole', () => {
    const big = `${'line of text é\n'.repeat(80_000)}end`;
    const sequence = ['\ufeffa', big, 'b', 'héllo', 'x'.repeat(1024 * 1024), 'y'.repeat(1024 * 1024 - 1), 'z'.repeat(1024 * 1024 + 1), 'c'];
    for (const text of sequence) expect(readTextFile(file(text), 16 * 1024 * 1024)).toBe(text.replace(/^\ufeff/, ''));
    expect(readTextFile(file(big), 1024 * 1024)).toEqual({ skip: 'larger than 1 MiB', cause: 'size' });
    expect(readTextFile(file('x'.repeat(1024 * 1024)), 1024 * 1024)).toBe('x'.repeat(1024 * 1024));
    expect(readTextFile(file('x'.repeat(1000)), 999)).toEqual({ skip: 'larger than 999 bytes', cause: 'size' });
  });

  it('skips files over the cap and missing files', () => {
    expect(readTextFile(file('x'.repeat(200)), 100)).toEqual({ skip: 'larger than 100 bytes', cause: 'size' });
    expect(readTextFile('/nonexistent/portcullis/file', 100)).toEqual({ skip: 'unreadable', cause: 'missing' });
  });
});
