import type { Rule } from '../../core/types.js';

/**
 * The gate's own hygiene: a suppression that does nothing is a hole nobody sees. Its findings are
 * produced by the suppression pass (src/core/suppress.ts, run by the scan pipeline after the other
 * rules, when it knows what each comment matched), so `check` has nothing to do. It reads `text`, which
 * costs nothing: the pass needs the file's comments, not a parse (reading `yaml` made every `.yaml` file of a
 * monorepo parse for no rule).
 */
export default {
  id: 'ineffective-suppression',
  title: 'Suppression that has no effect',
  severity: 'low',
  area: 'governance',
  reads: ['text'],
  summary:
    'A `# portcullis: ignore[…]` comment (or a config `ignore:` entry) that silences nothing: no reason given, an unknown rule id, no matching finding, or inline suppressions disabled.',
  rationale:
    'A suppression is a decision to accept a risk, so it must say why and must point at a real finding. A misspelt rule id, a missing reason or a comment left behind after the code moved looks like a decision but is not one: the finding it meant to silence still blocks, or a later finding on that line is silenced by accident. Reporting these keeps every suppression visible and honest.',
  fix:
    'Write `# portcullis: ignore[rule-id] reason` on the flagged line or alone on the line above it, with a real rule id (`portcullis rules`) and a reason after the brackets. Remove suppressions whose finding is gone. JSON files cannot carry comments: use a config `ignore:` entry for them.',
  references: ['https://eslint.org/docs/latest/use/configure/rules#report-unused-eslint-disable-comments', 'https://docs.zizmor.sh/usage/#ignoring-results'],
  examples: {
    bad: [
      {
        path: 'Dockerfile',
        text: 'FROM node:20\n# portcullis: ignore[unpinned-imgae] base image pinned by the platform team\nRUN npm ci\n',
        line: 2,
      },
      {
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4 # portcullis: ignore[unpinned-action]\n',
        line: 6,
      },
      { path: 'action.yml', text: 'name: lint\nruns:\n  using: composite\n  steps:\n    # portcullis: ignore[unpinned-action]\n    - run: make lint\n      shell: bash\n', line: 5 },
      { path: 'compose.yaml', text: 'services:\n  web:\n    image: nginx:1.27 # portcullis: ignore[latest-tag] tracked by the platform team\n', line: 3 },
      {
        path: 'k8s/web.yaml',
        text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27 # portcullis: ignore[unpinned-imgae] pinned by the admission controller\n',
        line: 8,
      },
      { path: 'requirements.txt', text: 'requests==2.32.3  # portcullis: ignore[typosquat-dependency]\n', line: 1 },
      { path: 'pnpm-lock.yaml', text: "# portcullis: ignore[lockfile-integirty] mirrored internally\nlockfileVersion: '9.0'\n", line: 1 },
      { path: 'scripts/setup.py', text: 'import os\n# portcullis: ignore[hardcoded-secret]\nTOKEN = os.environ["TOKEN"]\n', line: 2 },
    ],
    good: [
      {
        path: 'Dockerfile',
        text: 'FROM node:20\nRUN echo "#portcullis: ignore[x]" > /etc/motd\n',
      },
      {
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: curl -fsSL https://example.com/#portcullis:ignore[x]\n',
      },
    ],
  },
  check() {
    // Findings come from the suppression pass, which sees what every other rule reported.
  },
} satisfies Rule<unknown>;
