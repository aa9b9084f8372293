import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const run = (files: Record<string, string>) => scanFiles(files, { rules: [rules.find((r) => r.id === 'unpinned-git-dependency')!] }).findings.map((f) => `${f.path}:${f.line} ${f.message.split(' ')[0]}`);
const SHA = '1530024bd6a68d36ac18e04836ce110e0d433c36';
const SHA2 = 'b5f3b2830b0a0f5c1b4cbbbb3d4f2e0c8c9a7d11';

const gemfile = [
  '# frozen_string_literal: true',
  'source "https://gems.example.com"',
  '',
  'gem "statesman", "~> 1.2.0"',
  'gem "prius", git: "https://github.com/acme/prius"',
  'gem "que", git: "git@github.com:acme/que", tag: "v0.11.6"',
  'gem "uk_phone_numbers", git: "https://github.com/acme/uk_phone_numbers"',
  '',
].join('\n');
const gemfileLock = (gits: [string, string, string][]) =>
  gits.map(([remote, rev, spec]) => `GIT\n  remote: ${remote}\n  revision: ${rev}\n  specs:\n    ${spec}\n`).join('\n') +
  '\nGEM\n  remote: https://gems.example.com/\n  specs:\n    statesman (1.2.5)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  prius!\n  que!\n  statesman (~> 1.2.0)\n  uk_phone_numbers!\n';

describe('unpinned-git-dependency reads the lockfile beside the manifest', () => {
  it('Gemfile: git gems whose Gemfile.lock GIT section has a revision are pinned; one missing from the lock still floats', () => {
    const lock = gemfileLock([
      ['https://github.com/acme/prius', SHA, 'prius (1.0.0)'],
      ['git@github.com:acme/que', SHA2, 'que (0.11.6)'],
    ]);
    expect(run({ 'app/Gemfile': gemfile, 'app/Gemfile.lock': lock })).toEqual(['app/Gemfile:7 uk_phone_numbers']);
    // without the lockfile every git gem floats
    expect(run({ 'app/Gemfile': gemfile })).toEqual(['app/Gemfile:5 prius', 'app/Gemfile:6 que', 'app/Gemfile:7 uk_phone_numbers']);
    // a Gemfile.lock in another directory does not lock this Gemfile
    expect(run({ 'app/Gemfile': gemfile, 'other/Gemfile.lock': lock })).toHaveLength(3);
  });

  it('package.json `#master` / `#3.4.8` with package-lock or yarn.lock resolving a full commit is pinned', () => {
    const manifest = JSON.stringify({ name: 'app', dependencies: { 'is-number': 'github:jonschlinkert/is-number#master', 'raven-js': 'getsentry/raven-js#3.4.8' } }, null, 2);
    const packageLock = JSON.stringify(
      {
        name: 'app',
        lockfileVersion: 3,
        packages: {
          '': { name: 'app' },
          'node_modules/is-number': { version: '7.0.0', resolved: `git+ssh://git@github.com/jonschlinkert/is-number.git#${SHA}` },
          'node_modules/raven-js': { version: '3.4.8', resolved: `git+ssh://git@github.com/getsentry/raven-js.git#${SHA2}`, integrity: 'sha512-AAAA' },
        },
      },
      null,
      2,
    );
    expect(run({ 'package.json': manifest, 'package-lock.json': packageLock })).toEqual([]);
    const yarn =
      '# yarn lockfile v1\n\n\n' +
      `"is-number@github:jonschlinkert/is-number#master":\n  version "7.0.0"\n  resolved "https://codeload.github.com/jonschlinkert/is-number/tar.gz/${SHA}"\n\n` +
      `raven-js@getsentry/raven-js#3.4.8:\n  version "3.4.8"\n  resolved "https://codeload.github.com/getsentry/raven-js/tar.gz/${SHA2}"\n`;
    expect(run({ 'package.json': manifest, 'yarn.lock': yarn })).toEqual([]);
    // a lockfile that records the branch itself is no pin: both the manifest line and the lockfile entry are reported
    const floating = JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': { name: 'app' }, 'node_modules/is-number': { version: '7.0.0', resolved: 'git+https://github.com/jonschlinkert/is-number.git#some-branch' } } }, null, 2);
    expect(run({ 'package.json': manifest, 'package-lock.json': floating })).toEqual(['package-lock.json:10 is-number', 'package.json:4 is-number', 'package.json:5 raven-js']);
  });

  it('Cargo.toml and pyproject (poetry) git dependencies locked by Cargo.lock / poetry.lock', () => {
    const cargo = '[package]\nname = "etl"\nversion = "0.1.0"\n\n[dependencies]\nmega_etl = { git = "https://github.com/acme/MEGA.git" }\nserde = "1"\n';
    const cargoLock = `version = 3\n\n[[package]]\nname = "mega_etl"\nversion = "0.1.0"\nsource = "git+https://github.com/acme/MEGA.git#${SHA}"\n\n[[package]]\nname = "serde"\nversion = "1.0.200"\nsource = "registry+https://crates.example.com/index"\nchecksum = "abc"\n`;
    expect(run({ 'etl/Cargo.toml': cargo, 'etl/Cargo.lock': cargoLock })).toEqual([]);
    expect(run({ 'etl/Cargo.toml': cargo })).toEqual(['etl/Cargo.toml:6 mega_etl']);
    const pyproject = '[tool.poetry]\nname = "svc"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nMy_Lib = { git = "https://github.com/acme/my-lib.git", branch = "main" }\n';
    const poetryLock = `[[package]]\nname = "my-lib"\nversion = "1.0.0"\noptional = false\n\n[package.source]\ntype = "git"\nurl = "https://github.com/acme/my-lib.git"\nreference = "main"\nresolved_reference = "${SHA}"\n`;
    expect(run({ 'pyproject.toml': pyproject, 'poetry.lock': poetryLock })).toEqual([]);
  });

  it('bun.lock records an abbreviated commit for every git dependency: that is bun pinning it, not a branch', () => {
    const bun = '{\n  "lockfileVersion": 1,\n  "workspaces": { "": { "name": "app", "dependencies": { "is-number": "github:jonschlinkert/is-number" } } },\n  "packages": {\n    "is-number": ["is-number@github:jonschlinkert/is-number#98e8ff1", {}, "jonschlinkert-is-number-98e8ff1"],\n  }\n}\n';
    expect(run({ 'bun.lock': bun })).toEqual([]);
    expect(run({ 'package.json': JSON.stringify({ name: 'app', dependencies: { 'is-number': 'github:jonschlinkert/is-number' } }), 'bun.lock': bun })).toEqual([]);
  });
});
