// `portcullis baseline`, then the value behind a baselined secret finding changes: the finding is no longer
// baselined (the entry holds a salted digest of the value, not just the variable's name). Runs the CLI from source,
// and the committed bundle where worker threads are wanted.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fake } from '../../src/analysis/secrets/fake.js';
import { cliFromSource, repoRoot } from '../support/cli-source.js';
import { leaks } from '../support/leaks.js';

const scratch = mkdtempSync(join(tmpdir(), 'portcullis-baseline-swap-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const DEV_PASSWORD = fake(18, undefined, 701);
const REAL_SECRET = fake(18, undefined, 702);
const DIGEST = 'a'.repeat(64);

/** A Dockerfile with a literal DB password, a compose file with a stock one (the dev-password swap of issue 13). */
function repo(name: string, dockerPassword: string, composePassword: string): string {
  const root = join(scratch, name);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'Dockerfile'), `FROM alpine:3.20@sha256:${DIGEST}\nENV DB_PASSWORD=${dockerPassword}\nUSER 1000\n`);
  writeFileSync(
    join(root, 'compose.yaml'),
    `services:\n  db:\n    image: postgres:17@sha256:${DIGEST}\n    user: "999"\n    environment:\n      POSTGRES_PASSWORD: ${composePassword}\n`,
  );
  return root;
}

interface Report {
  findings: { ruleId: string; path: string; suppressed?: { kind: string } }[];
  notices: { message: string }[];
}
const scan = async (root: string, baseline: string) => {
  const r = await cliFromSource(['scan', root, '--format', 'json', '--baseline', baseline]);
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
};
const secretsIn = (r: Report) => r.findings.filter((f) => f.ruleId === 'secret-in-env').map((f) => [f.path, f.suppressed?.kind ?? 'open']);

describe('a baselined secret whose value changes', () => {
  it('stays baselined while the values are the same, and is reported once either value is swapped', async () => {
    const root = repo('swap', DEV_PASSWORD, 'postgres');
    const baseline = join(scratch, 'swap-baseline.json');
    const made = await cliFromSource(['baseline', root, '--output', baseline]);
    expect(made.code).toBe(0);
    const text = readFileSync(baseline, 'utf8');
    expect(leaks(text, { DEV_PASSWORD })).toEqual([]);
    expect(text).not.toContain('postgres"');

    const unchanged = await scan(root, baseline);
    expect(unchanged.code).toBe(0);
    expect(secretsIn(unchanged.report)).toEqual([
      ['Dockerfile', 'baseline'],
      ['compose.yaml', 'baseline'],
    ]);

    // the dev password of the Dockerfile and the stock one of compose both swapped for a real secret
    writeFileSync(join(root, 'Dockerfile'), `FROM alpine:3.20@sha256:${DIGEST}\nENV DB_PASSWORD=${REAL_SECRET}\nUSER 1000\n`);
    writeFileSync(join(root, 'compose.yaml'), readFileSync(join(root, 'compose.yaml'), 'utf8').replace('postgres\n', `${REAL_SECRET}\n`));
    const swapped = await scan(root, baseline);
    expect(swapped.code).toBe(1);
    expect(secretsIn(swapped.report)).toEqual([
      ['Dockerfile', 'open'],
      ['compose.yaml', 'open'],
    ]);
    expect(swapped.report.notices.map((n) => n.message).join('\n')).toContain('2 secret findings listed in');
  });

  it('works the same when worker threads check the files (the values cross threads, never into a finding)', async () => {
    // worker threads start the bundle again: the committed CLI bundle, as test/parallel.test.ts runs it
    const bundle = join(repoRoot, 'dist', 'cli.js');
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: build it with \`npm run build\``);
    const cli = (args: string[]) => spawnSync(process.execPath, [bundle, ...args], { encoding: 'utf8' });
    const root = repo('threads', DEV_PASSWORD, 'postgres');
    const baseline = join(scratch, 'threads-baseline.json');
    expect(cli(['baseline', root, '--output', baseline, '--jobs', '2']).status).toBe(0);
    const entries = (JSON.parse(readFileSync(baseline, 'utf8')) as { findings: { ruleId: string; valueDigest?: string }[] }).findings;
    expect(entries.filter((e) => e.ruleId === 'secret-in-env').map((e) => e.valueDigest?.slice(0, 7))).toEqual(['scrypt:', 'scrypt:']);
    const r = cli(['scan', root, '--format', 'json', '--baseline', baseline, '--jobs', '2', '--stats']);
    expect(JSON.parse(/^stats: (.*)$/m.exec(r.stderr)![1]!).threads.byWorkers).toBeGreaterThan(0);
    expect(secretsIn(JSON.parse(r.stdout) as Report)).toEqual([
      ['Dockerfile', 'baseline'],
      ['compose.yaml', 'baseline'],
    ]);
  });

  it('is reported under a baseline written without digests, with a notice saying to regenerate it', async () => {
    const root = repo('old', DEV_PASSWORD, 'postgres');
    const baseline = join(scratch, 'old-baseline.json');
    expect((await cliFromSource(['baseline', root, '--output', baseline])).code).toBe(0);
    const old = JSON.parse(readFileSync(baseline, 'utf8')) as { findings: Record<string, unknown>[] };
    for (const e of old.findings) delete e['valueDigest'];
    writeFileSync(baseline, JSON.stringify(old));
    const r = await scan(root, baseline);
    expect(r.code).toBe(1);
    expect(secretsIn(r.report)).toEqual([
      ['Dockerfile', 'open'],
      ['compose.yaml', 'open'],
    ]);
    expect(r.report.notices.map((n) => n.message).join('\n')).toMatch(/without a digest of the value .*`portcullis baseline`/);
  });
});
