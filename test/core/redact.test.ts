// The one redaction function every output goes through (core/redact.ts): what it shortens, what it leaves alone.
import { describe, expect, it } from 'vitest';
import { checksummed, fake } from '../../src/analysis/secrets/fake.js';
import { quoteSuppression, redact, redactText, ValueSet } from '../../src/core/redact.js';

const PW = fake(20, undefined, 501);
const TOKEN = checksummed('ghp_', 502);

describe('redactText', () => {
  it.each([
    ['URL userinfo with a password', `pip install --index-url https://build:${PW}@pypi.internal.example/simple x`, 'https://buil…[redacted]@pypi.internal.example/simple'],
    ['URL userinfo that is a token', `git+https://${TOKEN}@github.com/acme/lib.git`, 'git+https://ghp_…[redacted]@github.com/acme/lib.git'],
    ['basic auth in a lockfile URL', `http://user:${PW}@npm.internal.example/a/-/a-1.0.0.tgz`, 'http://user…[redacted]@npm.internal.example/a/-/a-1.0.0.tgz'],
    ['npm --registry with userinfo', `npm install --registry https://ci:${PW}@npm.internal.example/ x`, '--registry https://ci:'],
    ['a token-like query parameter', `https://files.example.com/t.tgz?token=${PW}&v=2`, `?token=${PW.slice(0, 4)}…[redacted]&v=2`],
    ['a signed-URL signature', `https://b.example.com/k?X-Amz-Signature=${'ab12'.repeat(8)}&X-Amz-Date=1`, 'X-Amz-Signature=ab12…[redacted]&X-Amz-Date=1'],
    ['curl -u user:pass', `curl -u deploy:${PW} https://x.example.com`, 'curl -u depl…[redacted] https://x.example.com'],
    ['curl --user=user:pass', `curl --user=deploy:${PW} https://x.example.com`, 'curl --user=depl…[redacted]'],
    ['--password value', `tool --password ${PW} --verbose`, 'tool --password '],
    ['--api-token=value', `tool --api-token=${PW}`, 'tool --api-token='],
    ['docker login -p', `docker login -p ${PW} -u me registry.example.com`, 'docker login -p '],
    ['.npmrc _authToken', `//npm.internal.example/:_authToken=${PW}`, '//npm.internal.example/:_authToken='],
    ['an Authorization header', `curl -H "Authorization: Bearer ${PW}" https://x`, 'Authorization: Bearer '],
    ['a credential-named assignment', `DB_PASSWORD: ${PW}`, 'DB_PASSWORD: '],
    ['a token in a folder name', `tools/${TOKEN}/Dockerfile`, 'tools/ghp_…[redacted]/Dockerfile'],
  ])('shortens %s to at most 4 characters', (_what, text, kept) => {
    const out = redactText(text);
    expect(out).toContain(kept);
    expect(out).toContain('…[redacted]');
    for (const secret of [PW, TOKEN.slice(4), 'ab12ab12']) {
      for (let i = 0; i + 5 <= secret.length; i++) if (text.includes(secret)) expect(out).not.toContain(secret.slice(i, i + 5));
    }
    expect(redactText(out)).toBe(out); // idempotent: a log line redacted twice is unchanged
  });

  it.each([
    'ssh://git@github.com/acme/repo.git',
    'docker run -u 1000:1000 alpine',
    'curl -u "$USER:$PASS" https://x.example.com',
    'token: ${{ secrets.NPM_TOKEN }}',
    'persist-credentials: false',
    'echo "$NPM_TOKEN" | docker login --password-stdin ghcr.io',
    'FROM node:20@sha256:' + 'a'.repeat(64),
    'uses: docker://alpine:3.20@sha256:' + 'b'.repeat(64),
    'image: docker://registry.example.com:5000/team/app:1.4@sha512:' + 'c'.repeat(128),
    'uses: actions/checkout@8e5e7e5ab8b370d6c329ec480221332ada57f0ab',
    'Job `build` has no `permissions:` and neither has the workflow',
    'ENV DB_PASSWORD sets a literal secret (Zq8v…[redacted]) that is stored in the image',
  ])('leaves %s alone', (text) => {
    expect(redactText(text)).toBe(text);
  });

  it('finds known values anywhere, whole or cut short, and keeps line breaks', () => {
    const values = new ValueSet([PW, `-----BEGIN X-----\n${fake(64, undefined, 503)}\n-----END X-----`, 'short']);
    expect(redactText(`a ${PW} b`, values)).toBe(`a ${redact(PW)} b`);
    // cut by a rule's clipping: redacted whole, not even its first characters
    expect(redactText(`quoted: ${PW.slice(0, 13)}`, values)).toBe('quoted: …[redacted]');
    // a token format's public prefix is not a cut token: `src/github.ts` stays
    expect(redactText('src/github.ts and github_pat_', new ValueSet([`github_pat_${fake(60, undefined, 504)}`]))).toBe('src/github.ts and github_pat_');
    expect(redactText(`x\n${fake(64, undefined, 503)}\ny`, values)).toBe(`x\n${redact(fake(64, undefined, 503))}\ny`);
    // values shorter than 6 characters are not searched for (they would blank words)
    expect(redactText('a short b', values)).toBe('a short b');
  });

  it('keeps at most 4 characters of a value, fewer for short ones, never its length', () => {
    expect(redact('abcdefghijklmnop')).toBe('abcd…[redacted]');
    expect(redact('abcdefgh')).toBe('ab…[redacted]');
    expect(redact('abc')).toBe('…[redacted]');
  });
});

describe('quoteSuppression', () => {
  it('quotes the rule ids and the reason, redacted, never the code the comment sits on', () => {
    expect(quoteSuppression(`ENV API_TOKEN=${PW} # portcullis: ignore[secret-in-env] rotated, was ${TOKEN}`)).toBe('ignore[secret-in-env] rotated, was ghp_…[redacted]');
    expect(quoteSuppression(`  token: ${PW} # portcullis: ignore[hardcoded-credential, secret-in-env]`)).toBe('ignore[hardcoded-credential, secret-in-env]');
    expect(quoteSuppression(`password=${PW} # portcullis: ignore it`)).toBe('portcullis: ignore (malformed)');
  });

  it('redacts a long reason before shortening it, so no part of a token is quoted, and cuts it between words', () => {
    const quote = quoteSuppression(`x # portcullis: ignore[secret-in-env] ${'word '.repeat(36)}was ${TOKEN} until today`);
    expect(quote).not.toContain(TOKEN.slice(4, 8));
    expect(quote).toMatch(/^ignore\[secret-in-env\] (word ){36}was ghp_…\[redacted\]…$/);
    expect(quote.length).toBeLessThanOrEqual(200 + 'secret-in-env'.length + 9);
  });
});
