import { s } from '../../core/schema.js';
import { SEVERITIES, type Rule, type Severity } from '../../core/types.js';
import { POLICY_PARTS, type PolicyAnswers, type PolicyPart } from '../../analysis/branch-policy.js';
import { REPOSITORY } from '../../version.js';

export interface ReviewPolicyOptions {
  accept: { part: PolicyPart; severity?: Severity; reason: string }[];
}

const WORKFLOW = 'name: ci\non: pull_request\njobs:\n  gate:\n    name: portcullis (${{ matrix.os }})\n    strategy:\n      matrix:\n        os: [linux]\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: ' + REPOSITORY + '@v1\n';
const FULL: PolicyAnswers = {
  repository: 'acme/widgets',
  branch: 'main',
  rulesComplete: true,
  rules: [
    { type: 'pull_request', parameters: { required_approving_review_count: 2, dismiss_stale_reviews_on_push: true, require_code_owner_review: true }, ruleset_source_type: 'Repository', ruleset_source: 'acme/widgets', ruleset_id: 1 },
    { type: 'required_status_checks', parameters: { required_status_checks: [{ context: 'portcullis (linux)' }] }, ruleset_source_type: 'Repository', ruleset_source: 'acme/widgets', ruleset_id: 1 },
    { type: 'non_fast_forward', ruleset_source_type: 'Organization', ruleset_source: 'acme', ruleset_id: 7 },
    { type: 'deletion', ruleset_source_type: 'Organization', ruleset_source: 'acme', ruleset_id: 7 },
  ],
  protection: {},
  bypass: { ruleset: 'main', actors: [] },
  workflow: { path: '.github/workflows/ci.yml', job: 'gate' },
};
const WITHOUT_CHECK: PolicyAnswers = { ...FULL, rules: FULL.rules.filter((r) => r.type !== 'required_status_checks') };

/**
 * The default branch's protection, read through the GitHub API by the action (or the CLI with `--repo`), judged
 * against what makes this gate count. Its one finding per run comes from the scan's policy pass
 * (src/review-policy-pass.ts), which has the API's answers; `check` has nothing to do.
 */
export default {
  id: 'review-policy',
  title: 'Branch protection lets changes merge past review or this gate',
  severity: 'high',
  area: 'governance',
  reads: [],
  summary:
    "The default branch's rulesets and classic branch protection, read through the GitHub API: pull requests required, enough approvals, stale approvals dismissed, code owner review, this gate a required check, force pushes and deletion blocked, and who may bypass. One finding per run, one line per missing piece.",
  rationale:
    'A gate that is not a required status check only advises: the pull request merges when it fails. Reviews that are not required, approvals that survive new pushes, code owners nobody has to ask, force pushes, and admins or apps that may bypass the rules each let a change reach the default branch that no second person checked, including a change that removes this gate from the workflow.',
  fix:
    'Add a branch ruleset for the default branch (Settings → Rules → Rulesets) that requires a pull request with at least `review.required-approvals` approvals, dismisses stale approvals on push, requires code owner review, requires this gate\'s check, and blocks force pushes and deletion; keep its bypass list empty. The README section "Make the gate count" has the ruleset JSON. To accept a part, list it under `rules.review-policy.options.accept` with a reason (and a lower `severity`, or none to drop it).',
  references: [
    'https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/available-rules-for-rulesets',
    'https://docs.github.com/en/rest/repos/rules#get-rules-for-a-branch',
    'https://github.com/ossf/scorecard/blob/main/docs/checks.md#branch-protection',
  ],
  examples: {
    bad: [{ path: '.github/workflows/ci.yml', text: WORKFLOW, policy: WITHOUT_CHECK, line: 5 }],
    good: [{ path: '.github/workflows/ci.yml', text: WORKFLOW, policy: FULL }],
  },
  options: {
    schema: s.object({
      accept: s.array(
        s.object(
          {
            part: s.enum(POLICY_PARTS, { noun: 'part', listLabel: 'Parts', description: 'The missing piece accepted.' }),
            severity: s.enum(SEVERITIES, { description: 'The severity it is reported at instead; absent: it is not reported.' }),
            reason: s.string({ nonEmpty: true, description: 'Why it is accepted (shown in the finding).' }),
          },
          { required: ['part', 'reason'] },
        ),
        { description: 'Missing pieces of the policy that are accepted: lowered to `severity`, or left out of the finding.' },
      ),
    }),
    defaults: { accept: [] },
  },
  check() {
    // The finding comes from the policy pass, which has the API's answers.
  },
} satisfies Rule<unknown, ReviewPolicyOptions>;
