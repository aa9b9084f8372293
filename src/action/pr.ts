/**
 * The pull request experience, wired: the PR's files and patches (read through the API), then the sticky
 * comment and the inline review.
 *
 * Two phases, so that ONE novelty map drives everything: main measures which findings are new against the
 * base revision (novelty.ts), `preparePullRequest` keeps that map and reads the PR's files before any report
 * (main builds the gate's `isBlocking` predicate from its result and hands it to every reporter), and
 * `publishPullRequest` writes the comment and review afterwards. Reporting never changes the verdict
 * and never throws: a read-only token (fork PR) or a GitHub outage becomes one log line and a note
 * for the job summary.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import * as core from './toolkit.js';
import {
  addedLinesMatching,
  blocksGate,
  diffModel,
  touchedByDiff,
  type FileChange,
  type GateMode,
  type Novelty,
  type PrFile,
} from '../core/diff.js';
import type { FailOn } from '../core/gate.js';
import type { Finding } from '../core/types.js';
import { toPrComment, type CommentLinks, type GateChanges, type RuleInfo } from '../reporters/pr-comment.js';
import { buildReview, MAX_INLINE_COMMENTS, parsePostedFingerprints, type ReviewInput } from '../reporters/review.js';
import type { ResolvedPins } from '../reporters/pin-suggestions.js';
import { lookUpPins } from './pr-pins.js';
import { BudgetExceededError, createGitHubClient, GitHubApiError, ReadOnlyTokenError, type GitHubClient } from './github.js';
import { PosterIdentity } from './identity.js';
import { isReconcilable, notApplied, stickyMarker, upsertSticky, withMarker } from './sticky.js';
import type { PullRequestContext, RunContext } from './context.js';

export interface PrOptions {
  token: string;
  comment: boolean;
  review: 'inline' | 'off';
  /** The gate in force: `effectiveGate` in inputs.ts, or `all` when `new` had no base to compare with (see base.ts). */
  gate: GateMode;
  failOn: FailOn;
  workspace: string;
  /** Repository-relative paths of files that govern the gate (config input, baseline), to flag when the PR changes them. */
  gateFiles: readonly string[];
  /** Test-only: no write spacing, 1 ms retry back-off (PORTCULLIS_TEST_FAST_API=1). */
  fastApi?: boolean;
  /** Test-only: shorter per-request timeout and API budget (`publishingSettings`). */
  apiLimits?: { timeoutMs?: number; budgetMs?: number };
  /** GITHUB_WORKFLOW and GITHUB_JOB: the sticky comment's marker names them. */
  workflow?: string;
  job?: string;
}

/** The API client's settings the options imply: for tests only, no write spacing, 1 ms back-off and shorter limits. */
export function clientSettings(opts: Pick<PrOptions, 'fastApi' | 'apiLimits'>): { writeSpacingMs?: number; retryBaseMs?: number; rateLimitBaseMs?: number; timeoutMs?: number; budgetMs?: number } {
  return { ...(opts.fastApi ? { writeSpacingMs: 0, retryBaseMs: 1, rateLimitBaseMs: 1 } : {}), ...opts.apiLimits };
}

/**
 * The publishing settings that come from the environment: the workflow and job (the runner sets
 * both) and, for tests only, shorter API limits. PORTCULLIS_TEST_API_TIMEOUT_MS and
 * PORTCULLIS_TEST_API_BUDGET_MS count only together with PORTCULLIS_TEST_FAST_API=1, so a stray
 * variable cannot shorten a real run's limits.
 */
export function publishingSettings(env: Readonly<Record<string, string | undefined>>): Pick<PrOptions, 'fastApi' | 'apiLimits' | 'workflow' | 'job'> {
  const out: Pick<PrOptions, 'fastApi' | 'apiLimits' | 'workflow' | 'job'> = { workflow: env['GITHUB_WORKFLOW'] ?? '', job: env['GITHUB_JOB'] ?? '' };
  if (env['PORTCULLIS_TEST_FAST_API'] !== '1') return out;
  out.fastApi = true;
  const ms = (name: string): number | undefined => {
    const n = Number(env[name]);
    return Number.isInteger(n) && n > 0 ? n : undefined;
  };
  const timeoutMs = ms('PORTCULLIS_TEST_API_TIMEOUT_MS');
  const budgetMs = ms('PORTCULLIS_TEST_API_BUDGET_MS');
  out.apiLimits = { ...(timeoutMs ? { timeoutMs } : {}), ...(budgetMs ? { budgetMs } : {}) };
  return out;
}

