import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import latestImageTag from '../../src/rules/containers/latest-image-tag.js';
import runsAsRoot, { defaultsToNonRoot } from '../../src/rules/containers/runs-as-root.js';
import secretInEnv from '../../src/rules/containers/secret-in-env.js';
import unpinnedImage from '../../src/rules/containers/unpinned-image.js';
import { parseImageRef } from '../../src/analysis/image-ref.js';
import { scanFiles } from '../../src/scan.js';

const RULES = [latestImageTag, unpinnedImage, secretInEnv, runsAsRoot];
const D = 'sha256:' + '0123456789abcdef'.repeat(4);

function scan(text: string, only?: string): Finding[] {
  const { findings } = scanFiles({ Dockerfile: text }, { rules: RULES });
  return only ? findings.filter((f) => f.ruleId === only) : findings;
}

const at = (f: Finding) => [f.line, f.column, f.endLine, f.endColumn];

describe('latest-image-tag and unpinned-image', () => {
  it('raise at most one of the two per image reference', () => {
    const text = [
      'FROM node AS a', // latest (no tag)
      'FROM node:latest AS b', // latest
      'FROM node:22 AS c', // unpinned
      `FROM node:22@${D} AS d`, // neither
      `FROM node@${D} AS e`, // neither
      'FROM A', // earlier stage: neither
      'FROM scratch', // neither
      'COPY --from=alpine /a /a', // latest
      'COPY --from=alpine:3.20 /a /a', // unpinned
      'COPY --from=1 /a /a', // stage index: neither
      'COPY --from=c /a /a', // stage name: neither
      'RUN --mount=type=bind,from=busybox:1.36,target=/b true', // unpinned
      '',
    ].join('\n');
    const findings = scan(text).filter((f) => f.ruleId !== 'runs-as-root');
    const byLine = new Map<number, string[]>();
    for (const f of findings) byLine.set(f.line, [...(byLine.get(f.line) ?? []), f.ruleId]);
    expect(Object.fromEntries(byLine)).toEqual({
      1: ['latest-image-tag'],
      2: ['latest-image-tag'],
      3: ['unpinned-image'],
      8: ['latest-image-tag'],
      9: ['unpinned-image'],
      12: ['unpinned-image'],
    });
  });

  it('gives exact spans and a message with the fix', () => {
    const [f] = scan('FROM  --platform=linux/amd64 node:22.11 AS build\n', 'unpinned-image');
    expect(at(f!)).toEqual([1, 30, 1, 40]);
    expect(f!.message).toContain('FROM node:22.11@sha256:<digest>');
    const [g] = scan('FROM alpine:3.20@' + D + '\nCOPY --from=nginx /a /b\n', 'latest-image-tag');
    expect(at(g!)).toEqual([2, 13, 2, 18]);
    expect(g!.message).toContain('COPY --from=nginx:<version>@sha256:<digest>');
  });

  it('resolves ARGs with Docker scoping, and lowers confidence when it cannot', () => {
    expect(scan('ARG V=22\nFROM node:${V}\n', 'unpinned-image')[0]).toMatchObject({ confidence: 'high', line: 2 });
    expect(scan(`ARG V=22@${D}\nFROM node:$V\n`, 'unpinned-image')).toEqual([]);
    const low = scan('ARG V\nFROM node:${V}\n', 'unpinned-image');
    expect(low).toHaveLength(1);
    expect(low[0]).toMatchObject({ confidence: 'low' });
    expect(low[0]!.message).toContain('ARG V');
    // a stage-local ARG is not visible to FROM
    const stageLocal = scan('FROM alpine:3@' + D + '\nARG IMG=busybox:1\nFROM ${IMG}\n', 'unpinned-image');
    expect(stageLocal).toMatchObject([{ confidence: 'low', line: 3 }]);
    const latestLow = scan('ARG REG\nFROM ${REG}/node\n', 'latest-image-tag');
    expect(latestLow).toMatchObject([{ confidence: 'low' }]);
  });

  it('handles lower-case instructions and stage names used through an ARG', () => {
    expect(scan('from node:22 as build\nfrom build\n', 'unpinned-image').map((f) => f.line)).toEqual([1]);
    expect(
      scan('ARG S=build\nFROM node:22@' + D + ' AS build\nFROM ${S}\n').filter((f) => f.ruleId !== 'runs-as-root'),
    ).toEqual([]);
  });
});

