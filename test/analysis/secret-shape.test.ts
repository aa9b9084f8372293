import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../../src/analysis/secrets/detect.js';
import { ALNUM, BASE64, checksummed, fake, pemBlock } from '../../src/analysis/secrets/fake.js';
import { isMarkerPhrase, isWordLike, notCredentialShaped } from '../../src/analysis/secrets/shape.js';
import { findRule } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const levels = (text: string, path: string) => detectSecrets(text, path).map((h) => [h.formatId, h.severity, h.confidence]);

describe('a value needs a credential shape', () => {
  it.each([
    // Ruby interpolation building a basic-auth string in production code
    ['lib/registry/authed_url_builder.rb', 'basic_auth_details = "#{CGI.escape(username)}:#{CGI.escape(password)}"'],
    ['lib/registry/client.py', 'auth_token = "{user}:{password}".format(user=u, password=p)'],
    ['lib/registry/client.go', 'authToken := fmt.Sprintf("%s:%s", user, pass)'],
    // a regular expression assigned to a credential-looking name
    ['lib/scanner/patterns.py', 'pat = "(?P<token>gh[pousr]_[A-Za-z0-9]{36})"'],
    ['lib/scanner/patterns.rb', 'secret_pattern = "[A-Za-z0-9+/]{40}"'],
    ['config/rules.yml', 'token_pattern: "^[a-f0-9]{40}$"'],
    // the names of secrets, not secrets
    ['.github/mask.yml', 'secret_names: GITHUB_TOKEN,NPM_TOKEN,PYPI_API_TOKEN'],
    // a constant path in a vendored type stub
    ['sorbet/rbi/gems/webrick.rbi', 'WEBrick::HTTPAuth::Authenticator::AuthException = WEBrick::HTTPStatus::Unauthorized'],
    ['sorbet/rbi/gems/webrick.rbi', '#   digest_auth = WEBrick::HTTPAuth::DigestAuth.new config'],
    // URL-parser test strings: a word for a password, a reserved example host
    ['packages/helpers/test/path.test.ts', "'http://user:pass%00@example.com', // Null byte in password"],
    ['packages/helpers/test/path.test.ts', "'http://user:p@ss@example.com', // @ in password"],
    ['sorbet/rbi/gems/uri.rbi', '#   uri = URI.parse("http://john:S3nsit1ve@my.example.com")'],
    ['.vscode/database.yml', '#   DATABASE_URL="postgres://myuser:mypass@localhost/somedatabase"'],
    // public-by-design keys
    ['src/analytics.ts', `const apiKey = "phc_${fake(43, ALNUM, 801)}";`],
    // a documentation value quoted inside a larger literal
    ['pkg/publish_test.go', 'secretData := `AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"`'],
  ])('%s: %s', (path, line) => {
    expect(detectSecrets(`${line}\n`, path)).toEqual([]);
  });

  it('classifies values by shape', () => {
    for (const v of ['${DB_PASSWORD}', '#{password}', '%(password)s', '{password}', '$(cat /run/secrets/x)', '^\\w+$', 'API_KEY, DB_PASSWORD', '/run/secrets/db-password'])
      expect(notCredentialShaped(v), v).toBe(true);
    for (const v of [fake(24, ALNUM, 802), 'Tr0ub4dor-and-3', 'hunter2']) expect(notCredentialShaped(v), v).toBe(false);
    for (const v of ['gitea', 'whalehello', 'mysecretpassword', 'P@ssw0rd', 'astronomy_password', 'pass#23']) expect(isWordLike(v), v).toBe(true);
    for (const v of [fake(16, ALNUM, 803), 'k7Qz2Lw9Xp4Rt8Vm', 'Tr0ub4dor-and-3']) expect(isWordLike(v), v).toBe(false);
    for (const v of ['FAKE_TO_GENERATE_WARNING_OUTPUT', 'your-api-key-here', 'example_123', 'DUMMY_TOKEN']) expect(isMarkerPhrase(v), v).toBe(true);
    expect(isMarkerPhrase(`EXAMPLE-${fake(20, ALNUM, 804)}`)).toBe(false);
  });
});

