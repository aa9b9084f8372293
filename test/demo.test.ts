// The demo repository (fixtures/demo, the README's `node dist/cli.js scan --root fixtures/demo`) raises
// exactly these findings, in the engine's order (path, line, column): one or more of every rule,
// and nothing in the clean counterparts.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toJsonReport } from '../src/reporters/json.js';
import { sourceLines } from '../src/cli/source.js';
import { renderGithub } from '../src/reporters/github.js';
import { renderText } from '../src/reporters/text.js';
import { toSarif } from '../src/reporters/sarif.js';
import { rules } from '../src/rules/index.js';
import { scanDirectory } from '../src/scan.js';
import { leaks } from './support/leaks.js';
import { startFakeOsv } from './support/fake-osv.js';
import { scanWithOnlineAdvisories } from '../src/action/osv.js';

const demo = join(import.meta.dirname, '..', 'fixtures', 'demo');

const EXPECTED = [
  // no SECURITY.md anywhere: reported at the repository root
  ['missing-security-policy', '.', 1],
  // the last CODEOWNERS line names release.yml with no owner, which takes its ownership away
  ['codeowners-gaps', '.github/CODEOWNERS', 6],
  // Dependabot keeps GitHub Actions, npm and Docker up to date, but not the Python services (pip)
  ['missing-dependency-updates', '.github/dependabot.yml', 2],
  // label-gated end-to-end tests of the PR branch: runs the fork's code, and whatever was pushed after the label
  ['untrusted-checkout', '.github/workflows/e2e.yml', 18],
  ['approval-race', '.github/workflows/e2e.yml', 18],
  // an action pinned by SHA, to the commit that leaked CI secrets (tj-actions, March 2025)
  ['known-vulnerable-action', '.github/workflows/lint.yml', 17],
  // a workflow the gate cannot parse (a tab in its indentation): not checked, so it fails the gate
  ['unchecked-file', '.github/workflows/nightly.yml', 15],
  // a fork-facing preview workflow: every workflow rule but the two in release.yml
  ['excessive-permissions', '.github/workflows/pr-preview.yml', 9],
  ['self-hosted-runner', '.github/workflows/pr-preview.yml', 10],
  ['insecure-commands', '.github/workflows/pr-preview.yml', 12],
  ['hardcoded-credential', '.github/workflows/pr-preview.yml', 13],
  ['persisted-credentials', '.github/workflows/pr-preview.yml', 15],
  ['unpinned-action', '.github/workflows/pr-preview.yml', 15],
  ['untrusted-checkout', '.github/workflows/pr-preview.yml', 17],
  ['github-env-injection', '.github/workflows/pr-preview.yml', 19],
  ['template-injection', '.github/workflows/pr-preview.yml', 20],
  ['template-injection', '.github/workflows/pr-preview.yml', 21],
  ['curl-pipe-shell', '.github/workflows/pr-preview.yml', 23],
  ['non-frozen-install', '.github/workflows/pr-preview.yml', 26],
  // workflow_run with write-all calling a reusable workflow by branch with every secret
  ['dangerous-trigger', '.github/workflows/release.yml', 4],
  ['excessive-permissions', '.github/workflows/release.yml', 8],
  ['unpinned-action', '.github/workflows/release.yml', 12],
  ['secrets-inherit', '.github/workflows/release.yml', 13],
  // a database with a literal password on all interfaces, an agent with every host privilege
  ['unpinned-image', 'deploy/docker-compose.yml', 9],
  ['secret-in-env', 'deploy/docker-compose.yml', 12],
  ['exposed-admin-port', 'deploy/docker-compose.yml', 14],
  ['privileged-container', 'deploy/docker-compose.yml', 17],
  ['host-namespace', 'deploy/docker-compose.yml', 18],
  ['runs-as-root', 'deploy/docker-compose.yml', 19],
  ['dangerous-capabilities', 'deploy/docker-compose.yml', 20],
  ['docker-socket-mount', 'deploy/docker-compose.yml', 22],
  // a Deployment with no securityContext, a latest init container, a tag without digest
  // no network policy selects the api Deployment (the worker has one): one low finding for the namespace
  ['no-network-policy', 'deploy/k8s/api.yaml', 2],
  ['runs-as-root', 'deploy/k8s/api.yaml', 14],
  ['privilege-escalation', 'deploy/k8s/api.yaml', 14],
  ['latest-image-tag', 'deploy/k8s/api.yaml', 15],
  ['runs-as-root', 'deploy/k8s/api.yaml', 17],
  ['privilege-escalation', 'deploy/k8s/api.yaml', 17],
  ['unpinned-image', 'deploy/k8s/api.yaml', 18],
  // the API's network: SSH and a metrics port on a public load balancer, an Ingress without TLS, a wildcard ClusterRole,
  // cluster-admin for the CI ServiceAccount
  ['exposed-admin-port', 'deploy/k8s/network.yaml', 11],
  ['world-open-port', 'deploy/k8s/network.yaml', 13],
  ['plaintext-traffic', 'deploy/k8s/network.yaml', 17],
  ['rbac-overreach', 'deploy/k8s/network.yaml', 32],
  ['rbac-overreach', 'deploy/k8s/network.yaml', 45],
  // the file a compose secret reads, committed with the key in it (the compose file's `file:` line as related)
  ['compose-secret-file', 'deploy/secrets/api-key.txt', 1],
  // a Terraform module: a public database (through a variable's default), an HTTP listener that forwards and one on a TLS 1.0
  // policy, SSH from the world (through a local) and a metrics port open to ::/0 (edge.tf and variables.tf are the clean side)
  ['public-database', 'deploy/terraform/database.tf', 8],
  ['plaintext-traffic', 'deploy/terraform/lb.tf', 4],
  ['plaintext-traffic', 'deploy/terraform/lb.tf', 16],
  ['exposed-admin-port', 'deploy/terraform/network.tf', 18],
  ['world-open-port', 'deploy/terraform/network.tf', 26],
  // a shell script: `curl | sh` inside an `if`, a tool installed without a version
  ['curl-pipe-shell', 'scripts/install-tools.sh', 6],
  ['non-frozen-install', 'scripts/install-tools.sh', 8],
  // multi-stage: builder on a tag without digest (ARG-expanded), runtime image from an ARG that means :latest (the whole context copied
  // into the builder stays there: only /src/dist reaches the image); built by the compose service api
  ['unpinned-image', 'services/api/Dockerfile', 6],
  ['runs-as-root', 'services/api/Dockerfile', 13],
  ['latest-image-tag', 'services/api/Dockerfile', 13],
  ['secret-in-env', 'services/api/Dockerfile', 15],
  // an Express service's admin routes: request data into a shell, into `new Function`, into node-serialize (each with
  // clean look-alikes: execFile without a shell, a constant command, a number, an allow-listed field, JSON.parse)
  ['command-injection', 'services/api/src/server.js', 10],
  ['code-injection', 'services/api/src/server.js', 29],
  ['unsafe-deserialization', 'services/api/src/server.js', 40],
  ['command-injection', 'services/diagnostics/app.py', 16],
  // ADD without checksum, unsigned packages, curl -k, sudo, a key copied in, EXPOSE 22 and a suppression with a misspelt rule id
  ['add-remote-url', 'services/legacy/Dockerfile', 3],
  ['unsigned-packages', 'services/legacy/Dockerfile', 5],
  ['tls-verification-disabled', 'services/legacy/Dockerfile', 6],
  ['sudo', 'services/legacy/Dockerfile', 7],
  ['secret-file-copied', 'services/legacy/Dockerfile', 8],
  ['exposed-admin-port', 'services/legacy/Dockerfile', 9],
  ['ineffective-suppression', 'services/legacy/Dockerfile', 10],
  // pyproject with dependencies and no lock
  ['missing-lockfile', 'services/ml/pyproject.toml', 6],
  // a git dependency on a branch with no lockfile to pin it (notifier's left-pad is pinned by its package-lock)
  ['unpinned-git-dependency', 'services/ml/pyproject.toml', 10],
  // a committed .env with a password: one finding, on the password (a token of a known format would add hardcoded-secret)
  ['committed-dotenv', 'services/notifier/.env.production', 4],
  // the ua-parser-js hijack with an install script, a typosquat over plain http without integrity, a stale yarn.lock beside it
  // (the hijack and the typosquat themselves are reported once, at package.json where they are declared)
  ['conflicting-lockfiles', 'services/notifier/package-lock.json', 1],
  // each at the offending field: the `"hasInstallScript": true` line, the entry without `"integrity"`, its `"resolved": "http://…"` line
  ['install-script-dependency', 'services/notifier/package-lock.json', 20],
  ['lockfile-integrity', 'services/notifier/package-lock.json', 23],
  ['lockfile-insecure-source', 'services/notifier/package-lock.json', 25],
  // the hijacked version pinned and a typo of express (each with the lockfile entry as related), a git dependency on a branch, a dependency the lockfile lacks
  ['compromised-dependency', 'services/notifier/package.json', 6],
  ['typosquat-dependency', 'services/notifier/package.json', 7],
  ['lockfile-drift', 'services/notifier/package.json', 9],
  // a password in a connection URL
  ['hardcoded-secret', 'services/notifier/src/queue.js', 4],
  // FROM with no tag, requirements installed without hashes, USER root
  ['latest-image-tag', 'services/worker/Dockerfile', 1],
  ['non-frozen-install', 'services/worker/Dockerfile', 4],
  ['runs-as-root', 'services/worker/Dockerfile', 8],
  // a script the worker's Dockerfile copies and runs: no extension, no shebang, read as a shell script all the same
  ['curl-pipe-shell', 'services/worker/setup-broker', 3],
  // a standalone package outside the workspace globs, no lockfile
  ['missing-lockfile', 'web/tools/release/package.json', 8],
];

