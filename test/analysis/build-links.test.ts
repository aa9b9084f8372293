import { describe, expect, it } from 'vitest';
import { linkBuiltDockerfiles, workflowBuildLinks, type BuildLink } from '../../src/analysis/build-links.js';
import type { Finding, Notice } from '../../src/core/types.js';
import { makeUnit } from '../../src/parsers/index.js';
import type { WorkflowDoc } from '../../src/parsers/workflow.js';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const span = (line: number, column: number, endLine: number, endColumn: number) => ({ line, column, endLine, endColumn });
const latest = rules.filter((r) => r.id === 'latest-image-tag');

function workflow(text: string, path = '.github/workflows/build.yml'): WorkflowDoc {
  const notices: Notice[] = [];
  const doc = makeUnit(path, text, notices).document('workflow') as WorkflowDoc;
  expect(notices).toEqual([]);
  return doc;
}

const WF = `name: build
on: push
defaults:
  run:
    working-directory: services
jobs:
  images:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Build api
        run: |
          echo building
          docker build -t api:dev -f api/Dockerfile.ci --build-arg X=1 .
      - run: sudo docker buildx build --push --platform linux/amd64 -t web web/
        working-directory: apps
      - run: docker build - < Dockerfile
      - run: docker build -t x https://github.com/a/b.git
      - run: docker build -f "\${{ inputs.file }}" .
      - uses: docker/build-push-action@v6
        with:
          context: ./worker
      - uses: docker/build-push-action@v6
        with:
          context: .
          file: deploy/Containerfile
      - uses: docker/build-push-action@v6
  other:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: /abs
    steps:
      - run: docker build .
`;

describe('workflow build links', () => {
  it('reads docker build commands and build-push-action steps, relative to the working directory', () => {
    const links = workflowBuildLinks(workflow(WF));
    expect(links.map((l) => [l.dockerfile, l.at.line, l.label])).toEqual([
      ['services/api/Dockerfile.ci', 14, 'built by workflow job images (step "Build api")'],
      ['apps/web/Dockerfile', 15, 'built by workflow job images'],
      ['worker/Dockerfile', 20, 'built by workflow job images'],
      ['deploy/Containerfile', 23, 'built by workflow job images'],
      ['Dockerfile', 27, 'built by workflow job images'],
    ]);
    expect(links[0]!.at).toEqual(span(14, 11, 14, 73));
    expect(links[2]!.at).toEqual(span(20, 15, 20, 42));
  });

  it('ignores composite actions', () => {
    const action = workflow('name: a\nruns:\n  using: composite\n  steps:\n    - run: docker build .\n      shell: bash\n', 'action.yml');
    expect(workflowBuildLinks(action)).toEqual([]);
  });
});

describe('linkBuiltDockerfiles', () => {
  it('appends each distinct builder to findings of the built file, without sharing arrays', () => {
    const shared: Finding['related'] = [];
    const finding = (path: string): Finding => ({
      ruleId: 'r', severity: 'high', confidence: 'high', message: 'm', path, line: 1, column: 1, endLine: 1, endColumn: 2, related: shared, fingerprint: 'f',
    });
    const at = span(3, 5, 3, 9);
    const link: BuildLink = { dockerfile: 'Dockerfile', path: 'compose.yml', at, label: 'built by compose service web' };
    const fs = [finding('Dockerfile'), finding('other/Dockerfile')];
    linkBuiltDockerfiles(fs, [link, { ...link }]);
    expect(fs[0]!.related).toEqual([{ path: 'compose.yml', at, label: 'built by compose service web' }]);
    expect(fs[1]!.related).toEqual([]);
    expect(shared).toEqual([]);
  });
});

describe('end to end', () => {
  const files = {
    'svc/api/Dockerfile': 'FROM node:latest\nUSER node\n',
    'svc/docker-compose.yml': 'services:\n  api:\n    build:\n      context: ./api\n  web:\n    build: ./web\n',
    'svc/web/Dockerfile': 'FROM nginx:1.25\n',
    'ci/Dockerfile.release': 'FROM alpine\n',
    '.github/workflows/release.yml': 'on: push\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -f ci/Dockerfile.release .\n',
    'unrelated/Dockerfile': 'FROM python:latest\n',
  };

  it('names the compose service and workflow job that build a Dockerfile on its findings', () => {
    const result = scanFiles(files, { rules: latest });
    const byPath = Object.fromEntries(result.findings.map((f) => [f.path, f.related]));
    expect(byPath['svc/api/Dockerfile']).toEqual([{ path: 'svc/docker-compose.yml', at: span(4, 7, 4, 21), label: 'built by compose service api' }]);
    expect(byPath['ci/Dockerfile.release']).toEqual([{ path: '.github/workflows/release.yml', at: span(6, 14, 6, 53), label: 'built by workflow job release' }]);
    expect(byPath['unrelated/Dockerfile']).toEqual([]);
    expect(result.notices).toEqual([]);
  });

  it('keeps fingerprints unchanged and renders the related path in JSON', async () => {
    const { toJsonReport } = await import('../../src/reporters/json.js');
    const alone = scanFiles({ 'svc/api/Dockerfile': files['svc/api/Dockerfile'] }, { rules: latest });
    const linked = scanFiles(files, { rules: latest });
    const api = linked.findings.find((f) => f.path === 'svc/api/Dockerfile')!;
    expect(api.fingerprint).toBe(alone.findings[0]!.fingerprint);
    const json = toJsonReport(linked);
    expect(json.findings.find((f) => f.path === 'svc/api/Dockerfile')!.related).toEqual([
      { path: 'svc/docker-compose.yml', line: 4, column: 7, label: 'built by compose service api' },
    ]);
  });
});
