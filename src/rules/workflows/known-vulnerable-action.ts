import { parseUses } from '../../analysis/action-ref.js';
import { advisoriesFor, advisoryIndex, advisoryLabel, advisoryUrl, incidentOf, type Advisory } from '../../analysis/advisories.js';
import type { Rule } from '../../core/types.js';
import type { Located, WorkflowDoc } from '../../parsers/workflow.js';
import { allSteps } from '../../parsers/workflow.js';

interface Options {
  /** Advisories fetched online for this scan (`advisories: online`); not a config-file option. */
  advisories?: readonly Advisory[];
}

const SHA = /^[0-9a-f]{40}$/i;

export default {
  id: 'known-vulnerable-action',
  title: 'Action reference inside a compromise advisory',
  severity: 'high',
  area: 'workflows',
  summary:
    'A workflow or composite action `uses:` an action at a tag or commit that an advisory lists as compromised: tj-actions/changed-files up to v45.0.7 ' +
    '(and its malicious commit), the reviewdog actions at `v1`, aquasecurity/trivy-action before 0.35.0, ….',
  rationale:
    'In these incidents an attacker with push rights moved existing tags to a commit that dumped the runner’s memory, secrets included, into the ' +
    'public log or sent them away. Every workflow that used the tag ran it. The tags were restored afterwards, but a tag that was moved once can be ' +
    'moved again, and a reference to the malicious commit itself still runs it. A full commit SHA of a release the advisory calls fixed is the only ' +
    'reference nobody can move. A reference to a known-malicious commit is reported as critical.',
  fix:
    'Pin the action to the full commit SHA of a fixed release (`uses: owner/action@<40-hex sha> # v46.0.1`), check the workflow runs from the ' +
    'advisory’s window for leaked secrets, and rotate every secret those runs could read.',
  references: ['https://github.com/advisories/GHSA-mrrh-fwg8-r2c3', 'https://github.com/reviewdog/reviewdog/security/advisories/GHSA-qmg3-hpqr-gqvc', 'https://github.com/aquasecurity/trivy/security/advisories/GHSA-69fq-xp46-6x23'],
  examples: {
    bad: [
      {
        path: '.github/workflows/ci.yml',
        text: 'on: pull_request\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: tj-actions/changed-files@v45\n',
        line: 7,
      },
      {
        path: '.github/workflows/scan.yml',
        text: 'on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aquasecurity/trivy-action@0.28.0\n',
        line: 6,
      },
      {
        path: 'action.yml',
        text: 'name: changes\nruns:\n  using: composite\n  steps:\n    - uses: tj-actions/changed-files@v45\n',
        line: 5,
      },
    ],
    good: [
      {
        path: '.github/workflows/ci.yml',
        text: 'on: pull_request\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: tj-actions/changed-files@v46.0.1\n      - uses: aquasecurity/trivy-action@0.35.0\n',
      },
    ],
  },
  reads: ['workflow'],
  check(doc, ctx) {
    const index = advisoryIndex(ctx.options.advisories);
    const refs: Located[] = [...allSteps(doc).map(({ step }) => step.uses), ...doc.jobs.map((j) => j.uses)].filter((u): u is Located => u !== undefined);
    for (const uses of refs) {
      const ref = parseUses(uses.value);
      if (ref?.kind !== 'repo' || !ref.ref) continue;
      const found = advisoriesFor(index, 'GitHub Actions', ref.repo, ref.ref.replace(/^v(?=\d)/, ''));
      const exact = advisoriesFor(index, 'GitHub Actions', ref.repo, ref.ref);
      const all = [...new Set([...exact, ...found])];
      if (all.length === 0) continue;
      const a = all[0]!;
      const malicious = SHA.test(ref.ref);
      ctx.report({
        message:
          `\`${ref.repo}@${ref.ref}\` ${malicious ? 'is the malicious commit' : 'is a ref that was compromised'} in the ${incidentOf(a)} (${advisoryLabel(a)}, ${advisoryUrl(a)}). ` +
          'Pin the full commit SHA of a fixed release and rotate the secrets that runs in the advisory’s window could read.',
        at: uses.span,
        ...(malicious ? { severity: 'critical' as const } : {}),
      });
    }
  },
} satisfies Rule<WorkflowDoc, Options>;
