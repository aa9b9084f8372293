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
  type FileChange,
  type GateMode,
  type Novelty,
  type PrFile,
} from '../core/diff.js';
import type { FailOn } from '../core/gate.js';
import type { Finding } from '../core/types.js';
import { STICKY_MARKER, toPrComment, type CommentLinks, type GateChanges, type RuleInfo } from '../reporters/pr-comment.js';
import { buildReview, parsePostedFingerprints } from '../reporters/review.js';
import { createGitHubClient, GitHubApiError, ReadOnlyTokenError, type GitHubClient, type GitHubUser, type IssueComment } from './github.js';
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
      ...(opts.fastApi ? { writeSpacingMs: 0, retryBaseMs: 1, rateLimitBaseMs: 1 } : {}),
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
  const steps: [boolean, () => Promise<void>][] = [
    [opts.comment, () => upsertComment(client, pr, state, input, opts)],
    [opts.review === 'inline', () => postReview(client, pr, state, input, opts)],
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
      if (err instanceof GitHubApiError) say(state, `Portcullis could not update the pull request: ${errorText(err)} The verdict is unaffected.`, 'warning');
      // A bug of ours: not silent, but never the verdict.
      else say(state, `Portcullis hit an error while posting to the pull request: ${errorText(err)}. The verdict is unaffected.`, 'warning');
    }
  }
}

/** Our comment: marked AND written by a bot (anyone can paste the marker into their own comment). */
function isOurs(c: IssueComment): boolean {
  return c.body.includes(STICKY_MARKER) && isBot(c.user);
}

function isBot(user: GitHubUser | undefined): boolean {
  return !!user && (user.type === 'Bot' || user.login === 'github-actions[bot]');
}

async function upsertComment(client: GitHubClient, pr: PullRequestContext, state: PrState, input: PublishInput, opts: PrOptions): Promise<void> {
  const findings = input.findings;
  const body = toPrComment({
    findings,
    novelty: state.novelty,
    gate: state.gate,
    failOn: input.failOn,
    links: input.links,
    rules: input.rules,
    changes: gateChanges(state.files ?? [], opts.gateFiles),
  });
  const ours = (await client.listIssueComments(pr.number))
    .filter(isOurs)
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id));
  const [keep, ...duplicates] = ours;
  if (!keep) {
    // Nothing to say and nothing said yet: no comment (a clean PR gets none; an existing one is updated to "clean").
    const predicate = gatePredicate(state, input.failOn);
    const worth = findings.some((f) => !f.suppressed && (state.novelty.get(f.fingerprint) ?? 'new') === 'new') || findings.some(predicate) || hasChanges(state.files ?? [], opts.gateFiles);
    if (worth) await client.createIssueComment(pr.number, body);
  } else if (keep.body !== body) {
    try {
      await client.updateIssueComment(keep.id, body);
    } catch (err) {
      if (!(err instanceof GitHubApiError) || err.status !== 404) throw err;
      await client.createIssueComment(pr.number, body); // deleted meanwhile
    }
  }
  // A race between two runs can leave several: keep the oldest.
  for (const d of duplicates) await client.deleteIssueComment(d.id);
}

async function postReview(client: GitHubClient, pr: PullRequestContext, state: PrState, input: PublishInput, opts: PrOptions): Promise<void> {
  if (!pr.headSha || !state.diff) return;
  const fresh = input.findings.filter((f) => !f.suppressed && state.novelty.get(f.fingerprint) === 'new');
  const readLines = (path: string): string[] | undefined => readWorkspaceLines(opts.workspace, path);
  const base = { findings: fresh, files: state.diff, rules: input.rules, readLines, ...(input.links.docsBaseUrl ? { docsBaseUrl: input.links.docsBaseUrl } : {}) };
  // Nothing could be anchored even before dedupe: no need to list what was posted.
  if (buildReview(base).comments.length === 0) return;
  const posted = parsePostedFingerprints((await client.listReviewComments(pr.number)).filter((c) => isBot(c.user)).map((c) => c.body));
  const plan = buildReview({ ...base, posted });
  if (plan.comments.length === 0) return;
  try {
    await client.createReview({
      pullNumber: pr.number,
      commitId: pr.headSha,
      body: plan.body,
      comments: plan.comments.map((c) => ({ path: c.path, line: c.line, body: c.body, ...(c.start_line !== undefined ? { startLine: c.start_line } : {}) })),
    });
  } catch (err) {
    // 422: GitHub refused an anchor (e.g. the head moved on since the checkout). The comment holds the findings.
    if (err instanceof GitHubApiError && err.status === 422) {
      say(state, `GitHub refused the inline review (${errorText(err)}); the findings are in the pull request comment and this summary.`, 'warning');
      return;
    }
    throw err;
  }
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
