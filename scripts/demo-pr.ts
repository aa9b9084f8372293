// The demo pull request that docs/pr-comment-example.md and docs/summary-example.md show, and that the
// tests check (sizes, layout, suggestions applied): a scan of fixtures/demo on a synthetic pull request
// that adds the preview workflow and the worker's Dockerfile; every other file is existing code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blocksGate, noveltyAgainstBase, type Novelty, type PrFile } from '../src/core/diff.js';
import type { Finding } from '../src/core/types.js';
import { toPrComment, type CommentLinks } from '../src/reporters/pr-comment.js';
import { buildReview, type ReviewPlan } from '../src/reporters/review.js';
import { toSummaryMarkdown } from '../src/reporters/summary.js';
import { rules } from '../src/rules/index.js';
import { readTextFile } from '../src/parsers/read.js';
import { DEFAULT_MAX_FILE_BYTES, scanDirectory, type ScanResult } from '../src/scan.js';
import { affectedPaths, discoverable, flaggedText, scanBase } from '../src/scan-base.js';
import { ruleDocsUrl } from '../src/version.js';

export const DEMO_DIR = join(import.meta.dirname, '..', 'fixtures', 'demo');
export const DEMO_ADDED = ['.github/workflows/pr-preview.yml', 'services/worker/Dockerfile', 'services/worker/setup-broker'] as const;
export const DEMO_LINKS: CommentLinks = {
  serverUrl: 'https://github.com',
  repository: 'acme/demo',
  headSha: '3c1a8f2b9d4e5f60718293a4b5c6d7e8f9012345',
  runId: 4242,
  docsBaseUrl: ruleDocsUrl('main'),
};

export interface DemoPullRequest {
  result: ScanResult;
  files: PrFile[];
  novelty: Map<string, Novelty>;
  /** The new findings (the review's input). */
  fresh: Finding[];
  review: ReviewPlan;
  comment: string;
  summary: string;
}

/** Scans the demo and renders what the action would post for the pull request (`gate: new`, fail-on `high`) and write to the job summary. */
export async function demoPullRequest(dir = DEMO_DIR): Promise<DemoPullRequest> {
  const result = await scanDirectory(dir, { failOn: 'high', repository: true });
  const files: PrFile[] = DEMO_ADDED.map((filename) => {
    const lines = readFileSync(join(dir, filename), 'utf8').replace(/\n$/, '').split('\n');
    return { filename, status: 'added', patch: [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n') };
  });
  // New against the base (the demo without the added files), as the action measures it: the files the change can
  // affect are checked again as they are at the base and compared by fingerprint.
  const changes = DEMO_ADDED.map((path) => ({ path }));
  const paths = result.discovered ?? [];
  const rescan = affectedPaths(changes, paths, result.findings);
  const readHead = (p: string, strict?: boolean) => readTextFile(join(dir, p), DEFAULT_MAX_FILE_BYTES, { strict: strict === true });
  const base = scanBase(paths, readHead, { changes, read: () => undefined }, rescan, { failOn: 'high' }, discoverable([]));
  const novelty = noveltyAgainstBase(result.findings, base.findings, rescan, { head: flaggedText(readHead), base: flaggedText(base.read) });
  const fresh = result.findings.filter((f) => !f.suppressed && novelty.get(f.fingerprint) === 'new');
  const review = buildReview({ findings: fresh, files, rules, docsBaseUrl: DEMO_LINKS.docsBaseUrl, readLines: (p) => readFileSync(join(dir, p), 'utf8').split('\n') });
  const inline = new Set(review.inline.map((f) => f.fingerprint));
  const comment = toPrComment({ findings: result.findings, novelty, gate: 'new', failOn: result.failOn, links: DEMO_LINKS, rules, inline });
  const blocks = (f: Finding): boolean => blocksGate(f, novelty.get(f.fingerprint), 'new', result.failOn);
  const blocking = result.findings.filter(blocks).length;
  const existing = result.findings.filter((f) => !f.suppressed && novelty.get(f.fingerprint) === 'existing').length;
  const summary = toSummaryMarkdown(
    { ...result, summary: { ...result.summary, blocking, result: blocking > 0 ? 'fail' : 'pass' } },
    {
      repoUrl: `${DEMO_LINKS.serverUrl}/${DEMO_LINKS.repository}`,
      sha: DEMO_LINKS.headSha,
      ...(DEMO_LINKS.docsBaseUrl ? { docsBaseUrl: DEMO_LINKS.docsBaseUrl } : {}),
      reportPath: '/home/runner/work/_temp/portcullis-report.json',
      isBlocking: blocks,
      novelty: (f) => novelty.get(f.fingerprint) ?? 'new',
      gate: 'new',
      // The note the action writes under the verdict for `gate: new` (src/action/main.ts).
      gateNote: `Gate \`new\`: only findings the pull request introduces (findings its base commit \`${'0'.repeat(12)}\` does not have, on whatever line) can block; ${existing} existing findings are reported but do not block.`,
    },
  );
  return { result, files, novelty, fresh, review, comment, summary };
}
