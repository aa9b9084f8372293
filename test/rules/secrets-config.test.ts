import { describe, expect, it } from 'vitest';
import { isDotenvPath, isReferenceOnly, isTrivialSetting, parseDotenv } from '../../src/analysis/dotenv.js';
import { tlsConfigFormat, tlsConfigSettings } from '../../src/analysis/tls-config.js';
import { findRule } from '../../src/rules/index.js';
import { toJsonReport } from '../../src/reporters/json.js';
import { toSarif } from '../../src/reporters/sarif.js';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const scan = (id: string, files: Record<string, string>) => scanFiles(files, { rules: [findRule(id)!] });
const spans = (id: string, files: Record<string, string>) =>
  scan(id, files).findings.map((f) => [f.path, f.line, f.column, f.endLine, f.endColumn, f.severity]);

describe('dotenv analysis (pure)', () => {
  it('recognises committed dotenv files, not templates or code', () => {
    for (const p of ['.env', 'api/.env', '.env.local', '.env.production', 'a/b/.env.development.local', '.env.test', '.env.keys'])
      expect(isDotenvPath(p), p).toBe(true);
    for (const p of ['.env.example', '.env.sample', '.env.template', '.env.dist', '.env.defaults', '.env.schema', '.env.local.example',
      'web/.env.production.sample', '.env.vault', '.envrc', 'env', 'prod.env', '.env.ts', '.env.d.ts', '.env.json', '.env/bin/activate', 'x.env.local'])
      expect(isDotenvPath(p), p).toBe(false);
  });

  it('parses export, quotes (multi-line), comments and empty values with exact spans', () => {
    const text = [
      '# comment',
      '',
      'A=1',
      'export B = "two words" # note',
      "C='single # not a comment'",
      'D=plain # trailing comment',
      'E=',
      'F=""',
      'G="line1',
      'line2"',
      'H: colon-style',
      '  I=#only a comment',
      'not an assignment',
    ].join('\n');
    const got = parseDotenv(text).map((a) => [a.name, a.value, a.span.line, a.span.column, a.span.endLine, a.span.endColumn]);
    expect(got).toEqual([
      ['A', '1', 3, 1, 3, 4],
      ['B', 'two words', 4, 1, 4, 23],
      ['C', 'single # not a comment', 5, 1, 5, 27],
      ['D', 'plain', 6, 1, 6, 8],
      ['E', '', 7, 1, 7, 3],
      ['F', '', 8, 1, 8, 5],
      ['G', 'line1\nline2', 9, 1, 10, 7],
      ['H', 'colon-style', 11, 1, 11, 15],
      ['I', '', 12, 3, 12, 5],
    ]);
  });

  it('tells references and plain settings from values', () => {
    for (const v of ['${A}', '$A', '${HOST}:${PORT}', '${A:-}']) expect(isReferenceOnly(v), v).toBe(true);
    for (const v of ['abc', '$HOME/.cache', 'x${A}', '']) expect(isReferenceOnly(v), v).toBe(false);
    expect(isTrivialSetting('NODE_ENV', 'development')).toBe(true);
    expect(isTrivialSetting('PORT', '3000')).toBe(true);
    expect(isTrivialSetting('DEBUG', 'true')).toBe(true);
    expect(isTrivialSetting('API_URL', 'https://api.example.com/v1')).toBe(true);
    expect(isTrivialSetting('CACHE_DIR', './tmp/cache')).toBe(true);
    expect(isTrivialSetting('DATABASE_URL', 'postgres://app:pw@db/app')).toBe(false);
    expect(isTrivialSetting('DB_PASSWORD', '3000')).toBe(false);
    expect(isTrivialSetting('DB_PASSWORD', 'changeme')).toBe(true);
    expect(isTrivialSetting('APP_SECRET', 'development')).toBe(false);
    expect(isTrivialSetting('REGION', 'eu-west-1')).toBe(false);
  });
});

