import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useActionEnvironment } from '../support/action-env.js';
import { reportPathIn } from '../support/runner-files.js';
import { leaks } from '../support/leaks.js';
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
    const secrets = { PW, TOKEN, 'key body': KEY.split('\n')[1]! };
    expect(leaks(rest, secrets)).toEqual([]);
    expect(leaks(report, secrets)).toEqual([]);
  });

  it('masks only credentials by format or by entropy and length, never words a pull request calls a password', async () => {
    const ENTROPY = 'q8Zr-Vw3mKp7xYtJ2';
    writeFileSync(join(action.ws, '.env'), `PASSWORD=failure\nDB_PASSWORD=FAILED\nAPI_SECRET=Portcullis\nGITHUB_TOKEN=${TOKEN}\nSIGNING_KEY=${ENTROPY}\n`);
    writeFileSync(
      join(action.ws, 'compose.yaml'),
      `services:\n  db:\n    image: postgres:17@sha256:${'a'.repeat(64)}\n    user: "999"\n    environment:\n      POSTGRES_PASSWORD: Portcullis\n      ADMIN_PASSWORD: failure\n`,
    );
    mkdirSync(join(action.ws, '.github/workflows'), { recursive: true });
    writeFileSync(
      join(action.ws, '.github/workflows/ci.yml'),
      'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    container:\n      image: x\n      credentials:\n        username: ci\n        password: FAILED-build\n    steps:\n      - run: make\n',
    );
    await run();
    const masks = action.out.split('\n').filter((l) => l.startsWith('::add-mask::')).map((l) => l.slice('::add-mask::'.length));
    expect(masks.sort()).toEqual([TOKEN, ENTROPY].sort());
    // the words stay readable in the rest of the job's log: the findings name them (redacted) and still block
    expect(action.out).toMatch(/^::error title=portcullis\(committed-dotenv\)/m);
    expect(action.out).toMatch(/^::(error|warning) title=portcullis\(secret-in-env\)/m);
    expect(action.out).toMatch(/^::error title=portcullis\(hardcoded-credential\)/m);
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
