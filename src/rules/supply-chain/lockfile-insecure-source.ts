import { s } from '../../core/schema.js';
import type { Rule } from '../../core/types.js';
import type { LockEntry, LockfileDoc } from '../../parsers/lockfiles/index.js';
import { declaredHosts, isFullSha, urlHost } from '../../analysis/git-deps.js';
import { dirOf } from '../../parsers/manifests/workspace.js';

interface Options {
  'allowed-hosts'?: string[];
}

const HOST = 'packages.example.com';
const lock = (entries: string): string =>
  `{\n  "name": "app",\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "name": "app" },\n${entries}\n  }\n}\n`;
const entry = (name: string, url: string, integrity = true): string =>
  `    "node_modules/${name}": {\n      "version": "1.0.0",\n      "resolved": "${url}/${name}/-/${name}-1.0.0.tgz"${integrity ? ',\n      "integrity": "sha512-AAAA"' : ''}\n    }`;
/** The ecosystems whose lockfiles name one registry for nearly every entry: there a default can be derived. */
const MAJORITY = new Set(['npm', 'pypi', 'rubygems']);
const DEFAULT = '(the default registry)';

const hostOf = urlHost;

/** True when what is fetched is checked against a hash the lockfile records (a tarball's integrity, a git commit id), whatever the transport. */
const contentPinned = (e: LockEntry): boolean => (e.source === 'git' ? isFullSha(e.gitRef) : e.integrity !== undefined && e.integrity !== '');

const allowedBy = (host: string, list: readonly string[]): boolean =>
  list.some((h) => {
    const p = h.toLowerCase();
    return p.startsWith('*.') ? host.endsWith(p.slice(1)) : host === p;
  });

