/**
 * What the default branch's protection lets through, from what the GitHub API answered (action/branch-policy.ts
 * reads it): the rules of the active rulesets, classic branch protection when the token may read it, and the bypass
 * list of the ruleset that requires pull requests when the token may read that. Pure: no network here.
 */
import type { Severity } from '../core/types.js';

/** One rule of `GET /repos/{owner}/{repo}/rules/branches/{branch}` (active rulesets only). */
export interface BranchRule {
  type: string;
  parameters?: Record<string, unknown>;
  ruleset_source_type?: string;
  ruleset_source?: string;
  ruleset_id?: number;
}

/** The parts of `GET /repos/{owner}/{repo}/branches/{branch}/protection` this reads. */
export interface ClassicProtection {
  required_status_checks?: { contexts?: string[]; checks?: { context: string }[] } | null;
  enforce_admins?: { enabled: boolean } | null;
  required_pull_request_reviews?: {
    dismiss_stale_reviews?: boolean;
    require_code_owner_reviews?: boolean;
    required_approving_review_count?: number;
    bypass_pull_request_allowances?: { users?: unknown[]; teams?: unknown[]; apps?: unknown[] };
  } | null;
  allow_force_pushes?: { enabled?: boolean } | null;
  allow_deletions?: { enabled?: boolean } | null;
}

/** What the API said about the default branch; `protection` absent: classic protection could not be read. */
export interface PolicyAnswers {
  repository: string;
  branch: string;
  rules: readonly BranchRule[];
  /** False when the rules fill the one page read (more may exist). */
  rulesComplete: boolean;
  protection?: ClassicProtection;
  /** The bypass list of the ruleset that requires pull requests, when read: its name and the kinds of actor. */
  bypass?: { ruleset: string; actors: readonly { actor_type: string; bypass_mode?: string }[] };
  /** The gate's workflow file (repository-relative) and job id, from GITHUB_WORKFLOW_REF and GITHUB_JOB. */
  workflow?: { path: string; job: string };
}

export const POLICY_PARTS = ['pull-requests', 'approvals', 'stale-reviews', 'code-owners', 'required-check', 'force-pushes', 'deletions', 'bypass'] as const;
export type PolicyPart = (typeof POLICY_PARTS)[number];

export interface PolicyGap {
  part: PolicyPart;
  severity: Severity;
  line: string;
}

export interface PolicyWants {
  approvals: number;
  /** A CODEOWNERS file exists, so code owner review can be required. */
  codeowners: boolean;
  /** Whether a required status check context is this gate's check; undefined when the gate's check is unknown. */
  isGateCheck?: (context: string) => boolean;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The missing pieces, in a fixed order, one line each. */
export function policyGaps(a: PolicyAnswers, wants: PolicyWants): PolicyGap[] {
  const of = (type: string) => a.rules.filter((r) => r.type === type);
  const prRules = of('pull_request').map((r) => r.parameters ?? {});
  const classic = a.protection;
  const reviews = classic?.required_pull_request_reviews ?? undefined;
  const gaps: PolicyGap[] = [];
  const gap = (part: PolicyPart, severity: Severity, line: string) => gaps.push({ part, severity, line });

  if (prRules.length === 0 && !reviews) {
    gap('pull-requests', 'high', 'pull requests are not required: a change can be pushed to the default branch with no review and no gate');
  } else {
    const approvals = Math.max(num(reviews?.required_approving_review_count), ...prRules.map((p) => num(p['required_approving_review_count'])));
    if (approvals < wants.approvals)
      gap('approvals', 'medium', `${approvals} approving review${approvals === 1 ? ' is' : 's are'} required, fewer than ${wants.approvals} (review.required-approvals)`);
    if (!reviews?.dismiss_stale_reviews && !prRules.some((p) => p['dismiss_stale_reviews_on_push'] === true))
      gap('stale-reviews', 'medium', 'approvals are not dismissed when new commits are pushed: an approved pull request can change before it merges');
    if (wants.codeowners && !reviews?.require_code_owner_reviews && !prRules.some((p) => p['require_code_owner_review'] === true))
      gap('code-owners', 'medium', 'code owner review is not required: CODEOWNERS names owners, but their review does not gate the merge');
  }
  if (wants.isGateCheck) {
    const contexts = [
      ...of('required_status_checks').flatMap((r) => list(r.parameters?.['required_status_checks']).map((c) => (c as { context?: unknown }).context)),
      ...list(classic?.required_status_checks?.contexts),
      ...list(classic?.required_status_checks?.checks).map((c) => (c as { context?: unknown }).context),
    ].filter((c): c is string => typeof c === 'string');
    if (!contexts.some(wants.isGateCheck)) gap('required-check', 'high', 'this gate is not a required check: the gate can fail and the change still merges');
  }
  if (of('non_fast_forward').length === 0 && !(classic && classic.allow_force_pushes?.enabled !== true))
    gap('force-pushes', 'medium', 'force pushes to the default branch are not blocked: reviewed history can be rewritten');
  if (of('deletion').length === 0 && !(classic && classic.allow_deletions?.enabled !== true))
    gap('deletions', 'low', 'deleting the default branch is not blocked');
  const who = bypassers(a);
  if (who.length > 0) gap('bypass', 'medium', `these may bypass the rules: ${who.join('; ')}`);
  return gaps;
}

const ACTOR_KINDS: Record<string, string> = {
  OrganizationAdmin: 'organisation admins',
  RepositoryRole: 'repository roles',
  Team: 'teams',
  Integration: 'apps',
  DeployKey: 'deploy keys',
  User: 'users',
};

/** Who may bypass, by kind and where it is set. */
function bypassers(a: PolicyAnswers): string[] {
  const out: string[] = [];
  const classic = a.protection;
  // Classic protection only binds admins when it includes them; without any classic protection there is nothing to bypass.
  if (classic && (classic.required_pull_request_reviews || classic.required_status_checks) && classic.enforce_admins?.enabled !== true)
    out.push('admins (classic branch protection does not include administrators)');
  const allowed = classic?.required_pull_request_reviews?.bypass_pull_request_allowances;
  const kinds = (['users', 'teams', 'apps'] as const).filter((k) => list(allowed?.[k]).length > 0);
  if (kinds.length > 0) out.push(`${kinds.join(', ')} (classic branch protection lets them skip the pull request reviews)`);
  if (a.bypass && a.bypass.actors.length > 0) {
    const named = [...new Set(a.bypass.actors.map((x) => ACTOR_KINDS[x.actor_type] ?? 'other actors'))];
    out.push(`${named.join(', ')} (ruleset "${a.bypass.ruleset}")`);
  }
  return out;
}

/** Where the required rules come from, for the message: rulesets by source, and classic protection. */
export function policySources(a: PolicyAnswers): string {
  const sets = [...new Set(a.rules.map((r) => `${r.ruleset_source_type === 'Organization' ? 'organisation' : 'repository'} ruleset${r.ruleset_source ? ` of ${r.ruleset_source}` : ''}`))];
  const parts = [...sets, ...(a.protection ? ['classic branch protection'] : [])];
  return parts.length > 0 ? parts.join(', ') : 'no ruleset and no classic branch protection';
}
