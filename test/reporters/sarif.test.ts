import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineHashes } from '../../src/core/fingerprint.js';
import { isBlocking, summarise, type FailOn } from '../../src/core/gate.js';
import type { Finding } from '../../src/core/types.js';
import { PRECISIONS, RULE_PRECISION } from '../../src/reporters/precision.js';
import { escapeMessage, linkedMessage, MAX_DESCRIPTION, MAX_RESULTS, plainText, ruleName, toSarif, uri } from '../../src/reporters/sarif.js';
import { rules } from '../../src/rules/index.js';
import { scanDirectory, type ScanResult } from '../../src/scan.js';
import { VERSION } from '../../src/version.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- SARIF logs are read as plain JSON here */

const DEMO = join(import.meta.dirname, '../../fixtures/demo');
/**
 * The validator looks up helpUris on github.com (observed: DNS queries, then a ~8 s wait without
 * network). Tests stay offline, so the validated logs point at a reserved test domain instead;
 * the URIs have the same shape as the real ones.
 */
const OFFLINE_URI = 'https://portcullis.example.test/portcullis';

/**
 * Validator warnings we accept, by rule id, with the reason. Empty today: the validator reports
 * no warnings on either log. A new warning fails the test until it is fixed or listed here.
 */
const KNOWN_WARNINGS: Record<string, string> = {};

const finding = (over: Partial<Finding>): Finding => ({
  ruleId: 'unpinned-action',
  severity: 'high',
  confidence: 'high',
  message: 'Action `actions/checkout@v4` is pinned to a tag; pin it to a full commit SHA.',
  path: '.github/workflows/ci.yml',
  line: 7,
  column: 15,
  endLine: 7,
  endColumn: 34,
  related: [],
  fingerprint: 'f'.repeat(32),
  lineHash: '5c3ce1f3dd8e2cc5:1',
  ...over,
});

/** Suppressed (each kind), related locations in another file, a path that needs encoding, every severity. */
function synthetic(failOn: FailOn = 'high'): Pick<ScanResult, 'findings' | 'notices' | 'failOn'> {
  const findings: Finding[] = [
    finding({}),
    finding({
      ruleId: 'untrusted-checkout',
      severity: 'critical',
      line: 12,
      endLine: 14,
      endColumn: 1,
      related: [
        { at: { line: 3, column: 3, endLine: 3, endColumn: 22 }, label: 'privileged trigger `pull_request_target`' },
        { path: 'scripts/build #1/ünïcode.sh', at: { line: 1, column: 1, endLine: 1, endColumn: 9 }, label: 'runs the checked-out script' },
      ],
    }),
    finding({ path: 'services/my app/Dockerfile', ruleId: 'runs-as-root', severity: 'medium', suppressed: { kind: 'inSource', reason: 'the image drops privileges in its entrypoint', path: 'services/my app/Dockerfile', line: 3 } }),
    finding({ ruleId: 'hardcoded-credential', severity: 'critical', message: 'A credential (ghp_…[redacted]) is written in the workflow.', suppressed: { kind: 'external', reason: 'test fixture, revoked', path: '.github/portcullis.yml', line: 9 } }),
    finding({ ruleId: 'latest-image-tag', line: 20, endLine: 20, suppressed: { kind: 'baseline', reason: 'listed in .portcullis-baseline.json' } }),
    finding({ ruleId: 'self-hosted-runner', severity: 'low', line: 30, endLine: 30 }),
    finding({ ruleId: 'secrets-inherit', severity: 'info', line: 31, endLine: 31, lineHash: undefined }),
  ];
  return { findings, notices: [{ message: 'skipped 1 file(s): 1 too big (huge.yml)' }, { path: 'bad.yml', line: 2, message: 'bad.yml does not parse as YAML' }], failOn };
}

