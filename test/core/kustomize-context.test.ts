import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanFiles } from '../../src/scan.js';

// A Deployment whose container runs privileged: high and high-confidence, so it blocks wherever it is production.
const DEPLOYMENT = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: api',
  'spec:',
  '  selector:',
  '    matchLabels: {app: api}',
  '  template:',
  '    metadata:',
  '      labels: {app: api}',
  '    spec:',
  '      containers:',
  '        - name: api',
  '          image: ghcr.io/acme/api:1.4.2@sha256:' + 'a'.repeat(64),
  '          securityContext:',
  '            privileged: true',
  '',
].join('\n');
const kustomization = (...entries: string[]) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${entries.join('\n')}\n`;

function contexts(files: Record<string, string>) {
  const result = scanFiles(files);
  return (path: string) => {
    const found = result.findings.filter((f) => f.path === path && f.ruleId === 'privileged-container');
    expect(found.length, `a privileged-container finding in ${path}`).toBeGreaterThan(0);
    return found.map((f) => `${f.context}${f.outOfScope ? '' : ' blocking'}`).join(',');
  };
}

describe('Kustomize: what a production kustomization deploys is production', () => {
  it('resources, bases and components, through folders and their kustomizations', () => {
    const of = contexts({
      'deploy/overlays/prod/kustomization.yaml': kustomization('resources:', '  - ../../../e2e/stack', 'components:', '  - ../../../examples/tls'),
      'e2e/stack/kustomization.yml': kustomization('bases:', '  - ../../test/base', 'resources:', '  - worker.yaml'),
      'e2e/stack/worker.yaml': DEPLOYMENT,
      'test/base/Kustomization': kustomization('resources:', '- api.yaml'),
      'test/base/api.yaml': DEPLOYMENT,
      'examples/tls/kustomization.yaml': kustomization('resources:', '  - ./proxy.yaml'),
      'examples/tls/proxy.yaml': DEPLOYMENT,
      // look-alikes that nothing production lists keep their path's context
      'e2e/other/worker.yaml': DEPLOYMENT,
      'examples/unused/kustomization.yaml': kustomization('resources:', '  - app.yaml'),
      'examples/unused/app.yaml': DEPLOYMENT,
    });
    expect(of('e2e/stack/worker.yaml')).toBe('production blocking');
    expect(of('test/base/api.yaml')).toBe('production blocking');
    expect(of('examples/tls/proxy.yaml')).toBe('production blocking');
    expect(of('e2e/other/worker.yaml')).toBe('test');
    expect(of('examples/unused/app.yaml')).toBe('example');
  });

  it('patches of a production overlay are production too', () => {
    const of = contexts({
      'k8s/kustomization.yaml': kustomization('resources:', '  - deploy.yaml', 'patches:', '  - path: tests/privileged.yaml', 'patchesStrategicMerge:', '  - tests/second.yaml'),
      'k8s/deploy.yaml': DEPLOYMENT.replace('privileged: true', 'privileged: false'),
      'k8s/tests/privileged.yaml': DEPLOYMENT,
      'k8s/tests/second.yaml': DEPLOYMENT,
    });
    expect(of('k8s/tests/privileged.yaml')).toBe('production blocking');
    expect(of('k8s/tests/second.yaml')).toBe('production blocking');
  });

  it('a kustomization that is not production promotes nothing', () => {
    const of = contexts({
      'test/e2e/kustomization.yaml': kustomization('resources:', '  - ../../examples/app'),
      'examples/app/kustomization.yaml': kustomization('resources:', '  - deploy.yaml'),
      'examples/app/deploy.yaml': DEPLOYMENT,
    });
    expect(of('examples/app/deploy.yaml')).toBe('example');
  });

  it('never leaves the root, ignores remote bases, and ends on cycles', () => {
    const of = contexts({
      'kustomization.yaml': kustomization(
        'resources:',
        '  - ../../etc/passwd',
        '  - ../outside',
        '  - https://github.com/acme/base?ref=v1',
        '  - github.com/acme/base//deploy?ref=v1',
        '  - a',
      ),
      'a/kustomization.yaml': kustomization('resources:', '  - ../b', '  - ../a'),
      'b/kustomization.yaml': kustomization('resources:', '  - ../a', '  - ../spec/app.yaml'),
      'spec/app.yaml': DEPLOYMENT,
    });
    expect(of('spec/app.yaml')).toBe('production blocking');
  });

  it('is the same on worker threads, where the kustomization and what it lists are checked in different chunks', () => {
    const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
    const tree = mkdtempSync(join(tmpdir(), 'portcullis-kustomize-'));
    afterAll(() => rmSync(tree, { recursive: true, force: true }));
    const write = (p: string, text: string) => {
      mkdirSync(dirname(join(tree, p)), { recursive: true });
      writeFileSync(join(tree, p), text);
    };
    // the deployed manifests sort far from their kustomization, among enough files to make many chunks
    write('a-deploy/kustomization.yaml', kustomization('resources:', ...Array.from({ length: 20 }, (_, i) => `  - ../zz/test/m${i}/app.yaml`)));
    for (let i = 0; i < 20; i++) write(`zz/test/m${i}/app.yaml`, DEPLOYMENT);
    for (let i = 0; i < 1600; i++) write(`m/${String(i).padStart(4, '0')}/compose.yaml`, 'services:\n  web:\n    image: nginx:1.27\n');
    const run = (jobs: string) => {
      const r = spawnSync(process.execPath, [cli, 'scan', tree, '--format', 'json', '--jobs', jobs, '--stats'], { encoding: 'utf8', maxBuffer: 1 << 28 });
      expect([0, 1]).toContain(r.status);
      return r;
    };
    const one = run('1');
    const two = run('2');
    expect(JSON.parse(/^stats: (.*)$/m.exec(two.stderr)![1]!).threads.chunks).toBeGreaterThan(2);
    expect(two.stdout).toBe(one.stdout);
    const report = JSON.parse(one.stdout) as { findings: { path: string; ruleId: string; context: string }[] };
    const privileged = report.findings.filter((f) => f.ruleId === 'privileged-container');
    expect(privileged).toHaveLength(20);
    expect(privileged.every((f) => f.context === 'production')).toBe(true);
  }, 120_000);
});
