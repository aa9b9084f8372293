import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Minimatch } from 'minimatch';
import { afterAll, describe, expect, it } from 'vitest';
import { policyFor } from '../../src/analysis/action-ref.js';
import { loadConfig } from '../../src/config-file.js';
import { ConfigError, configJsonSchema, parseConfig, pathMatcher, type Config } from '../../src/core/config.js';
import { rules } from '../../src/rules/index.js';
import { scanDirectory, scanFiles } from '../../src/scan.js';

const FILE = '.github/portcullis.yml';
const IDS = rules.map((r) => r.id).sort().join(', ');

function errors(text: string): string[] {
  try {
    parseConfig(text, FILE, rules);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.slice();
  }
  throw new Error('expected a ConfigError');
}
const parse = (text: string): Config => parseConfig(text, FILE, rules);

describe('config validation: every error names the file, line, column, key and what is allowed', () => {
  it.each([
    ['unknown top-level key', 'fail-on: high\nfalon: low\n', [`${FILE}:2:1: falon: unknown key; did you mean fail-on? Allowed keys: fail-on, baseline, paths, rules, ignore, contexts, gate-contexts, gate-confidence, review`]],
    ['unknown top-level key, nothing close', 'suppressions: x\n', [`${FILE}:1:1: suppressions: unknown key. Allowed keys: fail-on, baseline, paths, rules, ignore, contexts, gate-contexts, gate-confidence, review`]],
    [
      'unknown rule id, with a suggestion',
      'rules:\n  latest-image-tag:\n    enabled: false\n  unpinned-acton:\n    enabled: false\n',
      [`${FILE}:4:3: rules.unpinned-acton: unknown rule id; did you mean unpinned-action? Known rules: ${IDS}`],
    ],
    ['bad severity', 'rules:\n  unpinned-action:\n    severity: severe\n', [`${FILE}:3:15: rules.unpinned-action.severity: must be one of critical, high, medium, low, info (got "severe")`]],
    ['bad fail-on type', 'fail-on: 3\n', [`${FILE}:1:10: fail-on: must be one of critical, high, medium, low, info, never (got 3)`]],
    [
      'bad option value',
      'rules:\n  unpinned-action:\n    options:\n      policy:\n        actions/*: sha\n',
      [`${FILE}:5:20: rules.unpinned-action.options.policy.actions/*: must be one of hash-pin, ref-pin, any (got "sha")`],
    ],
    [
      'bad option key',
      'rules:\n  unpinned-action:\n    options:\n      policy:\n        actions: any\n',
      [`${FILE}:5:9: rules.unpinned-action.options.policy.actions: invalid key: use \`*\`, \`owner/*\` or \`owner/repo\``],
    ],
    [
      'unknown option',
      'rules:\n  unpinned-action:\n    options:\n      polcy: {}\n',
      [`${FILE}:4:7: rules.unpinned-action.options.polcy: unknown key; did you mean policy? Allowed keys: policy`],
    ],
    ['options for a rule that has none', 'rules:\n  curl-pipe-shell:\n    options: {}\n', [`${FILE}:3:5: rules.curl-pipe-shell.options: unknown key. Allowed keys: enabled, severity`]],
    ['ignore entry without a reason', 'ignore:\n  - rule: curl-pipe-shell\n    path: scripts/**\n', [`${FILE}:2:5: ignore[0]: missing required key reason`]],
    ['ignore entry with an empty reason', "ignore:\n  - rule: '*'\n    reason: '  '\n", [`${FILE}:3:13: ignore[0].reason: must not be empty`]],
    ['ignore entry with an impossible date', 'ignore:\n  - rule: sudo\n    reason: r\n    until: 2025-02-30\n', [`${FILE}:4:12: ignore[0].until: expected a date YYYY-MM-DD, got "2025-02-30"`]],
    ['ignore entry with a date in another format', 'ignore:\n  - rule: sudo\n    reason: r\n    until: 30/06/2026\n', [`${FILE}:4:12: ignore[0].until: expected a date YYYY-MM-DD, got "30/06/2026"`]],
    [
      'ignore entry with an unknown rule id',
      'ignore:\n  - rule: curl-pipe-shel\n    reason: r\n',
      [`${FILE}:2:11: ignore[0].rule: unknown rule id "curl-pipe-shel"; did you mean curl-pipe-shell? Known rules: ${IDS}, *`],
    ],
    ['a string where a list goes', 'paths:\n  exclude: vendor/**\n', [`${FILE}:2:12: paths.exclude: expected a list, got the string "vendor/**"`]],
    ['a list where a map goes', 'rules: [unpinned-action]\n', [`${FILE}:1:8: rules: expected a map, got a list`]],
    ['a map where a list goes', 'ignore:\n  rule: sudo\n', [`${FILE}:2:3: ignore: expected a list, got a map`]],
    ['yes is not a boolean', 'rules:\n  sudo:\n    enabled: yes\n', [`${FILE}:3:14: rules.sudo.enabled: expected true or false, got "yes"`]],
    ['a number where a string goes', 'ignore:\n  - rule: sudo\n    path: 3\n    reason: r\n', [`${FILE}:3:11: ignore[0].path: expected a string, got number 3`]],
    ['a list at the top', '- fail-on\n', [`${FILE}:1:1: expected a map, got a list`]],
    ['YAML syntax error', 'rules:\n  sudo: [1\n', [`${FILE}:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`]],
    ['duplicate key', 'fail-on: high\nfail-on: low\n', [`${FILE}:2:1: invalid YAML: Map keys must be unique`]],
  ])('%s', (_name, text, expected) => {
    expect(errors(text)).toEqual(expected);
  });

  it('reports every problem at once, in line order', () => {
    const got = errors('ignore:\n  - rule: sudo\n    until: 2025-13-01\nfail-on: hihg\nrules:\n  sudo:\n    severity: 1\n');
    expect(got).toEqual([
      `${FILE}:2:5: ignore[0]: missing required key reason`,
      `${FILE}:3:12: ignore[0].until: expected a date YYYY-MM-DD, got "2025-13-01"`,
      `${FILE}:4:10: fail-on: must be one of critical, high, medium, low, info, never (got "hihg")`,
      `${FILE}:7:15: rules.sudo.severity: must be one of critical, high, medium, low, info (got 1)`,
    ]);
  });

  it('accepts an empty file, a file of comments and keys left empty', () => {
    for (const text of ['', '# nothing yet\n', 'paths:\nrules:\nignore:\n']) {
      expect(parse(text)).toEqual({ file: FILE, paths: { include: [], exclude: [] }, rules: {}, ignore: [] });
    }
  });

  it('reads a full file, with the position of every ignore entry', () => {
    const text = [
      'fail-on: medium',
      'paths:',
      '  include: [services/, .github/]',
      "  exclude: ['**/testdata/**']",
      'rules:',
      '  self-hosted-runner:',
      '    enabled: false',
      '  excessive-permissions:',
      '    severity: high',
      '  unpinned-action:',
      '    options:',
      '      policy:',
      '        actions/*: ref-pin',
      '        my-org/*: any',
      'ignore:',
      '  - rule: curl-pipe-shell',
      '    path: scripts/vendor/**',
      '    reason: vendored installer',
      '    until: 2026-06-30',
      "  - {rule: '*', reason: generated}",
      '',
    ].join('\n');
    expect(parse(text)).toEqual({
      file: FILE,
      failOn: 'medium',
      paths: { include: ['services/', '.github/'], exclude: ['**/testdata/**'] },
      rules: {
        'self-hosted-runner': { enabled: false },
        'excessive-permissions': { severity: 'high' },
        'unpinned-action': { options: { policy: { 'actions/*': 'ref-pin', 'my-org/*': 'any' } } },
      },
      ignore: [
        { rule: 'curl-pipe-shell', path: 'scripts/vendor/**', reason: 'vendored installer', until: '2026-06-30', line: 16, column: 5, endColumn: 26 },
        { rule: '*', reason: 'generated', line: 20, column: 5, endColumn: 35 },
      ],
    });
  });

  it('the committed JSON Schema is the one the validator describes (run `npm run docs`)', () => {
    const committed = JSON.parse(readFileSync(join(import.meta.dirname, '../../schema/portcullis.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(configJsonSchema(rules));
    const schema = configJsonSchema(rules) as { properties: { rules: { properties: Record<string, { properties: Record<string, unknown> }> } } };
    expect(Object.keys(schema.properties.rules.properties).sort().join(', ')).toBe(IDS);
    expect(schema.properties.rules.properties['unpinned-action']!.properties['options']).toMatchObject({
      type: 'object',
      properties: { policy: { type: 'object', additionalProperties: { enum: ['hash-pin', 'ref-pin', 'any'] } } },
    });
  });
});

const WORKFLOW = [
  'on: push',
  'permissions: {}',
  'jobs:',
  '  t:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '        with:',
  '          persist-credentials: false',
  '      - uses: my-org/tool@main',
  '      - uses: my-org/other@v1',
  '',
].join('\n');
const FILES = { '.github/workflows/ci.yml': WORKFLOW, Dockerfile: 'FROM node:20\nUSER node\n' };
const scan = (configText: string, extra: Parameters<typeof scanFiles>[1] = {}) => scanFiles(FILES, { config: parse(configText), today: '2026-01-15', ...extra });
const lines = (r: ReturnType<typeof scanFiles>, rule = 'unpinned-action') => r.findings.filter((f) => f.ruleId === rule).map((f) => f.line);

describe('the config in the pipeline', () => {
  it('fail-on: the flag or input wins over the config, the config over the default', () => {
    const medium = 'rules:\n  unpinned-action:\n    severity: medium\n';
    const files = { '.github/workflows/ci.yml': WORKFLOW };
    expect(scanFiles(files, { config: parse(medium) }).failOn).toBe('high');
    expect(scanFiles(files, { config: parse(medium) }).summary.result).toBe('pass');
    const configured = scanFiles(files, { config: parse(`fail-on: medium\n${medium}`) });
    expect([configured.failOn, configured.summary.result]).toEqual(['medium', 'fail']);
    const flagged = scanFiles(files, { config: parse(`fail-on: medium\n${medium}`), failOn: 'high' });
    expect([flagged.failOn, flagged.summary.result]).toEqual(['high', 'pass']);
  });

  it('a severity override applies before gating and changes the verdict', () => {
    expect(scan('').summary.result).toBe('fail');
    const r = scan('rules:\n  unpinned-action:\n    severity: low\n', { rules: rules.filter((x) => x.id === 'unpinned-action') });
    expect(r.findings.map((f) => f.severity)).toEqual(['low', 'low', 'low']);
    expect(r.summary).toMatchObject({ blocking: 0, result: 'pass', bySeverity: { low: 3, high: 0 } });
  });

  it('a disabled rule does not run', () => {
    expect(lines(scan(''))).toEqual([7, 10, 11]);
    expect(lines(scan('rules:\n  unpinned-action:\n    enabled: false\n'))).toEqual([]);
  });

  it('paths.include keeps only matching paths; paths.exclude drops them', () => {
    const paths = (text: string) => [...new Set(scan(text).findings.map((f) => f.path))];
    expect(paths('')).toEqual(['.github/workflows/ci.yml', 'Dockerfile']);
    expect(paths('paths:\n  include: [.github/]\n')).toEqual(['.github/workflows/ci.yml']);
    expect(paths("paths:\n  include: ['**/Dockerfile']\n")).toEqual(['Dockerfile']);
    expect(paths("paths:\n  exclude: ['.github/**']\n")).toEqual(['Dockerfile']);
    expect(pathMatcher(['services'])('services/api/Dockerfile')).toBe(true);
    expect(pathMatcher(['services'])('services-old/Dockerfile')).toBe(false);
  });

  it('pathMatcher answers as minimatch on the path and on every folder above it (its shortcuts change nothing)', () => {
    const globs = [['**/package-lock.json', '**/yarn.lock'], ['src/**/x.js', '**/.env'], ['**/a.b', 'docs'], ['**/Dockerfile.*', '!**/x'], ['**/a[bc]', '**/q?']];
    const names = ['package-lock.json', 'yarn.lock', 'x.js', '.env', 'a.b', 'docs', 'Dockerfile.dev', 'ab', 'ac', 'q1', 'x', 'src', 'y.env', 'apackage-lock.json'];
    const reference = (list: string[], path: string) => {
      const ms = list.map((g) => new Minimatch(g, { dot: true }));
      const parts = path.split('/');
      return ms.some((m) => parts.some((_, i) => m.match(parts.slice(0, i + 1).join('/'))));
    };
    fc.assert(
      fc.property(fc.constantFrom(...globs), fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 4 }), (list, parts) => {
        const path = parts.join('/');
        expect(pathMatcher(list)(path)).toBe(reference(list, path));
      }),
      { numRuns: 2000 },
    );
  });

  it('paths.exclude and include apply to discovery too, merged with --exclude', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-config-'));
    try {
      for (const [p, text] of Object.entries({ ...FILES, 'b/Dockerfile': 'FROM x\n', 'c/Dockerfile': 'FROM y\n' })) {
        mkdirSync(join(dir, p, '..'), { recursive: true });
        writeFileSync(join(dir, p), text);
      }
      const config = parse("paths:\n  exclude: ['b/**']\n");
      const r = await scanDirectory(dir, { config, exclude: ['c'] });
      expect([...new Set(r.findings.map((f) => f.path))]).toEqual(['.github/workflows/ci.yml', 'Dockerfile']);
      const only = await scanDirectory(dir, { config: parse('paths:\n  include: [c]\n') });
      expect([...new Set(only.findings.map((f) => f.path))]).toEqual(['c/Dockerfile']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an ignore entry marks its findings suppressed (still reported, not blocking), naming the entry', () => {
    const r = scan('ignore:\n  - rule: unpinned-action\n    path: .github/workflows/*.yml\n    reason: pinned by Renovate next sprint\n    until: 2026-01-15\n');
    const mine = r.findings.filter((f) => f.ruleId === 'unpinned-action');
    expect(mine).toHaveLength(3);
    for (const f of mine) expect(f.suppressed).toEqual({ kind: 'external', reason: 'pinned by Renovate next sprint', path: FILE, line: 2 });
    expect(r.findings.filter((f) => f.ruleId === 'ineffective-suppression')).toEqual([]);
    expect(r.summary.suppressed).toBe(3);
    // Only the Dockerfile's findings are left to block.
    expect(r.findings.filter((f) => !f.suppressed).every((f) => f.path === 'Dockerfile')).toBe(true);
  });

  it("an entry whose until has passed no longer suppresses and is reported on the config file's line", () => {
    const r = scan('fail-on: high\nignore:\n  - rule: unpinned-action\n    reason: temporary\n    until: 2026-01-14\n');
    expect(r.findings.filter((f) => f.ruleId === 'unpinned-action' && f.suppressed)).toEqual([]);
    const problems = r.findings.filter((f) => f.ruleId === 'ineffective-suppression');
    expect(problems).toMatchObject([
      {
        path: FILE,
        line: 3,
        column: 5,
        severity: 'low',
        message: 'The ignore entry for unpinned-action expired on 2026-01-14: it no longer suppresses anything; fix the findings, or extend until with a reason',
      },
    ]);
    expect(r.summary.result).toBe('fail');
  });

  it('an entry that matches nothing is reported; one for a disabled rule or the wrong path is not silently accepted', () => {
    const r = scan("ignore:\n  - rule: unpinned-action\n    path: 'other/**'\n    reason: r\n  - rule: '*'\n    path: Dockerfile\n    reason: base image owned by platform\n");
    expect(r.findings.filter((f) => f.ruleId === 'ineffective-suppression').map((f) => [f.line, f.message])).toEqual([
      [2, 'The ignore entry for unpinned-action on other/** matches no finding: remove it'],
    ]);
    expect(r.findings.filter((f) => f.path === 'Dockerfile').every((f) => f.suppressed?.line === 5)).toBe(true);
    const disabled = scan('rules:\n  unpinned-action:\n    enabled: false\nignore:\n  - rule: unpinned-action\n    reason: r\n');
    expect(disabled.findings.filter((f) => f.ruleId === 'ineffective-suppression')).toEqual([]);
    const quiet = scan('rules:\n  ineffective-suppression:\n    enabled: false\nignore:\n  - rule: unpinned-action\n    path: nowhere\n    reason: r\n');
    expect(quiet.findings.filter((f) => f.ruleId === 'ineffective-suppression')).toEqual([]);
  });

  it('unpinned-action policy: the most specific pattern wins', () => {
    const policy = (map: string) => lines(scan(`rules:\n  unpinned-action:\n    options:\n      policy:\n${map}`));
    expect(policy("        '*': ref-pin\n")).toEqual([]);
    expect(policy('        actions/*: ref-pin\n')).toEqual([10, 11]);
    expect(policy('        my-org/*: any\n        my-org/tool: hash-pin\n')).toEqual([7, 10]);
    expect(policy("        '*': any\n        my-org/oth*: hash-pin\n")).toEqual([11]);
    expect(policyFor('Actions/Checkout', { '*': 'any', 'actions/*': 'ref-pin', 'actions/checkout': 'hash-pin' })).toBe('hash-pin');
    expect(policyFor('actions/cache', { '*': 'any', 'actions/*': 'ref-pin', 'actions/c*': 'hash-pin' })).toBe('hash-pin');
    expect(policyFor('other/x', { 'actions/*': 'any' })).toBe('hash-pin');
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-load-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const put = (p: string, text: string) => {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  };

  it('finds .github/portcullis.yml or .portcullis.yml; none is fine; both is an error', () => {
    expect(loadConfig(dir)).toBeUndefined();
    put('.portcullis.yml', 'fail-on: low\n');
    expect(loadConfig(dir)?.config).toMatchObject({ file: '.portcullis.yml', failOn: 'low' });
    put('.github/portcullis.yml', 'fail-on: info\n');
    expect(() => loadConfig(dir)).toThrow(new ConfigError(['.github/portcullis.yml and .portcullis.yml both exist: keep one']));
    rmSync(join(dir, '.portcullis.yml'));
    expect(loadConfig(dir)?.config).toMatchObject({ file: '.github/portcullis.yml', failOn: 'info' });
  });

  it('an explicit file must exist; errors name it as given', () => {
    expect(() => loadConfig(dir, join(dir, 'nope.yml'))).toThrow(`${join(dir, 'nope.yml')}: config file not found`);
    put('conf/gate.yml', 'rules:\n  nope: {}\n');
    expect(() => loadConfig(dir, join(dir, 'conf/gate.yml'))).toThrow(/^conf\/gate\.yml:2:3: rules\.nope: unknown rule id\. Known rules: /);
  });
});
