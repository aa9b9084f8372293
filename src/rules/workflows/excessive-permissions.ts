import { jobsWithDefaultToken } from '../../analysis/permissions.js';
import type { Rule } from '../../core/types.js';
import type { WorkflowDoc } from '../../parsers/workflow.js';

export default {
  id: 'excessive-permissions',
  title: 'GITHUB_TOKEN permissions broader than needed',
  severity: 'medium',
  area: 'workflows',
  summary:
    'A job runs with the repository\'s default token permissions (no `permissions:` on it or the workflow), `write-all` is granted, ' +
    'a scope is granted `write` for every job at the workflow level, or `read-all` is used.',
  rationale:
    'Every job gets a `GITHUB_TOKEN`; whatever runs in the job (each action, each dependency installed by a build) can use it. Without a ' +
    '`permissions:` block the token gets the repository default, which is read-write on many repositories and organisations, so a compromised ' +
    'step can push code, create releases or approve pull requests. `write-all` (high) grants every scope. A `write` scope at the workflow ' +
    'level reaches every job, including the ones that do not need it (low when the workflow has a single job). `read-all` (low) still ' +
    'exposes every private resource to read. Reports for the missing block are placed on each job that lacks one (the place where ' +
    'the token is used and where a job-level block would fix it). A workflow that only runs as a reusable workflow (`workflow_call`) ' +
    'gets its permissions from its caller; there only jobs that call other workflows are reported. Composite actions have no token of their own.',
  fix:
    'Add `permissions: contents: read` (or `permissions: {}`) at the top of the workflow, and grant write scopes only on the job that ' +
    'needs them, e.g. `permissions: contents: write` on the release job. Replace `write-all` and `read-all` with the scopes you use.',
  references: [
    'https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token',
    'https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication#permissions-for-the-github_token',
    'https://github.com/ossf/scorecard/blob/main/docs/checks.md#token-permissions',
    'https://docs.zizmor.sh/audits/#excessive-permissions',
  ],
  examples: {
    bad: [
      { path: '.github/workflows/ci.yml', text: 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n', line: 3 },
      { path: '.github/workflows/ci.yml', text: 'on: push\npermissions: write-all\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n', line: 2 },
      {
        path: '.github/workflows/release.yml',
        text:
          'on: push\npermissions:\n  contents: write\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n' +
          '  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make release\n',
        line: 3,
      },
      { path: '.github/workflows/ci.yml', text: 'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: read-all\n    steps:\n      - run: make\n', line: 6 },
    ],
    good: [
      {
        path: '.github/workflows/release.yml',
        text:
          'on: push\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n' +
          '  release:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: write\n    steps:\n      - run: make release\n',
      },
      { path: '.github/workflows/lib.yml', text: 'on: workflow_call\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n' },
      { path: 'action.yml', text: 'name: x\nruns:\n  using: composite\n  steps:\n    - run: make\n      shell: bash\n' },
    ],
  },
  reads: ['workflow'],
  check(wf, ctx) {
    if (wf.type !== 'workflow') return;
    const callOnly = wf.triggers.length > 0 && wf.triggers.every((t) => t.name === 'workflow_call');
    for (const job of jobsWithDefaultToken(wf)) {
      if (callOnly && !job.uses) continue;
      ctx.report({
        message:
          `Job \`${job.id}\` has no \`permissions:\` and neither has the workflow, so its token gets the repository default (possibly read-write). ` +
          'Set `permissions: contents: read` at the top of the workflow and grant more only where needed.',
        at: job.keySpan,
        confidence: 'medium',
      });
    }
    const top = wf.permissions;
    const levels = [{ where: 'the workflow', p: top }, ...wf.jobs.map((j) => ({ where: `job \`${j.id}\``, p: j.permissions }))];
    // A workflow-level grant that every job replaces reaches no job today, only jobs added later.
    const overridden = wf.jobs.length > 0 && wf.jobs.every((j) => j.permissions);
    for (const { where, p } of levels) {
      if (p?.shorthand === 'write-all')
        ctx.report({
          message: `\`permissions: write-all\` on ${where} grants every scope read-write: list only the scopes it needs.`,
          at: p.span,
          severity: p === top && overridden ? 'low' : 'high',
        });
      if (p?.shorthand === 'read-all')
        ctx.report({ message: `\`permissions: read-all\` on ${where} can read every scope: list only the scopes it needs, e.g. \`contents: read\`.`, at: p.span, severity: 'low' });
    }
    if (top && !top.shorthand)
      for (const [scope, v] of top.scopes) {
        if (v.value.trim().toLowerCase() !== 'write') continue;
        const single = wf.jobs.length <= 1 || overridden;
        ctx.report({
          message:
            `\`${scope}: write\` at the workflow level reaches every job${single ? ' (today one job or none uses it, but new jobs inherit it)' : ''}: ` +
            `move it to the job that needs it and keep \`${scope}: read\` (or nothing) at the top.`,
          at: v.span,
          severity: single ? 'low' : 'medium',
        });
      }
  },
} satisfies Rule<WorkflowDoc>;

