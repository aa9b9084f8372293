import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config.js';
import { declaresSample, isReadmePath } from '../../src/core/declared-samples.js';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const APP = 'FROM python:3.12-alpine\nWORKDIR /app\nCOPY . .\nCMD ["python", "app.py"]\n';
const COMPOSE = 'services:\n  web:\n    build: app\n    ports:\n      - "8000:8000"\n  cache:\n    image: redis:7.2\n';
const contexts = (files: Record<string, string>, options = {}) => {
  const result = scanFiles(files, options);
  const by = new Map<string, Set<string>>();
  for (const f of result.findings) by.set(f.path, (by.get(f.path) ?? new Set()).add(f.context!));
  return { result, of: (p: string) => [...(by.get(p) ?? [])].join(',') };
};

describe('a README that calls its folder a sample', () => {
  it.each([
    ['## Compose sample application\n### Python/Flask application\n\nProject structure:\n'],
    ['# Sample: a Go service behind an nginx proxy\n'],
    ['[![build](https://ci.example/badge.svg)](https://ci.example)\n\n# Django example\n'],
    ['Flask with Redis\n================\n\nA counter.\n'.replace('Flask with Redis', 'Flask and Redis example')],
    ['## Gitea with PostgreSQL\nThis example defines one of the basic setups for Gitea.\n'],
    ['This is a sample application that shows a worker queue.\n'],
    ['<h1 align="center">Examples of a Spring service</h1>\n'],
  ])('declares it: %j', (text) => {
    expect(declaresSample(text)).toBe(true);
  });

  it.each([
    ['# Payments service\n\nHandles card payments. See the example below.\n'],
    ['# OpenTelemetry Demo Telemetry Schema\n'],
    ['# Billing\n\n## Examples\n\nThis example shows the API.\n'],
    ['# Worker\n\nRuns jobs. This example is not a sample.\n'.replace('Runs jobs. ', 'Runs jobs.\n\n')],
    ['Our production stack. For an example, see docs/.\n'],
    [''],
  ])('does not: %j', (text) => {
    expect(declaresSample(text)).toBe(false);
  });

  it('only a folder README counts, never the repository root one', () => {
    expect(isReadmePath('flask/README.md')).toBe(true);
    expect(isReadmePath('a/b/readme.md')).toBe(true);
    expect(isReadmePath('a/Readme')).toBe(true);
    expect(isReadmePath('README.md')).toBe(false);
    expect(isReadmePath('a/README-dev.md')).toBe(false);
  });

  it('makes the folder example context; a look-alike production folder stays production and blocks', () => {
    const { result, of } = contexts({
      'flask/README.md': '## Compose sample application\n### Python/Flask application\n',
      'flask/compose.yaml': COMPOSE,
      'flask/app/Dockerfile': APP,
      'billing/README.md': '# Billing service\n\nServes invoices; see the example request below.\n',
      'billing/compose.yaml': COMPOSE,
      'billing/app/Dockerfile': APP,
    });
    expect(of('flask/compose.yaml')).toBe('example');
    expect(of('flask/app/Dockerfile')).toBe('example');
    expect(result.findings.filter((f) => f.path.startsWith('flask/')).every((f) => f.outOfScope === 'context')).toBe(true);
    expect(of('billing/compose.yaml')).toBe('production');
    expect(of('billing/app/Dockerfile')).toBe('production');
    expect(result.findings.some((f) => f.path === 'billing/app/Dockerfile' && f.ruleId === 'runs-as-root' && !f.outOfScope)).toBe(true);
    // the README that took files out of the gate is named, so a pull request adding one is seen
    expect(result.notices.some((n) => /1 folder\(s\) treated as examples .*\(flask\)/.test(n.message))).toBe(true);
  });

  it('the root README does not make the repository an example', () => {
    const { of } = contexts({ 'README.md': '# Sample app\n', 'compose.yaml': COMPOSE, 'app/Dockerfile': APP });
    expect(of('app/Dockerfile')).toBe('production');
  });

  it('a Dockerfile in a sample folder that a production workflow builds stays production', () => {
    const workflow = 'on: push\npermissions:\n  contents: read\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -f deploy/app/Dockerfile deploy/app\n';
    const { of } = contexts({
      '.github/workflows/build.yml': workflow,
      'deploy/README.md': '# Example deployment\n',
      'deploy/app/Dockerfile': APP,
      'deploy/compose.yaml': COMPOSE,
    });
    expect(of('deploy/app/Dockerfile')).toBe('production');
    expect(of('deploy/compose.yaml')).toBe('example');
  });

  it('never reaches workflows, and a config glob outranks the README', () => {
    const wf = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n';
    const config = parseConfig("contexts:\n  production: ['shop/**']\n", '.github/portcullis.yml', rules);
    const { of } = contexts(
      { '.github/README.md': '# Example workflows\n', '.github/workflows/ci.yml': wf, 'shop/README.md': '# Shop sample\n', 'shop/Dockerfile': APP },
      { config },
    );
    expect(of('.github/workflows/ci.yml')).toBe('production');
    expect(of('shop/Dockerfile')).toBe('production');
  });

  it('is decided the same whichever rules run (the README is read for itself)', () => {
    const only = rules.filter((r) => r.id === 'runs-as-root');
    const { of } = contexts({ 'svc/README.md': '# Sample service\n', 'svc/Dockerfile': APP }, { rules: only });
    expect(of('svc/Dockerfile')).toBe('example');
  });
});
