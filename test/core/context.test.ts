import { describe, expect, it } from 'vitest';
import { contextClassifier, DEFAULT_GATE_SCOPE, outOfScope, pathContext } from '../../src/core/context.js';
import { parseConfig } from '../../src/core/config.js';
import { rules } from '../../src/rules/index.js';
import { toJsonReport } from '../../src/reporters/json.js';
import { toSarif } from '../../src/reporters/sarif.js';
import { renderText } from '../../src/reporters/text.js';
import { toPrComment } from '../../src/reporters/pr-comment.js';
import { toSummaryMarkdown } from '../../src/reporters/summary.js';
import { toAnnotations } from '../../src/reporters/annotations.js';
import { scanFiles } from '../../src/scan.js';

describe('file context from the path', () => {
  it.each([
    ['services/api/Dockerfile', 'production'],
    ['Dockerfile', 'production'],
    ['compose.yaml', 'production'],
    ['deploy/k8s/app.yaml', 'production'],
    ['src/latest.yml', 'production'],
    ['src/contest.py', 'production'],
    ['tests/Dockerfile', 'test'],
    ['pkg/e2e/fixtures/build-test/ssh/fake_rsa', 'test'],
    ['pkg/e2e/testdata/TestUnsetEnv/Dockerfile', 'test'],
    ['bundler/spec/fixtures/projects/x/Gemfile', 'test'],
    ['packages/internal-helpers/test/path.test.ts', 'test'],
    ['src/__tests__/a.js', 'test'],
    ['internal/server_test.go', 'test'],
    ['app/models/user_spec.rb', 'test'],
    ['conftest.py', 'test'],
    ['pkg/test_utils.py', 'test'],
    ['pkg/test_handlers.py', 'test'],
    ['web/app.spec.ts', 'test'],
    ['docker-compose.test.yml', 'test'],
    ['Dockerfile.test', 'test'],
    ['containers/javascript-node/test-project/package.json', 'test'],
    ['cypress/e2e/login.cy.js', 'test'],
    ['examples/basics/.codesandbox/Dockerfile', 'example'],
    ['samples/app/compose.yaml', 'example'],
    ['docs_src/tutorial/app.py', 'example'],
    ['docs/install.md', 'docs'],
    ['README.md', 'docs'],
    ['guide/setup.rst', 'docs'],
    ['vendor/github.com/x/y/Dockerfile', 'vendored'],
    ['third_party/lib/package.json', 'vendored'],
    ['sorbet/rbi/gems/rack.rbi', 'vendored'],
    ['public/app.min.js', 'vendored'],
    ['.devcontainer/Dockerfile', 'dev'],
    ['containers/debian/.devcontainer/base.Dockerfile', 'dev'],
    ['.gitpod.yml', 'dev'],
    ['.gitpod.Dockerfile', 'dev'],
    ['Dockerfile.development', 'dev'],
    ['dev.Dockerfile', 'dev'],
    ['docker-compose.override.yml', 'dev'],
    ['compose.dev.yaml', 'dev'],
    ['.vscode/database.yml', 'dev'],
    // Workflows and actions run with the repository's token whatever the folder names say.
    ['.github/workflows/test.yml', 'production'],
    ['.github/actions/test/action.yml', 'production'],
  ])('%s is %s', (path, context) => {
    expect(pathContext(path)).toBe(context);
  });

  it('config globs override the path, and production wins over every other context', () => {
    const classify = contextClassifier({ test: ['tools/**'], production: ['tests/deploy/**'], example: ['tools/demo/**'] });
    expect(classify('tools/x/Dockerfile')).toBe('test');
    expect(classify('tools/demo/Dockerfile')).toBe('test'); // first context in FILE_CONTEXTS order after production
    expect(classify('tests/deploy/Dockerfile')).toBe('production');
    expect(classify('tests/unit/Dockerfile')).toBe('test');
    expect(classify('services/Dockerfile')).toBe('production');
  });

  it('the default scope blocks production at medium confidence or above', () => {
    expect(outOfScope('production', 'high', DEFAULT_GATE_SCOPE)).toBeUndefined();
    expect(outOfScope('production', 'medium', DEFAULT_GATE_SCOPE)).toBeUndefined();
    expect(outOfScope('production', 'low', DEFAULT_GATE_SCOPE)).toBe('confidence');
    expect(outOfScope('test', 'high', DEFAULT_GATE_SCOPE)).toBe('context');
  });
});