describe('toSarif', () => {
  let demo: ScanResult;
  let demoLog: any;
  beforeAll(async () => {
    demo = await scanDirectory(DEMO, { repository: true });
    demoLog = toSarif(demo, rules, { version: VERSION });
  });

  it('keeps the version equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });

  it('describes the tool and every registered rule, in registry order', () => {
    expect(demoLog.version).toBe('2.1.0');
    expect(demoLog.runs).toHaveLength(1);
    const driver = demoLog.runs[0].tool.driver;
    expect(driver).toMatchObject({ name: 'portcullis', semanticVersion: VERSION });
    expect(driver.rules.map((r: any) => r.id)).toEqual(rules.map((r) => r.id));
    for (const [i, r] of driver.rules.entries()) {
      const rule = rules[i]!;
      expect(r.name).toBe(ruleName(rule));
      expect(r.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      expect(r.name.toLowerCase()).not.toBe(rule.id.toLowerCase());
      expect(r.shortDescription.text.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
      expect(r.fullDescription.text.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
      expect(r.helpUri).toBe(`${driver.informationUri}/blob/v${VERSION}/docs/rules/${rule.id}.md`);
      expect(r.help.markdown).toContain(`# ${rule.id}`);
      expect(r.help.text).not.toMatch(/^(```|#)/m);
      expect(r.properties.tags).toEqual(['security', rule.area]);
      expect(r.properties.precision).toBe(RULE_PRECISION[rule.id]);
      const expected = { critical: ['error', '9.5'], high: ['error', '8.0'], medium: ['warning', '5.5'], low: ['note', '3.0'], info: ['note', undefined] }[rule.severity];
      expect([r.defaultConfiguration.level, r.properties['security-severity']]).toEqual(expected);
    }
  });

  it('gives every demo finding a valid, repository-relative, fingerprinted result', () => {
    const run = demoLog.runs[0];
    expect(run.results).toHaveLength(demo.findings.length);
    expect(run.results.length).toBeGreaterThan(0);
    expect(run.results.length).toBeLessThanOrEqual(MAX_RESULTS);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      const locations = [...r.locations, ...(r.relatedLocations ?? [])];
      for (const l of locations) {
        const { uri: u, uriBaseId } = l.physicalLocation.artifactLocation;
        expect(uriBaseId).toBe('%SRCROOT%');
        expect(u).not.toMatch(/^(\/|\.\/|[a-z]+:)/);
        const region = l.physicalLocation.region;
        expect(region.startLine).toBeGreaterThanOrEqual(1);
        expect(region.startColumn).toBeGreaterThanOrEqual(1);
        expect(region.endColumn).toBeGreaterThanOrEqual(1);
        expect(region.endLine).toBeGreaterThanOrEqual(region.startLine);
      }
      const { uri: path } = r.locations[0].physicalLocation.artifactLocation;
      // a repository rule's finding about a missing file is on the repository root, `.`: there is no text to hash
      const text = path === '.' ? '' : readFileSync(join(DEMO, decodeURIComponent(path)), 'utf8');
      // Rule findings get the hash from the engine; findings made elsewhere (ineffective-suppression) may
      // lack it, and upload-sarif then computes the same value from the checkout.
      const hash = r.partialFingerprints.primaryLocationLineHash;
      // Lines holding a credential are hashed with it redacted, so a hash cannot be recomputed from a guessed value.
      const start = r.locations[0].physicalLocation.region.startLine;
      const redacted = text.split(/(\r?\n)/).map((part, i) => (i % 2 === 0 ? demo.secrets!.redactSnippet(part) : part)).join('');
      if (hash !== undefined || r.ruleId !== 'ineffective-suppression') {
        expect(hash).toBe(lineHashes(redacted)[start - 1]);
        if (redacted === text) expect(hash).toBe(lineHashes(text)[start - 1]);
      }
      expect(r.partialFingerprints['portcullis/v1']).toMatch(/^[0-9a-f]{32}$/);
    }
    for (const rule of run.tool.driver.rules) {
      const score = rule.properties['security-severity'];
      if (score !== undefined) expect(Number(score) > 0 && Number(score) <= 10).toBe(true);
    }
    expect(run.automationDetails.id).toBe('portcullis/root/');
  });

  it('marks exactly the blocking findings as errors, so SARIF agrees with the exit code', () => {
    for (const failOn of ['critical', 'high', 'medium', 'low', 'never'] as const) {
      const log: any = toSarif({ ...demo, failOn }, rules, { version: VERSION });
      const results: any[] = log.runs[0].results;
      const errors = results.filter((r) => r.level === 'error').length;
      expect(errors).toBe(summarise(demo.findings, failOn).blocking);
      for (const r of results) expect(r.properties.blocking).toBe(r.level === 'error');
    }
  });

  it('writes suppressions, related locations, encoded paths and the path prefix', () => {
    const input = synthetic();
    const log: any = toSarif(input, rules, { version: '1.2.3', category: 'services/api', pathPrefix: 'services/api/', informationUri: 'https://example.test/o/portcullis' });
    const run = log.runs[0];
    expect(run.automationDetails.id).toBe('portcullis/services/api/');
    expect(run.tool.driver.rules[0].helpUri).toBe(`https://example.test/o/portcullis/blob/v1.2.3/docs/rules/${rules[0]!.id}.md`);
    const byRule = (id: string): any => run.results.find((r: any) => r.ruleId === id);

    const checkout = byRule('untrusted-checkout');
    expect(checkout.relatedLocations).toEqual([
      { id: 1, physicalLocation: { artifactLocation: { uri: 'services/api/.github/workflows/ci.yml', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 3, endLine: 3, endColumn: 22 } }, message: { text: 'privileged trigger `pull_request_target`' } },
      { id: 2, physicalLocation: { artifactLocation: { uri: 'services/api/scripts/build%20%231/%C3%BCn%C3%AFcode.sh', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 9 } }, message: { text: 'runs the checked-out script' } },
    ]);
    // Code scanning shows a related location only when the message links it by id.
    expect(checkout.message.text).toBe(
      'Action `actions/checkout@v4` is pinned to a tag; pin it to a full commit SHA. Related: [privileged trigger `pull_request_target`](1), [runs the checked-out script](2).',
    );
    expect(checkout.locations[0].physicalLocation.region).toEqual({ startLine: 12, startColumn: 15, endLine: 14, endColumn: 1 });
    expect(checkout).toMatchObject({ level: 'error', properties: { severity: 'critical', confidence: 'high', blocking: true } });

    expect(byRule('runs-as-root').suppressions).toEqual([
      { kind: 'inSource', justification: 'the image drops privileges in its entrypoint', location: { physicalLocation: { artifactLocation: { uri: 'services/api/services/my%20app/Dockerfile', uriBaseId: '%SRCROOT%' }, region: { startLine: 3 } } } },
    ]);
    const credential = byRule('hardcoded-credential');
    expect(credential.suppressions[0]).toMatchObject({ kind: 'external', justification: 'test fixture, revoked' });
    expect(credential).toMatchObject({ level: 'warning', properties: { blocking: false } });
    expect(byRule('latest-image-tag').suppressions).toEqual([{ kind: 'external', justification: 'baseline' }]);
    expect(byRule('unpinned-action').suppressions).toBeUndefined();
    expect(byRule('secrets-inherit').partialFingerprints).toEqual({ 'portcullis/v1': 'f'.repeat(32) });
    expect(byRule('self-hosted-runner').level).toBe('note');

    const notes = run.invocations[0].toolExecutionNotifications;
    expect(notes).toHaveLength(2);
    expect(notes[1].locations[0].physicalLocation.artifactLocation.uri).toBe('services/api/bad.yml');
  });

  it('never lets a blocked finding pass as non-blocking: suppressed and fail-on never', () => {
    const never: any = toSarif(synthetic('never'), rules, { version: VERSION });
    expect(never.runs[0].results.every((r: any) => r.level !== 'error' && r.properties.blocking === false)).toBe(true);
    const input = synthetic('high');
    const log: any = toSarif(input, rules, { version: VERSION });
    const blocking = input.findings.filter((f) => isBlocking(f, 'high')).length;
    expect(log.runs[0].results.filter((r: any) => r.level === 'error')).toHaveLength(blocking);
  });

  it('caps the results at what code scanning accepts, most severe first, and says so', () => {
    const many = Array.from({ length: MAX_RESULTS + 5 }, (_, i) => finding({ line: i + 1, endLine: i + 1, severity: i === MAX_RESULTS + 4 ? 'critical' : 'low' }));
    const log: any = toSarif({ findings: many, failOn: 'high' }, rules, { version: VERSION });
    expect(log.runs[0].results).toHaveLength(MAX_RESULTS);
    expect(log.runs[0].results[0].properties.severity).toBe('critical');
    expect(log.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toMatch(/^5 finding\(s\) left out/);
  });

  it('gives every registered rule a precision, and no rule that is not registered', () => {
    expect(Object.keys(RULE_PRECISION).sort()).toEqual(rules.map((r) => r.id).sort());
    for (const p of Object.values(RULE_PRECISION)) expect(PRECISIONS).toContain(p);
  });

  it('links related locations by id and keeps brackets from the scanned files as text', () => {
    expect(linkedMessage('Checks out the head', ['trigger', 'the run step'])).toBe('Checks out the head. Related: [trigger](1), [the run step](2).');
    expect(linkedMessage('Done!', ['  '])).toBe('Done! Related: [here](1).');
    expect(linkedMessage('No related', [])).toBe('No related');
    // A finding quoting `[x](1)` from a hostile file must not turn into a link, nor a label break out of its own.
    expect(escapeMessage('run: echo [x](1) \\ end')).toBe('run: echo \\[x\\](1) \\\\ end');
    expect(linkedMessage('env [a](2)', ['step] [evil](1'])).toBe('env \\[a\\](2). Related: [step\\] \\[evil\\](1](1).');
    const log: any = toSarif({ findings: [finding({ message: 'quotes [x](1) from the file', related: [] })], failOn: 'high' }, rules, { version: VERSION });
    expect(log.runs[0].results[0].message.text).toBe('quotes \\[x\\](1) from the file');
    expect(log.runs[0].results[0].relatedLocations).toBeUndefined();
  });

  it('names rules in PascalCase, never equal to the id', () => {
    expect(ruleName({ id: 'curl-pipe-shell', title: 'x' })).toBe('CurlPipeShell');
    expect(ruleName({ id: 'sudo', title: 'sudo in a Dockerfile RUN' })).toBe('SudoInADockerfileRun');
  });

  it('encodes paths as relative URI references', () => {
    expect(uri('./a b/c#d?.yml')).toBe('a%20b/c%23d%3F.yml');
    expect(uri('/x/y')).toBe('x/y');
    expect(uri('.github/workflows/ci.yml')).toBe('.github/workflows/ci.yml');
  });

  it('turns the rule doc into plain text', () => {
    expect(plainText('# id\n\n**Title** with `code` and [a link](https://x.test)\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n```yaml\nrun: `x`\n```\n')).toBe(
      'id\n\nTitle with code and a link (https://x.test)\n\na  b\n1  2\n\n    run: `x`\n',
    );
  });
});

describe("Microsoft's SARIF validator (Sarif.Multitool validate --rule-kind Gh;Sarif)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pc-sarif-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds no errors and no unexplained warnings in the demo and synthetic logs', { timeout: 120_000 }, async () => {
    // with the repository rules, as the CLI and the action scan it: a finding on the repository root ('.') is a valid location
    const demo = await scanDirectory(DEMO, { repository: true });
    const synth = toSarif(synthetic(), rules, { version: VERSION, informationUri: OFFLINE_URI, category: 'services/api', pathPrefix: 'services/api' });
    // A control: the same log broken in two ways the validator must catch, so a silent validator cannot pass.
    const broken: any = structuredClone(synth);
    delete broken.runs[0].results[0].locations;
    broken.runs[0].results[1].ruleIndex = 9999;
    const files: Record<string, unknown> = {
      'demo.sarif': toSarif(demo, rules, { version: VERSION, informationUri: OFFLINE_URI }),
      'synthetic.sarif': synth,
      'broken.sarif': broken,
    };
    const tool = multitool();
    for (const [name, log] of Object.entries(files)) {
      // The validator downloads the log's $schema; the copy it ships keeps the test offline.
      const local = { ...(log as object), $schema: pathToFileURL(join(dirname(tool), 'sarif-2.1.0.json')).href };
      writeFileSync(join(dir, name), JSON.stringify(local, null, 2));
    }

    const output = join(dir, 'validation.sarif');
    execFileSync(tool, ['validate', '--rule-kind', 'Gh;Sarif', '--output', output, ...Object.keys(files).map((f) => join(dir, f))], {
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
      stdio: 'pipe',
    });
    const run = JSON.parse(readFileSync(output, 'utf8').replace(/^\uFEFF/, '')).runs[0];
    const reported = (run.results ?? []).map((r: any) => ({
      file: String(r.locations?.[0]?.physicalLocation?.artifactLocation?.uri).split('/').pop(),
      level: r.level ?? 'warning',
      ruleId: r.ruleId,
      line: r.locations?.[0]?.physicalLocation?.region?.startLine,
      message: r.message.text ?? r.message.id,
    }));
    const notifications = (run.invocations ?? []).flatMap((i: any) => [...(i.toolExecutionNotifications ?? []), ...(i.toolConfigurationNotifications ?? [])]);
    expect(notifications.filter((n: any) => n.level === 'error')).toEqual([]);
    expect(run.invocations?.[0]?.executionSuccessful).toBe(true);

    const ours = reported.filter((r: any) => r.file !== 'broken.sarif');
    expect(ours.filter((r: any) => r.level === 'error')).toEqual([]);
    expect(ours.filter((r: any) => r.level === 'warning' && !(r.ruleId in KNOWN_WARNINGS))).toEqual([]);
    const caught = new Set(reported.filter((r: any) => r.file === 'broken.sarif' && r.level === 'error').map((r: any) => r.ruleId));
    expect(caught).toContain('GH1015'); // a result without locations
    expect(caught).toContain('SARIF1009'); // a ruleIndex outside tool.driver.rules
  });
});

/** The validator's native binary; npm 11 does not run the package's install script, which makes it executable. */
function multitool(): string {
  const path = createRequire(import.meta.url)('@microsoft/sarif-multitool-linux') as string;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    chmodSync(path, 0o744);
  }
  return path;
}
