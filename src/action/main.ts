import * as core from './toolkit.js';
import { relative, sep } from 'node:path';
import type { Finding, Notice } from '../core/types.js';
import type { GateMode, Novelty } from '../core/diff.js';
import type { Summary } from '../core/gate.js';
import { toAnnotations } from '../reporters/annotations.js';
import { toJsonReport } from '../reporters/json.js';
import { toSummaryMarkdown } from '../reporters/summary.js';
import { toSarif } from '../reporters/sarif.js';
import { findRule, rules } from '../rules/index.js';
import { ConfigError } from '../config-file.js';
import { BaselineError } from '../core/baseline.js';
import { configuredRules, ruleEnabled } from '../core/config.js';
import { BaseFileError, loadGateFiles } from './config-from-base.js';
import { VERSION } from '../version.js';
import { readContext, type RunContext } from './context.js';
import { effectiveAdvisories, effectiveGate, InputError, readInputs } from './inputs.js';
import { clientSettings, gatePredicate, preparePullRequest, publishingSettings, publishPullRequest, type PrOptions, type PrState } from './pr.js';
import { emitAnnotations, setOutputs, writeReport, writeSarif, writeSummary } from './publish.js';
import { maskSecrets } from './mask.js';
import { BaseUnavailable, resolveBase, type BaseRevision, type GitPlace } from './base.js';
import { samplesDeclaredAtBase } from './declared-at-base.js';
import { measureNovelty, type Measured } from './novelty.js';
import { osvOptionsFromEnv, scanWithOnlineAdvisories } from './osv.js';
import { parallelScan } from '../parallel.js';
import { uploadToCodeScanning } from './code-scanning.js';
import { policySourceForRun, readBranchPolicy } from './branch-policy.js';