const UNPINNED = 'FROM node:22\nCMD ["node", "server.js"]\n';
const CURL = 'FROM node:22@sha256:' + 'a'.repeat(64) + '\nRUN curl -fsSL https://example.com/install.sh | sh\nUSER 10001\n';

describe('what blocks by default', () => {
  it('findings in test, example and docs files are reported with their context and never block', () => {
    const result = scanFiles({ 'services/api/Dockerfile': UNPINNED, 'test/fixtures/Dockerfile': UNPINNED, 'examples/a/Dockerfile': UNPINNED });
    const by = (p: string) => result.findings.filter((f) => f.path === p);
    expect(by('services/api/Dockerfile').length).toBeGreaterThan(0);
    expect(by('test/fixtures/Dockerfile').map((f) => f.context)).toEqual(by('services/api/Dockerfile').map(() => 'test'));
    expect(by('examples/a/Dockerfile').every((f) => f.context === 'example' && f.outOfScope === 'context')).toBe(true);
    const json = toJsonReport(result);
    for (const f of json.findings) expect(f.blocking).toBe(f.path === 'services/api/Dockerfile' && ['critical', 'high'].includes(f.severity));
    expect(result.summary.blocking).toBe(json.findings.filter((f) => f.blocking).length);
    expect(result.summary.byContext).toEqual({
      production: by('services/api/Dockerfile').length,
      test: by('test/fixtures/Dockerfile').length,
      example: by('examples/a/Dockerfile').length,
    });
  });

  it('a Dockerfile that a production workflow builds is production wherever it sits', () => {
    const workflow = [
      'on: push',
      'permissions:',
      '  contents: read',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: docker build -f test/e2e/Dockerfile .',
      '',
    ].join('\n');
    const result = scanFiles({ '.github/workflows/build.yml': workflow, 'test/e2e/Dockerfile': UNPINNED, 'test/other/Dockerfile': UNPINNED });
    expect(result.findings.filter((f) => f.path === 'test/e2e/Dockerfile').every((f) => f.context === 'production' && !f.outOfScope)).toBe(true);
    expect(result.findings.filter((f) => f.path === 'test/other/Dockerfile').every((f) => f.context === 'test')).toBe(true);
  });

  it('code fetched and run also blocks in dev containers; deployment hardening there does not', () => {
    const result = scanFiles({ '.devcontainer/Dockerfile': 'FROM node:22\n' + CURL.split('\n')[1] + '\n' });
    const curl = result.findings.find((f) => f.ruleId === 'curl-pipe-shell')!;
    expect(curl.context).toBe('dev');
    expect(curl.outOfScope).toBeUndefined();
    const image = result.findings.find((f) => f.ruleId === 'unpinned-image')!;
    expect(image.outOfScope).toBe('context');
  });

  it('gate-contexts widens (and replaces) the scope; gate-confidence lowers the bar', () => {
    const config = parseConfig('gate-contexts: [production, test]\ngate-confidence: low\n', '.github/portcullis.yml', rules);
    const result = scanFiles({ 'test/Dockerfile': UNPINNED, '.devcontainer/Dockerfile': CURL }, { config });
    expect(result.findings.filter((f) => f.path === 'test/Dockerfile').every((f) => !f.outOfScope)).toBe(true);
    expect(result.findings.filter((f) => f.path === '.devcontainer/Dockerfile').every((f) => f.outOfScope === 'context')).toBe(true);
  });

  it('a low-confidence finding does not block by default', () => {
    // runs-as-root reports an unresolvable USER with low confidence.
    const result = scanFiles({ Dockerfile: 'FROM node:22@sha256:' + 'a'.repeat(64) + '\nARG U\nUSER $U\n' });
    const low = result.findings.filter((f) => f.confidence === 'low');
    for (const f of low) expect(f.outOfScope).toBe('confidence');
    const config = parseConfig('gate-confidence: low\n', '.github/portcullis.yml', rules);
    for (const f of scanFiles({ Dockerfile: 'FROM node:22@sha256:' + 'a'.repeat(64) + '\nARG U\nUSER $U\n' }, { config }).findings) expect(f.outOfScope).toBeUndefined();
  });

  it('contexts: globs reclassify files', () => {
    const config = parseConfig("contexts:\n  production: ['test/deploy/**']\n  test: ['tools/**']\n", '.github/portcullis.yml', rules);
    const result = scanFiles({ 'test/deploy/Dockerfile': UNPINNED, 'tools/Dockerfile': UNPINNED }, { config });
    expect(new Set(result.findings.filter((f) => f.path === 'test/deploy/Dockerfile').map((f) => f.context))).toEqual(new Set(['production']));
    expect(new Set(result.findings.filter((f) => f.path === 'tools/Dockerfile').map((f) => f.context))).toEqual(new Set(['test']));
  });

  it('an unknown context is a config error naming the allowed ones', () => {
    expect(() => parseConfig('gate-contexts: [prod]\n', 'c.yml', rules)).toThrow(/production, test, example, docs, vendored, dev/);
    expect(() => parseConfig('contexts:\n  testing: [a]\n', 'c.yml', rules)).toThrow(/testing/);
  });

  it('SARIF carries the context; the text report counts what it does not list, and --all lists it', () => {
    const result = scanFiles({ Dockerfile: UNPINNED, 'test/Dockerfile': UNPINNED, 'docs/Dockerfile': UNPINNED });
    const sarif = toSarif(result, rules, { version: '0.0.0' }) as { runs: { results: { properties: { context: string } }[] }[] };
    expect(new Set(sarif.runs[0]!.results.map((r) => r.properties.context))).toEqual(new Set(['production', 'test', 'docs']));
    const text = renderText(result, { color: false });
    expect(text).not.toContain('test/Dockerfile');
    const n = (c: string) => result.findings.filter((f) => f.context === c).length;
    expect(text).toContain(`Not listed: ${n('test')} findings in test files, ${n('docs')} in docs files`);
    const all = renderText(result, { color: false, all: true });
    expect(all).toContain('test/Dockerfile');
    expect(all).not.toContain('Not listed');
  });

  it('the PR comment and the job summary list production findings and count the rest per context', () => {
    const result = scanFiles({ Dockerfile: UNPINNED, 'test/Dockerfile': UNPINNED, 'examples/Dockerfile': UNPINNED });
    const n = (c: string) => result.findings.filter((f) => f.context === c).length;
    const counts = `${n('test')} findings in test files, ${n('example')} in example files`;
    const comment = toPrComment({
      findings: result.findings,
      novelty: new Map(),
      gate: 'all',
      failOn: 'high',
      links: { serverUrl: 'https://github.example', repository: 'o/r', headSha: 'a'.repeat(40) },
    });
    const summary = toSummaryMarkdown({ findings: result.findings, notices: [], summary: result.summary, failOn: 'high' });
    for (const md of [comment, summary]) {
      expect(md).not.toContain('test/Dockerfile');
      expect(md).not.toContain('examples/Dockerfile');
      expect(md).toContain(`Not listed: ${counts}`);
      expect(md).toContain('Dockerfile:1');
    }
  });

  it('annotations cover listed findings and one notice counts the rest per context', () => {
    const result = scanFiles({ Dockerfile: UNPINNED, 'test/Dockerfile': UNPINNED, 'docs/Dockerfile': UNPINNED });
    const annotations = toAnnotations(result.findings, [], { failOn: 'high' });
    expect(annotations.filter((a) => a.file).every((a) => a.file === 'Dockerfile')).toBe(true);
    const n = (c: string) => result.findings.filter((f) => f.context === c).length;
    expect(annotations.some((a) => a.level === 'notice' && a.message.startsWith(`Not annotated: ${n('test')} findings in test files, ${n('docs')} in docs files.`))).toBe(true);
  });
});