describe('committed-dotenv', () => {
  const SECRET = 'k7Qz2Lw9Xp4Rt8Vm-dotenv';

  it('reports once per file, at the first secret-looking value, naming variables but never values', () => {
    const text = `# local\nNODE_ENV=development\nPORT=3000\nexport STRIPE_SECRET_KEY="${SECRET}"\nDB_PASSWORD=${SECRET}2\nEMPTY=\n`;
    const { findings, secrets } = scan('committed-dotenv', { 'api/.env.local': text });
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect([f.line, f.column, f.endLine, f.endColumn, f.severity]).toEqual([4, 1, 4, 51, 'high']);
    expect(f.message).toContain('4 variables that have values, 2 of them credentials (STRIPE_SECRET_KEY, DB_PASSWORD)');
    expect(f.message).toContain('git rm --cached api/.env.local');
    expect(f.message).toContain('.env.example');
    expect(f.message).toContain('rotate');
    expect(JSON.stringify(findings)).not.toContain(SECRET.slice(0, 5));
    expect(secrets!.values()).toEqual([SECRET, `${SECRET}2`]);
  });

  it('reads a compose variable file of versions, image names, time zones and hosts as settings, and word passwords as local defaults', () => {
    // the shape of a demo's compose .env: image versions and names, build refs, ports, paths, a placeholder hostname
    const settings =
      'IMAGE_VERSION=2.1.0\nIMAGE_NAME=ghcr.io/acme/demo\nDEMO_VERSION=latest\nGO_REF=4f07059567fa61c80397126e8063dbbde011b794\n' +
      'COLLECTOR_IMAGE=ghcr.io/acme/collector:0.120.0\nTIMEZONE=Etc/UTC\nVPN_SERVER_URL=your-domain.dyndns.example # a free one will do\n' +
      'OTEL_EXPORTER_OTLP_ENDPOINT=http://${OTEL_HOST}:${OTEL_PORT}\nIPV6_ENABLED=false\nHOST_FILESYSTEM=/\nPOSTGRES_PASSWORD=changeit\n';
    const [low] = scan('committed-dotenv', { '.env': settings }).findings;
    expect([low!.severity, low!.line]).toEqual(['low', 1]);
    expect(low!.message).toContain('all of which look like settings');
    expect(low!.message).not.toContain('rotate');
    const [medium] = scan('committed-dotenv', { '.env': `${settings}POSTGRES_APP_PASSWORD=app_password  # defined in init.sql\n` }).findings;
    expect([medium!.severity, medium!.line]).toEqual(['medium', 12]);
    expect(medium!.message).toContain('1 of them a plain-word password, likely a local default (POSTGRES_APP_PASSWORD)');
    expect(medium!.message).not.toContain('rotate');
  });

  it('is low when every value is a plain setting, and silent for empty, placeholder and reference-only files', () => {
    expect(spans('committed-dotenv', { '.env': 'NODE_ENV=development\nPORT=3000\nDEBUG=false\nAPI_URL=https://api.example.com\n' })).toEqual([
      ['.env', 1, 1, 1, 21, 'low'],
    ]);
    expect(spans('committed-dotenv', { '.env': '# nothing\n\nA=\nB=""\nC=${C}\nD=$D\nTOKEN=<your token>\nE=${HOST}:${PORT}\n' })).toEqual([]);
    expect(spans('committed-dotenv', { '.env.example': 'API_KEY=9f8e7d6c5b4a39281706\n' })).toEqual([]);
  });

  it('masks the password of a URL with credentials, not the whole URL nor plain settings', () => {
    const { findings, secrets } = scan('committed-dotenv', { '.env': 'PORT=3000\nDATABASE_URL=postgres://app:Tr0ub4dor-and-3@db:5432/app\n' });
    expect(findings.map((f) => [f.line, f.severity])).toEqual([[2, 'high']]);
    expect(secrets!.values()).toEqual(['Tr0ub4dor-and-3']);
  });

  it('keeps its fingerprint when values change (the key never holds a value)', () => {
    const a = scan('committed-dotenv', { '.env': 'API_TOKEN=first-value-123456\n' }).findings[0]!;
    const b = scan('committed-dotenv', { '.env': 'API_TOKEN=second-value-654321\n' }).findings[0]!;
    expect(a.fingerprint).toBe(b.fingerprint);
  });
});

