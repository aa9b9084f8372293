import { describe, expect, it } from 'vitest';
import type { Notice } from '../../src/core/types.js';
import { parseDockerfile, substitute, type DockerfileDoc } from '../../src/parsers/dockerfile.js';

function parse(text: string): { doc: DockerfileDoc | undefined; notices: Notice[] } {
  const notices: Notice[] = [];
  return { doc: parseDockerfile('Dockerfile', text, notices), notices };
}

function mustParse(text: string): DockerfileDoc {
  const { doc, notices } = parse(text);
  expect(notices).toEqual([]);
  expect(doc).toBeDefined();
  return doc!;
}

describe('parseDockerfile: stages', () => {
  it('reads stages, names, image spans and FROM spans', () => {
    const doc = mustParse(
      'FROM --platform=$BUILDPLATFORM golang:1.23 AS Build\nRUN go build\nFROM alpine:3.20\nCOPY --from=build /app /app\n',
    );
    expect(doc.stages).toHaveLength(2);
    const [a, b] = doc.stages;
    expect(a!.name).toBe('Build');
    expect(a!.image.value).toBe('golang:1.23');
    expect(a!.imageSpan).toEqual({ line: 1, column: 32, endLine: 1, endColumn: 43 });
    expect(a!.fromSpan).toEqual({ line: 1, column: 1, endLine: 1, endColumn: 52 });
    expect(a!.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN']);
    expect(a!.instructions[0]!.flags[0]).toMatchObject({ name: 'platform', value: '$BUILDPLATFORM' });
    expect(b!.references).toEqual([
      {
        kind: 'copy',
        ref: { raw: 'build', value: 'build', unresolved: [] },
        span: { line: 4, column: 13, endLine: 4, endColumn: 18 },
        stage: 0,
      },
    ]);
    expect(a!.reachesFinal).toBe(true);
    expect(doc.images.map((i) => i.image.value)).toEqual(['golang:1.23', 'alpine:3.20']);
  });

  it('links FROM <stage> case-insensitively and does not list it as an image', () => {
    const doc = mustParse('FROM node:22 AS Base\nENV APP=web\nFROM base\nFROM scratch\nCOPY --from=0 /a /a\n');
    expect(doc.stages[1]!.parent).toBe(0);
    expect(doc.images.map((i) => i.image.value)).toEqual(['node:22']);
    expect(doc.stages[2]!.references[0]!.stage).toBe(0);
    // the stage built FROM base is not used by the final stage, which copies from stage 0 only
    expect(doc.stages.map((s) => s.reachesFinal)).toEqual([true, false, true]);
  });

  it('lists COPY --from and RUN --mount from= naming images, with the span of the value', () => {
    const doc = mustParse(
      'FROM alpine:3.20\nCOPY --from=nginx:1.27 /a /b\nRUN --mount=type=bind,from=busybox,target=/x true\n',
    );
    expect(doc.images.map((i) => [i.kind, i.image.value, i.span])).toEqual([
      ['from', 'alpine:3.20', { line: 1, column: 6, endLine: 1, endColumn: 17 }],
      ['copy', 'nginx:1.27', { line: 2, column: 13, endLine: 2, endColumn: 23 }],
      ['mount', 'busybox', { line: 3, column: 28, endLine: 3, endColumn: 35 }],
    ]);
  });
});

describe('parseDockerfile: ARG and ENV scoping', () => {
  it('uses global ARGs in FROM, but not in a stage unless redeclared', () => {
    const doc = mustParse('ARG BASE=node\nARG TAG=22\nFROM ${BASE}:$TAG\nUSER $BASE\nARG TAG\nUSER ${TAG}\n');
    expect(doc.stages[0]!.image).toEqual({ raw: '${BASE}:$TAG', value: 'node:22', unresolved: [] });
    expect(doc.stages[0]!.users.map((u) => u.user)).toEqual([
      { raw: '$BASE', value: '${BASE}', unresolved: ['BASE'] },
      { raw: '${TAG}', value: '22', unresolved: [] },
    ]);
    expect(doc.globalArgs.map((a) => [a.name, a.value])).toEqual([
      ['BASE', 'node'],
      ['TAG', '22'],
    ]);
  });

  it('flags an ARG without a value as unresolved, naming it', () => {
    const doc = mustParse('ARG IMAGE\nFROM ${IMAGE}\n');
    expect(doc.stages[0]!.image.unresolved).toEqual(['IMAGE']);
  });

  it('stage-local ARG and ENV apply to later instructions only; ENV overrides ARG; ENV is inherited through FROM <stage>', () => {
    const doc = mustParse(
      'FROM alpine AS a\nUSER $U\nARG U=argu\nUSER $U\nENV U=envu\nARG U=again\nUSER $U\nFROM a\nUSER ${U}\nFROM alpine\nUSER ${U:-fallback}\n',
    );
    expect(doc.stages[0]!.users.map((u) => u.user.value)).toEqual(['${U}', 'argu', 'envu']);
    expect(doc.stages[1]!.users[0]!.user.value).toBe('envu');
    expect(doc.stages[2]!.users[0]!.user.value).toBe('fallback');
  });

  it('substitutes the Docker forms and honours the escape character', () => {
    const known = (n: string) => ({ A: 'x', E: '' })[n];
    expect(substitute('${A:-d} ${B:-d} ${E:-d} ${E-d} ${A:+alt} ${B:+alt}', known).value).toBe('x d d  alt ${B:+alt}');
    expect(substitute('\\$A $A', known).value).toBe('$A x');
    expect(substitute('`$A', known, '`').value).toBe('$A');
  });

  it('reads ENV in both forms, quotes, and spans of name, value and pair', () => {
    const doc = mustParse('FROM alpine\nENV A=b C="d e"\nENV LEGACY some value\nLABEL "org.x"=y\nARG NOVALUE\n');
    const kvs = doc.keyValues.map((k) => [k.instruction, k.name, k.value]);
    expect(kvs).toEqual([
      ['ENV', 'A', 'b'],
      ['ENV', 'C', 'd e'],
      ['ENV', 'LEGACY', 'some value'],
      ['LABEL', 'org.x', 'y'],
      ['ARG', 'NOVALUE', undefined],
    ]);
    const c = doc.keyValues[1]!;
    expect(c.nameSpan).toEqual({ line: 2, column: 9, endLine: 2, endColumn: 10 });
    expect(c.valueSpan).toEqual({ line: 2, column: 11, endLine: 2, endColumn: 16 });
    expect(c.span).toEqual({ line: 2, column: 9, endLine: 2, endColumn: 16 });
    expect(doc.keyValues[2]!.span).toEqual({ line: 3, column: 5, endLine: 3, endColumn: 22 });
  });
});

describe('parseDockerfile: syntax', () => {
  it('follows line continuations', () => {
    const doc = mustParse('FROM alpine\nENV A=1 \\\n    B=2\nRUN apk add \\\n  curl\nUSER app\n');
    expect(doc.keyValues.map((k) => [k.name, k.span.line])).toEqual([
      ['A', 2],
      ['B', 3],
    ]);
    expect(doc.stages[0]!.instructions.map((i) => [i.keyword, i.span.line, i.span.endLine])).toEqual([
      ['FROM', 1, 1],
      ['ENV', 2, 3],
      ['RUN', 4, 5],
      ['USER', 6, 6],
    ]);
  });

  it('does not read instructions inside a heredoc', () => {
    const doc = mustParse(
      'FROM alpine\nRUN <<EOF\nUSER root\nFROM evil\nEOF\nCOPY <<EOT /etc/x\nENV A=b\nEOT\nUSER app\n',
    );
    expect(doc.stages).toHaveLength(1);
    expect(doc.keyValues).toEqual([]);
    expect(doc.stages[0]!.users.map((u) => [u.user.value, u.span.line])).toEqual([['app', 9]]);
  });

  it('honours the escape directive', () => {
    const doc = mustParse(
      '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV A=b `\n  C=d\nUSER ContainerUser\n',
    );
    expect(doc.escapeChar).toBe('`');
    expect(doc.keyValues.map((k) => [k.name, k.value, k.span.line])).toEqual([
      ['A', 'b', 3],
      ['C', 'd', 4],
    ]);
    expect(doc.stages[0]!.users[0]!.user.value).toBe('ContainerUser');
  });

  it('gives the same spans with CRLF line endings', () => {
    const lf = mustParse('FROM alpine:3 AS base\nENV TOKEN=abc \\\n  X=y\nUSER app\n');
    const crlf = mustParse('FROM alpine:3 AS base\r\nENV TOKEN=abc \\\r\n  X=y\r\nUSER app\r\n');
    expect(crlf.keyValues).toEqual(lf.keyValues);
    expect(crlf.stages[0]!.users).toEqual(lf.stages[0]!.users);
    expect(crlf.stages[0]!.imageSpan).toEqual(lf.stages[0]!.imageSpan);
  });

  it('gives a notice, not an exception, for an empty file, garbage, or no FROM', () => {
    for (const text of ['', '\n\n# just a comment\n', 'hello world\n{{{ ]]\n\u0000\u0001', 'RUN echo hi\n']) {
      const { doc, notices } = parse(text);
      expect(doc).toBeUndefined();
      expect(notices).toHaveLength(1);
      expect(notices[0]!.path).toBe('Dockerfile');
    }
  });

  it('survives malformed instructions', () => {
    const { doc } = parse('FROM\nFROM AS x\nENV\nARG\nUSER\nCOPY --from= a b\nRUN --mount=from a\n');
    expect(doc).toBeDefined();
    expect(doc!.stages).toHaveLength(2);
    expect(doc!.stages[0]!.image.value).toBe('');
  });
});
