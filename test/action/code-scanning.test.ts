/**
 * `upload-sarif: true` (src/action/code-scanning.ts) against the fake GitHub's code scanning endpoints: what is
 * sent (gzip + base64 of the log, the ref and commit it is filed under), the wait for processing and its bound,
 * and the one notice for each way it cannot be done (no permission, a fork, no code scanning, no answer).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeSarif, fitToLimit, uploadToCodeScanning, type CodeScanningOptions, type Say } from '../../src/action/code-scanning.js';
import type { RunContext } from '../../src/action/context.js';
import { createGitHubClient } from '../../src/action/github.js';
import { uploadTarget } from '../../src/action/upload-target.js';
import type { Finding } from '../../src/core/types.js';
import { toSarif } from '../../src/reporters/sarif.js';
import { rules } from '../../src/rules/index.js';
import { FakeGitHub } from '../support/fake-github.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- SARIF logs are read as plain JSON here */

const SHA = 'c'.repeat(40);
const HEAD = 'd'.repeat(40);
let fake: FakeGitHub;
let notGit: string;
let said: { level: string; message: string }[];
const say: Say = (level, message) => void said.push({ level, message });
const spoken = (level: string): string[] => said.filter((s) => s.level === level).map((s) => s.message);

const finding = (line: number, over: Partial<Finding> = {}): Finding => ({
  ruleId: 'unpinned-action',
  severity: 'high',
  confidence: 'high',
  message: `Action pinned to a tag on line ${line}; pin it to a full commit SHA.`,
  path: '.github/workflows/ci.yml',
  line,
  column: 15,
  endLine: line,
  endColumn: 34,
  related: [],
  fingerprint: line.toString(16).padStart(32, '0'),
  ...over,
});
const build = (findings: Finding[]) => (maxResults?: number) =>
  toSarif({ findings, failOn: 'high' }, rules, { version: '0.1.0', category: 'root', ...(maxResults !== undefined ? { maxResults } : {}) }) as Record<string, unknown>;

function ctx(over: Partial<RunContext> = {}): RunContext {
  return { eventName: 'push', repository: fake.repository, serverUrl: 'https://github.com', apiUrl: fake.url, sha: SHA, ...over };
}

function options(over: Partial<CodeScanningOptions> = {}): CodeScanningOptions {
  return {
    ctx: ctx(),
    env: { GITHUB_SHA: SHA, GITHUB_REF: 'refs/heads/main' },
    workspace: notGit,
    root: notGit,
    token: 'ghs_test',
    clientSettings: { writeSpacingMs: 0, retryBaseMs: 1, rateLimitBaseMs: 1 },
    pollBaseMs: 1,
    startedAt: new Date('2026-12-07T10:11:12.345Z'),
    say,
    ...over,
  };
}

