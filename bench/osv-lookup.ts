// npx tsx bench/osv-lookup.ts [--versions 5000] [--vulnerable 100] [--runs 5]
// What `advisories: online` adds to a scan: a repository whose package-lock.json pins N distinct package versions,
// scanned offline and with the OSV lookup against a loopback stand-in (test/support/fake-osv.ts) that matches
// `--vulnerable` of them to one record each. Prints medians of both, the difference, and the requests made.
// Not a test: nothing is asserted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { scanWithOnlineAdvisories } from '../src/action/osv.js';
import { scanDirectory } from '../src/scan.js';
import { startFakeOsv } from '../test/support/fake-osv.js';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: number): number => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const versions = arg('--versions', 5000);
const vulnerable = arg('--vulnerable', 100);
const runs = arg('--runs', 5);

const root = mkdtempSync(join(tmpdir(), 'pc-bench-osv-'));
const names = Array.from({ length: versions }, (_, i) => `bench-pkg-${i}`);
const packages: Record<string, unknown> = { '': { name: 'app', dependencies: Object.fromEntries(names.map((n) => [n, '^1.0.0'])) } };
for (const [i, n] of names.entries()) packages[`node_modules/${n}`] = { version: `1.${i % 50}.0` };
writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'app', dependencies: Object.fromEntries(names.map((n) => [n, '^1.0.0'])) }, null, 2));
writeFileSync(join(root, 'package-lock.json'), JSON.stringify({ name: 'app', lockfileVersion: 3, packages }, null, 2));

const osv = await startFakeOsv();
const serve = () => {
  osv.reset();
  for (let i = 0; i < vulnerable; i++) {
    const id = `GHSA-bnch-${String(i).padStart(4, '0')}-xxxx`;
    osv.records.set(id, { id, summary: `bench record ${i}`, modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: names[i] }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '99.0.0' }] }] }], database_specific: { severity: 'HIGH' } });
    osv.matches.set(`npm ${names[i]} 1.${i % 50}.0`, [id]);
  }
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const offline: number[] = [];
const online: number[] = [];
let requests = 0;
let findings = 0;
for (let r = 0; r < runs; r++) {
  let t = performance.now();
  await scanDirectory(root);
  offline.push(performance.now() - t);
  serve();
  t = performance.now();
  const got = await scanWithOnlineAdvisories(root, {}, { apiUrl: osv.url });
  online.push(performance.now() - t);
  requests = osv.log.length;
  findings = got.findings.filter((f) => f.ruleId === 'vulnerable-dependency').length;
  if (got.notices.some((n) => n.message.startsWith('advisories: online'))) throw new Error('the lookup failed');
}
await osv.close();
rmSync(root, { recursive: true, force: true });
const post = osv.log.filter((l) => l.method === 'POST').length;
console.log(
  `${versions} package versions, ${vulnerable} vulnerable: offline scan ${median(offline).toFixed(0)} ms, with the OSV lookup ${median(online).toFixed(0)} ms ` +
    `(+${(median(online) - median(offline)).toFixed(0)} ms), ${requests} requests (${post} querybatch, ${requests - post} record lookups), ` +
    `${findings} vulnerable-dependency findings; medians of ${runs}`,
);