export interface PrState {
  pr?: PullRequestContext;
  client?: GitHubClient;
  /** The PR's files, for the comment and the review (inline comments anchor to their patches); undefined when not read. */
  files?: PrFile[];
  diff?: Map<string, FileChange>;
  /** fingerprint → new/existing against the base revision (novelty.ts); empty when there was none. */
  novelty: ReadonlyMap<string, Novelty>;
  /** True when `novelty` was measured against the base revision. */
  known: boolean;
  gate: GateMode;
  /** Markdown lines for the job summary ("why no comment", "files unknown"), each said once. */
  notes: string[];
  /** Set once the API proved unusable (no client, listing failed): nothing more is attempted. */
  apiDown?: boolean;
  /** GITHUB_API_URL, for the pin lookups. */
  apiUrl?: string;
  /** Pins looked up for the review's suggestions (pr-pins.ts). */
  pins?: ResolvedPins;
}

/** Default names of the gate's own files, wherever they sit (a PR that edits them changes its own gate). */
const GATE_FILE_NAMES = ['.github/portcullis.yml', '.portcullis.yml', '.portcullis-baseline.json'];
const SUPPRESSION = /portcullis:\s*ignore/;

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 500);

/**
 * On a pull request event: create the client and read the PR's files (for the comment and the review). Which
 * findings are new was measured against the base revision before (novelty.ts) and arrives as `novelty`; the
 * PR's files do not decide it. Findings must carry repository-relative paths (as the PR's files do). Never throws.
 */
export async function preparePullRequest(ctx: RunContext, findings: readonly Finding[], opts: PrOptions, novelty?: ReadonlyMap<string, Novelty>): Promise<PrState> {
  const state: PrState = { novelty: novelty ?? new Map(), known: novelty !== undefined, gate: opts.gate, notes: [] };
  const pr = ctx.pullRequest;
  if (!pr) return state;
  state.pr = pr;
  state.apiUrl = ctx.apiUrl;
  if (!opts.comment && opts.review !== 'inline') return state;
  const nothing = ' no pull request comment or review; findings are in the annotations and this summary';

  if (!opts.token) {
    state.apiDown = true;
    say(state, `Portcullis has no token (input \`token\`), so it cannot read the pull request's files or post a comment:${nothing}.`);
    return state;
  }
  try {
    state.client = await createGitHubClient({
      token: opts.token,
      apiUrl: ctx.apiUrl,
      repository: pr.baseRepo ?? ctx.repository,
      ...clientSettings(opts),
      log: { info: (m) => core.info(m), warning: (m) => core.warning(m), debug: (m) => core.debug(m) },
    });
  } catch (err) {
    state.apiDown = true;
    say(state, `Portcullis could not set up the GitHub API client (${errorText(err)}):${nothing}.`);
    return state;
  }
  try {
    const listed = await state.client.listPullRequestFiles(pr.number);
    const files: PrFile[] = listed.files.map((f) => ({
      filename: f.filename,
      status: f.status,
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
      ...(f.previousFilename ? { previous_filename: f.previousFilename } : {}),
    }));
    state.files = files;
    state.diff = diffModel(files);
  } catch (err) {
    state.apiDown = true;
    say(state, `Portcullis could not read the pull request's files (${errorText(err)}):${nothing}.`, 'warning');
  }
  return state;
}

/** The gate's verdict for one finding: the same function for the exit code, outputs and every report. */
export function gatePredicate(state: Pick<PrState, 'novelty' | 'gate'>, failOn: FailOn): (f: Finding) => boolean {
  return (f) => blocksGate(f, state.novelty.get(f.fingerprint), state.gate, failOn);
}

export interface PublishInput {
  findings: readonly Finding[];
  failOn: FailOn;
  links: CommentLinks;
  rules: readonly RuleInfo[];
  runUrl?: string;
}

/**
 * Posts or updates the sticky comment and posts the inline review. Never throws and never changes
 * the verdict; what could not be done is logged once and added to `state.notes` for the job summary.
 * When GitHub stops answering (timeouts, or the client's time budget is spent) publishing ends with
 * one warning and nothing more is sent.
 */
