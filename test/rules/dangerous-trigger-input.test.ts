import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const scan = (text: string) => scanFiles({ '.github/workflows/w.yml': text }, { rules: [rules.find((r) => r.id === 'dangerous-trigger')!] }).findings;

describe('dangerous-trigger: only where the contribution reaches the privileged run', () => {
  it('a labeler or reviewer-assigner that never checks out or receives PR content is not reported', () => {
    const labeler = [
      'name: Label PRs',
      'on:',
      '  pull_request_target:',
      'permissions: {}',
      'jobs:',
      '  triage:',
      '    permissions:',
      '      contents: read',
      '      pull-requests: write',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/labeler@8558fd74291d67161a8a78ce36a881fa63b766a9 # v5.0.0',
      '        with:',
      '          repo-token: ${{ secrets.GITHUB_TOKEN }}',
      '          sync-labels: true',
      '',
    ].join('\n');
    expect(scan(labeler)).toEqual([]);
    const assign = [
      'on:',
      '  pull_request_target:',
      'jobs:',
      '  assign-reviewers:',
      '    if: ${{ !github.event.repository.fork }}',
      '    runs-on: ubuntu-latest',
      '    permissions:',
      '      pull-requests: write',
      '    steps:',
      '      - uses: acme/component-owners@7ff2b343629407c4dbe1c28ae66f55f723543d2b # v0.2.0',
      '        with:',
      '          assign-owners: false',
      '      - uses: actions/checkout@v4',
      '        with:',
      '          persist-credentials: false',
      '      - run: echo "PR #${{ github.event.pull_request.number }} by ${{ github.event.pull_request.user.login }}"',
      '',
    ].join('\n');
    expect(scan(assign)).toEqual([]);
  });

  it('workflow_run handing the triggering run id to a reusable workflow with write access is reported (it consumes the fork-built artifacts)', () => {
    const text = [
      'name: PR Review',
      'permissions:',
      '  contents: read',
      'on:',
      '  issue_comment:',
      '    types: [ created ]',
      '  workflow_run:',
      '    workflows: [ "PR Review - Trigger" ]',
      '    types: [ completed ]',
      'jobs:',
      '  review:',
      "    if: github.event.workflow_run.conclusion == 'success'",
      '    uses: acme/agent-action/.github/workflows/review-pr.yml@baf90543d81f5de59751dfd10e6cf45e21a5a982 # v2.0.3',
      '    permissions:',
      '      contents: read',
      '      pull-requests: write',
      '      id-token: write',
      '    with:',
      "      trigger-run-id: ${{ github.event_name == 'workflow_run' && format('{0}', github.event.workflow_run.id) || '' }}",
      '',
    ].join('\n');
    const found = scan(text);
    expect(found.map((f) => [f.line, f.confidence])).toEqual([[7, 'high']]);
    expect(found[0]!.message).toContain('github.event.workflow_run.id');
    expect(found[0]!.related[0]).toMatchObject({ label: 'pull request data enters here', at: expect.objectContaining({ line: 19 }) });
  });

  it('workflow_run downloading the triggering run artifacts with a secret in reach is reported; a status update by head SHA is not', () => {
    const download = [
      'on:',
      '  workflow_run:',
      '    workflows: [CI]',
      '    types: [completed]',
      'permissions: {}',
      'jobs:',
      '  deploy-preview:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/download-artifact@v4',
      '        with:',
      '          run-id: ${{ github.event.workflow_run.id }}',
      '          github-token: ${{ secrets.GITHUB_TOKEN }}',
      '      - run: npx netlify deploy --dir site',
      '        env:',
      '          NETLIFY_AUTH_TOKEN: ${{ secrets.NETLIFY_AUTH_TOKEN }}',
      '',
    ].join('\n');
    expect(scan(download).map((f) => f.line)).toEqual([2]);
    const status = [
      'on:',
      '  workflow_run:',
      '    workflows: [CI]',
      'permissions:',
      '  statuses: write',
      'jobs:',
      '  report:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: gh api repos/${{ github.repository }}/statuses/${{ github.event.workflow_run.head_sha }} -f state=success',
      '        env:',
      '          GH_TOKEN: ${{ github.token }}',
      '',
    ].join('\n');
    expect(scan(status)).toEqual([]);
  });
});
