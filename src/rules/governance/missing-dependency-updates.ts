import { ecosystemsIn, type Ecosystem } from '../../analysis/dependency-updates.js';
import { DEPENDABOT_PATHS, readDependabot, readRenovate, RENOVATE_PATHS } from '../../analysis/update-configs.js';
import { listed } from '../../core/limits.js';
import { FIRST_LINE, REPOSITORY_ROOT, type RepositoryDoc, type Rule } from '../../core/types.js';

const WORKFLOW = { '.github/workflows/ci.yml': 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n' };
const PACKAGE = { 'package.json': '{\n  "name": "web",\n  "dependencies": { "express": "^4.19.2" }\n}\n' };

export default {
  id: 'missing-dependency-updates',
  title: 'Dependencies without automated updates',
  severity: 'low',
  area: 'governance',
  summary:
    'The repository uses a package ecosystem (GitHub Actions, Docker and compose, npm, pip/Pipenv/Poetry/uv, Go modules, Cargo, Bundler, Composer) that neither a Dependabot ' +
    'config (`.github/dependabot.yml`) nor a Renovate config (`renovate.json`, `.github/renovate.json5`, `.renovaterc`, `package.json#renovate`, …) keeps up to date. ' +
    'Only production files count: an ecosystem seen only in tests, examples, docs or vendored code does not. Dependabot\'s config is checked for unknown ' +
    '`package-ecosystem` names and `directory`/`directories` that are not folders of the repository; coverage is per ecosystem, not per folder. ' +
    'Renovate finds its package managers itself, so its config covers everything unless `enabled: false` or `enabledManagers` limits it. ' +
    'It runs when the whole repository is scanned, not on named files.',
  rationale:
    'Pinned dependencies and actions are only safe while someone moves the pins: without automated update pull requests, fixed vulnerabilities stay in the build until a person ' +
    'notices, and a pin to a commit SHA never moves at all. An update tool proposes each new version as a reviewable pull request, which this gate then checks.',
  fix:
    'Add `.github/dependabot.yml` with one `updates:` entry per ecosystem the message names (`package-ecosystem`, `directory` or `directories`, `schedule`), or a Renovate config. ' +
    'Fix entries whose ecosystem or folder Dependabot would reject.',
  references: [
    'https://docs.github.com/en/code-security/dependabot/working-with-dependabot/dependabot-options-reference',
    'https://docs.renovatebot.com/configuration-options/#enabledmanagers',
    'https://github.com/ossf/scorecard/blob/main/docs/checks.md#dependency-update-tool',
  ],
  examples: {
    bad: [
      { path: 'package.json', text: PACKAGE['package.json'], files: WORKFLOW, reportedAt: REPOSITORY_ROOT },
      {
        path: '.github/dependabot.yml',
        text: 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: { interval: weekly }\n  - package-ecosystem: actions\n    directory: /\n    schedule: { interval: weekly }\n',
        files: { ...WORKFLOW, ...PACKAGE },
        line: 6,
      },
      { path: 'renovate.json', text: '{\n  "enabledManagers": ["npm"]\n}\n', files: { ...WORKFLOW, ...PACKAGE }, line: 2 },
    ],
    good: [
      {
        path: '.github/dependabot.yml',
        text: 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: { interval: weekly }\n  - package-ecosystem: github-actions\n    directory: /\n    schedule: { interval: weekly }\n',
        files: { ...WORKFLOW, ...PACKAGE, 'examples/app/Dockerfile': 'FROM node:22\n' },
      },
      { path: 'renovate.json', text: '{\n  "extends": ["config:recommended"]\n}\n', files: { ...WORKFLOW, ...PACKAGE } },
    ],
  },
  reads: ['repository'],
  check(doc, ctx) {
    const used = ecosystemsIn(doc, ctx.project);
    const dependabot = readDependabot(ctx.project, doc.paths);
    const renovate = readRenovate(ctx.project);
    const configs = [dependabot, renovate].filter((c) => c !== undefined);
    const covered = new Set<Ecosystem>(configs.flatMap((c) => c.covers));
    const missing = [...used].filter(([eco]) => !covered.has(eco));
    const errors = configs.flatMap((c) => c.errors.map((e) => ({ ...e, path: c.path })));
    if (missing.length === 0 && errors.length === 0) return;
    const names = missing.map(([eco, path]) => `${eco} (${path})`);
    if (configs.length === 0) {
      if ([...DEPENDABOT_PATHS, ...RENOVATE_PATHS].some((p) => doc.hidden(p))) return; // excluded from the scan: one may be there
      ctx.report({
        message: `No Dependabot or Renovate config (${DEPENDABOT_PATHS[0]}, renovate.json, …) keeps this repository's dependencies up to date: ${listed(names)}.`,
        at: FIRST_LINE,
        fingerprintKey: 'no dependency update config',
      });
      return;
    }
    const carrier = errors[0] ?? { path: configs[0]!.path, at: configs[0]!.at };
    const parts = [
      ...(missing.length > 0 ? [`${configs.map((c) => c.path).join(' and ')} ${missing.length === 1 ? 'does' : 'do'} not keep ${listed(names)} up to date.`] : []),
      ...(errors.length > 0 ? [`${errors.length} problem(s) Dependabot or Renovate would meet: ${listed(errors.map((e) => `${e.path}:${e.at.line}: ${e.message}`))}.`] : []),
    ];
    ctx.report({
      path: carrier.path,
      message: parts.join(' '),
      at: carrier.at,
      related: errors.slice(1, 11).map((e) => ({ path: e.path, at: e.at, label: 'a problem in the update config' })),
    });
  },
} satisfies Rule<RepositoryDoc>;