export async function publishPullRequest(state: PrState, input: PublishInput, opts: PrOptions): Promise<void> {
  const pr = state.pr;
  if (!pr || (!opts.comment && opts.review === 'off')) return;
  if (pr.isFork) {
    say(
      state,
      "This is a fork's pull request: its token is read-only, so Portcullis posted no pull request comment or review. The findings are in the annotations and this summary; the verdict is the same.",
    );
    return;
  }
  const client = state.client;
  if (!client || state.apiDown || !state.files) return;
  const identity = new PosterIdentity(client, opts.token);
  if (opts.review === 'inline' && pr.headSha && state.diff && state.apiUrl !== undefined && !state.pins) {
    try {
      const fresh = reviewInput(state, input, opts);
      state.pins = await lookUpPins(fresh.findings, state.diff, fresh.readLines!, {
        apiUrl: state.apiUrl,
        token: opts.token,
        deadline: client.deadline,
        max: MAX_INLINE_COMMENTS,
        ...(opts.apiLimits?.timeoutMs ? { timeoutMs: opts.apiLimits.timeoutMs } : {}),
        // The test harness: image lookups reach loopback registries only, never a public one.
        ...(opts.fastApi ? { testRegistries: true } : {}),
        log: (m) => core.info(m),
      });
    } catch (err) {
      // A suggestion is a courtesy: without pins the comments carry none for these rules.
      core.info(`Pins for suggestions: not looked up (${errorText(err)}).`);
    }
  }
  const steps: [boolean, () => Promise<void>][] = [
    [opts.comment, () => upsertComment(client, identity, pr, state, input, opts)],
    [opts.review === 'inline', () => postReview(client, identity, pr, state, input, opts)],
  ];
  for (const [wanted, step] of steps) {
    if (!wanted) continue;
    try {
      await step();
    } catch (err) {
      if (err instanceof ReadOnlyTokenError) {
        say(
          state,
          `The token cannot write to this pull request (${err.status} on ${err.operation}), so Portcullis posted no comment or review. On a fork's pull request the token is read-only; otherwise grant \`pull-requests: write\`. The findings are in the annotations and this summary; the verdict is the same.`,
        );
        return;
      }
      if (err instanceof GitHubApiError && (err.unanswered || err instanceof BudgetExceededError)) {
        say(state, `Portcullis stopped posting to the pull request: ${errorText(err)} GitHub is not answering in time, so nothing more was sent. The verdict is unaffected.`, 'warning');
        return;
      }
      if (err instanceof GitHubApiError) say(state, `Portcullis could not update the pull request: ${errorText(err)} The verdict is unaffected.`, 'warning');
      // A bug of ours: not silent, but never the verdict.
      else say(state, `Portcullis hit an error while posting to the pull request: ${errorText(err)}. The verdict is unaffected.`, 'warning');
    }
  }
}

async function upsertComment(client: GitHubClient, identity: PosterIdentity, pr: PullRequestContext, state: PrState, input: PublishInput, opts: PrOptions): Promise<void> {
  const findings = input.findings;
  const marker = stickyMarker(opts.workflow ?? '', opts.job ?? '');
  const body = withMarker(
    toPrComment({
      findings,
      novelty: state.novelty,
      gate: state.gate,
      failOn: input.failOn,
      links: input.links,
      rules: input.rules,
      changes: gateChanges(state.files ?? [], opts.gateFiles),
      // A finding the review explains on the diff gets one line in the comment, without its message again.
      ...(opts.review === 'inline' && pr.headSha && state.diff ? { inline: new Set(buildReview(reviewInput(state, input, opts)).inline.map((f) => f.fingerprint)) } : {}),
    }),
    marker,
  );
  // Nothing to say and nothing said yet: no comment (a clean PR gets none; an existing one is updated to "clean").
  const predicate = gatePredicate(state, input.failOn);
  const worth = findings.some((f) => !f.suppressed && (state.novelty.get(f.fingerprint) ?? 'new') === 'new') || findings.some(predicate) || hasChanges(state.files ?? [], opts.gateFiles);
  await upsertSticky({ client, identity, issue: pr.number, marker, body, worth, info: (m) => core.info(m) });
}

