import { manifestDependencies } from '../../analysis/dependencies.js';
import { lockedEntries, lockfileFor } from '../../analysis/lockfile-drift.js';
import { osvEcosystem, osvVersion, pinnedPackages, type PackageDoc } from '../../analysis/packages.js';
import { lockFix, lockRelation, type Relation } from '../../analysis/vuln-context.js';
import { advisoryRefs, sortVulnerabilities, vulnerabilityMessage } from '../../analysis/vuln-message.js';
import { highest, vulnerabilitiesOf, type VulnerabilityData, type Vulnerability } from '../../analysis/vulnerabilities.js';
import type { CheckContext, Related, Rule, Span } from '../../core/types.js';
import { isLockfilePath } from '../../parsers/lockfiles/index.js';
import type { LockfileDoc } from '../../parsers/lockfiles/types.js';
import { dirOf } from '../../parsers/manifests/workspace.js';
import { LODASH_COMMAND_INJECTION, LODASH_REDOS } from '../../data/osv-examples.js';

interface Options {
  /** The OSV lookup's answer for this scan (action/osv.ts); absent with `advisories: bundled`. Not a config-file option. */
  vulnerabilities?: VulnerabilityData;
}

const queried = new WeakMap<readonly string[], Set<string>>();

function report(ctx: CheckContext<Options>, at: Span, eco: string, name: string, version: string, found: Vulnerability[], subject: string, fix: (v: string) => string, extra: { related?: Related[]; dev?: boolean } = {}): void {
  const sorted = sortVulnerabilities(found);
  ctx.report({
    message: vulnerabilityMessage(subject, eco, sorted, fix) + (extra.dev ? ' Installed for development only: reported, not blocking by default.' : ''),
    at,
    severity: highest(sorted.map((v) => v.severity)),
    // A development-only package rarely reaches what ships: weak evidence that the product is exposed.
    ...(extra.dev ? { confidence: 'low' as const } : {}),
    // Package, version and file: a record published or amended later does not make an unchanged entry new (gate: new).
    fingerprintKey: `${eco} ${name}@${version}`,
    package: { ecosystem: eco, name, version },
    advisories: advisoryRefs(sorted),
    ...(extra.related?.length ? { related: extra.related } : {}),
  });
}

function where(file: string, r: Relation): string {
  if (r.kind === 'direct') return `a direct dependency locked in ${file}`;
  if (r.via?.length) return `locked in ${file} as a dependency of ${r.via.map((v) => `\`${v}\``).join(', ')}`;
  return r.kind === 'transitive' ? `a transitive dependency locked in ${file}` : `locked in ${file}`;
}

function checkLockfile(lock: LockfileDoc, data: VulnerabilityData, ctx: CheckContext<Options>): void {
  const eco = osvEcosystem(lock.ecosystem);
  const file = lock.path.slice(lock.path.lastIndexOf('/') + 1);
  for (const e of lock.entries) {
    if (!e.version || (e.source && e.source !== 'registry')) continue;
    const version = osvVersion(eco, e.version);
    const found = vulnerabilitiesOf(data, eco, e.name, version);
    if (found.length === 0) continue;
    const relation = lock.format === 'requirements' ? ({ kind: 'direct' } as Relation) : lockRelation(ctx.project, lock, e);
    const subject = lock.format === 'requirements' ? `\`${e.name}==${e.version}\`, pinned in ${file},` : `\`${e.name}@${e.version}\`, ${where(file, relation)},`;
    const related: Related[] = relation.declared ? [{ path: relation.declared.path, at: relation.declared.span, label: 'declared here' }] : [];
    report(ctx, e.span, eco, e.name, version, found, subject, (v) => lockFix(lock, e.name, v, relation), { related, dev: e.dev === true });
  }
}

