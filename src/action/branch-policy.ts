/**
 * review-policy's reads: what protects the default branch, through the GitHub API, bounded. At most
 * MAX_POLICY_CALLS requests (no retries, no rate-limit waits) within POLICY_BUDGET_MS, made once per run before
 * the scan, which gets the answers (ScanOptions.branchPolicy):
 *   1. `GET /repos/{o}/{r}` only when the event payload does not name the default branch;
 *   2. `GET /repos/{o}/{r}/rules/branches/{branch}` (one page of 100): the active rulesets' rules, readable with
 *      the Metadata read permission every token has;
 *   3. `GET /repos/{o}/{r}/branches/{branch}/protection`: classic protection, needs Administration read;
 *   4. when a call is left, `GET /repos/{o}/{r}/rulesets/{id}` of the ruleset that requires pull requests, for its
 *      bypass list (GitHub shows it only to a token that may edit the ruleset).
 * Anything that fails becomes one notice saying what was not checked, never a finding: without the rules there is
 * no finding at all, so the verdict depends on the API only through the findings its answers made possible.
 */
import type { BranchRule, ClassicProtection, PolicyAnswers } from '../analysis/branch-policy.js';
import type { BranchPolicyInput } from '../review-policy-pass.js';
import type { RunContext } from './context.js';
import { createGitHubClient, GitHubApiError, type ClientLog, type GitHubClient, type GitHubClientConfig } from './github.js';

export const MAX_POLICY_CALLS = 3;
export const POLICY_BUDGET_MS = 15_000;
const RULES_PAGE = 100;
const NOT_CHECKED = 'review-policy was not checked';

export interface PolicySource {
  token: string;
  apiUrl: string;
  repository: string;
  defaultBranch?: string;
  /** The gate's workflow (relative to the scanned folder) and job. */
  workflow?: { path: string; job: string };
  /** Test-only client settings (action/pr.ts clientSettings). */
  settings?: Partial<Pick<GitHubClientConfig, 'timeoutMs' | 'budgetMs' | 'retryBaseMs' | 'rateLimitBaseMs'>>;
  log?: ClientLog;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);

/** The answers for the scan, or only notes when the API could not be asked or did not answer. Never throws. */
export async function readBranchPolicy(src: PolicySource): Promise<BranchPolicyInput> {
  let client: GitHubClient;
  try {
    client = await createGitHubClient({
      token: src.token,
      apiUrl: src.apiUrl,
      repository: src.repository,
      ...src.settings,
      budgetMs: Math.min(src.settings?.budgetMs ?? POLICY_BUDGET_MS, POLICY_BUDGET_MS),
      retries: 0,
      rateLimitRetries: 0,
      ...(src.log ? { log: src.log } : {}),
    });
  } catch (err) {
    return { notes: [`${NOT_CHECKED}: the GitHub API client could not be set up (${errorText(err)}).`] };
  }
  const notes: string[] = [];
  let branch = src.defaultBranch;
  let rules: BranchRule[];
  try {
    branch ??= await client.getDefaultBranch();
    const page = await client.getBranchRules(branch, RULES_PAGE);
    rules = page.filter((r): r is BranchRule => typeof (r as BranchRule | null)?.type === 'string');
  } catch (err) {
    return { notes: [`${NOT_CHECKED}: the default branch's rules could not be read (${errorText(err)}).`] };
  }
  const answers: PolicyAnswers = { repository: client.repository, branch, rules, rulesComplete: rules.length < RULES_PAGE };
  if (src.workflow) answers.workflow = src.workflow;
  try {
    answers.protection = (await client.getBranchProtection(branch)) as ClassicProtection;
  } catch (err) {
    const status = err instanceof GitHubApiError ? err.status : 0;
    const why =
      status === 403 || status === 404
        ? `${status}: it needs the Administration read permission, which GITHUB_TOKEN does not have, or the branch has none`
        : errorText(err);
    notes.push(
      `review-policy: classic branch protection of ${branch} could not be read (${why}), so what it requires was not checked; the rulesets were, and what they lack is reported at low confidence.`,
    );
  }
  const holder = rules.find((r) => r.type === 'pull_request') ?? rules.find((r) => r.type === 'required_status_checks');
  if (holder?.ruleset_id !== undefined) {
    if (client.requests >= MAX_POLICY_CALLS) notes.push(`review-policy: who may bypass ruleset ${holder.ruleset_id} was not checked (at most ${MAX_POLICY_CALLS} API calls a run).`);
    else await readBypass(client, holder, answers, notes);
  }
  return { answers, notes };
}