describe('secret-in-env', () => {
  const secret = 'Zq9-very-secret-Value-77';

  it('never lets the value out: not in the message, nor anywhere in the finding', () => {
    const token = 'ghp_' + 'Ab1Cd2Ef3G'.repeat(3) + 'h4Ij5K';
    const text = `FROM alpine:3.20\nENV DB_PASSWORD=${secret}\nLABEL x="${token}"\nARG API_KEY="${secret}"\n`;
    const findings = scan(text, 'secret-in-env');
    expect(findings.map((f) => f.line)).toEqual([2, 3, 4]);
    const json = JSON.stringify(findings);
    for (const value of [secret, token]) {
      expect(json).not.toContain(value);
      expect(json).not.toContain(value.slice(0, 8));
      expect(json).not.toContain(value.slice(-8));
    }
    expect(findings[0]!.message).toContain('Zq9-…[redacted]');
  });

  it('points at the name=value pair, in both ENV forms', () => {
    const [f, g] = scan(`FROM alpine:3.20\nENV A=1 TOKEN="${secret}"\nENV MY_SECRET ${secret}\n`, 'secret-in-env');
    expect(at(f!)).toEqual([2, 9, 2, 15 + secret.length + 2]);
    expect(at(g!)).toEqual([3, 5, 3, 15 + secret.length]);
  });

  it('keeps the fingerprint free of the value and stable when the value changes', () => {
    const a = scan(`FROM alpine:3.20\nENV DB_PASSWORD=${secret}\n`, 'secret-in-env')[0]!;
    const b = scan(`FROM alpine:3.20\nENV DB_PASSWORD=other-secret-value\n`, 'secret-in-env')[0]!;
    expect(a.fingerprint).toBe(b.fingerprint);
  });

  it('reports a secret-named ARG without a value that a RUN reads: medium in the image, low in a build stage, not at all unread', () => {
    const df =
      'FROM node:22 AS build\nARG NPM_TOKEN\nRUN echo "//registry.example/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci\nARG UNUSED_TOKEN\n' +
      'FROM node:22\nARG GITHUB_TOKEN=\nRUN git clone https://x:$GITHUB_TOKEN@git.example/a.git\nCOPY --from=build /app /app\n';
    expect(scan(df, 'secret-in-env').map((f) => [f.line, f.severity])).toEqual([
      [2, 'low'],
      [6, 'medium'],
    ]);
  });

  it('lowers the severity in a stage the final image does not use', () => {
    const text = [
      'FROM alpine:3.20 AS unused',
      `ENV API_TOKEN=${secret}`,
      'FROM alpine:3.20 AS build',
      `ENV API_TOKEN=${secret}`,
      'FROM alpine:3.20',
      'COPY --from=build /out /out',
      `ENV API_TOKEN=${secret}`,
      '',
    ].join('\n');
    expect(scan(text, 'secret-in-env').map((f) => [f.line, f.severity])).toEqual([
      [2, 'medium'],
      [4, 'critical'],
      [7, 'critical'],
    ]);
  });

  it('stays silent on references, placeholders, settings and non-credential names', () => {
    const text = [
      'FROM alpine:3.20',
      'ARG CI_VALUE',
      'ENV API_TOKEN=$CI_VALUE DB_PASSWORD=${DB_PASSWORD} SECRET=changeme JWT_SECRET="<jwt-secret>"',
      'ENV AUTH_ENABLED=true AUTH_REQUIRED=yes PASSWORD_FILE=/run/secrets/pw AUTHOR=me TOKENIZER_MODEL=bert',
      'LABEL password=hunter2-not-a-token',
      '',
    ].join('\n');
    expect(scan(text, 'secret-in-env')).toEqual([]);
  });
});

describe('runs-as-root', () => {
  it('points at the final FROM when no USER is set', () => {
    const [f] = scan('FROM node:22 AS build\nUSER node\nFROM node:22-slim\nCMD ["x"]\n', 'runs-as-root');
    expect(at(f!)).toEqual([3, 1, 3, 18]);
  });

  it('takes USER from the stages the final stage is built FROM', () => {
    expect(scan('FROM alpine:3 AS base\nUSER app\nFROM base AS mid\nFROM mid\n', 'runs-as-root')).toEqual([]);
    const [f] = scan('FROM alpine:3 AS base\nUSER root:root\nFROM base\n', 'runs-as-root');
    expect(at(f!)).toEqual([2, 1, 2, 15]);
    expect(f!.related[0]).toMatchObject({ at: { line: 3 } });
  });

  it('only the last USER counts', () => {
    expect(scan('FROM alpine:3\nUSER root\nRUN apk add curl\nUSER 10001:10001\n', 'runs-as-root')).toEqual([]);
    expect(scan('FROM alpine:3\nUSER app\nUSER 0\n', 'runs-as-root').map((f) => f.line)).toEqual([3]);
  });

  it('resolves USER ${ARG}, with low confidence when it cannot', () => {
    expect(scan('FROM alpine:3\nARG U=root\nUSER ${U}\n', 'runs-as-root')).toMatchObject([
      { line: 3, confidence: 'high' },
    ]);
    expect(scan('FROM alpine:3\nARG U=app\nUSER $U\n', 'runs-as-root')).toEqual([]);
    const low = scan('FROM alpine:3\nARG UID\nUSER ${UID}:${UID}\n', 'runs-as-root');
    expect(low).toMatchObject([{ line: 3, confidence: 'low' }]);
    expect(low[0]!.message).toContain('ARG UID');
  });

  it('knows base images that default to a non-root user', () => {
    const yes = [
      'gcr.io/distroless/static-debian12:nonroot',
      'gcr.io/distroless/python3-debian12:debug-nonroot',
      'cgr.dev/chainguard/static:latest',
      'nginxinc/nginx-unprivileged:1.27',
    ];
    const no = [
      'gcr.io/distroless/static-debian12',
      'gcr.io/distroless/base:debug',
      'node:22',
      'docker.io/chainguard/static',
    ];
    for (const image of yes) expect(defaultsToNonRoot(parseImageRef(image)!), image).toBe(true);
    for (const image of no) expect(defaultsToNonRoot(parseImageRef(image)!), image).toBe(false);
    expect(scan('FROM gcr.io/distroless/static-debian12:nonroot\nUSER root\n', 'runs-as-root')).toHaveLength(1);
  });
});
