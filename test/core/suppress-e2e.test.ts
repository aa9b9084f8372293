// Suppressions through the full registry and every report: inline comments in compose, Kubernetes and
// requirements files; inline, config `ignore:` and baseline suppressions side by side in SARIF, JSON and the job summary.
import { describe, expect, it } from 'vitest';
import { createBaseline } from '../../src/core/baseline.js';
import { parseConfig } from '../../src/core/config.js';
import { toJsonReport } from '../../src/reporters/json.js';
import { toSarif } from '../../src/reporters/sarif.js';
import { toSummaryMarkdown } from '../../src/reporters/summary.js';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';
import { VERSION } from '../../src/version.js';

const A = '@sha256:' + 'a'.repeat(64);
const B = '@sha256:' + 'b'.repeat(64);
const COMPOSE = `services:\n  app:\n    image: example/app:1.0${A}\n    privileged: true # portcullis: ignore[privileged-container] needs /dev/kvm, reviewed by ops\n  agent:\n    image: example/agent:1.0${B}\n    # portcullis: ignore[privileged-container] monitoring agent, vendor requirement\n    privileged: true\n`;
const K8S =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  # portcullis: ignore[host-namespace] node exporter needs the host network\n  hostNetwork: true\n' +
  `  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001\n  containers:\n    - name: web\n      image: example/web:1.0${B}\n      securityContext:\n        # portcullis: ignore[privilege-escalation] setuid helper, tracked in SEC-12\n        allowPrivilegeEscalation: true\n`;
const REQUIREMENTS = 'reqeusts==2.31.0  # portcullis: ignore[typosquat-dependency] internal fork, really named this\nflask==3.0.3\n';

describe('inline suppressions in compose, Kubernetes and requirements files, with the real rules', () => {
  const files = { 'docker-compose.yml': COMPOSE, 'k8s/pod.yaml': K8S, 'requirements.txt': REQUIREMENTS };
  const r = scanFiles(files);
  const rows = r.findings.map((f) => [f.path, f.line, f.ruleId, f.suppressed?.kind, f.suppressed?.reason]);

  it('each finding is silenced by the comment on its line or the line above, with its reason', () => {
    expect(rows).toEqual(
      expect.arrayContaining([
        ['docker-compose.yml', 4, 'privileged-container', 'inSource', 'needs /dev/kvm, reviewed by ops'],
        ['docker-compose.yml', 8, 'privileged-container', 'inSource', 'monitoring agent, vendor requirement'],
        ['k8s/pod.yaml', 7, 'host-namespace', 'inSource', 'node exporter needs the host network'],
        ['k8s/pod.yaml', 16, 'privilege-escalation', 'inSource', 'setuid helper, tracked in SEC-12'],
        ['requirements.txt', 1, 'typosquat-dependency', 'inSource', 'internal fork, really named this'],
      ]),
    );
    expect(r.findings.filter((f) => !f.suppressed)).toEqual([]);
    expect(r.summary).toMatchObject({ total: 5, suppressed: 5, blocking: 0, result: 'pass' });
  });

  it('without the comments the same findings block', () => {
    const bare = Object.fromEntries(Object.entries(files).map(([p, t]) => [p, t.replace(/ *# portcullis: .*$/gm, '').replace(/^\s*\n/gm, '')]));
    const plain = scanFiles(bare);
    expect(plain.findings.map((f) => f.ruleId).sort()).toEqual(['host-namespace', 'privilege-escalation', 'privileged-container', 'privileged-container', 'typosquat-dependency']);
    expect(plain.summary.result).toBe('fail');
  });
});

describe('inline, config and baseline suppressions in every report', () => {
  const files = {
    Dockerfile: 'FROM node:20 # portcullis: ignore[unpinned-image] mirrored and scanned by the platform\nUSER node\nRUN curl -fsSL https://get.example.com/i.sh | sh\n',
    'docker-compose.yml': `services:\n  app:\n    image: example/app:1.0${A}\n    privileged: true\n`,
  };
  const config = parseConfig(
    "ignore:\n  - rule: privileged-container\n    path: docker-compose.yml\n    reason: local dev stack only\n    until: '2099-12-31'\n",
    '.github/portcullis.yml',
    rules,
  );
  const baseline = createBaseline(
    scanFiles(files).findings.filter((f) => f.ruleId === 'curl-pipe-shell'),
    (p) => files[p as keyof typeof files],
  );
  const result = scanFiles(files, { config, baseline, baselinePath: '.portcullis-baseline.json' });
  const byRule = (id: string) => result.findings.find((f) => f.ruleId === id)!;

  it('the scan marks each finding with its kind and reason; nothing blocks', () => {
    expect(byRule('unpinned-image').suppressed).toEqual({ kind: 'inSource', reason: 'mirrored and scanned by the platform', path: 'Dockerfile', line: 1 });
    expect(byRule('privileged-container').suppressed).toEqual({ kind: 'external', reason: 'local dev stack only', path: '.github/portcullis.yml', line: 2 });
    expect(byRule('curl-pipe-shell').suppressed).toMatchObject({ kind: 'baseline', path: '.portcullis-baseline.json' });
    expect(result.summary).toMatchObject({ total: 3, suppressed: 3, blocking: 0, result: 'pass' });
  });

  it('SARIF: inSource and external suppressions with their justification and where they are written', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the log is read as loose JSON
    const run = (toSarif(result, rules, { version: VERSION }) as any).runs[0];
    const sup = (id: string) => run.results.find((r: { ruleId: string }) => r.ruleId === id).suppressions;
    const at = (uri: string, line?: number) => ({ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, ...(line ? { region: { startLine: line } } : {}) } });
    expect(sup('unpinned-image')).toEqual([{ kind: 'inSource', justification: 'mirrored and scanned by the platform', location: at('Dockerfile', 1) }]);
    expect(sup('privileged-container')).toEqual([{ kind: 'external', justification: 'local dev stack only', location: at('.github/portcullis.yml', 2) }]);
    expect(sup('curl-pipe-shell')).toEqual([{ kind: 'external', justification: 'baseline', location: at('.portcullis-baseline.json') }]);
    expect(run.results.every((r: { level: string }) => r.level !== 'error')).toBe(true);
  });

  it('JSON: each finding carries its suppression', () => {
    const json = toJsonReport(result);
    const of = (id: string) => json.findings.find((f) => f.ruleId === id)!.suppressed;
    expect(of('unpinned-image')).toEqual({ kind: 'inSource', reason: 'mirrored and scanned by the platform', path: 'Dockerfile', line: 1 });
    expect(of('privileged-container')).toEqual({ kind: 'external', reason: 'local dev stack only', path: '.github/portcullis.yml', line: 2 });
    expect(of('curl-pipe-shell')).toMatchObject({ kind: 'baseline' });
  });

  it('job summary: the Suppressions table lists every one with its kind and reason', () => {
    const md = toSummaryMarkdown({ ...result, baseline: result.baseline! });
    const section = md.slice(md.indexOf('### Suppressions'));
    expect(section).toContain('| unpinned-image | Dockerfile:1 | inline comment (Dockerfile:1) | mirrored and scanned by the platform |');
    expect(section).toContain('| privileged-container | docker-compose.yml:4 | config ignore (.github/portcullis.yml:2) | local dev stack only |');
    expect(section).toMatch(/\| curl-pipe-shell \| Dockerfile:3 \| baseline \| /);
    expect(md).toContain('3 suppressed');
  });
});
