// The repository's public address is one setting (REPOSITORY in src/version.ts): package.json and every document
// that links to the project or names it in a `uses:` line must state the same owner/name.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOMEPAGE, REPOSITORY, ruleDocsUrl } from '../src/version.js';

const root = join(import.meta.dirname, '..');
/** github.com/<owner>/portcullis… and `uses: <owner>/portcullis@…`: the project named by its address. */
const ADDRESS = /(?:github\.com\/|uses:\s*)([A-Za-z0-9_.-]+\/portcullis)(?![A-Za-z0-9_-])/g;

function filesUnder(dir: string, ends: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p, ends) : ends.test(name) ? [p] : [];
  });
}
const markdownUnder = (dir: string): string[] => filesUnder(dir, /\.md$/);

const DOCUMENTS = [
  ...['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md', 'action.yml', 'Dockerfile'].map((f) => join(root, f)),
  ...markdownUnder(join(root, 'docs')),
].filter((f) => {
  try {
    return statSync(f).isFile();
  } catch {
    return false;
  }
});

describe('the repository address', () => {
  it('is owner/name, and the home page and rule docs are made from it', () => {
    expect(REPOSITORY).toMatch(/^[A-Za-z0-9-]+\/[A-Za-z0-9_.-]+$/);
    expect(HOMEPAGE).toBe(`https://github.com/${REPOSITORY}`);
    expect(ruleDocsUrl('v1')).toBe(`https://github.com/${REPOSITORY}/blob/v1/docs/rules`);
  });

  it("is package.json's homepage, repository and bugs", () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg['homepage']).toBe(HOMEPAGE);
    expect(pkg['repository']).toEqual({ type: 'git', url: `git+${HOMEPAGE}.git` });
    expect(pkg['bugs']).toEqual({ url: `${HOMEPAGE}/issues` });
  });

  it('is the only address the README, the docs and action.yml give the project', () => {
    const named = DOCUMENTS.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(ADDRESS)].map((m) => ({ file: relative(root, file), repository: m[1]! })),
    );
    expect(named.filter((n) => n.repository !== REPOSITORY)).toEqual([]);
    // The README's workflow examples name it (a placeholder owner would not match above, so check it is there).
    expect(named.filter((n) => n.file === 'README.md').length).toBeGreaterThan(0);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).not.toMatch(/\bOWNER\/portcullis\b/);
  });

  it('is spelled out in code only in src/version.ts: every other source file takes it from there', () => {
    const code = ['src', 'scripts', 'bench'].flatMap((d) => filesUnder(join(root, d), /\.(?:[cm]?[jt]s)$/));
    const spelled = code.filter((f) => relative(root, f) !== join('src', 'version.ts') && readFileSync(f, 'utf8').includes(REPOSITORY));
    expect(spelled.map((f) => relative(root, f))).toEqual([]);
    expect(readFileSync(join(root, 'src', 'version.ts'), 'utf8')).toContain(`'${REPOSITORY}'`);
  });
});