beforeAll(async () => {
  fake = await FakeGitHub.start();
  // No git checkout here (and none above it under the temp folder): GITHUB_SHA and GITHUB_REF are trusted.
  notGit = mkdtempSync(join(tmpdir(), 'pc-cs-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(notGit, { recursive: true, force: true });
});
beforeEach(() => {
  said = [];
  fake.clearRequests();
  fake.clearFaults();
  fake.readOnly = false;
  fake.codeScanning.behaviour = { enabled: true, pendingPolls: 2, outcome: 'complete', errors: [] };
});

describe('upload-sarif', () => {
  it('uploads the log gzipped and base64-encoded under the run’s ref and commit, then waits until GitHub has processed it', async () => {
    const findings = [finding(3), finding(9)];
    const out = await uploadToCodeScanning(build(findings), options());
    expect(out).toMatchObject({ result: 'uploaded', processing: 'complete' });
    const upload = fake.codeScanning.uploads.at(-1)!;
    expect(out.id).toBe(upload.id);
    expect(upload).toMatchObject({ commit_sha: SHA, ref: 'refs/heads/main', tool_name: 'portcullis', started_at: '2026-12-07T10:11:12Z' });
    // Exactly the log the reporter built, byte for byte after decoding.
    expect(upload.log).toEqual(JSON.parse(JSON.stringify(build(findings)())));
    const body = fake.requests.find((r) => r.method === 'POST')!.body as { sarif: string };
    expect(JSON.parse(gunzipSync(Buffer.from(body.sarif, 'base64')).toString('utf8'))).toEqual(upload.log);
    // One upload, then status requests until `complete` (two `pending` first).
    expect(fake.requests.map((r) => `${r.method} ${r.operation}`)).toEqual([
      'POST code-scanning/upload-sarif',
      'GET code-scanning/get-sarif',
      'GET code-scanning/get-sarif',
      'GET code-scanning/get-sarif',
    ]);
    expect(spoken('notice')).toEqual([]);
    expect(spoken('warning')).toEqual([]);
    expect(spoken('info').join('\n')).toMatch(/uploaded the SARIF log to code scanning for refs\/heads\/main[\s\S]*Code scanning processed upload/);
  });

  it('says once that the token lacks `security-events: write`, and changes nothing else', async () => {
    fake.readOnly = true;
    const out = await uploadToCodeScanning(build([finding(1)]), options());
    expect(out).toEqual({ result: 'failed' });
    expect(said).toHaveLength(1);
    expect(spoken('notice')[0]).toMatch(/grant the job `security-events: write` \(GitHub answered 403 Resource not accessible by integration\)/);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it("does not try on a fork's pull request, whose token is read-only", async () => {
    const pullRequest = { number: 5, headSha: HEAD, baseSha: SHA, isFork: true };
    const env = { GITHUB_SHA: SHA, GITHUB_REF: 'refs/pull/5/merge' };
    const out = await uploadToCodeScanning(build([finding(1)]), options({ ctx: ctx({ eventName: 'pull_request', pullRequest }), env }));
    expect(out).toEqual({ result: 'skipped' });
    expect(fake.requests).toEqual([]);
    expect(spoken('notice')).toEqual([expect.stringMatching(/^This is a fork's pull request: its token is read-only, so Portcullis did not upload the SARIF log/)]);
  });

  it('explains a repository without code scanning (a private one without GitHub Code Security)', async () => {
    fake.codeScanning.behaviour.enabled = false;
    const out = await uploadToCodeScanning(build([finding(1)]), options());
    expect(out.result).toBe('failed');
    expect(said).toHaveLength(1);
    expect(spoken('notice')[0]).toMatch(/^Code scanning is not enabled for acme\/widgets .*need GitHub Code Security/);
  });

  it('still uploads with a client whose comment was refused: the upload has a permission of its own', async () => {
    const client = await createGitHubClient({ token: 'ghs_test', apiUrl: fake.url, repository: fake.repository, writeSpacingMs: 0, retryBaseMs: 1 });
    fake.readOnly = true;
    await expect(client.createIssueComment(1, 'x')).rejects.toThrow();
    expect(client.readOnly).toBeDefined();
    fake.readOnly = false; // pull-requests: read, security-events: write
    const out = await uploadToCodeScanning(build([finding(1)]), options({ client }));
    expect(out).toMatchObject({ result: 'uploaded', processing: 'complete' });
  });

  it('reports what GitHub says when processing fails', async () => {
    fake.codeScanning.behaviour = { enabled: true, pendingPolls: 0, outcome: 'failed', errors: ['locationFromSarifResult: expected artifact location'] };
    const out = await uploadToCodeScanning(build([finding(1)]), options());
    expect(out).toMatchObject({ result: 'uploaded', processing: 'failed' });
    expect(spoken('warning')).toEqual([expect.stringMatching(/could not process the SARIF upload \S+: locationFromSarifResult: expected artifact location\. The verdict is unaffected\./)]);
  });

  it('waits for processing only within the client’s time budget', async () => {
    fake.codeScanning.behaviour.pendingPolls = Number.MAX_SAFE_INTEGER;
    const started = Date.now();
    const out = await uploadToCodeScanning(build([finding(1)]), options({ clientSettings: { writeSpacingMs: 0, retryBaseMs: 1, budgetMs: 2_000 }, pollBaseMs: 50 }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(out).toMatchObject({ result: 'uploaded', processing: 'pending' });
    expect(spoken('info').at(-1)).toMatch(/still processing upload .* when Portcullis's time for the GitHub API ran out/);
    expect(spoken('warning')).toEqual([]);
  });

  it('sends the upload once when GitHub never answers it, and says so without throwing', async () => {
    fake.hang(5, { method: 'POST' });
    const out = await uploadToCodeScanning(build([finding(1)]), options({ clientSettings: { writeSpacingMs: 0, retryBaseMs: 1, timeoutMs: 300, budgetMs: 2_000 } }));
    expect(out).toEqual({ result: 'failed' });
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(said).toHaveLength(1);
    expect(said[0]!.level).toBe('warning');
  });

  it('does not upload a checkout it cannot file under the right ref, nor without a token', async () => {
    await uploadToCodeScanning(build([finding(1)]), options({ env: { GITHUB_SHA: SHA, GITHUB_REF: 'refs/remotes/origin/main' } }));
    await uploadToCodeScanning(build([finding(1)]), options({ ctx: ctx({ eventName: 'pull_request_target' }) }));
    await uploadToCodeScanning(build([finding(1)]), options({ token: '' }));
    expect(fake.requests).toEqual([]);
    expect(spoken('notice')).toEqual([
      expect.stringMatching(/did not upload .*this run's ref \(refs\/remotes\/origin\/main\) is not a branch, a tag or a pull request/),
      expect.stringMatching(/did not upload .*no git checkout, so on pull_request_target Portcullis cannot tell/),
      expect.stringMatching(/has no token/),
    ]);
  });
});

describe('the upload target', () => {
  const pullRequest = { number: 12, headSha: HEAD, baseSha: SHA, isFork: false };
  const env = { GITHUB_SHA: SHA, GITHUB_REF: 'refs/pull/12/merge' };
  it('files the run’s commit under the run’s ref, and a pull request’s head under refs/pull/N/head', () => {
    expect(uploadTarget({ ...ctx(), eventName: 'pull_request', pullRequest }, env, SHA)).toEqual({ ref: 'refs/pull/12/merge', commitSha: SHA });
    expect(uploadTarget({ ...ctx(), eventName: 'pull_request_target', pullRequest }, env, HEAD)).toEqual({ ref: 'refs/pull/12/head', commitSha: HEAD });
    expect(uploadTarget({ ...ctx(), eventName: 'push' }, { GITHUB_SHA: SHA, GITHUB_REF: 'refs/tags/v1' }, undefined)).toEqual({ ref: 'refs/tags/v1', commitSha: SHA });
  });
  it('never files another commit under the default branch', () => {
    expect(uploadTarget({ ...ctx(), eventName: 'pull_request_target', pullRequest }, { GITHUB_SHA: SHA, GITHUB_REF: 'refs/heads/main' }, 'f'.repeat(40))).toMatch(/neither the commit this run is for/);
    expect(uploadTarget({ ...ctx(), eventName: 'workflow_run' }, { GITHUB_SHA: SHA, GITHUB_REF: 'refs/heads/main' }, undefined)).toMatch(/no git checkout/);
    expect(uploadTarget({ ...ctx(), eventName: 'push' }, { GITHUB_SHA: 'not-a-sha', GITHUB_REF: 'refs/heads/main' }, undefined)).toMatch(/names no commit/);
  });
});

describe('the size limit', () => {
  // Distinct messages so that gzip cannot fold the results together.
  const many = Array.from({ length: 400 }, (_, i) => finding(i + 1, { message: `Finding ${i} ${(i * 2654435761).toString(36)} ${'x'.repeat(i % 50)}` }));
  it('keeps the most important results that fit, and the log says how many it left out', () => {
    const full = encodeSarif(build(many)()).gzipBytes;
    const bare = encodeSarif(build(many)(0)).gzipBytes;
    const limit = Math.floor((full + bare) / 2);
    const fitted = fitToLimit(build(many), limit)!;
    expect(fitted.total).toBe(400);
    expect(fitted.results).toBeLessThan(400);
    // Most of what fits is kept: about half the results fill about half the room they need.
    expect(fitted.results).toBeGreaterThan(150);
    expect(fitted.encoded.gzipBytes).toBeLessThanOrEqual(limit);
    const log: any = JSON.parse(gunzipSync(Buffer.from(fitted.encoded.sarif, 'base64')).toString('utf8'));
    expect(log.runs[0].results).toHaveLength(fitted.results);
    expect(log.runs[0].invocations[0].toolExecutionNotifications.at(-1).message.text).toMatch(
      new RegExp(`^${400 - fitted.results} finding\\(s\\) left out .*the ${fitted.results} results that fit in the 10 MB`),
    );
  });
  it('gives up when not even a log without results fits', () => {
    const bare = encodeSarif(build(many)(0)).gzipBytes;
    expect(fitToLimit(build(many), bare - 1)).toBeUndefined();
    expect(fitToLimit(build(many), bare)).toMatchObject({ results: 0, total: 400 });
  });
});
