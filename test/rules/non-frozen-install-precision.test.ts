import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const run = (files: Record<string, string>) => scanFiles(files, { rules: [rules.find((r) => r.id === 'non-frozen-install')!] }).findings;
const workflow = (script: string) => `name: ci\non: pull_request\njobs:\n  e2e:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n${script.split('\n').map((l) => `          ${l}`).join('\n')}\n`;

describe('non-frozen-install: what the install really does', () => {
  it('`pnpm install` on a runner is frozen by pnpm itself (CI=true); in a Dockerfile it is still reported', () => {
    expect(run({ '.github/workflows/ci.yml': workflow('pnpm install\npnpm run build') })).toEqual([]);
    expect(run({ '.github/workflows/ci.yml': workflow('pnpm install --no-frozen-lockfile') })).toHaveLength(1);
    expect(run({ Dockerfile: 'FROM node:22\nCOPY . .\nRUN corepack enable && pnpm install\n' }).map((f) => f.confidence)).toEqual(['medium']);
  });

  it('a Dockerfile version held in an ARG with an exact default is pinned; a bare ARG is low confidence', () => {
    const pinned = 'FROM node:22-slim\nARG BUN_VERSION=1.3.14\nRUN apt-get update \\\n  && npm install -g bun@$BUN_VERSION \\\n  && bun --version\n';
    expect(run({ 'bun/Dockerfile': pinned })).toEqual([]);
    const bare = 'FROM node:22-slim\nARG BUN_VERSION\nRUN npm install -g "bun@${BUN_VERSION}"\n';
    expect(run({ Dockerfile: bare }).map((f) => f.confidence)).toEqual(['low']);
    expect(run({ Dockerfile: 'FROM node:22-slim\nARG BUN_VERSION=latest\nRUN npm install -g bun@$BUN_VERSION\n' }).map((f) => f.confidence)).toEqual(['high']);
  });

  it('a global add or install has no project lockfile: its fix is the pin in the command', () => {
    const [global] = run({ Dockerfile: 'FROM node:22\nRUN yarn global add @vue/cli\n' });
    expect(global?.message).toBe('`yarn global add @vue/cli` adds @vue/cli without an exact version: pin an exact version (`yarn global add name@1.2.3`).');
    const [local] = run({ Dockerfile: 'FROM node:22\nRUN yarn add left-pad\n' });
    expect(local?.message).toContain('commit the lockfile');
    const [npmGlobal] = run({ Dockerfile: 'FROM node:22\nRUN npm install -g @playwright/test\n' });
    expect(npmGlobal?.message).toBe('`npm install -g @playwright/test` installs @playwright/test without an exact version: pin an exact version (`npm install -g name@1.2.3`).');
    const [npmLocal] = run({ Dockerfile: 'FROM node:22\nRUN npm install left-pad\n' });
    expect(npmLocal?.message).toContain('add it to package.json and the lockfile');
  });

  it('`go install tool` builds the tool dependencies go.mod pins; `go install x@latest` is still reported', () => {
    const dockerfile = 'FROM golang:1.24-bookworm\nWORKDIR /build\nCOPY go.mod go.sum ./\nRUN go install tool\nRUN go install golang.org/x/tools/cmd/stringer@latest\n';
    expect(run({ 'genproto/Dockerfile': dockerfile }).map((f) => f.line)).toEqual([5]);
  });

  it('the packaging tools with a range are low confidence, and the message never cuts a word in half', () => {
    const dockerfile =
      'FROM debian:bookworm-slim\nRUN set -eux; \\\n\tpip3 install \\\n\t\t--disable-pip-version-check \\\n\t\t--no-cache-dir \\\n\t\t--no-compile \\\n' +
      "\t\t'setuptools==79.0.1' \\\n\t\t'wheel<0.46' \\\n\t; \\\n\tpip3 --version\n";
    const [f, ...rest] = run({ Dockerfile: dockerfile });
    expect(rest).toEqual([]);
    expect(f!.confidence).toBe('low');
    expect(f!.message).toMatch(/^`pip3 install [^`]* …` installs wheel<0\.46 without an exact version/);
    expect(f!.message).not.toContain('setuptools=`');
  });
});