async function postReview(client: GitHubClient, identity: PosterIdentity, pr: PullRequestContext, state: PrState, input: PublishInput, opts: PrOptions): Promise<void> {
  if (!pr.headSha || !state.diff) return;
  const base = reviewInput(state, input, opts);
  // Nothing could be anchored even before dedupe: no need to list what was posted.
  if (buildReview(base).comments.length === 0) return;
  // Fingerprints count only from our own review comments: anyone can write the markers.
  const postedBy = async (): Promise<Set<string>> => {
    const marked = (await client.listReviewComments(pr.number)).filter((c) => parsePostedFingerprints([c.body]).size > 0);
    await identity.resolve(marked.map((c) => c.user));
    return parsePostedFingerprints(marked.filter((c) => identity.owns(c.user)).map((c) => c.body));
  };
  const plan = buildReview({ ...base, posted: await postedBy() });
  if (plan.comments.length === 0) return;
  try {
    const review = await client.createReview({
      pullNumber: pr.number,
      commitId: pr.headSha,
      body: plan.body,
      comments: plan.comments.map((c) => ({ path: c.path, line: c.line, body: c.body, ...(c.start_line !== undefined ? { startLine: c.start_line } : {}) })),
    });
    identity.learn(review.user?.login);
  } catch (err) {
    // 422: GitHub refused an anchor (e.g. the head moved on since the checkout). The comment holds the findings.
    if (err instanceof GitHubApiError && err.status === 422) {
      say(state, `GitHub refused the inline review (${errorText(err)}); the findings are in the pull request comment and this summary.`, 'warning');
      return;
    }
    if (!isReconcilable(err)) throw err;
    // Sent, then failed: GitHub applies a review whole or not at all. What is there now?
    const missing = buildReview({ ...base, posted: await postedBy() }).comments.length;
    if (missing > 0) throw notApplied(err, `${missing} of its ${plan.comments.length} inline comments are not on the pull request`);
    core.info(`${err.message} GitHub had posted the review all the same; it was not sent again.`);
  }
}

/** The review of the new findings, as planned from the PR's diff and the workspace's files. */
function reviewInput(state: PrState, input: PublishInput, opts: PrOptions): ReviewInput {
  // Without a base to compare with (gate fell back to all), the review explains what the diff itself touches.
  const touched = (f: Finding): boolean => (state.known ? state.novelty.get(f.fingerprint) === 'new' : state.diff !== undefined && touchedByDiff(f, state.diff));
  const fresh = input.findings.filter((f) => !f.suppressed && touched(f));
  const readLines = (path: string): string[] | undefined => readWorkspaceLines(opts.workspace, path);
  return {
    findings: fresh,
    files: state.diff ?? new Map(),
    rules: input.rules,
    readLines,
    ...(state.pins ? { pins: state.pins } : {}),
    ...(input.links.docsBaseUrl ? { docsBaseUrl: input.links.docsBaseUrl } : {}),
  };
}

/** Suppression comments the PR adds and gate files it touches: shown first in the comment. */
export function gateChanges(files: readonly PrFile[], gateFiles: readonly string[]): GateChanges {
  const governs = (name: string): boolean => gateFiles.includes(name) || GATE_FILE_NAMES.some((g) => name === g || name.endsWith(`/${g}`));
  return {
    suppressions: addedLinesMatching(files, SUPPRESSION),
    configChanges: files.filter((f) => governs(f.filename) || (f.previous_filename !== undefined && governs(f.previous_filename))).map((f) => ({ path: f.filename, status: f.status })),
  };
}

function hasChanges(files: readonly PrFile[], gateFiles: readonly string[]): boolean {
  const c = gateChanges(files, gateFiles);
  return (c.suppressions?.length ?? 0) + (c.configChanges?.length ?? 0) > 0;
}

/** Head-side lines of a repository file from the workspace (for exact suggestions); never outside it. */
function readWorkspaceLines(workspace: string, path: string): string[] | undefined {
  const target = resolve(workspace, path);
  const rel = relative(workspace, target);
  if (!rel || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  try {
    return readFileSync(target, 'utf8').split('\n');
  } catch {
    return undefined;
  }
}

/** Logs a note once (notice or warning) and keeps it for the job summary. */
function say(state: PrState, message: string, level: 'notice' | 'warning' = 'notice'): void {
  if (state.notes.includes(message)) return;
  state.notes.push(message);
  if (level === 'warning') core.warning(message);
  else core.notice(message);
}