export default {
  id: 'vulnerable-dependency',
  title: 'Dependency version with known vulnerabilities',
  severity: 'high',
  area: 'supply-chain',
  summary:
    'A lockfile entry, an exact manifest pin or an install command names a package version that the OSV database lists as vulnerable ' +
    '(`lodash@4.17.20`: command injection, CVE-2021-23337). One finding per package version and file, at the lockfile entry, listing every advisory ' +
    '(records that alias each other once), the lowest fixed version above the pinned one and the command that moves to it. ' +
    'Needs online advisories (the action\'s default `advisories: auto` is online for public repositories; CLI `--advisories online`): the package versions production and dev files pin are looked up in the OSV database at run time.',
  rationale:
    'Most compromises of applications go through a dependency with a published vulnerability: the advisory, the affected range and often an ' +
    'exploit are public, and scanners find the version in minutes. A lockfile keeps installing the vulnerable version until someone moves it. ' +
    'The lookup sends the names and versions of the packages production and dev files pin, nothing else, to the OSV API ' +
    '(https://api.osv.dev, or `OSV_API_URL`): one `querybatch` pass and each record fetched once, shared with `compromised-dependency`. ' +
    'Severity is the record\'s `database_specific.severity` (GitHub\'s rating), else the base score of its CVSS v3 or v4 vector, else medium; the ' +
    'highest of the records on one version. With `gate: new` only a version the change adds or changes blocks: a version the base already ' +
    'had is existing, even when its advisory was published yesterday.',
  fix:
    'Move to the fixed version the message names with the command it gives, and regenerate the lockfile. When there is no fix yet, or the ' +
    'vulnerable code is not reachable, accept the finding in `.github/portcullis.yml` with a reason and an end date: ' +
    '`ignore: [{ rule: vulnerable-dependency, advisories: [GHSA-35jh-r3h4-6jhm], reason: "template() is never called", until: 2026-12-31 }]`. ' +
    'An entry with `advisories:` (any alias: GHSA, CVE, PYSEC…) accepts a finding only while every advisory it lists is accepted, so a new ' +
    'advisory on the same version is reported again; `package: lodash` (or `lodash@4.17.20`) accepts the package whatever its advisories, ' +
    'and `path:` narrows either to one lockfile.',
  references: ['https://osv.dev', 'https://google.github.io/osv.dev/api/', 'https://ossf.github.io/osv-schema/', 'https://www.first.org/cvss/'],
  exampleRecords: [LODASH_COMMAND_INJECTION, LODASH_REDOS],
  examples: {
    bad: [
      {
        path: 'package-lock.json',
        text: '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "dependencies": { "lodash": "^4.17.20" } },\n    "node_modules/lodash": {\n      "version": "4.17.20"\n    }\n  }\n}\n',
        line: 5,
      },
      { path: 'package.json', text: '{\n  "name": "web",\n  "dependencies": {\n    "lodash": "4.17.20"\n  }\n}\n', line: 4 },
      { path: 'Dockerfile', text: 'FROM node:22\nRUN npm install -g lodash@4.17.15\n', line: 2 },
    ],
    good: [
      {
        path: 'package-lock.json',
        text: '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "dependencies": { "lodash": "^4.17.21" } },\n    "node_modules/lodash": {\n      "version": "4.17.21"\n    }\n  }\n}\n',
      },
      { path: 'Dockerfile', text: 'FROM node:22\nRUN npm install -g lodash@4.17.21\n' },
    ],
  },
  reads: ['lockfile', 'manifest', 'dockerfile', 'workflow'],
  reportsOnlyIn: ['production'],
  check(doc, ctx) {
    const data = ctx.options.vulnerabilities;
    if (!data) return;
    let paths = queried.get(data.paths);
    if (!paths) queried.set(data.paths, (paths = new Set(data.paths)));
    // Only files whose versions were looked up (production ones by default): nothing is said about the others.
    if (!paths.has(ctx.path)) return;
    if ('entries' in doc) return checkLockfile(doc as LockfileDoc, data, ctx);
    if ('role' in doc) {
      // requirements*.txt is read as a lockfile above; a pin that a lockfile locks is reported at the lockfile entry.
      if (doc.role !== 'manifest' || isLockfilePath(doc.path)) return;
      const text = ctx.project.read(doc.path);
      if (text === undefined) return;
      const locked = lockfileFor(ctx.project, doc);
      for (const d of manifestDependencies(doc.name, text)) {
        if (!d.exact || (locked && lockedEntries(locked, dirOf(doc.path), d.name).length > 0)) continue;
        const eco = osvEcosystem(d.ecosystem);
        const version = osvVersion(eco, d.exact);
        const found = vulnerabilitiesOf(data, eco, d.name, version);
        if (found.length > 0) report(ctx, d.span, eco, d.name, version, found, `\`${d.name}@${d.exact}\`, pinned in ${doc.name},`, (v) => `change the pin to ${v} and reinstall`);
      }
      return;
    }
    for (const p of pinnedPackages(doc as PackageDoc, (path) => ctx.project.read(path))) {
      const found = vulnerabilitiesOf(data, p.ecosystem, p.name, p.version);
      if (found.length > 0) report(ctx, p.span, p.ecosystem, p.name, p.version, found, `\`${p.name}@${p.version}\`, which ${p.where},`, (v) => `install \`${p.name}@${v}\` instead`);
    }
  },
} satisfies Rule<PackageDoc, Options>;
