// Every finding's message, and any suggestion the review makes for it, is written in the syntax of the file it is in:
// a compose finding never names Dockerfile instructions, a Kubernetes one never `user: "…"`, an action's never
// `${{ secrets.… }}`. Each rule runs over every example file of every rule (its own and the others'), and each finding
// is checked against the tell-tale tokens of the formats its file is not. A rule must have a bad example of its own in
// every format it reads, or a stated reason below why it never reports there (checked against the examples too).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileFormat, type FileFormat } from '../../src/analysis/file-format.js';
import type { DocumentKind, Example, Finding, Rule } from '../../src/core/types.js';
import { buildReview } from '../../src/reporters/review.js';
import { rules } from '../../src/rules/index.js';
import { initTreeSitter } from '../../src/parsers/tree-sitter.js';
import { scanFiles } from '../../src/scan.js';

// scanFiles is synchronous and the examples are scanned while the tests are collected: the source rules need the parser runtime first
await initTreeSitter();

const ALL: readonly FileFormat[] = ['dockerfile', 'compose', 'kubernetes', 'workflow', 'action', 'manifest', 'lockfile', 'other'];

/** The formats a document kind stands for. A new kind fails to compile here until its formats are listed. */
const FORMATS_OF: Record<DocumentKind, readonly FileFormat[]> = {
  dockerfile: ['dockerfile'],
  workflow: ['workflow', 'action'],
  workload: ['compose', 'kubernetes'],
  manifest: ['manifest'],
  lockfile: ['lockfile'],
  yaml: ['compose', 'kubernetes', 'workflow', 'action', 'lockfile', 'other'],
  text: ALL,
  shell: ['other'],
  code: ['other'],
  terraform: ['other'],
  // repository rules read the tree as a whole (CODEOWNERS, dependabot.yml, a missing SECURITY.md), no file format
  repository: [],
};

interface Token {
  re: RegExp;
  /** Formats outside the family where the token is genuinely the same word, and why. */
  alsoIn?: Partial<Record<FileFormat, string>>;
}

/**
 * Tell-tale tokens of each family of formats: syntax a reader of another format could not write in their file.
 * Case matters (`USER ` is a Dockerfile instruction, `user:` a compose key).
 */