async function readBypass(client: GitHubClient, holder: BranchRule, answers: PolicyAnswers, notes: string[]): Promise<void> {
  const label = holder.ruleset_source ? `${holder.ruleset_id} of ${holder.ruleset_source}` : String(holder.ruleset_id);
  try {
    const set = (await client.getRuleset(holder.ruleset_id!)) as { name?: unknown; bypass_actors?: unknown };
    const name = typeof set?.name === 'string' ? set.name : label;
    if (Array.isArray(set?.bypass_actors)) {
      const actors = set.bypass_actors.filter((a): a is { actor_type: string } => typeof (a as { actor_type?: unknown } | null)?.actor_type === 'string');
      answers.bypass = { ruleset: name, actors };
    } else notes.push(`review-policy: who may bypass ruleset "${name}" was not checked: GitHub shows its bypass list only to a token that may edit it.`);
  } catch (err) {
    notes.push(`review-policy: who may bypass ruleset ${label} was not checked (${errorText(err)}).`);
  }
}

/**
 * The action's source for the read, or the notes saying why it is not made: no token, or a fork's pull request
 * (its token is read-only and the policy is the base repository's business). `relativeRoot`: the scanned folder
 * inside the repository, so the workflow's path is given as the scan names files.
 */
export function policySourceForRun(
  ctx: RunContext,
  token: string,
  env: Readonly<Record<string, string | undefined>>,
  relativeRoot: string,
  /** The `path` input's named paths, when it names parts of the repository: findings elsewhere are not reported then. */
  only?: readonly string[],
): PolicySource | { notes: string[] } {
  // The finding sits on the gate's workflow or the repository root, which a scan of named paths does not report: no calls.
  if (only) return { notes: [`${NOT_CHECKED}: the \`path\` input names parts of the repository; it is checked when the whole repository is scanned.`] };
  if (!token) return { notes: [`${NOT_CHECKED}: there is no token (input \`token\`) to read the default branch's protection with.`] };
  if (ctx.pullRequest?.isFork) return { notes: [`${NOT_CHECKED} on this fork's pull request: its run reads the base repository's protection in its own pull requests and pushes.`] };
  if (!ctx.repository) return { notes: [`${NOT_CHECKED}: GITHUB_REPOSITORY is not set.`] };
  const src: PolicySource = { token, apiUrl: ctx.apiUrl, repository: ctx.repository, ...(ctx.defaultBranch ? { defaultBranch: ctx.defaultBranch } : {}) };
  const path = workflowPath(env['GITHUB_WORKFLOW_REF'], ctx.repository);
  const job = env['GITHUB_JOB'];
  const prefix = relativeRoot ? `${relativeRoot}/` : '';
  if (path && job && path.startsWith(prefix)) src.workflow = { path: path.slice(prefix.length), job };
  return src;
}

/** `owner/repo/.github/workflows/ci.yml@refs/heads/main` → `.github/workflows/ci.yml`, for this repository's workflows. */
export function workflowPath(ref: string | undefined, repository: string): string | undefined {
  if (!ref) return undefined;
  const at = ref.indexOf('@');
  const full = at < 0 ? ref : ref.slice(0, at);
  const head = `${repository}/`;
  if (full.slice(0, head.length).toLowerCase() !== head.toLowerCase()) return undefined;
  const path = full.slice(head.length);
  return /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path) ? path : undefined;
}

/** The CLI's `--repo owner/name`: the token from GITHUB_TOKEN (never printed), the API from GITHUB_API_URL or github.com's. */
export async function branchPolicyForCli(repository: string, log?: (message: string) => void): Promise<BranchPolicyInput> {
  const token = process.env['GITHUB_TOKEN'] ?? '';
  if (!token) return { notes: [`${NOT_CHECKED} for ${repository}: --repo needs a token in the GITHUB_TOKEN environment variable.`] };
  const apiUrl = (process.env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, '');
  return readBranchPolicy({ token, apiUrl, repository, ...(log ? { log: { info: log, warning: log } } : {}) });
}
