import { describe, expect, it } from 'vitest';
import type { PrFile } from '../../src/core/diff.js';
import type { ResolvedPins } from '../../src/reporters/pin-suggestions.js';
import { actionKey } from '../../src/core/pins.js';
import { buildReview, type ReviewComment } from '../../src/reporters/review.js';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';
const SETUP_SHA = '49933ea5288caeca8642d1e84afbd3f7d6820020';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

const added = (text: string): string => {
  const lines = text.replace(/\n$/, '').split('\n');
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
};
const suggestionOf = (c: ReviewComment): string | undefined => /\n```suggestion\n([\s\S]*?)\n```$/.exec(c.body)?.[1];

function review(files: Record<string, string>, pins?: ResolvedPins) {
  const { findings } = scanFiles(files);
  const prFiles: PrFile[] = Object.entries(files).map(([filename, text]) => ({ filename, status: 'added', patch: added(text) }));
  const plan = buildReview({ findings, files: prFiles, rules, readLines: (p) => files[p]?.split('\n'), ...(pins ? { pins } : {}) });
  // The comments of the pin rules only (a line can carry others).
  const pinned = plan.comments.filter((c) => /unpinned-(?:action|image)/.test(c.body));
  return { findings, plan, pinned };
}

/** The file with every suggestion of these comments applied, as GitHub applies them (one-line ones here). */
function applied(text: string, comments: ReviewComment[]): string {
  const lines = text.split('\n');
  for (const c of comments) if (suggestionOf(c) !== undefined) lines.splice(c.line - 1, 1, suggestionOf(c)!);
  return lines.join('\n');
}

const WORKFLOW = '.github/workflows/ci.yml';
const workflow =
  'on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    container: node:22.11\n    steps:\n' +
  '      - uses: "actions/setup-node@v4"\n' +
  '      - uses: github/codeql-action/init@v3\n' +
  '      - uses: octo/unknown@v1\n' +
  '      - uses: docker://alpine:3.20\n';

describe('pin suggestions', () => {
  const pins: ResolvedPins = {
    actions: new Map([
      [actionKey('actions/setup-node', 'v4'), SETUP_SHA],
      [actionKey('github/codeql-action', 'v3'), SHA],
    ]),
    images: new Map([
      ['node:22.11', DIGEST],
      ['alpine:3.20', DIGEST],
      ['postgres:16.4', DIGEST],
      ['golang:1.23', DIGEST],
    ]),
  };

  it('carries the looked-up SHA (comment after the closing quote) and digest; none where the lookup failed', () => {
    const { plan, pinned } = review({ [WORKFLOW]: workflow }, pins);
    const by = new Map(pinned.map((c) => [c.line, c]));
    expect(suggestionOf(by.get(8)!)).toBe(`      - uses: "actions/setup-node@${SETUP_SHA}" # v4`);
    expect(suggestionOf(by.get(9)!)).toBe(`      - uses: github/codeql-action/init@${SHA} # v3`);
    expect(suggestionOf(by.get(6)!)).toBe(`    container: node:22.11@${DIGEST}`);
    // `docker://alpine:3.20@sha256:…` is an image pinned by digest, not `user:password@host`: the redactor leaves it whole
    expect(suggestionOf(by.get(11)!)).toMatch(/^ {6}- uses: docker:\/\/alpine:3\.20@sha256:[0-9a-f]{64}$/);
    // Not resolved: no suggestion, no placeholder; the message still says what to do.
    expect(suggestionOf(by.get(10)!)).toBeUndefined();
    expect(by.get(10)!.body).toContain('pin it to a full commit SHA');
    const after = applied(workflow, plan.comments);
    const left = scanFiles({ [WORKFLOW]: after }).findings.filter((f) => f.ruleId === 'unpinned-action' || f.ruleId === 'unpinned-image');
    expect(left.map((f) => f.line)).toEqual([10]);
  });

  it('without pins there is no pin suggestion at all', () => {
    const { pinned } = review({ [WORKFLOW]: workflow });
    expect(pinned).toHaveLength(5);
    expect(pinned.map(suggestionOf)).toEqual(pinned.map(() => undefined));
  });

  it('Dockerfile and compose: the digest goes right after the reference, the rest of the line kept', () => {
    const files = {
      Dockerfile: 'FROM golang:1.23 AS build\nRUN go build\nFROM alpine:3.20\nCOPY --from=build /app /app\n',
      'compose.yaml': "services:\n  db:\n    image: 'postgres:16.4' # the database\n",
    };
    const { plan, pinned } = review(files, pins);
    const docker = pinned.filter((c) => c.path === 'Dockerfile');
    expect(docker.map(suggestionOf)).toEqual([`FROM golang:1.23@${DIGEST} AS build`, `FROM alpine:3.20@${DIGEST}`]);
    const compose = plan.comments.find((c) => c.path === 'compose.yaml')!;
    expect(suggestionOf(compose)).toBe(`    image: 'postgres:16.4@${DIGEST}' # the database`);
    for (const [path, text] of Object.entries(files)) {
      const after = applied(text, plan.comments.filter((c) => c.path === path));
      expect(scanFiles({ [path]: after }).findings.filter((f) => f.ruleId === 'unpinned-image')).toEqual([]);
    }
  });

  it('a checkout that also keeps its credentials gets ONE suggestion fixing both', () => {
    const text = 'on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make\n';
    const both: ResolvedPins = { actions: new Map([[actionKey('actions/checkout', 'v4'), SHA]]), images: new Map() };
    const { plan } = review({ [WORKFLOW]: text }, both);
    const checkout = plan.comments.filter((c) => c.line === 7 || c.start_line === 7);
    expect(checkout).toHaveLength(1);
    expect(checkout[0]!.body).toContain('2 findings on this step, one suggestion fixes them all');
    expect(suggestionOf(checkout[0]!)).toBe(`      - uses: actions/checkout@${SHA} # v4\n        with:\n          persist-credentials: false`);
    const lines = text.split('\n');
    lines.splice(6, 1, ...suggestionOf(checkout[0]!)!.split('\n'));
    const left = scanFiles({ [WORKFLOW]: lines.join('\n') }).findings.map((f) => f.ruleId);
    expect(left).not.toContain('unpinned-action');
    expect(left).not.toContain('persisted-credentials');
  });

  it('a line with more after the value (a comment, a flow mapping) gets no suggestion', () => {
    const text = 'on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-node@v4 # pinned later\n      - {uses: actions/setup-node@v4, with: {node-version: 22}}\n';
    const { pinned } = review({ [WORKFLOW]: text }, pins);
    expect(pinned).toHaveLength(2);
    expect(pinned.map(suggestionOf)).toEqual(pinned.map(() => undefined));
  });
});
