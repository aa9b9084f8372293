/**
 * Each kind of fix on realistic snippets, with clean look-alikes left alone: the exact text after the fix (comments,
 * quoting, key order and indentation kept), what is listed instead of fixed, CRLF and a missing final newline kept.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { removeTemps } from '../support/git-repo.js';
import { digest, fixTree, mapResolver, sha } from './support.js';

afterAll(removeTemps);

const A = sha('a');
const B = sha('b');
const D = digest('d');
const resolver = () =>
  mapResolver(
    { 'actions/checkout@v4': A, 'actions/setup-node@v4.1.0': B, 'octo-org/shared@main': B, 'tj-actions/changed-files@v46.0.1': A },
    { 'postgres:16.4': D, 'node:20.11.1-bookworm': D, 'ghcr.io/acme/tools:1.2': D, 'alpine:3.20': D, 'redis:7.2-alpine': D },
  );

const wf = (steps: string, head = 'on: push\npermissions:\n  contents: read\n'): string => `${head}jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
const SAFE_CHECKOUT = '      - uses: actions/checkout@v4 # the repo\n        with:\n          persist-credentials: false\n';

describe('action pins: uses: owner/repo@ref → @<sha> # ref', () => {
  it.each([
    ['a step, with its comment kept after the pin', SAFE_CHECKOUT, SAFE_CHECKOUT.replace('@v4 # the repo', `@${A} # v4 # the repo`)],
    ['a double-quoted value: the comment goes after the closing quote', '      - uses: "actions/setup-node@v4.1.0"\n', `      - uses: "actions/setup-node@${B}" # v4.1.0\n`],
    ["a single-quoted value", "      - uses: 'actions/setup-node@v4.1.0'\n", `      - uses: 'actions/setup-node@${B}' # v4.1.0\n`],
    ['docker:// gets a digest', '      - uses: docker://alpine:3.20\n', `      - uses: docker://alpine:3.20@${D}\n`],
  ])('%s', async (_, steps, expected) => {
    const { after, plan } = await fixTree({ '.github/workflows/ci.yml': wf(steps) }, resolver());
    expect(after['.github/workflows/ci.yml']).toBe(wf(expected));
    expect(plan.unresolved).toEqual([]);
  });

  it('a reusable workflow (jobs.x.uses) and a composite action', async () => {
    const files = {
      '.github/workflows/release.yml': 'on: push\npermissions:\n  contents: read\njobs:\n  publish:\n    uses: octo-org/shared/.github/workflows/publish.yml@main\n',
      'action.yml': 'name: setup\nruns:\n  using: composite\n  steps:\n    - uses: actions/setup-node@v4.1.0\n      with:\n        node-version: 20\n',
    };
    const { after } = await fixTree(files, resolver());
    expect(after['.github/workflows/release.yml']).toContain(`    uses: octo-org/shared/.github/workflows/publish.yml@${B} # main\n`);
    expect(after['action.yml']).toBe(files['action.yml'].replace('@v4.1.0', `@${B} # v4.1.0`));
  });

  it('leaves clean look-alikes alone: a full SHA, a local action, an expression', async () => {
    const steps = `      - uses: actions/checkout@${A} # v4\n        with:\n          persist-credentials: false\n      - uses: ./.github/actions/setup\n`;
    const { plan, after } = await fixTree({ '.github/workflows/ci.yml': wf(steps) }, resolver());
    expect(after).toEqual({});
    expect(plan.changes).toEqual([]);
  });

  it('lists a ref it cannot resolve and leaves it unchanged (never a guess)', async () => {
    const { plan } = await fixTree({ '.github/workflows/ci.yml': wf('      - uses: octo-org/unknown@v9\n') }, resolver());
    expect(plan.changes).toEqual([]);
    expect(plan.unresolved).toEqual([expect.objectContaining({ rule: 'unpinned-action', line: 8, reason: expect.stringContaining('not resolved (404 for octo-org/unknown@v9)') })]);
  });

  it('refuses to pin a compromised tag, or a ref that resolves to the known-malicious commit, and says why', async () => {
    const malicious = '0e58ed8671d6b60d0890c21b07f8835ace038e67';
    const r = mapResolver({ 'tj-actions/changed-files@v45': B, 'tj-actions/changed-files@v46': malicious }, {});
    const steps = '      - uses: tj-actions/changed-files@v45\n      - uses: tj-actions/changed-files@v46\n';
    const { plan } = await fixTree({ '.github/workflows/ci.yml': wf(steps) }, r);
    expect(plan.changes).toEqual([]);
    const reasons = plan.unresolved.filter((u) => u.rule === 'unpinned-action').map((u) => u.reason);
    expect(reasons).toEqual([expect.stringMatching(/^refused: tj-actions\/changed-files@v45 was compromised in the .*upgrade to a fixed release/), expect.stringMatching(new RegExp(`^refused: .*@v46 resolves to ${malicious}, the malicious commit`))]);
  });
});

describe('image digests: name:tag → name:tag@sha256:…', () => {
  it('Dockerfile FROM, COPY --from and RUN --mount from=; stage names and variables are not pinned', async () => {
    const text =
      '# syntax=docker/dockerfile:1\nARG BASE=alpine:3.20\nFROM node:20.11.1-bookworm AS build\nRUN --mount=type=cache,from=ghcr.io/acme/tools:1.2,target=/t make\nFROM ${BASE}\nCOPY --from=build /out /out\nCOPY --from=redis:7.2-alpine /usr/local/bin/redis-cli /usr/local/bin/\nUSER 10001\n';
    const { after, plan } = await fixTree({ 'Dockerfile': text }, resolver());
    const fixed = after['Dockerfile'] ?? '';
    expect(fixed).toContain(`FROM node:20.11.1-bookworm@${D} AS build\n`);
    expect(fixed).toContain('COPY --from=build /out /out\n');
    expect(fixed).toContain(`COPY --from=redis:7.2-alpine@${D} /usr/local/bin/redis-cli`);
    expect(fixed).toContain(`RUN --mount=type=cache,from=ghcr.io/acme/tools:1.2@${D},target=/t make\n`);
    expect(fixed).toContain('FROM ${BASE}\n');
    expect(plan.unresolved).toEqual([expect.objectContaining({ line: 5, rule: 'unpinned-image', reason: expect.stringContaining('pin the value where it is set') })]);
    expect(fixed.split('\n').length).toBe(text.split('\n').length);
  });

  it('compose and Kubernetes image: keys, quoted or not; latest and untagged are listed for a person', async () => {
    const files = {
      'docker-compose.yml': 'services:\n  db:\n    image: "postgres:16.4" # the database\n  cache:\n    image: redis:latest\n',
      'k8s/app.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: ghcr.io/acme/tools:1.2\n',
    };
    const { after, plan } = await fixTree(files, resolver());
    expect(after['docker-compose.yml']).toBe(files['docker-compose.yml'].replace('"postgres:16.4"', `"postgres:16.4@${D}"`));
    expect(after['k8s/app.yaml']).toBe(files['k8s/app.yaml'].replace('tools:1.2', `tools:1.2@${D}`));
    expect(plan.unresolved).toContainEqual(expect.objectContaining({ path: 'docker-compose.yml', rule: 'latest-image-tag', reason: expect.stringContaining('choose a version') }));
  });
});

describe('workflow hardening', () => {
  it('persist-credentials: false under a new with:, or appended to the existing one; a job that pushes is left alone', async () => {
    const text = wf(`      - uses: actions/checkout@${A} # v4\n      - uses: actions/checkout@${A} # v4\n        with:\n          fetch-depth: 0\n`);
    const { after } = await fixTree({ '.github/workflows/ci.yml': text }, resolver());
    expect(after['.github/workflows/ci.yml']).toBe(
      wf(`      - uses: actions/checkout@${A} # v4\n        with:\n          persist-credentials: false\n      - uses: actions/checkout@${A} # v4\n        with:\n          fetch-depth: 0\n          persist-credentials: false\n`),
    );
    // The rule looks at later steps; fix at every run: step of the job (a second checkout after the push).
    const pushes = wf(`      - uses: actions/checkout@${A} # v4\n      - run: git commit -am bump && git push origin HEAD\n      - uses: actions/checkout@${A} # v4\n        with:\n          path: other\n`);
    const writer = wf(`      - uses: actions/checkout@${A} # v4\n      - uses: octo-org/auto-branch-sync@${B} # v1\n`, 'on: push\npermissions:\n  contents: write\n');
    const { plan } = await fixTree({ '.github/workflows/ci.yml': pushes, '.github/workflows/sync.yml': writer }, resolver(), 'persisted-credentials');
    expect(plan.changes).toEqual([]);
    expect(plan.unresolved.map((u) => u.reason)).toEqual([expect.stringContaining('runs `git push`'), expect.stringContaining('is granted `contents: write`')]);
  });

  it('adds permissions: contents: read at the top when no level has permissions:, nowhere else', async () => {
    const bare = 'name: CI\non: pull_request\n\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n';
    const { after } = await fixTree({ '.github/workflows/ci.yml': bare }, resolver(), 'excessive-permissions');
    expect(after['.github/workflows/ci.yml']).toBe('name: CI\non: pull_request\n\npermissions:\n  contents: read\n\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n');
    const jobLevel = bare.replace('  test:\n', '  test:\n    permissions: {}\n').replace('  test:\n', '  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make lint\n  test:\n');
    const writes = bare.replace('make test', 'gh release create v1');
    const action = bare.replace('- run: make test', `- uses: octo-org/auto-assign@${A} # v1`);
    const files = { '.github/workflows/a.yml': jobLevel, '.github/workflows/b.yml': writes, '.github/workflows/c.yml': action };
    const { plan } = await fixTree(files, resolver(), 'excessive-permissions');
    expect(plan.changes).toEqual([]);
    expect(plan.unresolved.map((u) => [u.path, u.reason.split(':')[0]])).toEqual([
      ['.github/workflows/a.yml', 'the workflow sets `permissions'],
      ['.github/workflows/b.yml', 'a step writes with the token (git push, gh, GITHUB_TOKEN)'],
      ['.github/workflows/c.yml', '`octo-org/auto-assign` may use the token to write'],
    ]);
  });

  it('moves an injected expression to the step env: (merged into an existing one) and the script reads "$VAR"', async () => {
    const head = 'on: pull_request_target\npermissions:\n  contents: read\n';
    const steps = '      - name: Greet\n        env:\n          LANG: C\n        run: |\n          echo ${{ github.event.pull_request.title }}\n          echo "on ${{ github.head_ref }}"\n';
    const { after } = await fixTree({ '.github/workflows/pr.yml': wf(steps, head) }, resolver(), 'template-injection');
    expect(after['.github/workflows/pr.yml']).toBe(
      wf('      - name: Greet\n        env:\n          LANG: C\n          PULL_REQUEST_TITLE: ${{ github.event.pull_request.title }}\n          HEAD_REF: ${{ github.head_ref }}\n        run: |\n          echo "$PULL_REQUEST_TITLE"\n          echo "on ${HEAD_REF}"\n', head),
    );
  });

  it('keeps a quoted expression inside $( … ) one quoted word', async () => {
    const head = 'on: pull_request_target\npermissions:\n  contents: read\n';
    const text = wf('      - run: echo "tag=$(echo "${{ github.head_ref }}" | tr / -)" >> "$GITHUB_OUTPUT"\n', head);
    const { after } = await fixTree({ '.github/workflows/pr.yml': text }, resolver(), 'template-injection');
    expect(after['.github/workflows/pr.yml']).toContain('      - run: echo "tag=$(echo "${HEAD_REF}" | tr / -)" >> "$GITHUB_OUTPUT"\n        env:\n          HEAD_REF: ${{ github.head_ref }}\n');
  });

  it('leaves a list of words (for f in ${{ … }}) to a person: "$VAR" would make the loop run once', async () => {
    const head = 'on: pull_request_target\npermissions:\n  contents: read\n';
    const text = wf('      - run: |\n          for f in ${{ github.head_ref }}; do echo "$f"; done\n', head);
    const { plan } = await fixTree({ '.github/workflows/pr.yml': text }, resolver(), 'template-injection');
    expect(plan.changes).toEqual([]);
    expect(plan.unresolved).toEqual([expect.objectContaining({ line: 9, reason: expect.stringContaining('a list of words') })]);
  });

  it('leaves an expression in a job that may run on Windows (PowerShell by default) to a person', async () => {
    const head = 'on: pull_request_target\npermissions:\n  contents: read\n';
    const text = wf('      - run: echo ${{ github.head_ref }}\n', head).replace('ubuntu-latest', '${{ matrix.os }}');
    const { plan } = await fixTree({ '.github/workflows/pr.yml': text }, resolver(), 'template-injection');
    expect(plan.changes).toEqual([]);
    expect(plan.unresolved).toEqual([expect.objectContaining({ reason: expect.stringContaining('may run on Windows') })]);
  });

  it('npm install → npm ci when the step folder has a package-lock.json; listed without one', async () => {
    const steps = '      - run: npm install --no-audit\n      - run: npm install\n        working-directory: web\n';
    const files = { '.github/workflows/ci.yml': wf(steps), 'package.json': '{}', 'package-lock.json': '{"lockfileVersion":3}', 'web/package.json': '{}' };
    const { after, plan } = await fixTree(files, resolver(), 'non-frozen-install');
    expect(after['.github/workflows/ci.yml']).toBe(wf('      - run: npm ci --no-audit\n      - run: npm install\n        working-directory: web\n'));
    expect(plan.unresolved).toEqual([expect.objectContaining({ line: 9, reason: expect.stringContaining('no package-lock.json') })]);
  });
});

describe('the file as it was: line endings and the final newline', () => {
  it('keeps CRLF on every line, the new ones included, and a missing final newline', async () => {
    const text = wf('      - uses: actions/checkout@v4\n').replace(/\n/g, '\r\n').replace(/\r\n$/, '');
    const { after } = await fixTree({ '.github/workflows/ci.yml': text }, resolver());
    expect(after['.github/workflows/ci.yml']).toBe(wf(`      - uses: actions/checkout@${A} # v4\n        with:\n          persist-credentials: false\n`).replace(/\n/g, '\r\n').replace(/\r\n$/, ''));
  });
});
