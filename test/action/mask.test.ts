import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useActionEnvironment } from '../support/action-env.js';
import { reportPathIn } from '../support/runner-files.js';
import { maskableLines } from '../../src/action/mask.js';
import { run } from '../../src/action/main.js';

const PW = 'Jq4v-R8tWz2mXk9P';
const TOKEN = `ghp_${'M3n5B7v9C1'.repeat(3)}M3n5B7`;
const KEY = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAw9mZk1xQf3Lr8Yt2Vb6Nc0Jp4Hs7Gd5Ke1Wa', '-----END RSA PRIVATE KEY-----'].join('\n');

const action = useActionEnvironment('pc-mask-', { debug: true });

describe('secret masking in the action', () => {
  it('prints ::add-mask:: for every found value before any annotation, and the value nowhere else', async () => {
    writeFileSync(join(action.ws, 'Dockerfile'), `FROM alpine:3.20@sha256:${'a'.repeat(64)}\nENV DB_PASSWORD=${PW}\nUSER 10001\n`);
    writeFileSync(join(action.ws, '.env'), `GITHUB_TOKEN=${TOKEN}\nDEPLOY_KEY="${KEY}"\n`);
    await run();
    const lines = action.out.split('\n');
    const masks = lines.filter((l) => l.startsWith('::add-mask::')).map((l) => l.slice('::add-mask::'.length));
    expect(masks).toEqual(expect.arrayContaining([PW, TOKEN, KEY.split('\n')[1]!]));
    expect(masks.filter((m) => m.includes('-----'))).toEqual([]);
    const lastMask = lines.findLastIndex((l) => l.startsWith('::add-mask::'));
    const firstAnnotation = lines.findIndex((l) => /^::(error|warning|notice)\b/.test(l));
    expect(firstAnnotation).toBeGreaterThan(lastMask);
    expect(lines.some((l) => l.startsWith('::error') && l.includes('committed-dotenv'))).toBe(true);
    const rest = lines.filter((l) => !l.startsWith('::add-mask::')).join('\n');
    const report = readFileSync(reportPathIn(process.env['RUNNER_TEMP']!), 'utf8');
    for (const secret of [PW, TOKEN, KEY.split('\n')[1]!]) {
      for (let i = 0; i + 5 <= secret.length; i++) {
        expect(rest).not.toContain(secret.slice(i, i + 5));
        expect(report).not.toContain(secret.slice(i, i + 5));
      }
    }
  });

  it('registers nothing when nothing secret is found', async () => {
    writeFileSync(join(action.ws, 'Dockerfile'), `FROM alpine:3.20@sha256:${'a'.repeat(64)}\nUSER 10001\n`);
    await run();
    expect(action.out).not.toContain('::add-mask::');
  });

  it('masks each line of a multi-line value on its own, trimmed, deduplicated, skipping short lines', () => {
    expect(maskableLines(['abc', 'abcdef', ' abcdef ', 'line-one-x\r\n  line-two-y\n\nok', '-----BEGIN PRIVATE KEY-----\nbody-line\n-----END PRIVATE KEY-----'])).toEqual([
      'abcdef',
      'line-one-x',
      'line-two-y',
      'body-line',
    ]);
  });
});