const FAMILIES: readonly { name: string; formats: readonly FileFormat[]; tokens: readonly Token[] }[] = [
  {
    name: 'Dockerfile',
    formats: ['dockerfile'],
    tokens: [
      { re: /\b(FROM|RUN|USER|ENV|ARG|COPY|ADD|EXPOSE|LABEL|CMD|ENTRYPOINT|WORKDIR|HEALTHCHECK|ONBUILD|STOPSIGNAL)\b/ },
      { re: /--mount=/ },
      { re: /\bDockerfile\b/ },
      { re: /\.dockerignore\b/ },
      { re: /\b(useradd|adduser)\b/ },
      { re: /--build-arg\b/ },
      { re: /\bdocker build\b/ },
    ],
  },
  {
    name: 'compose',
    formats: ['compose'],
    tokens: [
      { re: /(^|[^.\w])services:/, alsoIn: { workflow: "a job's `services:` map" } },
      { re: /\buser: "/ },
      { re: /\benvironment:/, alsoIn: { workflow: "a job's deployment `environment:`" } },
      { re: /\b(cap_add|cap_drop|network_mode|userns_mode|security_opt|no-new-privileges)\b/ },
      { re: /(^|[^.\w])privileged: true/ },
      { re: /\b(pid|ipc): host\b/ },
      { re: /\bcompose (secrets|network)\b/ },
      { re: /\bdocker compose\b/ },
      { re: /"127\.0\.0\.1:\d+:\d+"/ },
    ],
  },
  {
    name: 'Kubernetes',
    formats: ['kubernetes'],
    tokens: [
      { re: /\b(securityContext|runAsNonRoot|runAsUser|runAsGroup|valueFrom|secretKeyRef|allowPrivilegeEscalation|readOnlyRootFilesystem)\b/ },
      { re: /\b(hostPath|hostPort|hostNetwork|hostPID|hostIPC|hostUsers|containerPort|initContainers)\b/ },
      { re: /\bcapabilities\.(add|drop)\b/ },
      { re: /\b(kubectl|ClusterIP|apiVersion)\b/ },
    ],
  },
  {
    name: 'workflow or action',
    formats: ['workflow', 'action'],
    tokens: [
      { re: /\b(steps|run|uses|with):/ },
      { re: /(^|[^\w.[])env:/, alsoIn: { kubernetes: "a container's `env:` list" } },
      { re: /\$\{\{/ },
      { re: /\bGITHUB_(ENV|PATH|OUTPUT)\b/ },
      { re: /\bpersist-credentials\b/ },
      { re: /\bactions\/checkout\b/ },
    ],
  },
  {
    name: 'workflow',
    formats: ['workflow'],
    tokens: [
      { re: /\bjobs[:.]/ },
      { re: /\bruns-on\b/ },
      { re: /\bpermissions:/ },
      { re: /\$\{\{ ?secrets\./ },
      { re: /\bsecrets: inherit\b/ },
      { re: /\bActions secret/ },
      { re: /\b(pull_request_target|workflow_run|workflow_dispatch|issue_comment)\b/ },
    ],
  },
  {
    name: 'action',
    formats: ['action'],
    tokens: [
      { re: /\bruns\.(image|steps|using)\b/ },
      { re: /\busing: (composite|docker|node\d+)\b/ },
      { re: /(^|[^.\w])inputs:/, alsoIn: { workflow: '`on.workflow_call.inputs:` and `workflow_dispatch.inputs:`' } },
      { re: /\$\{\{ ?inputs\./, alsoIn: { workflow: 'a reusable or dispatched workflow reads `${{ inputs.x }}` too' } },
    ],
  },
  {
    name: 'manifest or lockfile',
    formats: ['manifest', 'lockfile'],
    tokens: [
      { re: /\b(regenerate|commit) the (updated )?lockfile\b/ },
      { re: /"(dependencies|devDependencies)"|\[dependencies\]/ },
    ],
  },
];

/** The tokens of formats other than `format` found in `text`, as `family: match`. */
function foreignTokens(text: string, format: FileFormat): string[] {
  const out: string[] = [];
  for (const family of FAMILIES) {
    if (family.formats.includes(format)) continue;
    for (const t of family.tokens) {
      if (t.alsoIn?.[format] !== undefined) continue;
      const m = t.re.exec(text);
      if (m) out.push(`${family.name}: ${JSON.stringify(m[0])}`);
    }
  }
  return out;
}

/**
 * Formats a rule reads (by its `reads`) but never reports in, and why. Each claim is checked: the rule must have no
 * bad example of that format and must stay silent on every example file of that format, whichever rule it belongs to.
 */
const NEVER_REPORTS: Record<string, Partial<Record<FileFormat, string>>> = {
  'vulnerable-dependency': Object.fromEntries(
    (['lockfile', 'manifest', 'dockerfile', 'workflow', 'action'] as const).map((f) => [f, 'it reports only with advisories fetched online (OSV), which the offline examples never have; test/action/osv-vulns.test.ts checks its findings per lockfile format']),
  ),
  'approval-race': { action: 'an action has no trigger or jobs of its own: the approval and the checkout are in the workflow that uses it' },
  'compose-secret-file': Object.fromEntries(
    ALL.filter((f) => f !== 'other').map((f) => [f, 'it reports only in the files a compose `secrets:`/`configs:` entry names, which hold one value and are of no other format']),
  ),
  'privilege-escalation': { compose: 'compose services are not reported (see the rationale): only Kubernetes has allowPrivilegeEscalation' },
  ...Object.fromEntries(
    ['plaintext-traffic', 'rbac-overreach', 'world-open-port'].map((id) => [
      id,
      { compose: 'it reads the Kubernetes network and RBAC objects of a workload document; a compose file has none (compose ports are `exposed-admin-port`)' },
    ]),
  ),
  'committed-dotenv': Object.fromEntries(ALL.filter((f) => f !== 'other').map((f) => [f, 'it reports `.env` files only, which are of no other format'])),
  'tls-verification-disabled': Object.fromEntries(
    (['compose', 'kubernetes', 'manifest', 'lockfile'] as const).map((f) => [f, 'it reads text only for the tool config files it knows by name (.npmrc, pip.conf, .curlrc…)']),
  ),
  'unpinned-git-dependency': Object.fromEntries(
    (['dockerfile', 'compose', 'kubernetes', 'workflow', 'action', 'other'] as const).map((f) => [f, 'it reads text only for the manifests it knows by name (requirements.txt, Gemfile…)']),
  ),
  ...Object.fromEntries(
    ['dangerous-trigger', 'excessive-permissions', 'secrets-inherit', 'self-hosted-runner', 'untrusted-checkout'].map((id) => [
      id,
      { action: 'an action has no triggers, jobs, permissions or runner of its own: the workflow that uses it does' },
    ]),
  ),
};

interface Input {
  owner: string;
  ex: Example;
}
const inputs: Input[] = rules.flatMap((r) => [...r.examples.bad, ...r.examples.good].map((ex) => ({ owner: r.id, ex })));
const filesOf = (ex: Example): Record<string, string> => ({ ...ex.files, [ex.path]: ex.text });
const formatOf = (ex: Example, path: string): FileFormat => fileFormat(path, filesOf(ex)[path] ?? '');

/** What a reviewer reads for `f`: its message, its related labels, and the inline comment the review posts (with any suggestion). */
function reviewerText(f: Finding, all: readonly Finding[], ex: Example): { what: string; text: string }[] {
  const files = filesOf(ex);
  const text = files[f.path] ?? '';
  const lines = text.replace(/\n$/, '').split('\n');
  const plan = buildReview({
    findings: all.filter((g) => g.path === f.path),
    files: [{ filename: f.path, status: 'added', patch: `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}` }],
    readLines: (p) => files[p]?.split('\n'),
    max: 1000,
  });
  const marker = `portcullis:fp:${f.fingerprint.replace(/[^A-Za-z0-9._:]/g, '')} `;
  const comment = plan.comments.find((c) => c.body.includes(marker));
  return [
    { what: 'message', text: f.message },
    ...f.related.map((r) => ({ what: 'related label', text: r.label })),
    ...(comment ? [{ what: 'review comment', text: comment.body.replace(/<!--[^>]*-->/g, '') }] : []),
  ];
}

interface Seen {
  rule: Rule;
  format: FileFormat;
  own: boolean;
  finding: Finding;
  ex: Example;
  all: Finding[];
}
const seen: Seen[] = [];
for (const rule of rules) {
  for (const { owner, ex } of inputs) {
    const all = scanFiles(filesOf(ex), { rules: [rule] }).findings.filter((f) => f.ruleId === rule.id);
    const own = owner === rule.id && rule.examples.bad.includes(ex);
    for (const finding of all) seen.push({ rule, format: formatOf(ex, finding.path), own, finding, ex, all });
  }
}

const pairs = [...new Set(seen.map((s) => `${s.rule.id} in ${s.format}`))].sort();

describe('messages and suggestions speak the format of their file', () => {
  it.each(pairs)('%s', (pair) => {
    const [id, format] = pair.split(' in ') as [string, FileFormat];
    const problems: string[] = [];
    for (const s of seen.filter((x) => x.rule.id === id && x.format === format)) {
      for (const { what, text } of reviewerText(s.finding, s.all, s.ex)) {
        for (const t of foreignTokens(text, format)) problems.push(`${s.finding.path}:${s.finding.line} ${what} names ${t}: ${text}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('lists the pairs it covered', () => {
    // A visible record in the test output of which (rule, format) pairs ran, beside the per-pair tests above.
    expect(pairs.length).toBeGreaterThan(rules.length);
  });
});

describe('the demo repository (the README and docs examples) speaks the format of each file', () => {
  const root = join(import.meta.dirname, '..', '..', 'fixtures', 'demo');
  const files: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[relative(root, join(entry.parentPath, entry.name)).split('\\').join('/')] = readFileSync(join(entry.parentPath, entry.name), 'utf8');
  }
  const findings = scanFiles(files).findings;

  it('checks findings in several formats', () => {
    expect(new Set(findings.map((f) => fileFormat(f.path, files[f.path] ?? ''))).size).toBeGreaterThanOrEqual(4);
  });

  it('no message, label or review comment names another format', () => {
    const problems: string[] = [];
    for (const f of findings) {
      const format = fileFormat(f.path, files[f.path] ?? '');
      const ex: Example = { path: f.path, text: files[f.path] ?? '', files };
      for (const { what, text } of reviewerText(f, findings, ex)) {
        for (const t of foreignTokens(text, format)) problems.push(`${f.path}:${f.line} ${f.ruleId} ${what} names ${t}: ${text}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('every rule has a bad example in every format it reads', () => {
  it.each(rules.map((r) => [r.id, r] as const))('%s', (id, rule) => {
    const reads = [...new Set(rule.reads.flatMap((k) => FORMATS_OF[k]))];
    const covered = new Set(seen.filter((s) => s.rule === rule && s.own).map((s) => s.format));
    const excused = NEVER_REPORTS[id] ?? {};
    const missing = reads.filter((f) => !covered.has(f) && excused[f] === undefined);
    expect(missing, `formats ${id} reads with no bad example of its own (add one to examples.bad)`).toEqual([]);
    for (const f of Object.keys(excused) as FileFormat[]) {
      expect(reads, `${id}: an excuse for a format it does not read`).toContain(f);
      expect(covered.has(f), `${id} has a bad example in ${f}: drop its excuse`).toBe(false);
      const reported = seen.filter((s) => s.rule === rule && s.format === f);
      expect(reported.map((s) => `${s.finding.path}: ${s.finding.message}`), `${id} reports in ${f}, so it needs an example there`).toEqual([]);
    }
  });
});

describe('the fixes the issue found wrong now name their own format', () => {
  const messages = (id: string, format: FileFormat): string[] => seen.filter((s) => s.rule.id === id && s.format === format && s.own).map((s) => s.finding.message);
  const review = (id: string, format: FileFormat): string[] =>
    seen.filter((s) => s.rule.id === id && s.format === format && s.own).flatMap((s) => reviewerText(s.finding, s.all, s.ex).filter((t) => t.what === 'review comment').map((t) => t.text));

  it('a compose secret is fixed with `${VAR}` or compose secrets, a Kubernetes one with a Secret, never in a Dockerfile', () => {
    expect(messages('secret-in-env', 'compose')).toEqual([expect.stringContaining('`${STRIPE_API_KEY}` with the value in an untracked `.env` file, or use compose `secrets:`')]);
    expect(messages('secret-in-env', 'kubernetes')).toEqual([expect.stringContaining('`valueFrom.secretKeyRef`')]);
    expect(messages('hardcoded-secret', 'compose')).toEqual([expect.stringContaining('compose `secrets:`')]);
    expect(messages('hardcoded-secret', 'workflow')).toEqual([expect.stringContaining('`${{ secrets.NAME }}`')]);
    // an action cannot read the secrets context: its caller passes the secret in
    for (const id of ['hardcoded-secret', 'hardcoded-credential']) expect(messages(id, 'action')).toEqual([expect.stringContaining('`${{ inputs.NAME }}`')]);
  });

  it('runs-as-root: `USER 10001` in a Dockerfile, `user: "10001:10001"` in compose, `runAsNonRoot` in Kubernetes', () => {
    expect(messages('runs-as-root', 'dockerfile').every((m) => m.includes('`USER 10001`'))).toBe(true);
    expect(messages('runs-as-root', 'compose')).toEqual([expect.stringContaining('`user: "10001:10001"`')]);
    expect(messages('runs-as-root', 'kubernetes')).toEqual([expect.stringContaining('`runAsNonRoot: true` and `runAsUser: 10001`')]);
  });

  it('an image is pinned with FROM in a Dockerfile and with the key the YAML file uses elsewhere', () => {
    expect(messages('unpinned-image', 'dockerfile')).toContain('FROM node:22.11-alpine is not pinned by digest: use `FROM node:22.11-alpine@sha256:<digest>`');
    expect(messages('unpinned-image', 'compose')).toEqual([expect.stringContaining('write `image: postgres:17.2@sha256:<digest>`')]);
    expect(messages('unpinned-image', 'kubernetes')).toEqual([expect.stringContaining('write `image: nginx:1.27@sha256:<digest>`')]);
    expect(messages('unpinned-image', 'workflow')).toEqual(
      expect.arrayContaining([
        expect.stringContaining('write `container: node:22@sha256:<digest>`'),
        expect.stringContaining('write `image: postgres:17@sha256:<digest>`'),
        expect.stringContaining('write `debian:12@sha256:<digest>` in the matrix'),
        expect.stringContaining('after `docker://` in `uses:`'),
      ]),
    );
    expect(messages('unpinned-image', 'action')).toEqual([expect.stringContaining('after `docker://` in `image:`')]);
    expect(messages('latest-image-tag', 'compose')).toEqual([expect.stringContaining('`image: redis:<version>@sha256:<digest>`')]);
  });

  it('`${{ github.head_ref }}` is moved to a variable named for the branch, in the message and in the suggestion', () => {
    const [message] = messages('template-injection', 'action');
    expect(message).toContain('(`HEAD_REF: ${{ github.head_ref }}`) and use `"$HEAD_REF"`');
    expect(message).not.toMatch(/TITLE/);
    const [body] = review('template-injection', 'action');
    expect(body).toContain('```suggestion\n    - run: echo "Thanks for ${HEAD_REF}"\n      env:\n        HEAD_REF: ${{ github.head_ref }}\n```');
  });

  it('a known-malicious version is fixed where it is written: a lockfile is regenerated, a command changed', () => {
    expect(messages('compromised-dependency', 'lockfile')).toEqual([expect.stringContaining('regenerate the lockfile')]);
    for (const f of ['dockerfile', 'workflow', 'action'] as const) expect(messages('compromised-dependency', f)).toEqual([expect.stringContaining('Change the version in this command')]);
  });
});
