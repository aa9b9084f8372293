import { describe, expect, it } from 'vitest';
import { isCredentialName, isPlaceholder, knownTokenFormat, nameWords } from '../../src/analysis/credentials.js';

describe('isCredentialName', () => {
  it('splits on separators and camelCase', () => {
    expect(nameWords('dbAPIKey')).toEqual(['db', 'api', 'key']);
    expect(nameWords('my-app.SECRET_value')).toEqual(['my', 'app', 'secret', 'value']);
  });

  it.each([
    'PASSWORD',
    'DB_PASSWORD',
    'MYSQL_ROOT_PASSWD',
    'db-pwd',
    'SMTP_PASS',
    'JWT_SECRET',
    'SECRET_KEY_BASE',
    'GITHUB_TOKEN',
    'NPM_AUTH_TOKEN',
    'apiKey',
    'API_KEY',
    'STRIPE_APIKEY',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_ACCESS_KEY_ID',
    'MINIO_ACCESS_KEY_ID',
    'SSH_PRIVATE_KEY',
    'OAUTH_CLIENT_SECRET',
    'REGISTRY_CREDENTIALS',
    'BASIC_AUTH',
    'GH_PAT',
  ])('%s is a credential name', (name) => expect(isCredentialName(name)).toBe(true));

  it.each([
    'TOKEN_TTL_SECONDS',
    'SESSION_TOKEN_LIFETIME',
    'PASSWORD_MIN',
    'AUTH_HEADER',
    'AUTHOR',
    'PASSENGER_APP_ENV',
    'TOKENIZER_MODEL',
    'MAX_TOKENS',
    'PASSWORD_FILE',
    'DB_PASSWORD_PATH',
    'TOKEN_URL',
    'SECRET_NAME',
    'NODE_VERSION',
    'CLIENT_ID',
    'AUTH_HOST',
    'DB_PORT',
    'DB_USER',
    'DB_USERNAME',
    'SECRETS_DIR',
    'PUBLIC_KEY',
    'NEXT_PUBLIC_API_KEY',
    'PWD',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'GPG_KEY',
    'CACHE_KEY',
    'KEYCLOAK_URL',
    'PATH',
  ])('%s is not a credential name', (name) => expect(isCredentialName(name)).toBe(false));
});

describe('knownTokenFormat', () => {
  const a36 = 'A1b2C3d4E5'.repeat(3) + 'A1b2C3';
  it.each([
    [`ghp_${a36}`, 'GitHub token'],
    [`https://x:ghs_${a36}@github.com/o/r`, 'GitHub token'],
    [
      'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVW',
      'GitHub fine-grained token',
    ],
    ['AKIAIOSFODNN7EXAMPLE', 'AWS access key id'],
    ['xoxb-123456789012-abcdefghij', 'Slack token'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nabc', 'private key'],
    ['-----BEGIN PRIVATE KEY-----', 'private key'],
    ['sk_live_' + 'a'.repeat(24), 'Stripe live key'],
    ['AIza' + 'B'.repeat(35), 'Google API key'],
    [`npm_${a36}`, 'npm token'],
  ])('%s → %s', (value, name) => expect(knownTokenFormat(value)).toBe(name));

  it.each([
    'ghp_short',
    `xghp_${a36}`,
    'AKIAlower0000000000',
    'sk_test_' + 'a'.repeat(24),
    '-----BEGIN PUBLIC KEY-----',
    'hello',
  ])('%s is not a known format', (value) => expect(knownTokenFormat(value)).toBeUndefined());
});

describe('isPlaceholder', () => {
  it.each([
    '',
    '  ',
    'changeme',
    'CHANGE_ME',
    'xxx',
    'XXXXXXXX',
    '****',
    '<token>',
    '${VAR}',
    '$VAR',
    '${NPM_TOKEN:-}',
    'dummy',
    'example',
    'your-token-here',
  ])('%j is a placeholder', (v) => expect(isPlaceholder(v)).toBe(true));
  it.each(['s3cr3t', 'hunter2', 'abc$DEF', 'password123', 'x'])('%j is not', (v) =>
    expect(isPlaceholder(v)).toBe(false),
  );
});
