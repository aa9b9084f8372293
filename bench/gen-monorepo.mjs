#!/usr/bin/env node
// gen-monorepo.mjs — deterministic synthetic monorepo for benchmarking a CI
// security gate and for measuring its recall and false positives.
//
//   node gen-monorepo.mjs OUT_DIR [--scale N] [--seed S]
//
// At --scale 1 it writes about 10,000 files (scale 10: about 100,000; any
// positive number works, e.g. 0.1): Dockerfiles, GitHub Actions workflows and
// composite actions, docker-compose files, package.json with and without
// lockfiles (package-lock / yarn / pnpm), requirements.txt, pyproject.toml,
// poetry.lock, go.mod/go.sum, Cargo.toml/Cargo.lock, .env files, docs, binary
// assets, node_modules trees that a scanner must skip, and ordinary sources.
//
// OUT_DIR/manifest.json lists every planted issue as {kind, category, file,
// line, detail}, plus "decoys": lines built to look like an issue that a
// precise scanner should NOT report (stage references, placeholders, local
// actions, secrets read from files, ...), plus skip_dirs (node_modules).
//
// Output depends only on (scale, seed): a seeded PRNG drives every choice, no
// clock or directory-listing order is used, so two runs give identical trees.
//
// Planted secrets are fake: random, never issued by any provider, and carry
// the marker EXAMPLE inside the value wherever the format allows it (in the
// middle, not at the end, because some scanners allowlist /EXAMPLE$/). GitHub
// and npm tokens carry a valid CRC32 checksum so that checksum-aware scanners
// treat them as well-formed. This script itself contains no string that a
// secret scanner would flag: token prefixes are assembled at run time.
//
// No dependencies; Node >= 18.
//
// Copied from the shared bench kit (shared/bench/gen-monorepo.mjs) so that a fresh clone can run
// `npm run bench` on its own; the only change is an unused constant removed for the linter.

import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { seedFrom, sfc32 } from './prng.mjs';

// ---------------------------------------------------------------- CLI

function usage(code) {
  (code ? console.error : console.log)('usage: node gen-monorepo.mjs OUT_DIR [--scale N] [--seed S]');
  process.exit(code);
}
const argv = process.argv.slice(2);
let OUT = null, SCALE = 1, SEED = '1';
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--scale') SCALE = Number(argv[++i]);
  else if (argv[i] === '--seed') SEED = String(argv[++i]);
  else if (argv[i] === '-h' || argv[i] === '--help') usage(0);
  else if (!OUT && !argv[i].startsWith('-')) OUT = argv[i];
  else usage(2);
}
if (!OUT || !(SCALE > 0)) usage(2);
if (fs.existsSync(OUT) && fs.readdirSync(OUT).length) {
  console.error(`gen-monorepo: ${OUT} exists and is not empty; give a new or empty directory`);
  process.exit(2);
}
const t0 = process.hrtime.bigint();

// ---------------------------------------------------------------- PRNG

// cyrb128 string hash -> sfc32 generator (both public-domain, well known).
const rnd = sfc32(...seedFrom(`gen-monorepo/v1/${SEED}/${SCALE}`));
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
const chance = (p) => rnd() < p;
const str = (alphabet, n) => { let s = ''; for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)]; return s; };
/** pick from [[weight, value], ...] */
function weighted(pairs) {
  const total = pairs.reduce((a, [w]) => a + w, 0);
  let x = rnd() * total;
  for (const [w, v] of pairs) { if ((x -= w) < 0) return v; }
  return pairs[pairs.length - 1][1];
}
const n = (base) => Math.max(1, Math.round(base * SCALE)); // scaled count

const HEX = '0123456789abcdef';
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const B64 = B62 + '+/';
const ALNUM = B62;
const UPNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

// ---------------------------------------------------------------- fake secrets

// Prefixes assembled at run time (see header comment).
const PFX = {
  ghp: ['gh', 'p_'].join(''),
  npm: ['np', 'm_'].join(''),
  akia: ['AK', 'IA'].join(''),
  slack: ['https://hooks.', 'slack.com/services/'].join(''),
  pemHead: ['-----BEGIN RSA', 'PRIVATE KEY-----'].join(' '),
  pemTail: ['-----END RSA', 'PRIVATE KEY-----'].join(' '),
};