describe('fixtures/demo', async () => {
  const result = await scanDirectory(demo, { repository: true });

  it('raises exactly the planted findings', () => {
    const got = result.findings.map((f) => [f.ruleId, f.path, f.line]);
    expect(got).toEqual(EXPECTED);
    expect(result.notices).toEqual([{ path: '.github/workflows/nightly.yml', line: 15, message: 'invalid YAML: Tabs are not allowed as indentation' }]);
    expect(result.summary).toMatchObject({ total: EXPECTED.length, result: 'fail' });
    expect(result.summary.blocking).toBe(result.findings.filter((f) => f.severity === 'critical' || f.severity === 'high').length);
  });

  it('reports a declared and locked package once, at the manifest, with the lockfile entry as related', () => {
    for (const [ruleId, line] of [
      ['compromised-dependency', 17],
      ['typosquat-dependency', 23],
    ] as const) {
      const f = result.findings.filter((x) => x.ruleId === ruleId && x.path.startsWith('services/notifier/'));
      expect(f.map((x) => x.path)).toEqual(['services/notifier/package.json']);
      expect(f[0]!.related).toEqual([{ path: 'services/notifier/package-lock.json', at: expect.objectContaining({ line }), label: 'locked here' }]);
    }
  });

  // review-policy needs the GitHub API's answers: test/action/branch-policy.test.ts and test/e2e/review-policy.test.ts.
  it('covers every rule (vulnerable-dependency needs the OSV lookup: below, through the stand-in)', () => {
    expect(new Set([...EXPECTED.map(([id]) => id), 'vulnerable-dependency', 'review-policy'])).toEqual(new Set(rules.map((r) => r.id)));
  });

  it('with advisories: online, reports its vulnerable Django version with the fixed version, through the OSV stand-in', async () => {
    const osv = await startFakeOsv();
    try {
      // CVE-2024-38875 (urlize denial of service), fixed in Django 5.0.7; the demo's billing service locks 5.0.4.
      osv.records.set('GHSA-qg2p-9jwr-mmqf', {
        schema_version: '1.6.0',
        id: 'GHSA-qg2p-9jwr-mmqf',
        modified: '2024-07-10T00:00:00Z',
        aliases: ['CVE-2024-38875'],
        summary: 'Django vulnerable to denial-of-service attack in django.utils.html.urlize()',
        affected: [{ package: { ecosystem: 'PyPI', name: 'django' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '4.2' }, { fixed: '4.2.14' }, { introduced: '5.0' }, { fixed: '5.0.7' }] }] }],
        database_specific: { severity: 'HIGH' },
      });
      osv.matches.set('PyPI django 5.0.4', ['GHSA-qg2p-9jwr-mmqf']);
      // The bundled ua-parser-js hijack, served too: it stays compromised-dependency's alone.
      osv.matches.set('npm ua-parser-js 0.7.29', ['GHSA-pjwm-rvh2-c87w']);
      osv.records.set('GHSA-pjwm-rvh2-c87w', { id: 'GHSA-pjwm-rvh2-c87w', summary: 'Embedded malware in ua-parser-js', affected: [{ package: { ecosystem: 'npm', name: 'ua-parser-js' }, versions: ['0.7.29'] }], database_specific: { severity: 'CRITICAL' } });
      const online = await scanWithOnlineAdvisories(demo, { repository: true }, { apiUrl: osv.url });
      const found = online.findings.filter((f) => f.ruleId === 'vulnerable-dependency');
      expect(found.map((f) => [f.path, f.line, f.severity])).toEqual([['services/billing/Pipfile.lock', 20, 'high']]);
      expect(found[0]!.message).toContain('`django@5.0.4`');
      expect(found[0]!.message).toContain('GHSA-qg2p-9jwr-mmqf (CVE-2024-38875)');
      expect(found[0]!.message).toContain('Fixed in 5.0.7');
      // Everything else is as offline.
      expect(online.findings.filter((f) => f.ruleId !== 'vulnerable-dependency')).toEqual(result.findings);
    } finally {
      await osv.close();
    }
  });

  it('names the flow of the Express service: source and its line, sink, fix; SARIF carries it as codeFlows', () => {
    const f = result.findings.find((x) => x.ruleId === 'command-injection')!;
    expect(f).toMatchObject({ severity: 'critical', confidence: 'high', path: 'services/api/src/server.js', line: 10 });
    expect(f.message).toMatch(/^Request data `req\.query\.dir` \(line 10\) reaches `child_process\.exec`, .*Fix: `execFile\('ls', \[dir\]\)` without a shell/);
    const sarif = toSarif(result, rules, { version: '0.0.0' }) as { runs: { results: { ruleId: string; codeFlows?: { threadFlows: { locations: { location: { message: { text: string } } }[] }[] }[] }[] }[] };
    const flow = sarif.runs[0]!.results.find((r) => r.ruleId === 'command-injection')!.codeFlows![0]!.threadFlows[0]!.locations;
    expect(flow.map((l) => l.location.message.text)).toEqual(['request data `req.query.dir`', 'reaches `child_process.exec`']);
    const code = result.findings.find((x) => x.ruleId === 'code-injection')!;
    expect(code.flow!.map((s) => [s.at.line, s.label])).toEqual([
      [28, 'request data `req.body.filter`'],
      [28, 'destructured into `filter`'],
      [29, 'reaches `Function`'],
    ]);
  });

  it('names the flow of the Flask service: request.args into os.system, critical and blocking', () => {
    const f = result.findings.find((x) => x.ruleId === 'command-injection' && x.path === 'services/diagnostics/app.py')!;
    expect(f).toMatchObject({ severity: 'critical', confidence: 'high', context: 'production', line: 16 });
    expect(f.message).toMatch(/^Flask request data `request\.args` \(line 14\) reaches `os\.system`.*Fix: .*subprocess\.run\(\["ping", host\]\)/);
  });

  it('keeps the clean counterparts silent', () => {
    const flagged = new Set(result.findings.map((f) => f.path));
    for (const clean of [
      '.github/workflows/ci.yml',
      'deploy/k8s/worker.yaml',
      'deploy/k8s/worker-network.yaml',
      'deploy/terraform/edge.tf',
      'deploy/terraform/variables.tf',
      'scripts/release.sh',
      'services/payments/Dockerfile',
      'services/payments/package.json',
      'services/ml/Dockerfile',
      'services/billing/Pipfile',
      'services/worker/requirements.txt',
      'web/package.json',
      'web/packages/ui/package.json',
      'web/packages/app/package.json',
      'web/tools/codemods/package.json',
    ]) {
      expect(flagged.has(clean), clean).toBe(false);
    }
  });

  it('never prints a demo secret in any output, nor any 5 characters of one', () => {
    // random-looking values: no 5-character window may appear; the word-like one must not appear whole
    const secrets = { compose: 'Zq8vTc41mWp0Lx7eRb2N', workflow: 'pv-7fa9c2e41b8d4f60a3e5', dotenv: 'Hq3vZ8nT2wLk5Rb9Xe1Y', url: 'Q7v2Lm9XkP4tRw8Z' };
    // On a terminal the text report shows source lines, read again from the files: never one that holds a secret.
    const terminal = { width: 120, source: sourceLines(demo, (line) => result.secrets!.redactSnippet(line)) };
    const outputs = [JSON.stringify(toJsonReport(result)), renderText(result, { color: false }), renderText(result, { color: false, all: true, terminal }), renderGithub(result, { all: true })];
    expect(outputs[2]).toMatch(/\n {2}\d+ \| .+\n {2} +\| +\^/);
    for (const out of outputs) {
      expect(out).toContain('DB_PASSWORD');
      expect(out).not.toContain('s3cr3t');
      expect(leaks(out, secrets)).toEqual([]);
    }
    // SARIF carries the rules' documentation, whose examples hold made-up values of their own
    const sarif = JSON.stringify(toSarif(result, rules, { version: '0.0.0' }));
    expect(sarif).not.toContain('s3cr3t-demo-value');
    expect(leaks(sarif, secrets)).toEqual([]);
  });
});
