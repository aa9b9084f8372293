/**
 * Which GitHub expression contexts can carry attacker-controlled text into a workflow.
 *
 * Built from GitHub's webhook payload documentation ("Webhook events and payloads") and the
 * list of untrusted inputs in "Security hardening for GitHub Actions" (script injections):
 * titles, bodies, branch names, commit messages and author names/emails, page names, labels
 * and review/comment text are written by whoever opens the issue, PR, comment or commit.
 * Patterns use `*` for one path segment and match a whole normalised path.
 */
export type ContextRisk = 'text' | 'structured' | 'safe';

export interface ContextClass {
  pattern: string;
  risk: ContextRisk;
  /** Why, in a few words (shown in the finding). */
  what: string;
}

/** Free text an outside contributor chooses: expanding it into a script runs their code. */
const TEXT: [string, string][] = [
  ['github.event.issue.title', 'issue title'],
  ['github.event.issue.body', 'issue body'],
  ['github.event.pull_request.title', 'pull request title'],
  ['github.event.pull_request.body', 'pull request body'],
  ['github.event.pull_request.head.ref', 'pull request head branch name'],
  ['github.event.pull_request.head.label', 'pull request head label'],
  ['github.event.pull_request.head.repo.default_branch', 'fork default branch name'],
  ['github.event.pull_request.head.repo.description', 'fork description'],
  ['github.event.pull_request.head.repo.homepage', 'fork homepage'],
  ['github.event.pull_request.labels.*.name', 'label name'],
  ['github.event.pull_request.labels.*.description', 'label description'],
  ['github.event.issue.labels.*.name', 'label name'],
  ['github.event.label.name', 'label name'],
  ['github.event.comment.body', 'comment body'],
  ['github.event.review.body', 'review body'],
  ['github.event.review_comment.body', 'review comment body'],
  ['github.event.discussion.title', 'discussion title'],
  ['github.event.discussion.body', 'discussion body'],
  ['github.event.pages.*.page_name', 'wiki page name'],
  ['github.event.pages.*.title', 'wiki page title'],
  ['github.event.commits.*.message', 'commit message'],
  ['github.event.commits.*.author.name', 'commit author name'],
  ['github.event.commits.*.author.email', 'commit author email'],
  ['github.event.commits.*.committer.name', 'committer name'],
  ['github.event.commits.*.committer.email', 'committer email'],
  ['github.event.head_commit.message', 'commit message'],
  ['github.event.head_commit.author.name', 'commit author name'],
  ['github.event.head_commit.author.email', 'commit author email'],
  ['github.event.head_commit.committer.name', 'committer name'],
  ['github.event.head_commit.committer.email', 'committer email'],
  ['github.event.workflow_run.head_branch', 'workflow_run head branch name'],
  ['github.event.workflow_run.head_commit.message', 'workflow_run commit message'],
  ['github.event.workflow_run.head_commit.author.name', 'workflow_run commit author name'],
  ['github.event.workflow_run.head_commit.author.email', 'workflow_run commit author email'],
  ['github.event.workflow_run.display_title', 'workflow_run display title'],
  ['github.event.workflow_run.pull_requests.*.head.ref', 'workflow_run pull request branch'],
  ['github.event.workflow_run.head_repository.description', 'fork description'],
  ['github.event.check_suite.head_branch', 'check suite branch name'],
  ['github.event.check_run.check_suite.head_branch', 'check run branch name'],
  ['github.event.merge_group.head_commit.message', 'merge group commit message'],
  ['github.event.client_payload.*', 'repository_dispatch payload'],
  ['github.event.inputs.*', 'workflow_dispatch input'],
  ['github.head_ref', 'pull request head branch name'],
];

/**
 * Text that only people with write access choose (ref, tag and release names, a pushed branch): reported with a lower severity.
 * Git ref names may hold `$(…)` and backticks, so these are not safe, only not reachable from a fork.
 */
const STRUCTURED: [string, string][] = [
  ['github.event.release.name', 'release name'],
  ['github.event.release.body', 'release notes'],
  ['github.event.release.tag_name', 'release tag name'],
  ['github.event.ref', 'pushed ref name'],
  ['github.event.create.ref', 'created ref name'],
  ['github.ref_name', 'branch or tag name'],
  ['github.ref', 'ref name'],
];