/** inputs → scan → (pull request: its files, new vs existing) → report file → PR comment and review → annotations → job summary → SARIF → outputs → exit code. */
export async function run(entry: { script?: string | URL } = {}): Promise<void> {
  // This run's annotations are counted from here (tests run the action several times in one process).
  const start = core.annotationsWritten();
  const startedAt = new Date();
  try {
    const inputs = readInputs();
    const ctx = readContext();
    // The config and baseline come from the workspace, or from the PR's base commit (config-from: base).
    const { config, baseline, baselinePath, messages } = await loadGateFiles(inputs, ctx);
    for (const m of messages) core.notice(m);
    // The base revision, resolved (and fetched) at most once: for the README declarations and for `gate: new`.
    const place: GitPlace = { root: inputs.root, workspace: inputs.workspace, token: inputs.token };
    let resolving: Promise<BaseRevision> | undefined;
    const base = (): Promise<BaseRevision> => (resolving ??= resolveBase(ctx, place));
    const confirmSamples = samplesDeclaredAtBase(ctx, place, base);
    // advisories: online looks the pinned package versions up in OSV first (bounded; the bundled data, with a notice, when that fails).
    const online = effectiveAdvisories(inputs.advisories, ctx) === 'online' ? osvOptionsFromEnv((m: string) => core.info(m)) : undefined;
    // review-policy: the default branch's protection, read once before the scan (bounded; notes when it cannot be).
    const policySource = ruleEnabled('review-policy', config) ? policySourceForRun(ctx, inputs.token, process.env, inputs.relativeRoot, inputs.only) : undefined;
    const branchPolicy =
      policySource && 'token' in policySource
        ? await readBranchPolicy({ ...policySource, settings: clientSettings(publishingSettings(process.env)), log: { info: (m) => core.info(m), warning: (m) => core.warning(m) } })
        : policySource;
    const result = await scanWithOnlineAdvisories(
      inputs.root,
      {
        failOn: inputs.failOn,
        exclude: inputs.exclude,
        // The `path` input's files and folders: only they are checked and reported; the rules still read the whole tree.
        ...(inputs.only ? { only: inputs.only } : {}),
        config,
        inlineSuppressions: inputs.allowInlineSuppressions,
        repository: inputs.relativeRoot === '', // the repository rules, when the scanned folder is the repository
        ...(baseline ? { baseline, baselinePath } : {}),
        ...(branchPolicy ? { branchPolicy } : {}),
        // A pull request's READMEs take their folders out of the gate only where its base says the same.
        ...(confirmSamples ? { confirmSamples } : {}),
        // Large trees are checked on every core the runner has (the bundle is started again as workers).
        ...(entry.script ? { parallel: parallelScan(entry.script) } : {}),
      },
      online,
    );
    // Before anything about the scan is printed: the runner hides these values in every later log line of the job.
    maskSecrets(result.secrets);
    // Annotations and links name files from the workspace (a checkout in a subfolder of it: from that subfolder).
    const findings = result.findings.map((f) => relocateFinding(f, inputs.relativeRoot));
    const notices = result.notices.map((n) => relocateNotice(n, inputs.relativeRoot));

    // `gate: new`: which findings the base revision does not have (PR, merge group, push; one place: base.ts),
    // else `all` with one notice. ONE predicate, built once from that, decides what blocks for the exit code,
    // the outputs, the report, the annotations, the summary, SARIF and the comment.
    const wanted = effectiveGate(inputs.gate, ctx);
    let measured: Measured | undefined;
    let fallback: string | undefined;
    if (wanted === 'new') {
      try {
        const started = Date.now();
        measured = await measureNovelty(ctx, place, result, inputs.exclude, base);
        const b = measured.base;
        core.info(
          `Portcullis: gate new against the base commit ${b.sha.slice(0, 12)} (${b.how}): ${measured.changed} changed file(s), ${measured.rescanned} file(s) checked at the base in ${((Date.now() - started) / 1000).toFixed(2)} s.`,
        );
      } catch (err) {
        fallback = err instanceof BaseUnavailable ? err.message : `Portcullis could not compare with the base commit (${errorLine(err)}), so every finding counts, as with \`gate: all\`.`;
        core.notice(fallback);
      }
    }
    const gate: GateMode = measured ? 'new' : 'all';
    const prOptions: PrOptions = {
      token: inputs.token,
      comment: inputs.comment,
      review: inputs.review,
      gate,
      failOn: result.failOn,
      workspace: inputs.workspace,
      gateFiles: [inputs.config, inputs.baseline].filter(Boolean).map((f) => relative(inputs.workspace, f).split(sep).join('/')),
      // The sticky comment's workflow and job; for the e2e harness only (PORTCULLIS_TEST_FAST_API), fast API settings.
      ...publishingSettings(process.env),
    };
    let pr: PrState = { novelty: measured?.novelty ?? new Map(), known: measured !== undefined, gate, notes: [] };
    try {
      pr = await preparePullRequest(ctx, findings, prOptions, measured?.novelty);
    } catch (err) {
      core.warning(`Portcullis could not read the pull request (${errorLine(err)}); the verdict is unaffected.`);
    }
    const blocks = gatePredicate(pr, result.failOn);
    const novelty = pr.known ? (f: Finding): Novelty => pr.novelty.get(f.fingerprint) ?? 'new' : undefined;
    const blocking = findings.filter(blocks).length;
    const summary: Summary = { ...result.summary, blocking, result: blocking > 0 ? 'fail' : 'pass' };
    const reportPath = writeReport(toJsonReport({ ...result, summary }, blocks));

    const docs = docsBaseUrl(ctx);
    try {
      await publishPullRequest(
        pr,
        {
          findings,
          failOn: result.failOn,
          rules,
          links: {
            serverUrl: ctx.serverUrl,
            repository: ctx.repository,
            headSha: ctx.sha,
            ...(process.env['GITHUB_RUN_ID'] ? { runId: process.env['GITHUB_RUN_ID'] } : {}),
            ...(docs ? { docsBaseUrl: docs } : {}),
          },
        },
        prOptions,
      );
    } catch (err) {
      core.warning(`Portcullis could not post to the pull request: ${err instanceof Error ? err.message : String(err)}. The verdict is unaffected.`);
    }

    // SARIF: the same findings, paths and predicate as the annotations (a SARIF `error` is exactly a blocking
    // finding); written to `sarif-file` and/or uploaded to code scanning (`upload-sarif`), before the annotations
    // so that what the upload says is counted among them and listed in the summary.
    if (inputs.sarifFile || inputs.uploadSarif) {
      const buildSarif = (maxResults?: number): Record<string, unknown> =>
        toSarif({ findings, notices, failOn: result.failOn, isBlocking: blocks }, configuredRules(rules, config), {
          version: VERSION,
          category: inputs.sarifCategory,
          docsBaseUrl: docs,
          ...(process.env['GITHUB_ACTION_REPOSITORY'] ? { informationUri: `${ctx.serverUrl}/${process.env['GITHUB_ACTION_REPOSITORY']}` } : {}),
          ...(maxResults !== undefined ? { maxResults } : {}),
        });
      const log = buildSarif();
      if (inputs.sarifFile) core.setOutput('sarif', writeSarif(inputs.sarifFile, log, inputs.workspace));
      if (inputs.uploadSarif) {
        const uploaded = await uploadToCodeScanning((max) => (max === undefined ? log : buildSarif(max)), {
          ctx,
          env: process.env,
          workspace: inputs.workspace,
          root: inputs.root,
          token: inputs.token,
          ...(pr.client ? { client: pr.client } : {}),
          clientSettings: clientSettings(prOptions),
          ...(prOptions.fastApi ? { pollBaseMs: 1 } : {}),
          startedAt,
          say: (level, message) => {
            if (level === 'info') return core.info(message);
            if (!pr.notes.includes(message)) pr.notes.push(message);
            if (level === 'warning') core.warning(message);
            else core.notice(message);
          },
        });
        if (uploaded.id) core.setOutput('sarif-id', uploaded.id);
      }
    }

    // GitHub shows the first 10 annotations of each level in a step: what was written already counts, and
    // one error is kept for the verdict, written last, so that it is never the one dropped.
    const now = core.annotationsWritten();
    const written = { error: now.error - start.error, warning: now.warning - start.warning, notice: now.notice - start.notice };
    const annotations = toAnnotations(findings, notices, {
      failOn: result.failOn,
      reportPath,
      ruleTitle: (id) => findRule(id)?.title,
      isBlocking: blocks,
      ...(novelty ? { isExisting: (f: Finding) => novelty(f) === 'existing' } : {}),
      reserved: { ...written, error: written.error + 1 },
    });
    emitAnnotations(annotations);

    const markdown = toSummaryMarkdown(
      { findings, notices, summary, failOn: result.failOn, ...(result.baseline ? { baseline: result.baseline } : {}) },
      {
        reportPath,
        docsBaseUrl: docs,
        ...(ctx.repository && ctx.sha ? { repoUrl: `${ctx.serverUrl}/${ctx.repository}`, sha: ctx.sha } : {}),
        isBlocking: blocks,
        ...(novelty ? { novelty } : {}),
        ...(measured ? { subject: measured.base.subject } : {}),
        gate,
        ...gateNote(measured, fallback, findings, novelty),
        notes: pr.notes,
      },
    );
    if (!(await writeSummary(markdown))) core.info('No GITHUB_STEP_SUMMARY file: job summary skipped.');

    setOutputs(summary, reportPath);
    const onlyNew = measured !== undefined;
    // The verdict as a plain line too: annotations have caps, the log has none.
    const errors = annotations.filter((a) => a.level === 'error').length;
    const blockingText = `${blocking} ${onlyNew ? 'new ' : ''}finding${blocking === 1 ? '' : 's'} at or above fail-on "${result.failOn}"`;
    core.info(
      `Portcullis verdict: ${summary.result}: ${blockingText}${blocking > errors ? ` (${errors} shown as error annotations; the job summary and the report list all)` : ''}. ` +
        `${result.stats.filesRead} file(s) checked, ${summary.total} finding(s) in all. Report: ${reportPath}`,
    );
    if (blocking > 0) {
      core.setFailed(
        `${blocking} ${onlyNew ? 'new ' : ''}finding${blocking === 1 ? '' : 's'} at or above severity "${result.failOn}" (fail-on${onlyNew ? ', gate: new' : ''}); see the annotations and the job summary.`,
      );
    }
  } catch (err) {
    // Errors can quote a config line or a path: redacted like every other output.
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

/** What `gate: new` meant for this run, under the summary's verdict. */
function gateNote(measured: Measured | undefined, fallback: string | undefined, findings: readonly Finding[], novelty: ((f: Finding) => Novelty) | undefined): { gateNote?: string } {
  if (fallback) return { gateNote: fallback };
  if (!measured || !novelty) return {};
  const existing = findings.filter((f) => !f.suppressed && novelty(f) === 'existing').length;
  const { subject, sha } = measured.base;
  return {
    gateNote: `Gate \`new\`: only findings ${subject} introduces (findings its base commit \`${sha.slice(0, 12)}\` does not have, on whatever line) can block; ${existing} existing finding${existing === 1 ? ' is' : 's are'} reported but ${existing === 1 ? 'does' : 'do'} not block.`,
  };
}

function errorLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split(/\r?\n/)[0]!.slice(0, 300);
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