const CRC_TABLE = Array.from({ length: 256 }, (_, i) => {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(s) {
  let c = 0xffffffff;
  for (let i = 0; i < s.length; i++) c = CRC_TABLE[(c ^ s.charCodeAt(i)) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function base62(num, width) {
  let s = '';
  do { s = B62[num % 62] + s; num = Math.floor(num / 62); } while (num > 0);
  return s.padStart(width, '0');
}
function entropy(s) {
  const f = {};
  for (const ch of s) f[ch] = (f[ch] || 0) + 1;
  return -Object.values(f).reduce((a, c) => a + (c / s.length) * Math.log2(c / s.length), 0);
}

/** GitHub classic PAT / npm token: prefix + 30 chars + 6-char base62 CRC32 of those 30. */
function checksummedToken(prefix) {
  const body = 'EXAMPLE' + str(ALNUM, 23);
  return prefix + body + base62(crc32(body), 6);
}
const SECRET = {
  'github-pat': () => checksummedToken(PFX.ghp),
  'npm-token': () => checksummedToken(PFX.npm),
  'aws-access-key-id': () => {
    let id;
    do { id = PFX.akia + 'EXAMPLE' + str(BASE32, 9); } while (entropy(id) < 3.2);
    return id;
  },
  'aws-secret-access-key': () => str(ALNUM + '/+', 14) + 'EXAMPLE' + str(ALNUM + '/+', 19),
  'slack-webhook': () => `${PFX.slack}T${str(UPNUM, 10)}/B${str(UPNUM, 10)}/EXAMPLE${str(ALNUM, 17)}`,
  'db-url': () => `postgres://app_user:EXAMPLE${str(ALNUM, 16)}@db.internal.example:5432/app`,
  'generic-password': () => `EXAMPLE-${str(ALNUM, 20)}`,
};

// ---------------------------------------------------------------- output

const manifest = { issues: [], decoys: [] };
const totals = { files: 0, bytes: 0, by_category: {} };
const madeDirs = new Set();
const written = new Set();

function writeFile(rel, content, category) {
  if (written.has(rel)) throw new Error(`gen-monorepo: ${rel} written twice`);
  written.add(rel);
  const abs = path.join(OUT, rel);
  const dir = path.dirname(abs);
  if (!madeDirs.has(dir)) { fs.mkdirSync(dir, { recursive: true }); madeDirs.add(dir); }
  fs.writeFileSync(abs, content);
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  totals.files++; totals.bytes += size;
  const c = (totals.by_category[category] ||= { files: 0, bytes: 0 });
  c.files++; c.bytes += size;
}

/**
 * A text file built line by line, so that planted issues get exact line
 * numbers. issue()/decoy() mark the line just added (or a given line).
 */
class Doc {
  constructor() { this.lines = []; this.marks = []; }
  add(...lines) { for (const l of lines) this.lines.push(...String(l).split('\n')); return this; }
  get n() { return this.lines.length; }
  issue(kind, detail, line = this.n) { this.marks.push({ kind, line, detail }); return this; }
  decoy(looksLike, reason, line = this.n) { this.marks.push({ decoy: true, looksLike, line, reason }); return this; }
  text() { return this.lines.join('\n') + '\n'; }
}
function writeDoc(rel, doc, category) {
  writeFile(rel, doc.text(), category);
  for (const m of doc.marks) {
    if (m.decoy) manifest.decoys.push({ looks_like: m.looksLike, file: rel, line: m.line, reason: m.reason });
    else manifest.issues.push({ kind: m.kind, category, file: rel, line: m.line, detail: m.detail });
  }
}

// ---------------------------------------------------------------- vocabulary

const WORDS = ['auth', 'billing', 'cart', 'catalog', 'checkout', 'user', 'order', 'payment', 'search',
  'notify', 'report', 'ledger', 'gateway', 'inventory', 'profile', 'session', 'media', 'upload', 'audit',
  'metrics', 'queue', 'worker', 'scheduler', 'pricing', 'shipping', 'review', 'recommend', 'feed', 'chat',
  'invoice', 'tenant', 'export', 'import', 'webhook', 'index', 'cache', 'config', 'email', 'sms', 'geo'];
const VERBS = ['load', 'save', 'parse', 'render', 'build', 'fetch', 'update', 'resolve', 'validate',
  'compute', 'format', 'merge', 'split', 'apply', 'sync', 'encode', 'decode', 'collect', 'emit', 'check'];
const NOUNS = ['item', 'record', 'entry', 'batch', 'result', 'options', 'context', 'request', 'response',
  'payload', 'state', 'event', 'handler', 'client', 'store', 'buffer', 'token', 'limit', 'window', 'span'];
const SENTENCES = ['Handles the happy path and the retry loop.', 'Keeps the public API stable.',
  'See the design doc for the reasoning.', 'This is called once per request.',
  'Values are cached for the lifetime of the process.', 'TODO: remove after the migration finishes.',
  'Mirrors the behaviour of the legacy implementation.', 'Returns early when the input is empty.'];
const camel = (a, b) => a + b[0].toUpperCase() + b.slice(1);
const pascal = (a) => a[0].toUpperCase() + a.slice(1);
const ident = () => camel(pick(VERBS), pick(NOUNS));
const uuid = () => `${str(HEX, 8)}-${str(HEX, 4)}-4${str(HEX, 3)}-${pick('89ab')}${str(HEX, 3)}-${str(HEX, 12)}`;
const sha256 = () => str(HEX, 64);
const sha1 = () => str(HEX, 40);
const semver = () => `${int(0, 9)}.${int(0, 30)}.${int(0, 20)}`;

// ---------------------------------------------------------------- container images

const IMAGES = {
  node: { repo: 'node', tags: ['18-alpine', '20-alpine', '20-bookworm-slim', '22-slim', '22.4.1-alpine3.20'] },
  python: { repo: 'python', tags: ['3.10-slim', '3.11-slim-bookworm', '3.12-alpine', '3.12.4-slim'] },
  go: { repo: 'golang', tags: ['1.21-alpine', '1.22', '1.22.5-bookworm', '1.23-alpine3.20'] },
  rust: { repo: 'rust', tags: ['1.79-slim', '1.80-bookworm', '1.80.1-alpine'] },
  nginx: { repo: 'nginx', tags: ['1.25-alpine', '1.27.0', 'stable-alpine'] },
  alpine: { repo: 'alpine', tags: ['3.19', '3.20', '3.20.2'] },
  debian: { repo: 'debian', tags: ['bookworm-slim', '12.6-slim'] },
  ubuntu: { repo: 'ubuntu', tags: ['22.04', '24.04', 'noble'] },
  distroless: { repo: 'gcr.io/distroless/static-debian12', tags: ['nonroot', 'debug-nonroot'] },
  private: { repo: 'registry.internal.example:5000/platform/base', tags: ['2.4.1', '2024.06'] },
  ghcr: { repo: 'ghcr.io/acme-example/runtime', tags: ['v3.2.0', 'v3.3.1'] },
  postgres: { repo: 'postgres', tags: ['15.7', '16.3-alpine', '16'] },
  redis: { repo: 'redis', tags: ['7.2-alpine', '7.4.0'] },
  mysql: { repo: 'mysql', tags: ['8.0', '8.4.1'] },
  rabbitmq: { repo: 'rabbitmq', tags: ['3.13-management'] },
  mongo: { repo: 'mongo', tags: ['7.0'] },
  minio: { repo: 'quay.io/minio/minio', tags: ['RELEASE.2024-07-16T23-46-41Z'] },
};
const RUNTIME_FOR = { node: 'node', python: 'python', go: 'distroless', rust: 'debian' };

/**
 * An image reference in one of five pinning styles. Returns {ref, kind}
 * where kind is the planted issue kind or null (tag or digest: clean).
 * "unpinned-image" = no tag and no digest (implicitly :latest); a registry
 * host with a port (host:5000/x) still has no tag.
 */
function imageRef(key) {
  const img = IMAGES[key];
  const style = weighted([[26, 'digest'], [52, 'tag'], [11, 'none'], [11, 'latest']]);
  if (style === 'digest') return { ref: `${img.repo}:${pick(img.tags)}@sha256:${sha256()}`, kind: null, style };
  if (style === 'tag') return { ref: `${img.repo}:${pick(img.tags)}`, kind: null, style };
  if (style === 'latest') return { ref: `${img.repo}:latest`, kind: 'latest-tag', style };
  return { ref: img.repo, kind: 'unpinned-image', style };
}
const imageStats = { digest: 0, tag: 0, none: 0, latest: 0 };

// ---------------------------------------------------------------- Dockerfiles

const SECRET_ENV = [ // [name, secret type or null for a generic value]
  ['DB_PASSWORD', 'generic-password'], ['API_KEY', 'generic-password'], ['JWT_SECRET', 'generic-password'],
  ['AWS_SECRET_ACCESS_KEY', 'aws-secret-access-key'], ['GITHUB_TOKEN', 'github-pat'], ['NPM_TOKEN', 'npm-token'],
  ['SLACK_WEBHOOK_URL', 'slack-webhook'], ['DATABASE_URL', 'db-url'],
];
// Lines that look like secrets in ENV/ARG but are not (decoys).
const ENV_DECOYS = [
  ['ENV DB_PASSWORD_FILE=/run/secrets/db_password', 'path to a secret file, not a secret'],
  ['ARG NPM_TOKEN', 'build arg without a default value'],
  ['ENV API_KEY=${API_KEY}', 'value substituted at build time'],
  ['ENV TOKEN_TTL_SECONDS=3600', 'name contains TOKEN, value is a number'],
  ['ENV SECRET_NAME=prod/db/credentials', 'name of a secret in a secret manager'],
];

/** Plant one ENV/ARG secret line in a Dockerfile doc. */
function plantDockerSecret(doc) {
  const [name, type] = pick(SECRET_ENV);
  const value = SECRET[type]();
  const instr = name === 'NPM_TOKEN' || chance(0.2) ? 'ARG' : 'ENV';
  doc.add(`${instr} ${name}=${value}`).issue('secret-in-env', `${instr} ${name}`);
  if (type !== 'generic-password') doc.issue('hardcoded-secret', type);
}

/** Add a FROM line; returns {line, nonroot} (nonroot: the image's default user is not root). */
function fromLine(doc, key, alias, platform = false) {
  const { ref, kind, style } = imageRef(key);
  imageStats[style]++;
  const plat = platform ? '--platform=$BUILDPLATFORM ' : '';
  doc.add(`FROM ${plat}${ref}${alias ? ` AS ${alias}` : ''}`);
  if (kind) doc.issue(kind, `FROM ${ref}`);
  return { line: doc.n, nonroot: /:(debug-)?nonroot\b/.test(ref) };
}
// Final-stage bases: mostly the language runtime, sometimes another base.
const finalBase = (lang) => (chance(0.15) ? pick(['private', 'ghcr', 'alpine', 'ubuntu']) : RUNTIME_FOR[lang]);

/**
 * A Dockerfile for a service of language `lang`. Variants: single or
 * multi-stage, USER set / USER root / no USER, ENV secrets, heredoc RUN,
 * continuation lines with comments, ARG-parameterised base, stage references.
 */
function dockerfile(lang) {
  const d = new Doc();
  if (chance(0.3)) d.add('# syntax=docker/dockerfile:1.7');
  d.add(`# ${pick(SENTENCES)}`);
  const multi = lang === 'go' || lang === 'rust' || chance(0.5);
  let final = null; // {line, nonroot} of the final stage's FROM
  if (chance(0.08)) {
    // Base image passed as a build arg with a pinned default.
    const img = IMAGES[lang];
    d.add(`ARG BASE_IMAGE=${img.repo}:${pick(img.tags)}@sha256:${sha256()}`);
    d.add('FROM ${BASE_IMAGE}' + (multi ? ' AS build' : ''));
    final = { line: d.n, nonroot: false };
  } else if (multi) {
    fromLine(d, lang, 'build', chance(0.3));
  } else {
    final = fromLine(d, chance(0.15) ? finalBase(lang) : lang);
  }
  d.add('WORKDIR /src');
  if (multi && chance(0.25)) d.add('USER root').decoy('root-user', 'USER root only in a build stage');
  // build steps
  if (lang === 'node') d.add('COPY package.json package-lock.json ./', 'RUN npm ci --omit=dev', 'COPY . .', 'RUN npm run build');
  if (lang === 'python') d.add('COPY requirements.txt ./', 'RUN pip install --no-cache-dir -r requirements.txt', 'COPY . .');
  if (lang === 'go') d.add('COPY go.mod go.sum ./', 'RUN go mod download', 'COPY . .', 'RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app');
  if (lang === 'rust') d.add('COPY . .', 'RUN cargo build --release --locked');
  if (chance(0.35)) {
    d.add('RUN apt-get update \\', '    # keep the image small', '    && apt-get install -y --no-install-recommends \\',
      '       ca-certificates curl \\', '    && rm -rf /var/lib/apt/lists/*');
  }
  if (chance(0.15)) d.add('RUN <<EOF', 'set -eu', 'echo "building"', 'mkdir -p /out/data', 'EOF');
  if (chance(0.12)) plantDockerSecret(d);
  if (chance(0.1)) { const [line, why] = pick(ENV_DECOYS); d.add(line).decoy('secret-in-env', why); }
  if (multi) {
    if (chance(0.15)) { // an intermediate stage built FROM an earlier stage
      d.add('', 'FROM build AS test').decoy('unpinned-image', 'FROM names an earlier build stage');
      d.add('RUN echo "run tests here"');
    }
    d.add('');
    if (lang === 'go' && chance(0.3)) {
      d.add('FROM scratch').decoy('unpinned-image', 'scratch is not an image to pin');
      final = { line: d.n, nonroot: false };
    } else {
      final = fromLine(d, finalBase(lang));
    }
    d.add(`COPY --from=build ${lang === 'go' ? '/out/app /app' : '/src /app'}`);
  }
  d.add('WORKDIR /app');
  if (chance(0.1)) plantDockerSecret(d);
  // final-stage user
  const userStyle = weighted([[60, 'user'], [9, 'root'], [21, 'none'], [10, 'temp-root']]);
  if (userStyle === 'user') {
    d.add(`USER ${pick(['10001', 'app', 'node', 'nobody', '65532:65532'])}`);
  } else if (userStyle === 'temp-root') {
    d.add('USER root').decoy('root-user', 'USER root followed by a non-root USER');
    d.add('RUN chown -R 10001 /app', 'USER 10001');
  } else if (userStyle === 'root') {
    d.add('USER root').issue('root-user', 'explicit USER root in final stage');
  } else if (final.nonroot) {
    d.decoy('root-user', 'no USER, but the base image runs as nonroot', final.line);
  } else {
    d.issue('root-user', 'no USER in final stage (runs as root)', final.line);
  }
  d.add(`EXPOSE ${pick([3000, 8000, 8080, 9090])}`);
  d.add(lang === 'python' ? 'CMD ["python", "-m", "app"]' : lang === 'node' ? 'CMD ["node", "dist/server.js"]' : 'ENTRYPOINT ["/app/app"]');
  return d;
}

// ---------------------------------------------------------------- GitHub Actions

const ACTIONS = [
  ['actions/checkout', ['v4', 'v4.1.7', 'v3']], ['actions/setup-node', ['v4', 'v4.0.3']],
  ['actions/setup-python', ['v5', 'v5.1.1']], ['actions/setup-go', ['v5']], ['actions/cache', ['v4', 'v4.0.2']],
  ['actions/upload-artifact', ['v4']], ['actions/download-artifact', ['v4']],
  ['docker/setup-buildx-action', ['v3']], ['docker/login-action', ['v3']], ['docker/build-push-action', ['v6', 'v5']],
  ['github/codeql-action/init', ['v3']], ['github/codeql-action/analyze', ['v3']],
  ['aws-actions/configure-aws-credentials', ['v4']], ['peter-evans/create-pull-request', ['v6']],
  ['softprops/action-gh-release', ['v2']], ['dtolnay/rust-toolchain', ['stable', 'master']],
  ['acme-example/deploy-action', ['main', 'v1']], ['some-user/slack-notify', ['master', 'v2.3']],
];
/**
 * A `uses:` reference. Pinned = full 40-hex commit SHA. Tags, branches and
 * short SHAs are unpinned (mutable). Returns {ref, kind}.
 */
function actionRef(name, tags) {
  const style = weighted([[35, 'sha'], [45, 'tag'], [12, 'branch'], [3, 'short']]);
  if (style === 'sha') return { ref: `${name}@${sha1()} # ${pick(tags)}`, kind: null };
  if (style === 'tag') return { ref: `${name}@${pick(tags)}`, kind: 'unpinned-action' };
  if (style === 'branch') return { ref: `${name}@${pick(['main', 'master'])}`, kind: 'unpinned-action' };
  return { ref: `${name}@${sha1().slice(0, 7)}`, kind: 'unpinned-action' };
}
// `with:` inputs for a few actions (others get none)
const WITH = {
  'actions/setup-node': ['with:', '  node-version: 20', '  cache: npm'],
  'actions/setup-python': ['with:', "  python-version: '3.12'"],
  'actions/setup-go': ['with:', '  go-version-file: go.mod'],
  'actions/cache': ['with:', '  path: ~/.npm', "  key: deps-${{ hashFiles('**/package-lock.json') }}"],
  'actions/upload-artifact': ['with:', '  name: dist', '  path: dist/'],
  'docker/build-push-action': ['with:', '  push: false', '  tags: acme-example/app:ci'],
  'aws-actions/configure-aws-credentials': ['with:', '  aws-region: eu-west-1', '  role-to-assume: arn:aws:iam::123456789012:role/ci'],
};
function usesStep(d, indent, [name, tags], withLines = []) {
  const { ref, kind } = actionRef(name, tags);
  d.add(`${indent}- uses: ${ref}`);
  if (kind) d.issue(kind, ref);
  for (const w of withLines) d.add(`${indent}  ${w}`);
}
// Attacker-controlled expressions, by the events that carry them.
const INJECTABLE = {
  issues: ['github.event.issue.title', 'github.event.issue.body', 'github.event.comment.body'],
  pr: ['github.event.pull_request.title', 'github.event.pull_request.body', 'github.head_ref',
    'github.event.pull_request.head.ref'],
  push: ['github.event.head_commit.message', 'github.event.head_commit.author.name'],
};
const SAFE_EXPR = ['github.event.pull_request.number', 'github.event.issue.number', 'github.sha',
  'github.run_id', 'github.event.pull_request.head.sha', 'github.repository'];
const localActions = []; // names of composite actions under .github/actions

/**
 * One workflow file. `flavor` picks the trigger and shape: ci, release,
 * triage (issue/comment events), pr-target, schedule, reusable-caller.
 */
function workflow(flavor, svc) {
  const d = new Doc();
  const name = `${pascal(flavor)} ${svc || pick(WORDS)}`;
  d.add(`name: ${name}`);
  // triggers
  if (flavor === 'ci') d.add('on:', '  push:', '    branches: [main]', '  pull_request:');
  if (flavor === 'release') d.add('on:', '  push:', "    tags: ['v*']");
  if (flavor === 'triage') d.add('on:', '  issues:', '    types: [opened, edited]', '  issue_comment:', '    types: [created]');
  if (flavor === 'pr-target') d.add('on:', '  pull_request_target:', '    types: [opened, synchronize]');
  if (flavor === 'schedule') d.add('on:', '  schedule:', `    - cron: '${int(0, 59)} ${int(0, 23)} * * ${int(0, 6)}'`, '  workflow_dispatch:');
  if (flavor === 'reusable-caller') d.add('on:', '  push:', '    branches: [main]');
  // top-level permissions
  const perm = weighted([[30, 'none'], [40, 'read'], [12, 'scoped-write'], [10, 'write-all'], [8, 'read-all']]);
  if (perm === 'read') d.add('permissions:', '  contents: read');
  if (perm === 'read-all') d.add('permissions: read-all').decoy('write-all-permissions', 'read-all is not write-all');
  if (perm === 'scoped-write') d.add('permissions:', '  contents: write', '  packages: write');
  if (perm === 'write-all') d.add('permissions: write-all').issue('write-all-permissions', 'top-level permissions: write-all');
  if (chance(0.3)) d.add('concurrency:', '  group: ${{ github.workflow }}-${{ github.ref }}', '  cancel-in-progress: true');
  d.add('', 'jobs:');

  if (flavor === 'reusable-caller') {
    const wf = 'acme-example/shared-workflows/.github/workflows/build.yml';
    const { ref, kind } = actionRef(wf, ['v2', 'v2.1.0']);
    d.add('  build:', `    uses: ${ref}`);
    if (kind) d.issue(kind, ref);
    d.add('    secrets: inherit');
    return d;
  }

  const jobs = int(1, 3);
  for (let j = 0; j < jobs; j++) {
    const job = j === 0 ? (flavor === 'triage' ? 'triage' : flavor === 'release' ? 'publish' : 'build') : pick(['lint', 'test', 'docs', 'deploy', 'scan']) + j;
    d.add(`  ${job}:`, `    runs-on: ${pick(['ubuntu-latest', 'ubuntu-24.04', 'ubuntu-22.04', 'macos-14', 'windows-latest'])}`);
    if (chance(0.04)) d.add('    permissions: write-all').issue('write-all-permissions', `job ${job}: permissions: write-all`);
    if (chance(0.25)) d.add('    strategy:', '      matrix:', `        node: [18, 20, 22]`);
    if (chance(0.2)) d.add('    env:', `      LOG_LEVEL: ${pick(['info', 'debug'])}`);
    d.add('    steps:');
    if (flavor === 'pr-target') {
      if (j === 0 && chance(0.6)) {
        const co = actionRef('actions/checkout', ['v4']);
        d.add(`      - uses: ${co.ref}`);
        if (co.kind) d.issue(co.kind, co.ref);
        d.add('        with:');
        d.add(`          ref: ${pick(['${{ github.event.pull_request.head.sha }}', '${{ github.event.pull_request.head.ref }}', 'refs/pull/${{ github.event.pull_request.number }}/merge'])}`)
          .issue('pr-target-checkout', 'pull_request_target checks out untrusted PR code');
        d.add('      - run: npm ci && npm test');
      } else if (j === 0) {
        d.add(`      - uses: actions/labeler@${sha1()} # v5`)
          .decoy('pr-target-checkout', 'pull_request_target without checking out PR code');
      }
    } else if (chance(0.9)) {
      usesStep(d, '      ', ACTIONS[0]);
      if (flavor === 'ci' && chance(0.05)) {
        d.add('        with:', '          ref: ${{ github.event.pull_request.head.sha }}')
          .decoy('pr-target-checkout', 'head checkout under pull_request (not pull_request_target)');
      }
    }
    const steps = int(2, 6);
    for (let s = 0; s < steps; s++) {
      const r = rnd();
      if (r < 0.4) {
        const action = pick(ACTIONS.slice(1));
        usesStep(d, '      ', action, WITH[action[0]] || []);
      } else if (r < 0.47 && localActions.length) {
        d.add(`      - uses: ./.github/actions/${pick(localActions)}`).decoy('unpinned-action', 'local action in this repository');
      } else if (r < 0.5) {
        const img = chance(0.5) ? `docker://alpine:3.20` : `docker://ghcr.io/acme-example/tool:1.4@sha256:${sha256()}`;
        d.add(`      - uses: ${img}`);
        if (!img.includes('@sha256:')) d.issue('unpinned-action', `${img} without digest`);
      } else {
        d.add(`      - name: ${pick(VERBS)} ${pick(NOUNS)}`);
        d.add(`        run: ${pick(['npm ci', 'npm test', 'make build', 'go test ./...', 'pytest -q', 'cargo test --locked', './scripts/ci.sh'])}`);
      }
    }
    // expressions in run:
    const injectable = flavor === 'triage' ? INJECTABLE.issues : flavor === 'pr-target' ? INJECTABLE.pr
      : flavor === 'ci' ? [...INJECTABLE.pr, ...INJECTABLE.push] : null;
    if (injectable && (flavor === 'triage' || chance(flavor === 'pr-target' ? 0.25 : 0.1))) {
      const e = pick(injectable);
      if (chance(0.75)) {
        d.add('      - name: Echo input', '        run: |', `          echo "Processing ${pick(NOUNS)}"`);
        d.add(`          echo "\${{ ${e} }}" | tee -a summary.txt`).issue('script-injection', `\${{ ${e} }} in run`);
      } else {
        d.add('      - name: Safe echo', '        env:', `          INPUT_TEXT: \${{ ${e} }}`)
          .decoy('script-injection', 'untrusted value passed through env, not interpolated into the script');
        d.add('        run: echo "$INPUT_TEXT"');
      }
      if (chance(0.3)) {
        const gs = actionRef('actions/github-script', ['v7']);
        d.add(`      - uses: ${gs.ref}`);
        if (gs.kind) d.issue(gs.kind, gs.ref);
        d.add('        with:', '          script: |');
        const e2 = pick(injectable);
        d.add(`            const title = "\${{ ${e2} }}";`).issue('script-injection', `\${{ ${e2} }} in github-script`);
        d.add('            core.info(title);');
      }
    }
    if (chance(0.25)) {
      d.add(`      - run: echo "ref \${{ ${pick(SAFE_EXPR)} }}"`).decoy('script-injection', 'expression is not attacker-controlled');
    }
  }
  return d;
}

function compositeAction(name) {
  const d = new Doc();
  d.add(`name: ${pascal(name)}`, `description: ${pick(SENTENCES)}`, 'inputs:', '  target:', '    description: Build target',
    '    required: false', '    default: all', 'runs:', '  using: composite', '  steps:');
  for (let s = 0, k = int(2, 4); s < k; s++) {
    if (chance(0.6)) usesStep(d, '    ', pick(ACTIONS));
    else d.add('    - shell: bash', `      run: make \${{ inputs.target }}`);
  }
  return d;
}

// ---------------------------------------------------------------- compose

function composeFile(mainSvc) {
  const d = new Doc();
  if (chance(0.3)) d.add(`version: "${pick(['3.8', '3.9'])}"`);
  d.add('services:');
  // the app itself: built locally
  d.add(`  ${mainSvc}:`, '    build: .', `    ports:`, `      - "${int(3000, 9000)}:8080"`, '    environment:', '      - LOG_LEVEL=info');
  if (chance(0.2)) {
    const type = pick(['db-url', 'aws-secret-access-key', 'github-pat']);
    const nm = { 'db-url': 'DATABASE_URL', 'aws-secret-access-key': 'AWS_SECRET_ACCESS_KEY', 'github-pat': 'GITHUB_TOKEN' }[type];
    d.add(`      - ${nm}=${SECRET[type]()}`).issue('secret-in-env', `environment ${nm}`).issue('hardcoded-secret', type);
  }
  if (chance(0.06)) d.add('    user: root').issue('root-user', 'compose service runs as user: root');
  const deps = int(1, 4);
  const pool = ['postgres', 'redis', 'mysql', 'rabbitmq', 'mongo', 'minio', 'nginx'];
  for (let i = 0; i < deps; i++) {
    const key = pool[(i + int(0, pool.length - 1)) % pool.length];
    const { ref, kind, style } = imageRef(key);
    imageStats[style]++;
    d.add(`  ${key}${i}:`, `    image: ${ref}`);
    if (kind) d.issue(kind, `image: ${ref}`);
    if (key === 'postgres' || key === 'mysql') {
      const v = key === 'postgres' ? 'POSTGRES_PASSWORD' : 'MYSQL_ROOT_PASSWORD';
      d.add('    environment:');
      const style2 = weighted([[30, 'literal'], [35, 'file'], [35, 'subst']]);
      if (style2 === 'literal') d.add(`      ${v}: ${SECRET['generic-password']()}`).issue('secret-in-env', `environment ${v}`);
      if (style2 === 'file') d.add(`      ${v}_FILE: /run/secrets/db_password`).decoy('secret-in-env', 'password read from a secret file');
      if (style2 === 'subst') d.add(`      ${v}: \${${v}:?set in .env}`).decoy('secret-in-env', 'value substituted from the environment');
    }
    if (chance(0.3)) d.add('    restart: unless-stopped');
  }
  return d;
}

// ---------------------------------------------------------------- package manifests and lockfiles

const NPM_DEPS = ['express', 'react', 'react-dom', 'lodash', 'zod', 'axios', 'pino', 'fastify', 'dotenv',
  'uuid', 'commander', 'chalk', 'date-fns', 'yaml', 'ws', 'undici', 'semver', 'debug'];
const NPM_DEV = ['typescript', 'vitest', 'eslint', 'prettier', '@types/node', 'tsx'];
function npmDeps(k) {
  const names = [...new Set(Array.from({ length: k }, () => pick(NPM_DEPS)))];
  return names.map((nm) => [nm, semver()]);
}
function packageJson(name, deps, dev, extra = {}) {
  const o = { name, version: semver(), private: true, ...extra, scripts: { build: 'tsc -p .', test: 'vitest run' } };
  if (deps.length) o.dependencies = Object.fromEntries(deps.map(([k, v]) => [k, `^${v}`]));
  if (dev.length) o.devDependencies = Object.fromEntries(dev.map(([k, v]) => [k, `^${v}`]));
  return JSON.stringify(o, null, 2) + '\n';
}
const integrity = () => `sha512-${str(B64, 86)}==`;
/** a lockfile entry URL; rarely http:// or a non-registry host (planted) */
// The registry host written into generated lockfiles: $GEN_NPM_REGISTRY (a URL) if set, else the
// registry npm is configured with on this machine, else a placeholder. It is read at run time so that
// no registry's host name is written into this script.
const NPM_REGISTRY_HOST = (() => {
  let url = process.env.GEN_NPM_REGISTRY;
  if (!url) {
    try { url = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8', timeout: 10000, stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { /* no npm */ }
  }
  try { return new URL(url).host; } catch { return 'registry.npm.example'; }
})();
function tarballUrl(host, nm, v, d) {
  const r = rnd();
  if (r < 0.004) { d.pendingUntrusted = `http scheme for ${nm}`; return `http://${host}/${nm}/-/${nm}-${v}.tgz`; }
  if (r < 0.008) { d.pendingUntrusted = `non-registry host for ${nm}`; return `https://packages.untrusted.example/${nm}/-/${nm}-${v}.tgz`; }
  return `https://${host}/${nm}/-/${nm}-${v}.tgz`;
}
function markUntrusted(d) {
  if (d.pendingUntrusted) { d.issue('lockfile-untrusted-url', d.pendingUntrusted); d.pendingUntrusted = null; }
}
function packageLock(name, deps) {
  const d = new Doc();
  d.add('{', `  "name": "${name}",`, '  "version": "1.0.0",', '  "lockfileVersion": 3,', '  "requires": true,', '  "packages": {');
  d.add('    "": {', `      "name": "${name}",`, '      "dependencies": {');
  deps.forEach(([k, v], i) => d.add(`        "${k}": "^${v}"${i < deps.length - 1 ? ',' : ''}`));
  d.add('      }', '    },');
  const all = [...deps, ...npmDeps(int(3, 25)).map(([k, v]) => [`${k}-${pick(NOUNS)}`, v])];
  all.forEach(([k, v], i) => {
    d.add(`    "node_modules/${k}": {`, `      "version": "${v}",`);
    d.add(`      "resolved": "${tarballUrl(NPM_REGISTRY_HOST, k, v, d)}",`); markUntrusted(d);
    d.add(`      "integrity": "${integrity()}",`, '      "license": "MIT"', `    }${i < all.length - 1 ? ',' : ''}`);
  });
  d.add('  }', '}');
  return d;
}
function yarnLock(deps) {
  const d = new Doc();
  d.add('# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.', '# yarn lockfile v1', '');
  const all = [...deps, ...npmDeps(int(3, 25)).map(([k, v]) => [`${k}-${pick(NOUNS)}`, v])];
  for (const [k, v] of all) {
    d.add('', `${k}@^${v}:`, `  version "${v}"`);
    d.add(`  resolved "${tarballUrl(NPM_REGISTRY_HOST, k, v, d)}#${sha1()}"`); markUntrusted(d);
    d.add(`  integrity ${integrity()}`);
  }
  return d;
}
function pnpmLock(importers) { // importers: [[dir, deps]]
  const d = new Doc();
  d.add("lockfileVersion: '9.0'", '', 'settings:', '  autoInstallPeers: true', '  excludeLinksFromLockfile: false', '', 'importers:');
  const pkgs = new Map();
  for (const [dir, deps] of importers) {
    d.add('', `  ${dir}:`);
    if (!deps.length) { d.add('    {}'); continue; }
    d.add('    dependencies:');
    for (const [k, v] of deps) { d.add(`      ${k}:`, `        specifier: ^${v}`, `        version: ${v}`); pkgs.set(`${k}@${v}`, true); }
  }
  d.add('', 'packages:');
  for (const key of pkgs.keys()) d.add('', `  ${key}:`, `    resolution: {integrity: ${integrity()}}`);
  d.add('', 'snapshots:');
  for (const key of pkgs.keys()) d.add('', `  ${key}: {}`);
  return d;
}

const PY_DEPS = ['requests', 'flask', 'fastapi', 'uvicorn', 'pydantic', 'sqlalchemy', 'celery', 'boto3', 'numpy', 'pandas', 'httpx', 'click'];
const GO_DEPS = ['github.com/gin-gonic/gin', 'github.com/spf13/cobra', 'go.uber.org/zap', 'github.com/stretchr/testify',
  'google.golang.org/grpc', 'github.com/prometheus/client_golang', 'golang.org/x/sync', 'github.com/google/uuid'];
const RS_DEPS = ['serde', 'tokio', 'anyhow', 'clap', 'reqwest', 'tracing', 'thiserror', 'rand'];

/** Manifests and lockfiles of one service; plants missing-lockfile. */
function serviceManifests(dir, lang, name) {
  if (lang === 'node') {
    const deps = npmDeps(int(2, 8));
    const dev = NPM_DEV.slice(0, int(1, 4)).map((k) => [k, semver()]);
    writeFile(`${dir}/package.json`, packageJson(name, deps, dev), 'package-json');
    const lock = weighted([[45, 'npm'], [15, 'yarn'], [10, 'pnpm'], [5, 'shrinkwrap'], [25, 'none']]);
    if (lock === 'npm') writeDoc(`${dir}/package-lock.json`, packageLock(name, deps), 'lockfile');
    if (lock === 'shrinkwrap') writeDoc(`${dir}/npm-shrinkwrap.json`, packageLock(name, deps), 'lockfile');
    if (lock === 'yarn') writeDoc(`${dir}/yarn.lock`, yarnLock(deps), 'lockfile');
    if (lock === 'pnpm') writeDoc(`${dir}/pnpm-lock.yaml`, pnpmLock([['.', deps]]), 'lockfile');
    if (lock === 'none') manifest.issues.push({ kind: 'missing-lockfile', category: 'package-json', file: `${dir}/package.json`, line: 1, detail: 'npm package with dependencies and no lockfile' });
  }
  if (lang === 'python') {
    const style = weighted([[50, 'req-pinned'], [25, 'poetry-locked'], [15, 'poetry-unlocked'], [10, 'req-unpinned']]);
    const deps = [...new Set(Array.from({ length: int(3, 9) }, () => pick(PY_DEPS)))];
    if (style.startsWith('req')) {
      const d = new Doc();
      d.add(`# ${name} runtime requirements`);
      for (const p of deps) {
        if (style === 'req-pinned') d.add(`${p}==${semver()} \\`, `    --hash=sha256:${sha256()}`);
        else d.add(chance(0.5) ? p : `${p}>=${int(1, 3)}.0`);
      }
      writeDoc(`${dir}/requirements.txt`, d, 'python-manifest');
      if (style === 'req-unpinned') manifest.issues.push({ kind: 'missing-lockfile', category: 'python-manifest', file: `${dir}/requirements.txt`, line: 1, detail: 'requirements.txt with unpinned requirements and no lock' });
    } else {
      const d = new Doc();
      d.add('[tool.poetry]', `name = "${name}"`, `version = "${semver()}"`, `description = "${pick(SENTENCES)}"`, '', '[tool.poetry.dependencies]', 'python = "^3.11"');
      for (const p of deps) d.add(`${p} = "^${semver()}"`);
      d.add('', '[build-system]', 'requires = ["poetry-core"]', 'build-backend = "poetry.core.masonry.api"');
      writeDoc(`${dir}/pyproject.toml`, d, 'python-manifest');
      if (style === 'poetry-locked') {
        const l = new Doc();
        l.add('# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.');
        for (const p of deps) l.add('', '[[package]]', `name = "${p}"`, `version = "${semver()}"`, 'optional = false', 'python-versions = ">=3.8"', 'files = [', `    {file = "${p}-${semver()}.tar.gz", hash = "sha256:${sha256()}"},`, ']');
        l.add('', '[metadata]', 'lock-version = "2.0"', 'python-versions = "^3.11"', `content-hash = "${sha256()}"`);
        writeDoc(`${dir}/poetry.lock`, l, 'lockfile');
      } else {
        manifest.issues.push({ kind: 'missing-lockfile', category: 'python-manifest', file: `${dir}/pyproject.toml`, line: 1, detail: 'poetry project with dependencies and no poetry.lock' });
      }
    }
  }
  if (lang === 'go') {
    const deps = [...new Set(Array.from({ length: int(2, 6) }, () => pick(GO_DEPS)))];
    const d = new Doc();
    d.add(`module github.com/acme-example/monorepo/services/${name}`, '', 'go 1.22', '', 'require (');
    const vers = deps.map((m) => [m, `v${semver()}`]);
    for (const [m, v] of vers) d.add(`\t${m} ${v}`);
    d.add(')');
    writeDoc(`${dir}/go.mod`, d, 'go-manifest');
    if (chance(0.88)) {
      const s = new Doc();
      for (const [m, v] of vers) s.add(`${m} ${v} h1:${str(B64, 43)}=`, `${m} ${v}/go.mod h1:${str(B64, 43)}=`);
      writeDoc(`${dir}/go.sum`, s, 'lockfile');
    } else {
      manifest.issues.push({ kind: 'missing-lockfile', category: 'go-manifest', file: `${dir}/go.mod`, line: 1, detail: 'go.mod with requirements and no go.sum' });
    }
  }
  if (lang === 'rust') {
    const lib = chance(0.25);
    const deps = [...new Set(Array.from({ length: int(2, 6) }, () => pick(RS_DEPS)))];
    const d = new Doc();
    d.add('[package]', `name = "${name.replace(/-/g, '_')}"`, `version = "${semver()}"`, 'edition = "2021"', '');
    if (lib) d.add('[lib]', 'path = "src/lib.rs"', '');
    d.add('[dependencies]');
    for (const c of deps) d.add(`${c} = "${int(0, 1)}.${int(0, 40)}"`);
    if (lib) d.decoy('missing-lockfile', 'library crate: Cargo.lock is optional', 1);
    writeDoc(`${dir}/Cargo.toml`, d, 'rust-manifest');
    if (!lib && chance(0.75)) {
      const l = new Doc();
      l.add('# This file is automatically @generated by Cargo.', '# It is not intended for manual editing.', 'version = 3');
      for (const c of deps) l.add('', '[[package]]', `name = "${c}"`, `version = "${semver()}"`, 'source = "registry+https://github.com/rust-lang/crates.io-index"', `checksum = "${sha256()}"`);
      writeDoc(`${dir}/Cargo.lock`, l, 'lockfile');
    } else if (!lib) {
      manifest.issues.push({ kind: 'missing-lockfile', category: 'rust-manifest', file: `${dir}/Cargo.toml`, line: 1, detail: 'binary crate with no Cargo.lock' });
    }
  }
}

// ---------------------------------------------------------------- source files, docs, .env

/** One line that plants a hardcoded secret, in the syntax of `lang`. */
function secretLine(lang) {
  const type = weighted([[22, 'github-pat'], [16, 'aws-access-key-id'], [14, 'aws-secret-access-key'], [12, 'slack-webhook'],
    [10, 'npm-token'], [14, 'db-url'], [12, 'generic-password']]);
  const v = SECRET[type]();
  const nm = { 'github-pat': 'GITHUB_TOKEN', 'aws-access-key-id': 'AWS_ACCESS_KEY_ID', 'aws-secret-access-key': 'AWS_SECRET_ACCESS_KEY',
    'slack-webhook': 'SLACK_WEBHOOK_URL', 'npm-token': 'NPM_TOKEN', 'db-url': 'DATABASE_URL', 'generic-password': 'ADMIN_PASSWORD' }[type];
  const line = {
    ts: `const ${nm} = "${v}";`, js: `const ${nm} = '${v}';`, py: `${nm} = "${v}"`, go: `const ${camel('default', nm.toLowerCase().replace(/_(\w)/g, (_, c) => c.toUpperCase()))} = "${v}"`,
    rs: `const ${nm}: &str = "${v}";`, env: `${nm}=${v}`, yaml: `${nm.toLowerCase()}: "${v}"`, json: `  "${nm.toLowerCase()}": "${v}",`,
  }[lang];
  return { line, type };
}
/** Lines that look like secrets and are not (decoys). Built at run time. */
function decoySecretLine(lang) {
  const options = [
    [`${PFX.ghp}${'x'.repeat(36)}`, 'placeholder token made of x'],
    [`${PFX.akia}IOSFODNN7EXAMPLE`, "AWS documentation's example key ID"],
    ['postgres://user:password@localhost:5432/dev', 'documentation placeholder credentials'],
    ['<YOUR_GITHUB_TOKEN>', 'placeholder'],
    [`sha256:${sha256()}`, 'content digest (high entropy, not a secret)'],
    [uuid(), 'UUID (high entropy, not a secret)'],
  ];
  const [v, why] = pick(options);
  const line = { ts: `const example = "${v}";`, js: `const example = '${v}';`, py: `EXAMPLE_VALUE = "${v}"`, go: `const exampleValue = "${v}"`,
    rs: `const EXAMPLE: &str = "${v}";`, md: `    export TOKEN=${v}`, env: `EXAMPLE_VALUE=${v}`, yaml: `example: "${v}"`, json: `  "example": "${v}",` }[lang];
  return { line, why };
}

const HEADER_LINES = { ts: 3, js: 3, py: 4, go: 7, rs: 2 }; // lines sourceFile() puts before the code

/** Filler code: plausible statements with identifiers, comments, constants. */
function sourceFile(lang, lines) {
  const d = new Doc();
  const c = lang === 'py' ? '#' : '//';
  if (lang === 'ts' || lang === 'js') d.add(`import { ${ident()} } from './${pick(WORDS)}';`, `import ${pick(NOUNS)} from '${pick(NPM_DEPS)}';`, '');
  if (lang === 'py') d.add(`"""${pick(SENTENCES)}"""`, 'import os', `from .${pick(WORDS)} import ${ident()}`, '');
  if (lang === 'go') d.add(`package ${pick(WORDS)}`, '', 'import (', '\t"context"', '\t"fmt"', ')', '');
  if (lang === 'rs') d.add('use std::collections::HashMap;', '');
  while (d.n < lines) {
    const fn = ident(), a = pick(NOUNS), b = pick(NOUNS);
    if (lang === 'ts' || lang === 'js') {
      d.add(`${c} ${pick(SENTENCES)}`, `export function ${fn}(${a}${lang === 'ts' ? `: ${pascal(b)}` : ''}, limit = ${int(1, 500)}) {`,
        `  const ${b}List = ${a}.items.filter((x) => x.size < limit);`, `  if (!${b}List.length) return null;`,
        `  return ${b}List.map((x) => ({ ...x, tag: '${pick(WORDS)}' }));`, '}', '');
    } else if (lang === 'py') {
      d.add(`def ${fn.replace(/[A-Z]/g, (m) => '_' + m.toLowerCase())}(${a}, limit=${int(1, 500)}):`, `    """${pick(SENTENCES)}"""`,
        `    ${b}s = [x for x in ${a} if x.size < limit]`, `    if not ${b}s:`, '        return None', `    return {"${pick(WORDS)}": ${b}s}`, '', '');
    } else if (lang === 'go') {
      d.add(`${c} ${pascal(fn)} ${pick(SENTENCES).toLowerCase()}`, `func ${pascal(fn)}(ctx context.Context, ${a} []string) (int, error) {`,
        `\tif len(${a}) > ${int(1, 500)} {`, `\t\treturn 0, fmt.Errorf("too many ${b}s: %d", len(${a}))`, '\t}', `\treturn len(${a}), nil`, '}', '');
    } else {
      d.add(`/// ${pick(SENTENCES)}`, `pub fn ${fn.replace(/[A-Z]/g, (m) => '_' + m.toLowerCase())}(${a}: &[u32]) -> Option<u32> {`,
        `    let total: u32 = ${a}.iter().filter(|x| **x < ${int(1, 500)}).sum();`, '    if total == 0 { None } else { Some(total) }', '}', '');
    }
    if (chance(0.05)) d.add(lang === 'py' ? `CHECKSUM = "${sha256()}"` : lang === 'go' ? `var checksum = "${sha256()}"` : lang === 'rs' ? `const CHECKSUM: &str = "${sha256()}";` : `export const CHECKSUM = '${sha256()}';`);
  }
  return d;
}
function markdownDoc(title) {
  const d = new Doc();
  d.add(`# ${title}`, '', pick(SENTENCES) + ' ' + pick(SENTENCES), '', '## Usage', '', '```sh');
  d.add(`npm run ${pick(VERBS)}`, '```', '');
  for (let i = 0, k = int(3, 12); i < k; i++) d.add(`- ${pick(SENTENCES)}`, `  ${pick(VERBS)} the ${pick(NOUNS)} before the ${pick(NOUNS)}.`);
  return d;
}

/** A deterministic binary blob with a real magic number; always contains NUL bytes. */
function binaryBlob(ext, size) {
  const magic = {
    png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52],
    woff2: [0x77, 0x4f, 0x46, 0x32, 0, 1, 0, 0], jar: [0x50, 0x4b, 3, 4, 20, 0, 8, 0], gz: [0x1f, 0x8b, 8, 0, 0, 0, 0, 0],
    ico: [0, 0, 1, 0, 1, 0], wasm: [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
  }[ext];
  const buf = Buffer.alloc(size);
  Buffer.from(magic).copy(buf);
  for (let i = magic.length; i < size; i++) buf[i] = Math.floor(rnd() * 256);
  buf[magic.length] = 0;
  return buf;
}

// ---------------------------------------------------------------- the tree

const LANGS = [[40, 'node'], [30, 'python'], [18, 'go'], [12, 'rust']];
const EXT = { node: 'ts', python: 'py', go: 'go', rust: 'rs' };
const srcDirs = []; // [dir, ext] where filler sources go
const TARGET_FILES = n(10000);

// 1. root files
writeFile('README.md', markdownDoc('acme-example monorepo (synthetic)').text(), 'doc');
// .env is deliberately NOT ignored: the planted .env files stand for secrets
// that were committed (secretlint >= 13 skips files matched by .gitignore).
writeFile('.gitignore', 'node_modules/\ndist/\n*.log\n', 'config');

// 2. composite actions (referenced by workflows as local actions)
for (let i = 0, k = n(20); i < k; i++) {
  const nm = `${pick(WORDS)}-${pick(VERBS)}-${i}`;
  localActions.push(nm);
  writeDoc(`.github/actions/${nm}/action.yml`, compositeAction(nm), 'action');
}

// 3. services: Dockerfile(s), manifests, maybe compose, workflows, .env
const services = [];
for (let i = 0, k = n(250); i < k; i++) {
  const lang = weighted(LANGS);
  const name = `${pick(WORDS)}-${pick(WORDS)}-${String(i).padStart(4, '0')}`;
  const dir = `services/${name}`;
  services.push({ name, dir, lang });
  writeDoc(`${dir}/Dockerfile`, dockerfile(lang), 'dockerfile');
  serviceManifests(dir, lang, name);
  srcDirs.push([`${dir}/src`, EXT[lang]]);
}
// extra Dockerfiles: variants inside services, then infra/docker
for (let i = 0, k = n(150); i < k; i++) {
  const s = services[i % services.length];
  const file = pick(['Dockerfile.dev', 'Dockerfile.prod', `docker/${pick(['ci', 'debug', 'worker'])}.Dockerfile`, 'Containerfile']);
  const rel = `${s.dir}/${file}`;
  if (fs.existsSync(path.join(OUT, rel))) { writeDoc(`${s.dir}/docker/variant-${i}.Dockerfile`, dockerfile(s.lang), 'dockerfile'); continue; }
  writeDoc(rel, dockerfile(s.lang), 'dockerfile');
}
for (let i = 0, k = n(100); i < k; i++) {
  writeDoc(`infra/docker/${pick(WORDS)}-${i}.Dockerfile`, dockerfile(weighted(LANGS)), 'dockerfile');
}
// compose files
for (let i = 0, k = n(70); i < k; i++) {
  const s = services[(i * 3) % services.length];
  const file = i < services.length / 3 ? pick(['docker-compose.yml', 'compose.yaml', 'docker-compose.yaml']) : `compose.${pick(['dev', 'test', 'prod'])}-${i}.yaml`;
  writeDoc(`${s.dir}/${file}`, composeFile(s.name.split('-')[0]), 'compose');
}
for (let i = 0, k = n(30); i < k; i++) writeDoc(`infra/compose/${pick(WORDS)}-${i}/docker-compose.yml`, composeFile(pick(WORDS)), 'compose');
// root workflows and a few nested ones (vendored sub-projects)
const FLAVORS = [[45, 'ci'], [12, 'release'], [12, 'triage'], [11, 'pr-target'], [12, 'schedule'], [8, 'reusable-caller']];
for (let i = 0, k = n(270); i < k; i++) {
  const fl = weighted(FLAVORS);
  writeDoc(`.github/workflows/${fl}-${pick(WORDS)}-${i}.${chance(0.8) ? 'yml' : 'yaml'}`, workflow(fl), 'workflow');
}
for (let i = 0, k = n(30); i < k; i++) {
  const s = services[(i * 7) % services.length];
  const fl = weighted(FLAVORS);
  writeDoc(`${s.dir}/.github/workflows/${fl}-${i}.yml`, workflow(fl, s.name), 'workflow');
}
// .env files with secrets, and .env.example with placeholders
for (let i = 0, k = n(50); i < k; i++) {
  const s = services[(i * 5) % services.length];
  const d = new Doc();
  d.add(`# local settings for ${s.name}`, 'LOG_LEVEL=debug', `PORT=${int(3000, 9000)}`);
  for (let j = 0, m = int(1, 3); j < m; j++) { const { line, type } = secretLine('env'); d.add(line).issue('hardcoded-secret', type); }
  writeDoc(`${s.dir}/.env`, d, 'env');
  const e = new Doc();
  e.add(`# copy to .env`, 'LOG_LEVEL=info');
  const { line, why } = decoySecretLine('env');
  e.add(line).decoy('hardcoded-secret', why);
  writeDoc(`${s.dir}/.env.example`, e, 'env');
}

// 4. JS workspace: apps/* and packages/* covered by the root pnpm-lock.yaml
const importers = [['.', []]];
const members = [];
for (let i = 0, k = n(200); i < k; i++) {
  const group = i < n(50) ? 'apps' : 'packages';
  const name = `${pick(WORDS)}-${String(i).padStart(4, '0')}`;
  const dir = `${group}/${name}`;
  const deps = npmDeps(int(0, 6));
  writeFile(`${dir}/package.json`, packageJson(`@acme-example/${name}`, deps, []), 'package-json');
  if (deps.length) manifest.decoys.push({ looks_like: 'missing-lockfile', file: `${dir}/package.json`, line: 1, reason: 'workspace member covered by the root pnpm-lock.yaml' });
  importers.push([dir, deps]);
  members.push(dir);
  srcDirs.push([`${dir}/src`, 'ts']);
}
writeFile('package.json', packageJson('acme-example-monorepo', [], [['typescript', '5.5.4']], { workspaces: ['apps/*', 'packages/*'] }), 'package-json');
writeFile('pnpm-workspace.yaml', "packages:\n  - 'apps/*'\n  - 'packages/*'\n", 'config');
writeDoc('pnpm-lock.yaml', pnpmLock(importers), 'lockfile');

// 5. standalone tools: package.json with or without a lockfile
for (let i = 0, k = n(100); i < k; i++) {
  const name = `${pick(VERBS)}-${pick(NOUNS)}-${i}`;
  const dir = `tools/${name}`;
  const deps = chance(0.12) ? [] : npmDeps(int(1, 5));
  writeFile(`${dir}/package.json`, packageJson(name, deps, []), 'package-json');
  if (!deps.length) manifest.decoys.push({ looks_like: 'missing-lockfile', file: `${dir}/package.json`, line: 1, reason: 'no dependencies: nothing to lock' });
  else if (chance(0.5)) writeDoc(`${dir}/package-lock.json`, packageLock(name, deps), 'lockfile');
  else manifest.issues.push({ kind: 'missing-lockfile', category: 'package-json', file: `${dir}/package.json`, line: 1, detail: 'npm package with dependencies and no lockfile' });
  srcDirs.push([`${dir}/src`, 'js']);
}

// 6. node_modules trees: everything below must be skipped by a scanner.
const skipDirs = ['node_modules', `${members[0]}/node_modules`, `${services.find((s) => s.lang === 'node')?.dir || members[1]}/node_modules`];
{
  const budget = n(600);
  let made = 0, p = 0;
  while (made < budget) {
    const root = skipDirs[p % skipDirs.length];
    const pkg = `${pick(NPM_DEPS)}-${pick(NOUNS)}-${p++}`;
    const dir = `${root}/${pkg}`;
    writeFile(`${dir}/package.json`, packageJson(pkg, npmDeps(int(0, 3)), []), 'node_modules');
    writeFile(`${dir}/index.js`, sourceFile('js', int(20, 80)).text(), 'node_modules');
    writeFile(`${dir}/README.md`, markdownDoc(pkg).text(), 'node_modules');
    made += 3;
    // look-alikes that must not be reported, because they are in node_modules
    if (p % 4 === 0) { const d = new Doc(); d.add('FROM node:latest', 'CMD ["node", "index.js"]'); writeFile(`${dir}/Dockerfile`, d.text(), 'node_modules'); made++; manifest.decoys.push({ looks_like: 'latest-tag', file: `${dir}/Dockerfile`, line: 1, reason: 'inside node_modules' }); }
    if (p % 5 === 0) { const d = new Doc(); const { line } = secretLine('js'); d.add('// test fixture', line); writeFile(`${dir}/test/fixture.js`, d.text(), 'node_modules'); made++; manifest.decoys.push({ looks_like: 'hardcoded-secret', file: `${dir}/test/fixture.js`, line: 2, reason: 'inside node_modules' }); }
    if (p % 7 === 0) { const w = workflow('ci'); writeFile(`${dir}/.github/workflows/ci.yml`, w.text(), 'node_modules'); made++; manifest.decoys.push({ looks_like: 'unpinned-action', file: `${dir}/.github/workflows/ci.yml`, line: 1, reason: 'inside node_modules (whole file)' }); }
  }
  writeFile('node_modules/.package-lock.json', JSON.stringify({ name: 'acme-example-monorepo', lockfileVersion: 3, packages: {} }, null, 2) + '\n', 'node_modules');
}

// 7. binary assets; one PNG carries a token-like string in its bytes
for (let i = 0, k = n(200); i < k; i++) {
  const ext = weighted([[50, 'png'], [15, 'woff2'], [15, 'jar'], [10, 'gz'], [5, 'ico'], [5, 'wasm']]);
  const buf = binaryBlob(ext, int(512, 48 * 1024));
  const rel = `${pick(['assets/img', 'assets/fonts', 'apps/web-assets', 'vendor/bin'])}/${pick(WORDS)}-${i}.${ext}`;
  if (i === 0) {
    Buffer.from(`tEXtComment\0${checksummedToken(PFX.ghp)}`).copy(buf, 64);
    manifest.decoys.push({ looks_like: 'hardcoded-secret', file: rel, line: null, reason: 'token-like bytes inside a binary file (text scanners skip binaries)' });
  }
  writeFile(rel, buf, 'binary');
}

// 8. docs (with placeholder credentials as decoys)
for (let i = 0, k = n(150); i < k; i++) {
  const d = markdownDoc(`${pascal(pick(WORDS))} guide ${i}`);
  if (chance(0.3)) {
    d.add('', '```sh');
    const { line, why } = decoySecretLine('md');
    d.add(line).decoy('hardcoded-secret', why);
    d.add('```');
  }
  writeDoc(`docs/${pick(WORDS)}/${pick(VERBS)}-${i}.md`, d, 'doc');
}

// 9. filler sources until the target file count is reached (manifest.json is the last file)
{
  let i = 0;
  while (totals.files < TARGET_FILES - 1) {
    const [dir, ext] = pick(srcDirs);
    const kind = weighted([[80, 'code'], [8, 'json'], [6, 'yaml'], [6, 'md']]);
    const base = `${pick(VERBS)}-${pick(NOUNS)}-${i++}`;
    if (kind === 'code') {
      const d = sourceFile(ext, int(15, 220));
      const at = HEADER_LINES[ext]; // insert after the imports
      const r = rnd();
      if (r < 0.012) {
        const { line, type } = secretLine(ext);
        d.lines.splice(at, 0, line); d.marks.push({ kind: 'hardcoded-secret', line: at + 1, detail: type });
      } else if (r < 0.03) {
        const { line, why } = decoySecretLine(ext);
        d.lines.splice(at, 0, line); d.marks.push({ decoy: true, looksLike: 'hardcoded-secret', line: at + 1, reason: why });
      }
      writeDoc(`${dir}/${base}.${ext}`, d, 'source');
    } else if (kind === 'json') {
      const d = new Doc();
      d.add('{', `  "id": "${uuid()}",`, `  "name": "${pick(WORDS)}",`, `  "checksum": "${sha256()}",`);
      if (chance(0.04)) { const { line, type } = secretLine('json'); d.add(line).issue('hardcoded-secret', type); }
      d.add(`  "enabled": ${chance(0.5)}`, '}');
      writeDoc(`${dir}/${base}.json`, d, 'source');
    } else if (kind === 'yaml') {
      const d = new Doc();
      d.add(`# ${pick(SENTENCES)}`, `name: ${pick(WORDS)}`, `replicas: ${int(1, 5)}`, 'settings:', `  timeout: ${int(1, 60)}s`);
      if (chance(0.04)) { const { line, type } = secretLine('yaml'); d.add(line).issue('hardcoded-secret', type); }
      writeDoc(`${dir}/${base}.yaml`, d, 'source');
    } else {
      writeDoc(`${dir}/${base}.md`, markdownDoc(base), 'doc');
    }
  }
}

// ---------------------------------------------------------------- manifest

const byKind = {};
for (const it of manifest.issues) byKind[it.kind] = (byKind[it.kind] || 0) + 1;
const decoysByKind = {};
for (const it of manifest.decoys) decoysByKind[it.looks_like] = (decoysByKind[it.looks_like] || 0) + 1;
const cmp = (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0));
manifest.issues.sort((a, b) => cmp(a, b) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
manifest.decoys.sort(cmp);
const out = {
  generator: 'gen-monorepo.mjs', format: 1, scale: SCALE, seed: SEED,
  kinds: {
    'unpinned-image': 'FROM / image: with neither tag nor digest (a registry port is not a tag)',
    'latest-tag': 'FROM / image: with the explicit :latest tag',
    'secret-in-env': 'ENV/ARG in a Dockerfile or compose environment with a literal secret value',
    'root-user': 'final Dockerfile stage runs as root (USER root, or no USER: line of the final FROM); compose user: root',
    'missing-lockfile': 'package.json / pyproject / requirements / go.mod / Cargo.toml (binary) with dependencies and no lock (line 1)',
    'unpinned-action': 'uses: (step, reusable workflow, docker://) not pinned to a full commit SHA or image digest',
    'script-injection': 'attacker-controlled ${{ github.event.* }} / head_ref expanded inside run: or github-script',
    'pr-target-checkout': 'pull_request_target workflow checking out the PR head (line of ref:)',
    'write-all-permissions': 'permissions: write-all at workflow or job level',
    'hardcoded-secret': 'fake, format-valid credential in a text file (detail = type)',
    'lockfile-untrusted-url': 'extra kind: npm/yarn lockfile entry resolved over http:// or from a non-registry host',
  },
  notes: [
    'Lines are 1-based; a line may carry two kinds (e.g. ENV GITHUB_TOKEN=... is secret-in-env and hardcoded-secret).',
    'Decoys look like an issue but are not one; reporting them is a false positive. Lockfile integrity hashes, sha256 digests and UUIDs in sources are further unlisted decoys for entropy-based scanners.',
    'Everything under skip_dirs must be skipped; the decoys listed there are examples.',
    'Image tags without digest are not planted issues; image_pinning counts them for a stricter policy.',
    'Secrets contain EXAMPLE in the middle of the value; none is a real credential.',
  ],
  totals: { ...totals, files: totals.files + 1 },
  image_pinning: imageStats,
  skip_dirs: skipDirs,
  counts: { issues: manifest.issues.length, issues_by_kind: byKind, decoys: manifest.decoys.length, decoys_by_kind: decoysByKind },
  issues: manifest.issues,
  decoys: manifest.decoys,
};
fs.writeFileSync(path.join(OUT, 'manifest.json'), JSON.stringify(out, null, 1) + '\n');

const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(`gen-monorepo: scale ${SCALE} seed ${SEED}: ${out.totals.files} files, ${(totals.bytes / 1e6).toFixed(1)} MB, ` +
  `${manifest.issues.length} planted issues, ${manifest.decoys.length} decoys, ${(ms / 1000).toFixed(2)} s -> ${OUT}`);
console.log('issues by kind: ' + Object.entries(byKind).sort().map(([k, v]) => `${k} ${v}`).join(', '));