describe('weak evidence is reported without blocking', () => {
  it('a generic literal in a comment, in the file syntax (ini `;`, SQL `--`), is medium with low confidence', () => {
    expect(levels(`;secret_key = ${fake(20, ALNUM, 805)}\n`, 'grafana/grafana.ini')).toEqual([['generic', 'medium', 'low']]);
    expect(levels(`-- api_token = '${fake(24, ALNUM, 806)}'\n`, 'db/seed.sql')).toEqual([['generic', 'medium', 'low']]);
    expect(levels(`secret_key = ${fake(20, ALNUM, 805)}\n`, 'grafana/grafana.ini')).toEqual([['generic', 'high', 'medium']]);
  });

  it('a generated secret in a development or test configuration is medium with low confidence', () => {
    const line = `  secret_key_base: "${fake(64, BASE64, 807)}",\n`;
    expect(levels(line, 'apps/flags/config/dev.exs')).toEqual([['generic', 'medium', 'low']]);
    expect(levels(line, 'apps/flags/config/runtime.exs')).toEqual([['generic', 'high', 'medium']]);
  });

  it('a word-like password in a URL to a compose service is medium with low confidence; a random one stays critical', () => {
    expect(levels('      DATABASE_URL: mysql://root:whalehello@db:3306/mysql\n', 'compose.yml')).toEqual([['url-credentials', 'medium', 'low']]);
    expect(levels(`      DATABASE_URL: mysql://root:${fake(20, ALNUM, 808)}@db:3306/mysql\n`, 'compose.yml')).toEqual([['url-credentials', 'critical', 'high']]);
  });

  it('a token with EXAMPLE written into it is still reported, with low confidence', () => {
    const hits = detectSecrets(`api_token = EXAMPLE-${fake(24, ALNUM, 809)}\n`, 'config/app.conf');
    expect(hits.map((h) => [h.formatId, h.confidence])).toEqual([['generic', 'low']]);
  });
});

describe('a committed .env file', () => {
  const rules = [findRule('hardcoded-secret')!, findRule('committed-dotenv')!];
  const scan = (files: Record<string, string>) => scanFiles(files, { rules }).findings.map((f) => [f.ruleId, f.severity, f.line]);

  it('reports a known-format token as hardcoded-secret (critical, with its provider) as well as committed-dotenv', () => {
    const findings = scanFiles({ '.env': `NODE_ENV=production\nGITHUB_TOKEN=${checksummed('gh' + 'p_', 810)}\n` }, { rules }).findings;
    expect(findings.map((f) => [f.ruleId, f.severity, f.line])).toEqual([
      ['committed-dotenv', 'high', 2],
      ['hardcoded-secret', 'critical', 2],
    ]);
    expect(findings[1]!.message).toMatch(/GitHub/);
  });

  it('leaves a generic password to committed-dotenv alone', () => {
    expect(scan({ '.env': `DB_PASSWORD=${fake(20, ALNUM, 811)}\n` })).toEqual([['committed-dotenv', 'high', 1]]);
  });
});

describe('secret-in-env on the values it names', () => {
  const run = (files: Record<string, string>) =>
    scanFiles(files, { rules: [findRule('secret-in-env')!] }).findings.map((f) => [f.line, f.severity, f.confidence]);

  it('rates a plain-word password in a compose file that starts its own database as a local default', () => {
    const compose =
      'services:\n  app:\n    image: gitea/gitea:1.22\n    environment:\n      - DB_PASSWD=gitea\n' +
      `      - API_TOKEN=${fake(24, ALNUM, 812)}\n      - DATABASE_PASSWORD=/run/secrets/db-password\n` +
      '  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: gitea\n';
    expect(run({ 'compose.yaml': compose })).toEqual([
      [5, 'medium', 'medium'],
      [6, 'critical', 'high'],
      [11, 'medium', 'medium'],
    ]);
    // the product's own name as its admin password is its stock default
    const grafana = 'services:\n  grafana:\n    image: grafana/grafana:11.0.0\n    environment:\n      - GF_SECURITY_ADMIN_PASSWORD=grafana\n';
    expect(run({ 'compose.yaml': grafana })).toEqual([[5, 'medium', 'medium']]);
    // without a database in the file, a word is still a literal secret
    expect(run({ 'compose.yaml': 'services:\n  app:\n    image: acme/app:1.0\n    environment:\n      - DB_PASSWD=gitea\n' })).toEqual([[5, 'critical', 'high']]);
  });

  it('skips stand-ins spelled out in words, and lowers the confidence of tokens with a marker written in', () => {
    const df = 'FROM alpine:3.20\n' + 'ARG AWS_SECRET_ACCESS_KEY=FAKE_TO_GENERATE_WARNING_OUTPUT\n'.repeat(3) + `ENV API_TOKEN=EXAMPLE-${fake(20, ALNUM, 813)}\n`;
    expect(run({ 'Dockerfile': df })).toEqual([[5, 'critical', 'low']]);
  });
});

describe('private keys in files named as stand-ins', () => {
  it('reports them with low confidence', () => {
    const key = `${pemBlock('RSA PRIVATE KEY', 6, 815)}\n`;
    expect(detectSecrets(key, 'pkg/e2e/fixtures/build-test/ssh/fake_rsa').map((h) => h.confidence)).toEqual(['low']);
    expect(detectSecrets(key, 'deploy/keys/id_rsa').map((h) => h.confidence)).toEqual(['high']);
  });
});
