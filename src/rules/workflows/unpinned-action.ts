import { parseUses, PIN_POLICIES, pinPolicyViolation, policyFor, type PinPolicy } from '../../analysis/action-ref.js';
import { s } from '../../core/schema.js';
import type { Located, WorkflowDoc } from '../../parsers/workflow.js';
import { allSteps } from '../../parsers/workflow.js';
import type { Rule } from '../../core/types.js';

const SHA = 'a'.repeat(8) + 'b'.repeat(8) + 'c'.repeat(8) + 'd'.repeat(8) + 'e'.repeat(8);

/**
 * Reusable workflows that must be referenced by a release tag, by their own documentation: slsa-github-generator's builders read
 * their ref from the OIDC token and slsa-verifier accepts provenance only from a `vX.Y.Z` tag of the builder, so a SHA (or a short
 * tag) fails the build. For them a full release tag is the pin; anything else is reported.
 */
const TAG_REFERENCED: Readonly<Record<string, string>> = {
  'slsa-framework/slsa-github-generator':
    'its builders verify their own release tag (slsa-verifier accepts provenance only from a `vX.Y.Z` tag), so a commit SHA or a short tag fails the build',
};
const RELEASE_TAG = /^v\d+\.\d+\.\d+$/;

interface Options {
  /** `owner/repo` pattern → policy; the most specific matching pattern wins, `hash-pin` when none matches. */
  policy: Record<string, PinPolicy>;
}

/** True when the configured policy names this repository itself (not only through `*` or `owner/*`). */
const hasOwnPolicy = (repo: string, policy: Readonly<Record<string, PinPolicy>>): boolean => Object.keys(policy).some((k) => k.toLowerCase() === repo.toLowerCase());