/**
 * Values the workflow's own author or GitHub fixes, or whose characters GitHub restricts so that no shell, JavaScript or
 * PowerShell metacharacter fits:
 * - logins of users, organizations and apps: letters, digits and single hyphens (GitHub's sign-up rule), apps `name[bot]`;
 * - repository names: ASCII letters, digits, `.`, `-` and `_` (GitHub's repository-name rule), so `owner/name` too;
 * - numbers, ids, run ids and attempts: digits; commit SHAs: hex; `node_id`: base64 characters; timestamps: ISO 8601;
 * - enumerations GitHub fills (`author_association`, `action`, `state`, `event_name`, `ref_type`).
 * A pull request's head branch (`github.head_ref`, `head.ref`) is NOT restricted: a branch may be named `$(curl…|sh)`.
 */
const SAFE = [
  'github.sha', 'github.run_id', 'github.run_number', 'github.run_attempt', 'github.repository', 'github.repository_owner',
  'github.repository_id', 'github.repository_owner_id', 'github.actor', 'github.actor_id', 'github.triggering_actor',
  'github.workspace', 'github.server_url', 'github.api_url', 'github.graphql_url', 'github.token',
  'github.workflow', 'github.job', 'github.action', 'github.action_path', 'github.event_name', 'github.base_ref',
  'github.ref_type', 'github.event.number', 'github.event.pull_request.number', 'github.event.issue.number',
  'github.event.pull_request.head.sha', 'github.event.pull_request.base.sha', 'github.event.pull_request.base.ref',
  'github.event.pull_request.head.repo.name', 'github.event.pull_request.head.repo.full_name', 'github.event.pull_request.author_association',
  'github.event.issue.author_association', 'github.event.comment.author_association', 'github.event.review.author_association',
  'github.event.workflow_run.head_sha', 'github.event.workflow_run.id', 'github.event.workflow_run.run_number',
  'github.event.workflow_run.run_attempt', 'github.event.workflow_run.head_repository.name', 'github.event.workflow_run.head_repository.full_name',
  'github.event.repository.*', 'github.event.after',
  'github.event.before', 'github.event.pull_request.merged', 'github.event.action', 'github.retention_days',
  'runner.*', 'secrets.*', 'vars.*', 'job.*', 'strategy.*', 'steps.*.outcome', 'steps.*.conclusion', 'needs.*.result',
];

/** Any login in an event payload (`sender.login`, `issue.user.login`, `pull_request.head.repo.owner.login`, `assignee.login`, …). */
const LOGIN = /^github\.event\.(?:[\w*-]+\.)*(login|username)$/;

const TABLE: ContextClass[] = [
  ...TEXT.map(([pattern, what]) => ({ pattern, risk: 'text' as const, what })),
  ...STRUCTURED.map(([pattern, what]) => ({ pattern, risk: 'structured' as const, what })),
  ...SAFE.map((pattern) => ({ pattern, risk: 'safe' as const, what: 'fixed value' })),
];

function matches(pattern: string, path: string): boolean {
  const p = pattern.split('.');
  const s = path.split('.');
  if (p[p.length - 1] === '*' && s.length >= p.length) {
    return p.slice(0, -1).every((seg, i) => seg === '*' || seg === s[i]);
  }
  return p.length === s.length && p.every((seg, i) => seg === '*' || seg === s[i] || s[i] === '*');
}

/**
 * Classifies a normalised context path (lower-case context names, `*` for indexes).
 * Unknown `github.event.*` paths are 'structured' (attacker-reachable, not known to be free text);
 * other unknown contexts (`env.*`, `steps.*.outputs.*`, `inputs.*`, `matrix.*`, `needs.*.outputs.*`)
 * return undefined: the caller resolves them from the workflow.
 */
export function classifyContext(path: string): ContextClass | undefined {
  // The same few context paths recur in every workflow: classify each once (the table is walked pattern by pattern).
  if (classified.has(path)) return classified.get(path);
  if (classified.size >= 10_000) classified.clear();
  const found = classifyUncached(path);
  classified.set(path, found);
  return found;
}

const classified = new Map<string, ContextClass | undefined>();

function classifyUncached(path: string): ContextClass | undefined {
  const norm = path.replace(/^([A-Za-z_]+)/, (m) => m.toLowerCase());
  if (LOGIN.test(norm)) return { pattern: norm, risk: 'safe', what: 'login' };
  for (const entry of TABLE) if (matches(entry.pattern, norm)) return entry;
  // A parent object (`toJSON(github.event)`) serialises every text field below it.
  const child = TEXT.find(([pattern]) => pattern.startsWith(`${norm}.`) || matches(pattern.split('.').slice(0, norm.split('.').length).join('.'), norm));
  if (child && child[0] !== norm) return { pattern: norm, risk: 'text', what: `object holding the ${child[1]}` };
  if (norm.startsWith('github.event.')) return { pattern: norm, risk: 'structured', what: 'event payload field' };
  if (norm.startsWith('github.')) return { pattern: norm, risk: 'safe', what: 'run metadata' };
  return undefined;
}