describe('secret values side channel', () => {
  const TOKEN = `ghp_${'Z9y8X7w6V5'.repeat(3)}Z9y8X7`;
  const PW = 'q8Zr-Vw3mKp7xYtJ2';

  it('collects raw values from secret-in-env and hardcoded-credential, while no finding or report carries them', () => {
    const files = {
      Dockerfile: `FROM alpine:3.20\nENV DB_PASSWORD=${PW}\nLABEL t="${TOKEN}"\n`,
      '.github/workflows/ci.yml': `on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    env:\n      DEPLOY_API_KEY: ${PW}\n    steps:\n      - run: make\n`,
      '.env': `GITHUB_TOKEN=${TOKEN}\n`,
    };
    const result = scanFiles(files);
    expect(new Set(result.secrets!.values())).toEqual(new Set([PW, TOKEN]));
    expect(result.secrets!.values().length).toBe(2); // deduplicated
    const outputs = [JSON.stringify(result.findings), JSON.stringify(toJsonReport(result)), JSON.stringify(toSarif(result, rules, { version: '0.0.0' }))];
    for (const out of outputs) {
      for (const secret of [PW, TOKEN]) for (let i = 0; i + 5 <= secret.length; i++) expect(out).not.toContain(secret.slice(i, i + 5));
    }
    for (const f of result.findings) expect(Object.keys(f)).not.toContain('secretValue');
  });
});

