import { describe, expect, it } from 'vitest';
import { base62, crc32, hasGithubChecksum, shannonEntropy } from '../../src/analysis/secrets/checksum.js';
import { detectSecrets } from '../../src/analysis/secrets/detect.js';
import { ALNUM, BASE32, BASE64, HEX, checksummed, fake, pemBlock } from '../../src/analysis/secrets/fake.js';
import { SECRET_FORMATS } from '../../src/analysis/secrets/formats.js';
import { isLikelySecret } from '../../src/analysis/secrets/generic.js';
import { DOC_VALUES, isTestPath } from '../../src/analysis/secrets/values.js';
import hardcodedSecret from '../../src/rules/secrets/hardcoded-secret.js';
import { scanFiles } from '../../src/scan.js';

const PATH = 'config/app.env';
const ghp = (seed: number): string => checksummed('gh' + 'p_', seed);

describe('the format table', () => {
  it('has at least 40 formats with unique ids, a documented source, keywords and examples', () => {
    expect(SECRET_FORMATS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(SECRET_FORMATS.map((f) => f.id)).size).toBe(SECRET_FORMATS.length);
    for (const f of SECRET_FORMATS) {
      expect(f.source, f.id).toMatch(/^https:\/\//);
      expect(f.keywords.length, f.id).toBeGreaterThan(0);
      expect(f.examples.positive.length, f.id).toBeGreaterThan(0);
      expect(f.examples.negative.length, f.id).toBeGreaterThan(0);
    }
  });

  describe.each(SECRET_FORMATS.map((f) => [f.id, f] as const))('%s', (id, f) => {
    it.each(f.examples.positive.map((p, i) => [i + 1, p]))('positive #%s raises it, with a span of exactly the secret', (_, text) => {
      const hits = detectSecrets(text, PATH).filter((h) => h.formatId === id);
      expect(hits.length, text).toBeGreaterThan(0);
      for (const h of hits) {
        expect(text.slice(h.start, h.end)).toBe(h.value);
        expect(h.value.length).toBeGreaterThanOrEqual(8);
      }
    });
    it.each(f.examples.negative.map((n, i) => [i + 1, n]))('negative #%s raises nothing', (_, text) => {
      expect(detectSecrets(text, PATH)).toEqual([]);
    });
  });
});

describe('checksums', () => {
  it('computes CRC-32 (IEEE) and base62 as zlib and GitHub do', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
    expect(base62(0)).toBe('000000');
    expect(base62(61)).toBe('00000z');
    expect(base62(62)).toBe('000010');
    expect(base62(0xffffffff)).toBe('4gfFC3');
  });

  it('accepts GitHub and npm tokens with a matching checksum and rejects look-alikes', () => {
    const token = ghp(1);
    expect(hasGithubChecksum(token, 4)).toBe(true);
    const wrong = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0');
    expect(hasGithubChecksum(wrong, 4)).toBe(false);
    expect(detectSecrets(`t=${token}`, PATH).map((h) => [h.formatId, h.confidence])).toEqual([['github-pat', 'high']]);
    // a wrong checksum is not a GitHub token, and the generic detector does not pick the look-alike up either
    expect(detectSecrets(`GITHUB_TOKEN=${wrong}`, PATH)).toEqual([]);
    expect(detectSecrets(`NPM_TOKEN=${checksummed('np' + 'm_', 2).slice(0, -2)}zz`, PATH)).toEqual([]);
  });

  it('measures entropy in bits per character', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
});

describe('AWS access keys', () => {
  const id = `AKIA${fake(16, BASE32, 5)}`;
  const secret = fake(40, BASE64, 6);

  it('reports the secret access key found near its key id, with the id as a related location', () => {
    const text = `[default]\naws_access_key_id = ${id}\nregion = eu-west-1\naws_secret_access_key = ${secret}\n`;
    const hits = detectSecrets(text, PATH);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ formatId: 'aws-access-key', value: secret, severity: 'critical', confidence: 'high' });
    expect(text.slice(hits[0]!.related!.start, hits[0]!.related!.end)).toBe(id);
  });

  it('reports a key id alone as medium, and does not pair it with a git SHA or a far-away value', () => {
    expect(detectSecrets(`AWS_ACCESS_KEY_ID=${id}`, PATH).map((h) => [h.value, h.severity, h.confidence])).toEqual([[id, 'medium', 'medium']]);
    const sha = `AWS_ACCESS_KEY_ID=${id}\nrev: ${fake(40, HEX, 7)}\n`;
    expect(detectSecrets(sha, PATH).map((h) => h.value)).toEqual([id]);
    const far = `AWS_ACCESS_KEY_ID=${id}\n${'\n'.repeat(10)}blob = ${secret}\n`;
    expect(detectSecrets(far, PATH).map((h) => h.value)).toEqual([id]);
  });
});

