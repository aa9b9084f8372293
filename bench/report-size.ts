// npx tsx bench/report-size.ts DIR [--repository owner/name]
//
// How long the pull request comment and the job summary are for a whole repository: scans DIR (fail-on
// high) and renders the sticky comment in three pull requests no review comment explains (every finding
// new, with gate new; every finding existing, with gate all; every finding existing, with gate new) and
// the job summary off a pull request and on the every-finding-existing one. Prints characters and bytes.
// Nothing is written; nothing is timed.
import { blocksGate, type GateMode, type Novelty } from '../src/core/diff.js';
import type { Finding } from '../src/core/types.js';
import { toPrComment } from '../src/reporters/pr-comment.js';
import { toSummaryMarkdown } from '../src/reporters/summary.js';
import { rules } from '../src/rules/index.js';
import { scanDirectory } from '../src/scan.js';
import { ruleDocsUrl } from '../src/version.js';

const args = process.argv.slice(2);
const at = args.indexOf('--repository');
const repository = at >= 0 ? args.splice(at, 2)[1]! : 'owner/repo';
const dir = args[0];
if (!dir) throw new Error('usage: npx tsx bench/report-size.ts DIR [--repository owner/name]');

const result = await scanDirectory(dir, { failOn: 'high' });
const links = { serverUrl: 'https://github.com', repository, headSha: 'a'.repeat(40), runId: 1, docsBaseUrl: ruleDocsUrl('v1') };
const summaryOptions = { repoUrl: `https://github.com/${repository}`, sha: links.headSha, docsBaseUrl: links.docsBaseUrl, reportPath: '/home/runner/work/_temp/portcullis-report.json' };
console.log(`${dir}: ${result.findings.length} findings, ${result.summary.blocking} at or above high`);

for (const [all, gate] of [['new', 'new'], ['existing', 'all'], ['existing', 'new']] as [Novelty, GateMode][]) {
  const novelty = new Map(result.findings.map((f) => [f.fingerprint, all]));
  const body = toPrComment({ findings: result.findings, novelty, gate, failOn: 'high', links, rules });
  console.log(`comment, every finding ${all}, gate ${gate}: ${body.length} characters`);
}
const off = toSummaryMarkdown(result, summaryOptions);
console.log(`summary off a pull request: ${Buffer.byteLength(off)} bytes`);
const blocks = (f: Finding): boolean => blocksGate(f, 'existing', 'new', 'high');
const pr = toSummaryMarkdown(
  { ...result, summary: { ...result.summary, blocking: result.findings.filter(blocks).length, result: 'pass' } },
  { ...summaryOptions, isBlocking: blocks, novelty: () => 'existing', gate: 'new' },
);
console.log(`summary, every finding existing, gate new: ${Buffer.byteLength(pr)} bytes`);