export default {
  id: 'unpinned-action',
  title: 'Action or reusable workflow not pinned to a commit SHA',
  severity: 'high',
  area: 'workflows',
  summary:
    'A step, composite-action step or reusable-workflow call `uses:` an action by tag, branch or short SHA instead of a full 40-character commit SHA.',
  rationale:
    'Tags and branches are mutable: whoever controls the action repository (its maintainer, an attacker with a stolen token) can point `v4` at new ' +
    'code, and every workflow that uses the tag runs it with your token and secrets on its next run. This is how the tj-actions/changed-files ' +
    'compromise (CVE-2025-30066) spread to thousands of repositories. A full commit SHA cannot be moved. The policy is the same for every owner, ' +
    'including `actions/*` and `github/*`, as OpenSSF Scorecard scores it, unless the `policy` option relaxes it for some owners. Local actions (`./…`) are exempt; `docker://` images are checked by ' +
    '`unpinned-image` and `latest-image-tag`. One documented exception: the reusable workflows of `slsa-framework/slsa-github-generator` must be ' +
    'referenced by a full release tag (`@v2.1.0`): the builder reads its own ref from the OIDC token, and slsa-verifier accepts provenance only from a ' +
    '`vX.Y.Z` tag of the builder, so pinning it by SHA breaks the build (the project\'s README says so). A `vX.Y.Z` tag passes there; a short tag, a ' +
    'branch or a SHA is reported with that reason. A `policy` entry for the repository overrides this.',
  fix:
    'Pin to the commit the tag points at and keep the tag as a comment, so humans and Dependabot/Renovate can read and update it: ' +
    '`uses: actions/checkout@<40-hex sha> # v4.2.2` (find it with `git ls-remote https://github.com/actions/checkout refs/tags/v4.2.2`, ' +
    'or let `pinact`, `ratchet` or `frizbee` rewrite the file).',
  references: [
    'https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions',
    'https://github.com/ossf/scorecard/blob/main/docs/checks.md#pinned-dependencies',
    'https://docs.zizmor.sh/audits/#unpinned-uses',
    'https://github.com/slsa-framework/slsa-github-generator#referencing-slsa-builders-and-generators',
    'https://www.cisa.gov/news-events/alerts/2025/03/18/supply-chain-compromise-third-party-tj-actionschanged-files-cve-2025-30066-and-reviewdogaction',
  ],
  examples: {
    bad: [
      {
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test\n',
        line: 6,
      },
      {
        path: '.github/workflows/release.yml',
        text: 'on: push\njobs:\n  release:\n    uses: my-org/shared/.github/workflows/release.yml@main\n',
        line: 4,
      },
      {
        path: 'action.yml',
        text: 'name: setup\nruns:\n  using: composite\n  steps:\n    - uses: github/codeql-action/init@v3\n    - uses: some-org/tool@1a2b3c4\n',
        line: 6,
      },
    ],
    good: [
      {
        path: '.github/workflows/ci.yml',
        text: `on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${SHA} # v4.2.2\n      - uses: ./.github/actions/setup\n      - uses: docker://alpine:3.20\n`,
      },
      {
        path: '.github/workflows/release.yml',
        text: `on: push\njobs:\n  local:\n    uses: ./.github/workflows/build.yml\n  shared:\n    uses: my-org/shared/.github/workflows/release.yml@${SHA}\n`,
      },
    ],
  },
  reads: ['workflow'],
  options: {
    schema: s.object({
      policy: s.record(s.enum(PIN_POLICIES), {
        keyPattern: '^(\\*|[A-Za-z0-9_.*-]+/[A-Za-z0-9_.*-]+)$',
        keyHint: 'use `*`, `owner/*` or `owner/repo`',
        description:
          'Pin policy by `owner/repo` pattern (`*`, `owner/*`, `owner/repo`): `hash-pin` (a full commit SHA), `ref-pin` (any explicit ref) or `any`. The most specific matching pattern wins; `*` defaults to `hash-pin`.',
      }),
    }),
    defaults: { policy: { '*': 'hash-pin' } },
  },
  check(wf, ctx) {
    const seen = new Set<string>();
    const uses: Located[] = [...wf.jobs.flatMap((j) => (j.uses ? [j.uses] : [])), ...allSteps(wf).flatMap(({ step }) => (step.uses ? [step.uses] : []))];
    for (const u of uses) {
      const ref = parseUses(u.value);
      if (ref?.kind !== 'repo') continue;
      const tagOnly = ref.workflow && !hasOwnPolicy(ref.repo, ctx.options.policy) ? TAG_REFERENCED[ref.repo.toLowerCase()] : undefined;
      if (tagOnly) {
        if (ref.ref !== undefined && RELEASE_TAG.test(ref.ref)) continue;
        const at = wf.spanWithin(u.node, u.value.trim()) ?? u.span;
        ctx.report({
          message: `The reusable workflow ${ref.repo}/${ref.path ?? ''} is referenced by \`${ref.ref ?? '(no ref)'}\`, but ${tagOnly}: reference a full release tag, \`@vX.Y.Z\`.`,
          at,
          fingerprintKey: `${ref.repo} ${ref.path ?? ''} ${ref.ref ?? ''}`,
        });
        continue;
      }
      const problem = pinPolicyViolation(ref.ref, policyFor(ref.repo, ctx.options.policy));
      if (problem === undefined) continue;
      const at = wf.spanWithin(u.node, u.value.trim()) ?? u.span;
      // A step reused through a YAML alias is one reference in the file: report it once.
      const key = `${at.line}:${at.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const target = `${ref.repo}${ref.path ? `/${ref.path}` : ''}`;
      const what = ref.workflow ? 'reusable workflow' : 'action';
      ctx.report({
        message: `The ${what} ${target} ${problem}: pin it to a full commit SHA, \`${target}@<40-hex sha of ${ref.ref ?? 'the release'}> # ${ref.ref ?? 'vX.Y.Z'}\``,
        at,
      });
    }
  },
} satisfies Rule<WorkflowDoc, Options>;