describe('documentation values and placeholders', () => {
  it('skips every documentation value, whatever the key', () => {
    for (const v of DOC_VALUES) expect(detectSecrets(`api_key = "${v}"\nsecret_key: ${v}\n`, PATH), v).toEqual([]);
  });

  it.each([
    'changeme', 'xxxxxxxxxxxxxxxxxxxx', '<token>', '${API_TOKEN}', '{{ .Values.token }}', '%(token)s', '$API_TOKEN', '***************',
    'your-api-key-here', 'example-key-1234567890', 'dummy-token-1234567890', 'sample_secret_1234567890', 'test', 'process.env.API_KEY',
    "os.environ['API_KEY']", 'sha512-' + fake(86, BASE64, 8), 'https://auth.example.com/oauth/token', 'Token expired. Please sign in again.',
    'API_TOKEN_FROM_VAULT', 'getToken()', 'config.auth.token',
  ])('skips %s assigned to a credential-named key', (value) => {
    expect(detectSecrets(`api_token = ${value}\n"api_token": "${value}"\n`, PATH)).toEqual([]);
  });

  it('reports high-entropy literals assigned to credential-named keys in every assignment style', () => {
    const v = fake(32, ALNUM, 9);
    for (const line of [`api_key = "${v}"`, `apiKey: '${v}'`, `"client_secret": "${v}"`, `export SERVICE_TOKEN=${v}`, `  auth_token: ${v}`, `$password = "${v}";`]) {
      const hits = detectSecrets(line, PATH);
      expect(hits.map((h) => [h.formatId, h.value, h.severity, h.confidence]), line).toEqual([['generic', v, 'high', 'medium']]);
    }
  });

  it('applies the entropy thresholds: long hex, mixed passwords; not short or repetitive values', () => {
    expect(isLikelySecret('api_key', fake(32, HEX, 10))).toBe(true);
    expect(isLikelySecret('api_key', fake(20, HEX, 11))).toBe(false);
    expect(isLikelySecret('DB_PASSWORD', 's3cretPassw0rd')).toBe(true);
    expect(isLikelySecret('DB_PASSWORD', 'password123')).toBe(false);
    expect(isLikelySecret('public_key', fake(32, ALNUM, 12))).toBe(false);
    expect(isLikelySecret('token_url', fake(32, ALNUM, 13))).toBe(false);
    expect(isLikelySecret('tokenizer', fake(32, ALNUM, 14))).toBe(false);
  });

  it('skips credentials in URLs that are variables, empty, defaults or not credentials at all', () => {
    expect(detectSecrets(`DATABASE_URL=postgres://app:${fake(20, ALNUM, 15)}@db:5432/app`, PATH)).toHaveLength(1);
    expect(detectSecrets(`DATABASE_URL=postgres://app:${fake(20, ALNUM, 15)}@localhost:5432/app`, PATH)[0]?.confidence).toBe('low');
  });

  it('skips lockfile integrity hashes even when they contain a token-shaped substring', () => {
    const lock = `{\n  "packages": {\n    "node_modules/x": {\n      "integrity": "sha512-/AIza${fake(35, ALNUM, 16)}=="\n    }\n  }\n}\n`;
    expect(detectSecrets(lock, 'package-lock.json')).toEqual([]);
  });
});