/** The bucket most registry/URL entries come from: a host, or DEFAULT for entries that record none. */
function majority(entries: readonly LockEntry[]): { bucket: string; count: number; total: number } | undefined {
  const counts = new Map<string, number>();
  for (const e of entries) {
    const b = e.resolved ? hostOf(e.resolved) : DEFAULT;
    if (b) counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const [bucket, count] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? [];
  return bucket !== undefined && total >= 2 && count! * 2 > total ? { bucket, count: count!, total } : undefined;
}

export default {
  id: 'lockfile-insecure-source',
  title: 'Lockfile entry fetched from an insecure or unexpected source',
  severity: 'high',
  area: 'supply-chain',
  summary:
    'A lockfile entry resolves over plain `http:` or the unauthenticated `git:` protocol (high without a recorded hash or commit, low with one), or from a host outside ' +
    'the allowed list (by default: a host other than the one the lockfile’s own entries come from, unless a manifest beside the lockfile declares that host).',
  rationale:
    'A lockfile records where each package is downloaded from, and installs follow it blindly. An `http:` or `git://` URL can be rewritten by anyone on the network path; ' +
    'a URL on an unexpected host is the classic way a malicious pull request slips a look-alike tarball into a lockfile diff that nobody reads (the attack lockfile-lint ' +
    'was written for). When the entry records an integrity hash (or a git dependency a full commit SHA), the package manager or git verifies what arrives whatever the ' +
    'transport, so a swapped download fails the install: the plain transport is then reported at low severity. A host that the project itself names, in the manifest ' +
    'beside the lockfile (a git or URL dependency, a Gemfile `source`) or in a registry configuration there or above (`.npmrc` `registry=` and `@scope:registry=`, ' +
    '`.yarnrc`, `.yarnrc.yml`, `bunfig.toml`), is what the project asked for and is not reported as unexpected; when most entries record no URL (the default ' +
    'registry, whose host the lockfile does not say), another host is reported at low confidence.',
  fix: 'Resolve the package from your registry over https (delete the entry and reinstall, or fix the `registry` in `.npmrc`), and review why the lockfile pointed elsewhere. When several registries are legitimate, list them in `allowed-hosts`.',
  references: ['https://github.com/lirantal/lockfile-lint', 'https://snyk.io/blog/why-npm-lockfiles-can-be-a-security-blindspot-for-injecting-malicious-modules/', 'https://docs.npmjs.com/cli/configuring-npm/package-lock-json'],
  examples: {
    bad: [
      { path: 'package-lock.json', text: lock([entry('a', `https://${HOST}`), entry('b', `http://${HOST}`, false)].join(',\n')), line: 13 },
      {
        path: 'package-lock.json',
        text: lock([entry('a', `https://${HOST}`), entry('b', `https://${HOST}`), entry('c', 'https://tarballs.example.net')].join(',\n')),
        line: 18,
      },
    ],
    good: [{ path: 'package-lock.json', text: lock([entry('a', `https://${HOST}`), entry('b', `https://${HOST}`)].join(',\n')) }],
  },
  reads: ['lockfile'],
  options: {
    schema: s.object({
      'allowed-hosts': s.array(s.string({ nonEmpty: true }), {
        description:
          'Hosts lockfile entries may be downloaded from (`*.example.com` for subdomains). Empty: the host most of the lockfile’s own entries use counts as its registry, and entries elsewhere are reported with medium confidence.',
      }),
    }),
    defaults: { 'allowed-hosts': [] },
  },
  check(doc, ctx) {
    const allowed = ctx.options['allowed-hosts'] ?? [];
    const fetched = doc.entries.filter((e) => e.source === 'registry' || e.source === 'url');
    for (const e of doc.entries) {
      const url = e.resolved;
      if (!url) continue;
      const id = `${e.name}@${e.version || '?'}`;
      const plain = /^(git\+)?http:/i.test(url) ? 'http' : /^git:\/\//i.test(url) ? 'git' : undefined;
      if (!plain) continue;
      // The package manager (npm, yarn, pnpm, bun, pip, cargo) or git checks the download against the recorded hash whatever the
      // transport: a swapped download fails the install. What is left is the plain transport itself.
      const pinned = contentPinned(e);
      const how = plain === 'http' ? 'over plain http' : 'with the unauthenticated git:// protocol';
      ctx.report({
        message: pinned
          ? `${id} is fetched ${how} (${url}); the ${e.source === 'git' ? 'commit SHA' : 'integrity hash'} the lockfile records still verifies what arrives, so this is hygiene: use ${plain === 'http' ? 'https' : 'git+https'}.`
          : `${id} is fetched ${how} (${url}) and the lockfile records no ${e.source === 'git' ? 'commit' : 'hash'} to check it against: anyone on the network path can swap it. Resolve it over ${plain === 'http' ? 'https' : 'git+https or git+ssh'}.`,
        at: e.resolvedSpan ?? e.span,
        ...(pinned ? { severity: 'low' as const } : {}),
        fingerprintKey: `${id} ${plain}`,
      });
    }
    const hosted = (e: LockEntry): string | undefined => (e.resolved && /^https?:/i.test(e.resolved) ? hostOf(e.resolved) : undefined);
    if (allowed.length > 0) {
      for (const e of fetched) {
        const host = hosted(e);
        if (!host || allowedBy(host, allowed)) continue;
        ctx.report({
          message: `${e.name}@${e.version || '?'} resolves from ${host}, which is not in allowed-hosts (${allowed.join(', ')}): resolve it from an allowed registry or add the host.`,
          at: e.resolvedSpan ?? e.span,
          fingerprintKey: `${e.name}@${e.version} ${host}`,
        });
      }
      return;
    }
    if (!MAJORITY.has(doc.ecosystem)) return;
    const main = majority(fetched);
    if (!main) return;
    const mainName = main.bucket === DEFAULT ? 'the default registry (no URL recorded)' : main.bucket;
    let declared: Set<string> | undefined;
    for (const e of fetched) {
      const host = hosted(e);
      if (!host || host === main.bucket || (declared ??= declaredHosts((p) => ctx.project.read(p), dirOf(doc.path))).has(host)) continue;
      ctx.report({
        message: `${e.name}@${e.version || '?'} resolves from ${host}, while ${main.count} of ${main.total} entries resolve from ${mainName}: check why it comes from another host, or list the hosts you use in the rule's allowed-hosts option.`,
        at: e.resolvedSpan ?? e.span,
        // With no URL recorded by most entries the registry's own host is unknown: this host may well be it.
        confidence: main.bucket === DEFAULT ? 'low' : 'medium',
        fingerprintKey: `${e.name}@${e.version} ${host}`,
      });
    }
  },
} satisfies Rule<LockfileDoc, Options>;