describe('tls-verification-disabled in tool config files', () => {
  const id = 'tls-verification-disabled';

  it('knows each config file by its name', () => {
    const cases: [string, string | undefined][] = [
      ['.npmrc', 'npmrc'], ['web/.npmrc', 'npmrc'], ['.yarnrc', 'yarnrc'], ['.yarnrc.yml', 'yarnrc-yml'], ['pip.conf', 'pip'],
      ['ci/pip.ini', 'pip'], ['.gitconfig', 'gitconfig'], ['etc/gitconfig', 'gitconfig'], ['ci.gitconfig', 'gitconfig'],
      ['dotfiles/git/config', 'gitconfig'], ['.curlrc', 'curlrc'], ['_curlrc', 'curlrc'], ['.wgetrc', 'wgetrc'], ['.condarc', 'condarc'],
      ['.bowerrc', 'bowerrc'], ['.gemrc', 'gemrc'], ['.bundle/config', 'bundler'], ['config', undefined], ['npmrc.md', undefined],
      ['.gitignore', undefined], ['gitconfig.ts', undefined], ['.env', undefined],
    ];
    for (const [p, f] of cases) expect(tlsConfigFormat(p), p).toBe(f);
  });

  it('flags each format on the exact setting span', () => {
    expect(spans(id, { '.npmrc': 'registry=https://r.example.com/\n  strict-ssl = false ; corp proxy\n' })).toEqual([['.npmrc', 2, 3, 2, 34, 'high']]);
    expect(spans(id, { '.npmrc': 'strict-ssl="false"\n' })).toEqual([['.npmrc', 1, 1, 1, 19, 'high']]);
    expect(spans(id, { '.yarnrc': '"strict-ssl" false\n' })).toEqual([['.yarnrc', 1, 1, 1, 19, 'high']]);
    expect(spans(id, { '.yarnrc.yml': 'enableStrictSsl: "false"  # proxy\n' })).toEqual([['.yarnrc.yml', 1, 1, 1, 34, 'high']]);
    expect(spans(id, { 'pip.ini': '[install]\ntrusted-host = a.example.com b.example.com\n' })).toEqual([['pip.ini', 2, 1, 2, 43, 'high']]);
    expect(spans(id, { 'pip.conf': '[global]\ntrusted_host:\n    a.example.com\n    b.example.com\n\n[x]\n' })).toEqual([['pip.conf', 2, 1, 4, 18, 'high']]);
    expect(spans(id, { '.gitconfig': '[HTTP]\n\tSSLVerify = no\n' })).toEqual([['.gitconfig', 2, 2, 2, 16, 'high']]);
    expect(spans(id, { '.gitconfig': '[http "https://git.example.com/"]\n  sslverify =\n' })).toEqual([['.gitconfig', 2, 3, 2, 14, 'high']]);
    expect(spans(id, { '.gitconfig': '[http] sslVerify = false\n' })).toEqual([['.gitconfig', 1, 8, 1, 25, 'high']]);
    expect(spans(id, { '.curlrc': '-k\n--insecure\nproxy-insecure\n' }).map((s) => s[1])).toEqual([1, 2, 3]);
    expect(spans(id, { '.wgetrc': 'CheckCertificate=off\n' })).toEqual([['.wgetrc', 1, 1, 1, 21, 'high']]);
    expect(spans(id, { '.condarc': 'ssl_verify: False\n' })).toEqual([['.condarc', 1, 1, 1, 18, 'high']]);
    expect(spans(id, { '.bowerrc': '{"registry": "x",\n "strict-ssl": false\n}\n' })).toEqual([['.bowerrc', 2, 2, 2, 21, 'high']]);
    expect(spans(id, { '.gemrc': '---\n:ssl_verify_mode: 0\n' })).toEqual([['.gemrc', 2, 1, 2, 20, 'high']]);
    expect(spans(id, { '.bundle/config': '---\nBUNDLE_SSL_VERIFY_MODE: "0"\n' })).toEqual([['.bundle/config', 2, 1, 2, 28, 'high']]);
  });

  it('names the setting and the fix in the message, and hides URL credentials of a gitconfig section', () => {
    const [npm] = scan(id, { '.npmrc': 'strict-ssl=false\n' }).findings;
    expect(npm!.message).toMatch(/^`strict-ssl=false` in \.npmrc makes npm accept any registry certificate: .*npm config set cafile/);
    const [pip] = scan(id, { 'pip.conf': '[global]\ntrusted-host = pypi.example.com\n' }).findings;
    expect(pip!.message).toContain('trust pypi.example.com');
    const [git] = scan(id, { '.gitconfig': '[http "https://bot:hunter2pw@git.example.com/"]\n  sslVerify = false\n' }).findings;
    expect(git!.message).toContain('for https://git.example.com/');
    expect(git!.message).not.toContain('hunter2');
  });

  it('stays silent for safe values, other keys, comments and other files', () => {
    const silent: Record<string, string>[] = [
      { '.npmrc': 'strict-ssl=true\n# strict-ssl=false\n; strict-ssl=false\n//r.example.com/:_authToken=${NPM_TOKEN}\n' },
      { '.yarnrc': 'strict-ssl true\n# strict-ssl false\n' },
      { '.yarnrc.yml': 'enableStrictSsl: true\n# enableStrictSsl: false\n' },
      { 'pip.conf': '[global]\n# trusted-host = a\ntrusted-host =\n\nindex-url = https://x\n' },
      { '.gitconfig': '[http]\n  sslVerify\n  sslVerify = true\n[core]\n  sslVerify = false\n[remote "origin"]\n  sslVerify = false\n' },
      { '.curlrc': '# insecure\nno-insecure\nsilent\n--cacert /etc/ca.pem\n' },
      { '.wgetrc': 'check_certificate = on\n' },
      { '.condarc': 'ssl_verify: true\nchannels:\n  ssl_verify: false\n' },
      { '.bowerrc': '{"strict-ssl": true}\n' },
      { '.gemrc': ':ssl_verify_mode: 1\n' },
      { 'README.md': 'Set strict-ssl=false in .npmrc\nssl_verify: false\n' },
      { 'config.ini': '[http]\nsslVerify = false\n' },
    ];
    for (const files of silent) expect(spans(id, files), JSON.stringify(files)).toEqual([]);
  });

  it('pure: returns every hit of a file', () => {
    expect(tlsConfigSettings('npmrc', 'strict-ssl=false\nstrict-ssl=0\n').map((h) => h.at.line)).toEqual([1, 2]);
  });
});
