// `portcullis scan --advisories bundled|online` through the CLI bundle (dist/cli.js), against the loopback OSV stand-in.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOsv, type FakeOsv } from '../support/fake-osv.js';
import { inheritedEnv, runNode } from '../support/spawn-node.js';

const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'pc-cli-osv-'));
let osv: FakeOsv;

// Async: the stand-in answers on this process's event loop while the CLI runs.
const run = (args: string[], env: Record<string, string> = {}) => runNode(cli, args, { ...inheritedEnv(['OSV_API_URL', 'NO_COLOR', 'FORCE_COLOR']), ...env });

beforeAll(async () => {
  osv = await startFakeOsv();
  writeFileSync(join(dir, 'requirements.txt'), 'jinja2==3.1.2\n');
  osv.records.set('GHSA-h5c8-rqwp-cp95', {
    id: 'GHSA-h5c8-rqwp-cp95',
    modified: '2024-06-20T00:00:00Z',
    aliases: ['CVE-2024-22195'],
    summary: 'Jinja vulnerable to HTML attribute injection when passing user input as keys to xmlattr filter',
    affected: [{ package: { ecosystem: 'PyPI', name: 'jinja2' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.1.3' }] }] }],
    database_specific: { severity: 'MODERATE' },
  });
  osv.matches.set('PyPI jinja2 3.1.2', ['GHSA-h5c8-rqwp-cp95']);
});
afterAll(async () => {
  await osv.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CLI --advisories', () => {
  it('defaults to bundled: no request, no vulnerable-dependency finding', async () => {
    const r = await run(['scan', dir, '--format', 'json'], { OSV_API_URL: osv.url });
    expect(r.code).toBe(0);
    expect(osv.log).toEqual([]);
    expect(r.stdout).not.toContain('vulnerable-dependency');
  });

  it('online: looks the pins up at OSV_API_URL and reports the vulnerable version', async () => {
    const r = await run(['scan', dir, '--format', 'json', '--advisories', 'online', '--fail-on', 'medium'], { OSV_API_URL: osv.url });
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string; path: string; line: number; message: string; package?: unknown; advisories?: unknown }[] };
    const found = report.findings.filter((f) => f.ruleId === 'vulnerable-dependency');
    expect(found).toEqual([expect.objectContaining({ path: 'requirements.txt', line: 1 })]);
    expect(found[0]!.message).toContain('Fixed in 3.1.3');
    expect(found[0]).toMatchObject({
      package: { ecosystem: 'PyPI', name: 'jinja2', version: '3.1.2' },
      advisories: [{ ids: ['GHSA-h5c8-rqwp-cp95', 'CVE-2024-22195'], severity: 'medium', url: 'https://osv.dev/vulnerability/GHSA-h5c8-rqwp-cp95' }],
    });
    expect(r.code).toBe(1);
    expect(osv.log.map((l) => `${l.method} ${l.url}`)).toEqual(['POST /v1/querybatch', 'GET /v1/vulns/GHSA-h5c8-rqwp-cp95']);
  });

  it('rejects anything else', async () => {
    const r = await run(['scan', dir, '--advisories', 'live']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--advisories must be bundled or online');
  });
});
