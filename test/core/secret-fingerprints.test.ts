// A secret finding's public identifiers (fingerprint, code-scanning line hash) and its baseline entry carry nothing
// that could be recomputed from a guessed value; the baseline tells a changed value by a salted, slow digest.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ALNUM, checksummed, fake } from '../../src/analysis/secrets/fake.js';
import { applyBaseline, createBaseline, createBaselineInParallel, formatBaseline, type Baseline } from '../../src/core/baseline.js';
import { checkDigests, digestMatches, valueDigest } from '../../src/core/value-digest.js';
import { fingerprint, lineHashes, normaliseSnippet } from '../../src/core/fingerprint.js';
import { scanFiles, type ScanResult } from '../../src/scan.js';
import { leaks } from '../support/leaks.js';

const SECRET_RULES = ['hardcoded-secret', 'secret-in-env', 'hardcoded-credential', 'committed-dotenv'];

/** A file per secret rule path, one secret finding each (a password-like value and a token built from the seed). */
function files(seed: number): Record<string, string> {
  const pw = `${fake(4, ALNUM, 1)}${fake(16, ALNUM, seed)}`; // same first 4 characters, same length: only the value differs
  const token = checksummed('ghp_', seed);
  return {
    Dockerfile: `FROM alpine:3.20@sha256:${'a'.repeat(64)}\nENV DB_PASSWORD=${pw}\nLABEL deploy.key="${token}"\nUSER 1000\n`,
    'compose.yaml': `services:\n  api:\n    image: example/api:1.0@sha256:${'b'.repeat(64)}\n    user: "1000"\n    environment:\n      API_TOKEN: ${pw}\n`,
    '.github/workflows/ci.yml': `on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    env:\n      DEPLOY_API_KEY: ${pw}\n    steps:\n      - run: make\n`,
    '.env': `API_TOKEN=${pw}\n`,
    'src/settings.py': `API_KEY = "${pw}"\n`,
  };
}

const secretFindings = (r: ScanResult) => r.findings.filter((f) => SECRET_RULES.includes(f.ruleId));

describe('fingerprints of secret findings', () => {
  const a = scanFiles(files(101));
  const b = scanFiles(files(202));

  it('stay the same when only the value changes, for every secret rule', () => {
    const ids = (r: ScanResult) => secretFindings(r).map((f) => [f.ruleId, f.path, f.line, f.fingerprint, f.lineHash]);
    expect(new Set(secretFindings(a).map((f) => f.ruleId))).toEqual(new Set(SECRET_RULES));
    expect(ids(b)).toEqual(ids(a));
  });

  it('are made of the rule, path, key name and occurrence only: nothing computed from the value matches them', () => {
    const byKey = (rule: string, path: string, key: string) => secretFindings(a).find((f) => f.ruleId === rule && f.path === path && f.fingerprint === fingerprint(rule, path, key, 0));
    expect(byKey('secret-in-env', 'Dockerfile', 'ENV DB_PASSWORD')).toBeDefined();
    expect(byKey('secret-in-env', 'Dockerfile', 'LABEL deploy.key')).toBeDefined();
    expect(byKey('hardcoded-secret', 'src/settings.py', 'generic API_KEY')).toBeDefined();
    expect(byKey('committed-dotenv', '.env', 'committed .env file')).toBeDefined();
    const values = a.secrets!.values();
    expect(values.length).toBeGreaterThanOrEqual(2);
    for (const f of secretFindings(a)) {
      for (const v of values) {
        // what the fingerprint was before (an unsalted hash of the value), and the value itself as key
        const hash = createHash('sha256').update(v).digest('hex').slice(0, 16);
        for (const key of [v, normaliseSnippet(v), hash, `github-classic-token:${hash}`, `generic:${hash}`]) {
          for (let n = 0; n < 4; n++) expect(fingerprint(f.ruleId, f.path, key, n)).not.toBe(f.fingerprint);
        }
      }
    }
  });

  it('hash a flagged line for code scanning with its credential redacted', () => {
    const text = files(101).Dockerfile;
    const f = a.findings.find((x) => x.ruleId === 'secret-in-env' && x.line === 2)!;
    expect(f.lineHash).toBeDefined();
    expect(f.lineHash).not.toBe(lineHashes(text)[1]);
  });
});