describe('test, fixture, example and documentation paths', () => {
  it('recognises them', () => {
    for (const p of ['test/a.env', 'src/__tests__/x.ts', 'fixtures/repo/.env', 'pkg/testdata/k.pem', 'a/b.test.ts', 'x_test.go', 'tests/test_api.py', 'README.md', 'examples/app.py', 'docs/setup.rst'])
      expect(isTestPath(p), p).toBe(true);
    for (const p of ['src/app.ts', 'config/app.env', 'contest/app.py', 'latest/x.yml', 'requirements.txt']) expect(isTestPath(p), p).toBe(false);
  });

  it('lowers severity and confidence by one step there', () => {
    const text = `token: ${ghp(3)}\napi_key = "${fake(32, ALNUM, 17)}"\n`;
    expect(detectSecrets(text, 'src/app.yml').map((h) => [h.severity, h.confidence])).toEqual([['critical', 'high'], ['high', 'medium']]);
    expect(detectSecrets(text, 'test/fixtures/app.yml').map((h) => [h.severity, h.confidence])).toEqual([['high', 'medium'], ['medium', 'low']]);
  });
});

describe('hardcoded-secret through the engine', () => {
  const planted = SECRET_FORMATS.flatMap((f) => f.examples.positive);
  const text = planted.join('\n\n') + '\n';
  const { findings } = scanFiles({ 'config/everything.conf': text }, { rules: [hardcodedSecret] });
  const values = detectSecrets(text, 'config/everything.conf').map((h) => h.value);

  it('finds a secret of every format, each at exactly its characters', () => {
    const ids = new Set(detectSecrets(text, 'config/everything.conf').map((h) => h.formatId));
    for (const f of SECRET_FORMATS) expect(ids.has(f.id), f.id).toBe(true);
    const lines = text.split('\n');
    expect(findings).toHaveLength(values.length);
    findings.forEach((f, i) => {
      const covered =
        f.line === f.endLine
          ? lines[f.line - 1]!.slice(f.column - 1, f.endColumn - 1)
          : [lines[f.line - 1]!.slice(f.column - 1), ...lines.slice(f.line, f.endLine - 1), lines[f.endLine - 1]!.slice(0, f.endColumn - 1)].join('\n');
      expect(covered).toBe(values[i]);
    });
  });

  it('never leaks more than 4 characters of a planted value into a finding', () => {
    // fingerprints and line hashes are one-way hex digests: a 5-hex-digit coincidence with a hex secret is no leak
    const json = JSON.stringify(findings.map(({ fingerprint: _f, lineHash: _h, ...rest }) => rest));
    // the public part of a format (its prefix, a PEM header) may be named in messages; the rest may not
    const keywords = SECRET_FORMATS.flatMap((f) => f.keywords).sort((a, b) => b.length - a.length);
    const random = (v: string): string =>
      keywords.reduce((rest, k) => rest.split(k).join('\0'), v.replace(/^-----BEGIN [A-Z ]+-----/, '').replace(/-----END [A-Z ]+-----$/, ''));
    for (const v of values.map(random)) for (let i = 0; i + 5 <= v.length; i++) if (!v.slice(i, i + 5).includes('\0')) expect(json.includes(v.slice(i, i + 5)), `${v.slice(0, 4)}… window ${i}`).toBe(false);
  });

  it('gives every finding a fingerprint that does not depend on the line', () => {
    const moved = scanFiles({ 'config/everything.conf': '\n\n\n' + text }, { rules: [hardcodedSecret] }).findings;
    expect(moved.map((f) => f.fingerprint)).toEqual(findings.map((f) => f.fingerprint));
  });

  it('scans a 5 MB file and finds a token planted at its end', () => {
    const filler = 'const keyMap = new Map(); // token, auth and password handling lives in auth.ts\nlet path = "/var/lib/app"; SKIP = 1;\n';
    const big = filler.repeat(Math.ceil((5 * 1024 * 1024) / filler.length)) + `const pem = \`${pemBlock('PRIVATE KEY', 4, 18)}\`;\n`;
    const hits = detectSecrets(big, 'src/big.ts');
    expect(hits.map((h) => h.formatId)).toEqual(['pem-private-key']);
    expect(big.slice(hits[0]!.start).startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
  });
});

describe('the EXAMPLE marker, source code and comments (secretlint comparison findings)', () => {
  it('skips only the exact documentation values, not any value that contains EXAMPLE', () => {
    const secret = `${fake(14, ALNUM, 401)}EXAMPLE${fake(19, ALNUM, 402)}`;
    const pair = `aws_access_key_id = AKIA${'EXAMPLE'}${fake(9, BASE32, 403).toUpperCase()}\naws_secret_access_key = ${secret}\n`;
    expect(detectSecrets(pair, PATH).map((h) => [h.formatId, h.value])).toEqual([['aws-access-key', secret]]);
    const password = `EXAMPLE-${fake(20, ALNUM, 404)}`;
    expect(detectSecrets(`ADMIN_PASSWORD=${password}\n`, PATH).map((h) => h.value)).toEqual([password]);
    const url = `DATABASE_URL=postgres://app_user:EXAMPLE${fake(16, ALNUM, 405)}@db.internal:5432/app`;
    expect(detectSecrets(url, PATH).map((h) => h.formatId)).toEqual(['url-credentials']);
    // the published values and words stay skipped
    for (const v of DOC_VALUES) expect(detectSecrets(`secret = "${v}"`, 'src/aws.ts')).toEqual([]);
    expect(detectSecrets('API_TOKEN=EXAMPLE\nAPI_TOKEN=example-token-1234567890\n', PATH)).toEqual([]);
  });

  it('takes only quoted literals in source code, bare values in config formats', () => {
    const v = fake(32, ALNUM, 406);
    expect(detectSecrets(`const API_TOKEN = "${v}";`, 'src/client.ts')).toHaveLength(1);
    expect(detectSecrets(`const API_TOKEN = '${v}';`, 'src/client.py')).toHaveLength(1);
    expect(detectSecrets(`const API_TOKEN = \`${v}\`;`, 'src/client.js')).toHaveLength(1);
    expect(detectSecrets(`const API_TOKEN = \`${v}\${suffix}\`;`, 'src/client.js')).toEqual([]);
    expect(detectSecrets(`api_token = ${v}`, 'src/client.go')).toEqual([]);
    for (const path of ['.env', 'app.ini', 'conf/app.properties', 'setup.cfg', 'nginx.conf', 'k8s.yaml', 'Cargo.toml', 'run.sh', 'Dockerfile']) {
      expect(detectSecrets(`api_token = ${v}`, path), path).toHaveLength(1);
    }
  });

  it.each([
    ['src/check.js', 'const hasExclamationToken = !!node.exclamationToken;'],
    ['types/index.d.ts', 'type OpeningParenToken = OpeningParenToken$1;'],
    ['types/index.d.ts', 'allAcceptedCredentialIds: Base64URLString[];'],
    ['src/matcher.js', '  pass: matchResult?.pass ?? false,'],
    ['src/tokens.mjs', 'token.end = lastTemplateToken.range[1];'],
    ['src/lexer.js', 'lastSignificantToken = "?InterpolationInJSX";'],
    ['src/lexer.ts', 'const tokenKind = "OpeningParenToken";'],
    ['lib/ja/messages.json', '"Unexpected_token_A_constructor_method_accessor_or_property_was_expected_1068": "予期しないトークンです。コンストラクター",'],
    ['README.md', 'const octokit = new Octokit({ auth: `personal-access-token123` });'],
    ['types/url.d.ts', " * const myURL = new URL('https://abc:xyz@example.com');"],
    ['types/url.d.ts', ' *   href: "https://a:b@xn--g6w251d/?abc#foo",'],
    ['src/db.ts', '// connect with postgres://user:pass@db.internal:5432/app'],
    ['src/db.go', 'db := open(dsn) /* mysql://admin:admin@db.internal/app */'],
    ['src/cache.py', '# redis://user:secret1@cache.internal:6379/0'],
  ])('raises nothing in %s for %s', (path, line) => {
    expect(detectSecrets(`${line}\n`, path)).toEqual([]);
  });

  it('keeps real-looking passwords in URLs inside code comments, and word-like ones outside comments', () => {
    expect(detectSecrets(`// DATABASE_URL=postgres://app:${fake(20, ALNUM, 407)}@db.internal:5432/app`, 'src/db.ts')).toHaveLength(1);
    expect(detectSecrets(`# redis://:${fake(24, ALNUM, 408)}@cache.prod.acme.io:6380/0`, 'src/cache.py')).toHaveLength(1);
    expect(detectSecrets(`const u = 'https://deploy:xyzzyPlugh@api.acme.io';`, 'src/client.ts')).toHaveLength(1);
    expect(detectSecrets(`# https://deploy:xyzzyPlugh@api.acme.io`, 'deploy/notes.conf')).toHaveLength(1);
  });
});
