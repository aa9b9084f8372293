// `portcullis scan --repo owner/name` through the CLI bundle (dist/cli.js): review-policy's reads against the loopback
// fake GitHub, with the token from GITHUB_TOKEN (never printed).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../support/fake-github.js';
import { inheritedEnv, runNode } from '../support/spawn-node.js';

const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'pc-cli-repo-'));
const TOKEN = 'ghs_cliPolicyToken0123456789abcdefABCD';
let fake: FakeGitHub;

const run = (args: string[], env: Record<string, string> = {}) => runNode(cli, args, { ...inheritedEnv(['GITHUB_TOKEN', 'GITHUB_API_URL', 'NO_COLOR', 'FORCE_COLOR']), ...env });

beforeAll(async () => {
  fake = await FakeGitHub.start({ owner: 'acme', repo: 'widgets' });
  mkdirSync(join(dir, '.github'));
  writeFileSync(join(dir, '.github', 'CODEOWNERS'), '* @acme/core\n');
  writeFileSync(join(dir, 'README.md'), '# widgets\n');
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.clearRequests();
  fake.branchPolicy = { rules: [{ type: 'deletion', ruleset_source_type: 'Organization', ruleset_source: 'acme', ruleset_id: 9 }], protection: 403 };
});

describe('CLI --repo', () => {
  it('reads the default branch, its rules and classic protection (three calls), and reports at the repository root', async () => {
    const r = await run(['scan', dir, '--format', 'json', '--repo', 'acme/widgets'], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: fake.url });
    expect(fake.requests.map((q) => q.operation)).toEqual(['repos/get', 'repos/get-branch-rules', 'repos/get-branch-protection']);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string; path: string; confidence: string; message: string }[]; notices: { message: string }[] };
    const found = report.findings.filter((f) => f.ruleId === 'review-policy');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: '.', confidence: 'low' });
    expect(found[0]!.message).toContain('organisation ruleset of acme');
    expect(found[0]!.message).toContain('- pull requests are not required');
    const notes = report.notices.map((n) => n.message);
    expect(notes.some((n) => n.includes('classic branch protection of main could not be read (403'))).toBe(true);
    expect(notes.some((n) => n.includes('whether this gate is a required check was not checked'))).toBe(true);
    // Low confidence (classic protection unread): reported, not blocking.
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    expect(fake.requests.every((q) => q.headers.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it('without a token: no request, no finding, one notice', async () => {
    const r = await run(['scan', dir, '--format', 'json', '--repo', 'acme/widgets'], { GITHUB_API_URL: fake.url });
    expect(fake.requests).toEqual([]);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string }[]; notices: { message: string }[] };
    expect(report.findings.filter((f) => f.ruleId === 'review-policy')).toEqual([]);
    expect(report.notices.map((n) => n.message)).toContain('review-policy was not checked for acme/widgets: --repo needs a token in the GITHUB_TOKEN environment variable.');
  });

  it('without --repo the CLI asks nothing, token or not', async () => {
    const r = await run(['scan', dir, '--format', 'json'], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: fake.url });
    expect(r.code).toBe(0);
    expect(fake.requests).toEqual([]);
  });

  it('refuses --repo with named paths, whose scan does not report the repository root (no request)', async () => {
    const r = await run(['scan', join(dir, 'README.md'), '--repo', 'acme/widgets'], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: fake.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--repo checks the repository as a whole');
    expect(fake.requests).toEqual([]);
  });

  it('refuses a --repo that is not owner/name', async () => {
    const r = await run(['scan', dir, '--repo', 'https://github.com/acme/widgets'], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: fake.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--repo must be owner/name');
    expect(fake.requests).toEqual([]);
  });
});