describe('baseline entries of secret findings', () => {
  const baselineOf = (r: ScanResult, previous?: Baseline) => createBaseline(r.findings, () => undefined, { secrets: r.secrets, ...(previous ? { previous } : {}) });
  const first = scanFiles(files(101));
  const base = baselineOf(first);
  const secretEntries = base.findings.filter((e) => SECRET_RULES.includes(e.ruleId));

  it('carry a salted scrypt digest of the value (a fresh salt per entry) and no window of it', () => {
    expect(secretEntries.length).toBeGreaterThanOrEqual(SECRET_RULES.length);
    for (const e of secretEntries) expect(e.valueDigest).toMatch(/^scrypt:N=32768,r=8,p=1:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{43}$/);
    const salts = secretEntries.map((e) => e.valueDigest!.split(':')[2]);
    expect(new Set(salts).size).toBe(salts.length);
    expect(leaks(formatBaseline(base), Object.fromEntries(first.secrets!.values().map((v, i) => [`value ${i}`, v])))).toEqual([]);
    // non-secret findings have none
    expect(base.findings.filter((e) => !SECRET_RULES.includes(e.ruleId)).every((e) => e.valueDigest === undefined)).toBe(true);
  });

  it('silence the same values, and not a changed one (a notice says which)', () => {
    const same = applyBaseline(first.findings, base, { secrets: first.secrets! });
    expect(secretFindings({ ...first, findings: same.findings }).every((f) => f.suppressed?.kind === 'baseline')).toBe(true);
    expect(same.notices).toEqual([]);
    const swapped = scanFiles(files(202));
    const r = applyBaseline(swapped.findings, base, { secrets: swapped.secrets!, file: 'b.json' });
    const open = secretFindings({ ...swapped, findings: r.findings }).filter((f) => !f.suppressed);
    expect(open.length).toBe(secretFindings(swapped).length);
    expect(r.notices.map((n) => n.message).join('\n')).toMatch(/secret findings listed in b\.json now hold a different value than when the baseline was written/);
    expect(r.stats.stale).toBe(0);
  });

  it('fail closed for a baseline written without digests, saying how to refresh it', () => {
    const old: Baseline = { ...base, findings: base.findings.map(({ valueDigest: _d, ...e }) => e) };
    const r = applyBaseline(first.findings, old, { secrets: first.secrets!, file: '.portcullis-baseline.json' });
    expect(secretFindings({ ...first, findings: r.findings }).some((f) => f.suppressed)).toBe(false);
    // the other findings are still baselined by fingerprint
    expect(r.findings.filter((f) => !SECRET_RULES.includes(f.ruleId)).every((f) => f.suppressed?.kind === 'baseline')).toBe(true);
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0]!.message).toMatch(/listed in \.portcullis-baseline\.json without a digest of the value .* regenerate the baseline with `portcullis baseline`/);
  });

  it('keep their digest when regenerated over unchanged values, so the file does not churn, made in parallel or not', async () => {
    expect(formatBaseline(baselineOf(scanFiles(files(101)), base))).toBe(formatBaseline(base));
    const again = scanFiles(files(101));
    const parallel = await createBaselineInParallel(again.findings, () => undefined, { secrets: again.secrets!, previous: base });
    expect(formatBaseline(parallel)).toBe(formatBaseline(base));
    // and fresh digests, made in parallel, match the values (checked one by one)
    const fresh = await createBaselineInParallel(again.findings, () => undefined, { secrets: again.secrets! });
    expect(applyBaseline(again.findings, fresh, { secrets: again.secrets! }).findings.every((f) => f.suppressed?.kind === 'baseline')).toBe(true);
  });

  it('are checked ahead, in parallel, as applyBaseline would; a fingerprint listed with two digests is left to it', async () => {
    const entriesOf = (r: ScanResult) => secretFindings(r).map((f) => [f.fingerprint, r.secrets!.valuesOf(f.fingerprint)!] as const);
    const same = await checkDigests(base, entriesOf(first));
    expect([...same.values()]).toEqual(secretEntries.map(() => true));
    const swapped = await checkDigests(base, entriesOf(scanFiles(files(202))));
    expect([...swapped.values()]).toEqual(secretEntries.map(() => false));
    const doubled: Baseline = { ...base, findings: [...base.findings, { ...secretEntries[0]!, path: 'elsewhere', valueDigest: valueDigest(['x']) }] };
    expect((await checkDigests(doubled, entriesOf(first))).size).toBe(secretEntries.length - 1);
  });

  it('digest exactly the values, with the fixed parameters only', () => {
    const d = valueDigest(['one', 'two']);
    expect(digestMatches(['one', 'two'], d)).toBe(true);
    expect(digestMatches(['one', 'tw'], d)).toBe(false);
    expect(digestMatches(['onetwo'], d)).toBe(false);
    // a digest claiming other (costlier) parameters is not evaluated at all
    expect(digestMatches(['one', 'two'], d.replace('N=32768', 'N=1073741824'))).toBe(false);
    expect(digestMatches(['one', 'two'], 'garbage')).toBe(false);
  });
});
