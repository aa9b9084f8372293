/**
 * The round trip on a copy of fixtures/demo, with a resolver serving every ref and image the demo uses: `fix` writes
 * exactly what its dry-run diff says (which `git apply` takes), a rescan reports none of the findings it fixed (the
 * rest is what it listed), every rewritten file parses, only the fixed lines change, and `fix` again changes nothing.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixCommand } from '../../src/cli/fix.js';
import { parseYaml } from '../../src/parsers/yaml.js';
import { scanDirectory } from '../../src/scan.js';
import { git, removeTemps, tempDir } from '../support/git-repo.js';
import { digest, mapResolver, sha } from './support.js';

afterAll(removeTemps);

const DEMO = join(import.meta.dirname, '..', '..', 'fixtures', 'demo');
const FIXED_RULES = ['unpinned-action', 'unpinned-image', 'persisted-credentials', 'excessive-permissions', 'template-injection'];
const resolver = () =>
  mapResolver({ 'actions/checkout@v4': sha('1'), 'example-org/shared-workflows@main': sha('2') }, { 'postgres:16.4': digest('3'), 'acme/api:1.4.2': digest('4'), 'node:20.11.1-bookworm': digest('5') });

async function run(root: string, dryRun: boolean, r = resolver()) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await fixCommand({ root, dryRun, offline: false, out: (s) => out.push(s), err: (s) => err.push(s) }, r);
  return { code, stdout: out.join(''), stderr: err.join(''), calls: r.calls };
}

const copyDemo = (): string => {
  const dir = tempDir('portcullis-fix-demo-');
  cpSync(DEMO, dir, { recursive: true });
  return dir;
};
const fixedKinds = <F extends { ruleId: string; message: string }>(findings: F[]): F[] =>
  findings.filter((f) => FIXED_RULES.includes(f.ruleId) && (f.ruleId !== 'excessive-permissions' || f.message.includes('no `permissions:`')));

describe('fix on the demo repository', () => {
  let root: string;
  let dry: Awaited<ReturnType<typeof run>>;
  let wrote: Awaited<ReturnType<typeof run>>;
  let again: Awaited<ReturnType<typeof run>>;
  const before: Record<string, string> = {};
  const changedFiles = ['.github/workflows/pr-preview.yml', '.github/workflows/release.yml', 'deploy/docker-compose.yml', 'deploy/k8s/api.yaml'];

  beforeAll(async () => {
    root = copyDemo();
    for (const f of changedFiles) before[f] = readFileSync(join(root, f), 'utf8');
    dry = await run(root, true);
    for (const f of changedFiles) expect(readFileSync(join(root, f), 'utf8')).toBe(before[f]);
    wrote = await run(root, false);
    again = await run(root, true);
  }, 120_000);

  it('looks each ref and image up once, and exits 1 when it would write and when it writes', () => {
    expect(dry.code).toBe(1);
    expect(wrote.code).toBe(1);
    expect([...dry.calls].sort()).toEqual(['acme/api:1.4.2', 'actions/checkout@v4', 'example-org/shared-workflows@main', 'postgres:16.4']);
  });

  it('writes exactly what the dry-run diff says, and git apply takes that diff', () => {
    const repo = copyDemo();
    git(repo, 'init', '-q');
    const patch = join(tempDir(), 'fix.patch');
    writeFileSync(patch, dry.stdout);
    git(repo, 'apply', '--check', patch);
    git(repo, 'apply', patch);
    for (const f of changedFiles) expect(readFileSync(join(repo, f), 'utf8')).toBe(readFileSync(join(root, f), 'utf8'));
    expect(dry.stdout.match(/^diff --git /gm)).toHaveLength(changedFiles.length);
    // The demo's committed credentials sit in the context of two changes: the diff stops short of them.
    for (const secret of ['pv-7fa9c2e41b8d4f60a3e5', 'Zq8vTc41mWp0Lx7eRb2N']) expect(dry.stdout).not.toContain(secret);
  });

  it('a rescan reports none of the findings it fixed: what is left is exactly what it listed', async () => {
    const rescan = await scanDirectory(root);
    const left = fixedKinds(rescan.findings).map((f) => `${f.path}:${f.ruleId}`);
    expect(left).toEqual(['services/api/Dockerfile:unpinned-image']);
    expect(wrote.stderr).toContain('services/api/Dockerfile:6: unpinned-image: node:${NODE_VERSION}-bookworm is built from a variable');
    const was = fixedKinds((await scanDirectory(DEMO)).findings);
    expect(was.length - left.length).toBe(8);
    expect(wrote.stderr).toMatch(/8 findings fixed in 4 files/);
  });

  it('every rewritten file parses, keeps its comments, and only the fixed lines change', () => {
    for (const f of changedFiles) {
      const notices: { message: string }[] = [];
      expect(parseYaml(f, readFileSync(join(root, f), 'utf8'), notices)?.documents.length).toBe(1);
      expect(notices).toEqual([]);
    }
    const removed = dry.stdout.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'));
    expect(removed).toEqual([
      '-      - uses: actions/checkout@v4',
      '-          echo "Building preview for: ${{ github.event.pull_request.title }}"',
      '-          echo "PR_BRANCH=${{ github.head_ref }}" >> "$GITHUB_ENV"',
      '-    uses: example-org/shared-workflows/.github/workflows/publish.yml@main',
      '-    image: postgres:16.4',
      '-          image: acme/api:1.4.2',
    ]);
    const after = readFileSync(join(root, '.github/workflows/pr-preview.yml'), 'utf8');
    expect(after).toContain(`      - uses: actions/checkout@${sha('1')} # v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n          persist-credentials: false\n`);
    expect(after.startsWith('# Builds a preview of every pull request, including those from forks.\n')).toBe(true);
  });

  it('fix again changes nothing and exits 0, still listing what it cannot do', () => {
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('left for a person');
  });
});
