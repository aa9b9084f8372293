import * as core from '@actions/core';
import type { Finding, Notice } from '../core/types.js';
import { toAnnotations } from '../reporters/annotations.js';
import { toJsonReport } from '../reporters/json.js';
import { toSummaryMarkdown } from '../reporters/summary.js';
import { toSarif } from '../reporters/sarif.js';
import { findRule, rules } from '../rules/index.js';
import { ConfigError } from '../config-file.js';
import { BaselineError } from '../core/baseline.js';
import { BaseFileError, loadGateFiles } from './config-from-base.js';
import { VERSION } from '../version.js';
import { readContext, type RunContext } from './context.js';
import { InputError, readInputs } from './inputs.js';
import { emitAnnotations, setOutputs, writeReport, writeSarif, writeSummary } from './publish.js';
import { maskSecrets } from './mask.js';
import { scanWithOnlineAdvisories } from './osv.js';

/** inputs → scan → report file → annotations → job summary → outputs → exit code. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const ctx = readContext();
    // The config and baseline come from the workspace, or from the PR's base commit (config-from: base).
    const { config, baseline, baselinePath, messages } = await loadGateFiles(inputs, ctx);
    for (const m of messages) core.notice(m);
    // advisories: online looks the pinned package versions up in OSV first (bounded; the bundled data, with a notice, when that fails).
    const online = inputs.advisories === 'online' ? { ...(process.env['OSV_API_URL'] ? { apiUrl: process.env['OSV_API_URL'] } : {}), log: (m: string) => core.info(m) } : undefined;
    const result = await scanWithOnlineAdvisories(
      inputs.root,
      {
        failOn: inputs.failOn,
        exclude: inputs.exclude,
        config,
        inlineSuppressions: inputs.allowInlineSuppressions,
        ...(baseline ? { baseline, baselinePath } : {}),
      },
      online,
    );
    // Before anything about the scan is printed: the runner hides these values in every later log line of the job.
    maskSecrets(result.secretValues);
    const reportPath = writeReport(toJsonReport(result));

    // Annotations and links name files from the repository root, not from the scanned folder.
    const findings = result.findings.map((f) => relocateFinding(f, inputs.relativeRoot));
    const notices = result.notices.map((n) => relocateNotice(n, inputs.relativeRoot));
    emitAnnotations(
      toAnnotations(findings, notices, { failOn: result.failOn, reportPath, ruleTitle: (id) => findRule(id)?.title }),
    );

    const markdown = toSummaryMarkdown(
      { findings, notices, summary: result.summary, failOn: result.failOn, ...(result.baseline ? { baseline: result.baseline } : {}) },
      {
        reportPath,
        docsBaseUrl: docsBaseUrl(ctx),
        ...(ctx.repository && ctx.sha ? { repoUrl: `${ctx.serverUrl}/${ctx.repository}`, sha: ctx.sha } : {}),
      },
    );
    if (!(await writeSummary(markdown))) core.info('No GITHUB_STEP_SUMMARY file: job summary skipped.');

    if (inputs.sarifFile) {
      // Same findings, paths and threshold as the annotations: a SARIF `error` is exactly a blocking finding.
      const sarif = toSarif({ findings, notices, failOn: result.failOn }, rules, {
        version: VERSION,
        category: inputs.sarifCategory,
        docsBaseUrl: docsBaseUrl(ctx),
        ...(process.env['GITHUB_ACTION_REPOSITORY'] ? { informationUri: `${ctx.serverUrl}/${process.env['GITHUB_ACTION_REPOSITORY']}` } : {}),
      });
      core.setOutput('sarif', writeSarif(inputs.sarifFile, sarif, inputs.workspace));
    }
    setOutputs(result.summary, reportPath);
    const { total, blocking } = result.summary;
    core.info(
      `Portcullis: ${result.stats.filesRead} file(s) checked, ${total} finding(s), ${blocking} at or above fail-on "${result.failOn}". Report: ${reportPath}`,
    );
    if (blocking > 0) {
      core.setFailed(
        `${blocking} finding${blocking === 1 ? '' : 's'} at or above severity "${result.failOn}" (fail-on); see the annotations and the job summary.`,
      );
    }
  } catch (err) {
    if (err instanceof InputError || err instanceof ConfigError || err instanceof BaseFileError || err instanceof BaselineError) {
      core.setFailed(err.message);
      return;
    }
    const reason = err instanceof Error ? err.message : String(err);
    core.setFailed(`Portcullis could not complete the scan: ${reason.split(/\r?\n/)[0]!.slice(0, 500)}`);
    if (process.env['RUNNER_DEBUG'] === '1' && err instanceof Error && err.stack) core.debug(err.stack);
  }
}

function join(root: string, path: string): string {
  return root ? `${root}/${path}` : path;
}

function relocateFinding(f: Finding, root: string): Finding {
  if (!root) return f;
  return { ...f, path: join(root, f.path), related: f.related.map((r) => (r.path ? { ...r, path: join(root, r.path) } : r)) };
}

function relocateNotice(n: Notice, root: string): Notice {
  return root && n.path ? { ...n, path: join(root, n.path) } : n;
}

/** Rule docs live in the action's own repository, at the ref the workflow pinned. */
function docsBaseUrl(ctx: RunContext): string | undefined {
  const repo = process.env['GITHUB_ACTION_REPOSITORY'];
  const ref = process.env['GITHUB_ACTION_REF'];
  if (repo) return `${ctx.serverUrl}/${repo}/blob/${encodeURIComponent(ref || 'main')}/docs/rules`;
  // A local action (`uses: ./`) runs from the workflow's own repository.
  if (ctx.repository && ctx.sha) return `${ctx.serverUrl}/${ctx.repository}/blob/${ctx.sha}/docs/rules`;
  return undefined;
}
