// The demo pull request that docs/pr-comment-example.md and docs/summary-example.md show, and that the
// tests check (sizes, layout, suggestions applied): a scan of fixtures/demo on a synthetic pull request
// that adds the preview workflow and the worker's Dockerfile; every other file is existing code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blocksGate, classifyFindings, type Novelty, type PrFile } from '../src/core/diff.js';
import type { Finding } from '../src/core/types.js';
import { toPrComment, type CommentLinks } from '../src/reporters/pr-comment.js';
import { buildReview, type ReviewPlan } from '../src/reporters/review.js';
import { toSummaryMarkdown } from '../src/reporters/summary.js';
import { rules } from '../src/rules/index.js';
import { scanDirectory, type ScanResult } from '../src/scan.js';

export const DEMO_DIR = join(import.meta.dirname, '..', 'fixtures', 'demo');
export const DEMO_ADDED = ['.github/workflows/pr-preview.yml', 'services/worker/Dockerfile'] as const;
export const DEMO_LINKS: CommentLinks = {
  serverUrl: 'https://github.com',
  repository: 'acme/demo',
  headSha: '3c1a8f2b9d4e5f60718293a4b5c6d7e8f9012345',
  runId: 4242,
  docsBaseUrl: 'https://github.com/portcullis-dev/portcullis/blob/main/docs/rules',
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
  const result = await scanDirectory(dir, { failOn: 'high' });
  const files: PrFile[] = DEMO_ADDED.map((filename) => {
    const lines = readFileSync(join(dir, filename), 'utf8').replace(/\n$/, '').split('\n');
    return { filename, status: 'added', patch: [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n') };
  });
  const novelty = classifyFindings(result.findings, files);
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
      gateNote: `Gate \`new\`: only findings this pull request introduces (on lines it adds or changes, or in files it adds) can block; ${existing} existing findings are reported but do not block.`,
    },
  );
  return { result, files, novelty, fresh, review, comment, summary };
}
