import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Finding, Notice, Rule } from '../../src/core/types.js';
import { classify } from '../../src/parsers/index.js';
import { rules as allRules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

/**
 * Scores the scanner against the peers' own verdicts in the conformance corpus (zizmor, scorecard).
 * Shared by conformance.test.ts and bench/workflows; nothing here asserts.
 */
export const HERE = import.meta.dirname;
export const SOURCES = ['zizmor', 'scorecard'] as const;
export type Source = (typeof SOURCES)[number];

/** Corpus concept → the rule ids that count as reporting it (any one of them). Concepts absent here are not scored. */
export const CONCEPT_RULES: Readonly<Record<string, readonly string[]>> = {
  'unpinned-action': ['unpinned-action'],
  'unpinned-container-image': ['unpinned-image', 'latest-image-tag'],
  'unpinned-base-image': ['unpinned-image', 'latest-image-tag'],
  'template-injection': ['template-injection'],
  'dangerous-trigger': ['dangerous-trigger', 'untrusted-checkout'],
  'excessive-permissions': ['excessive-permissions'],
  'persisted-credentials': ['persisted-credentials'],
  'self-hosted-runner': ['self-hosted-runner'],
  'insecure-commands': ['insecure-commands'],
  'github-env': ['github-env-injection'],
  'hardcoded-secret': ['hardcoded-credential', 'hardcoded-secret'],
  'curl-pipe-shell': ['curl-pipe-shell'],
  'unpinned-install': ['non-frozen-install'],
  'secret-in-env': ['secret-in-env'],
  'latest-tag': ['latest-image-tag'],
  'root-user': ['runs-as-root'],
};

export interface Expectation {
  file: string;
  peer_rule: string;
  concept: string;
  line: number | null;
  expect: 'finding' | 'clean';
  note: string;
}

export interface CorpusFile {
  source: Source;
  /** Path relative to the source folder, as in expectations.json. */
  file: string;
  /** The path it is scanned under, chosen so that it classifies as what it is. */
  virtual: string;
  text: string;
}

export interface ScannedFile extends CorpusFile {
  findings: Finding[];
  notices: Notice[];
}

/**
 * A workflow outside `.github/workflows/` is scanned as `<dir>/.github/workflows/<name>` (action.yml keeps its
 * name); `Dockerfile-foo` as `Dockerfile-foo.Dockerfile`. Files no rule kind covers are skipped (their expectations count as
 * `skipped`); shell scripts are scanned once `classify` gives them the `shell` kind.
 */
export function virtualPath(file: string): string | undefined {
  const kinds: readonly string[] = classify(file);
  // shell scripts are scored as soon as the scanner reads them as a document kind of their own
  if (kinds.includes('workflow') || kinds.includes('dockerfile') || kinds.includes('shell')) return file;
  const slash = file.lastIndexOf('/');
  const dir = slash < 0 ? '' : file.slice(0, slash + 1);
  const name = file.slice(slash + 1);
  if (/\.ya?ml$/i.test(name)) return `${dir}.github/workflows/${name}`;
  if (/^(Dockerfile|Containerfile)/.test(name)) return `${file}.Dockerfile`;
  return undefined;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

export function loadExpectations(source: Source): Expectation[] {
  return JSON.parse(readFileSync(join(HERE, source, 'expectations.json'), 'utf8')) as Expectation[];
}

export function corpusFiles(): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (const source of SOURCES) {
    const root = join(HERE, source);
    for (const abs of walk(root).sort()) {
      const file = relative(root, abs).split('\\').join('/');
      if (/(^|\/)(README\.md|LICENSE|expectations\.json|snippets\.json)$/.test(file)) continue;
      const virtual = virtualPath(file);
      if (virtual !== undefined) out.push({ source, file, virtual, text: readFileSync(abs, 'utf8') });
    }
  }
  return out;
}

/** Scans each corpus file on its own (so a notice or a crash belongs to one file). */
export function scanCorpus(files: readonly CorpusFile[], rules: readonly Rule[] = allRules): ScannedFile[] {
  return files.map((f) => {
    const { findings, notices } = scanFiles({ [f.virtual]: f.text }, { rules });
    return { ...f, findings, notices };
  });
}

/** A DIFFERENCES.md row: `| file | line | concept | reason |`; file is `<source>/<path>`, line a number or `-`. */
export interface Difference {
  file: string;
  line: number | null;
  concept: string;
  reason: string;
}

export function parseDifferences(markdown: string): Difference[] {
  const out: Difference[] = [];
  for (const raw of markdown.split('\n')) {
    const cells = raw.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
    if (!raw.trim().startsWith('|') || cells.length < 4) continue;
    const [file, line, concept, ...reason] = cells as [string, string, string, ...string[]];
    if (file === 'file' || /^:?-+:?$/.test(file)) continue;
    const l = line.replace(/`/g, '');
    out.push({
      file: file.replace(/`/g, ''),
      line: l === '-' || l === '' || l === 'null' ? null : Number(l),
      concept: concept.replace(/`/g, ''),
      reason: reason.join('|'),
    });
  }
  return out;
}

export const optionalPersona = (e: Expectation): boolean => /persona=(pedantic|auditor)/.test(e.note);

const key = (file: string, line: number | null, concept: string): string => `${file}|${line ?? '-'}|${concept}`;

export interface Outcome {
  source: Source;
  expectation: Expectation;
  /** The mapped rule reported it (finding) / stayed silent (clean). */
  ok: boolean;
  /** `required` counts toward the bar; `optional` is a stricter persona; `difference` is documented; `skipped` = file not scanned. */
  kind: 'required' | 'optional' | 'difference' | 'skipped';
  matched: Finding[];
}

export function evaluate(scanned: readonly ScannedFile[], differences: readonly Difference[]): Outcome[] {
  const byFile = new Map(scanned.map((s) => [`${s.source}/${s.file}`, s]));
  const diffs = new Set(differences.map((d) => key(d.file, d.line, d.concept)));
  const out: Outcome[] = [];
  for (const source of SOURCES) {
    for (const e of loadExpectations(source)) {
      const ids = CONCEPT_RULES[e.concept];
      if (!ids) continue;
      const path = `${source}/${e.file}`;
      const file = byFile.get(path);
      // A finding matches a line when its span covers it or when it names that line as a related location
      // (peers point at the enclosing key — `env:`, `credentials:`, `on:` — where we point at the offending entry).
      const onLine = (f: Finding, line: number) =>
        (f.line <= line && line <= f.endLine) || (e.expect === 'finding' && f.related.some((r) => !r.path && r.at.line === line));
      const matched = (file?.findings ?? []).filter((f) => ids.includes(f.ruleId) && (e.line === null || onLine(f, e.line)));
      const ok = e.expect === 'finding' ? matched.length > 0 : matched.length === 0;
      const kind = !file ? 'skipped' : diffs.has(key(path, e.line, e.concept)) ? 'difference' : optionalPersona(e) ? 'optional' : 'required';
      out.push({ source, expectation: e, ok, kind, matched });
    }
  }
  return out;
}

export interface Row {
  concept: string;
  peer: Source;
  rules: string;
  expected: number;
  found: number;
  recall: number;
  clean: number;
  falseFindings: number;
  optional: string;
  differences: number;
  skipped: number;
}

export function table(outcomes: readonly Outcome[]): Row[] {
  const rows = new Map<string, Row>();
  for (const o of outcomes) {
    const k = `${o.expectation.concept}|${o.source}`;
    let r = rows.get(k);
    if (!r) {
      const ids = CONCEPT_RULES[o.expectation.concept]!;
      const registered = ids.filter((id) => allRules.some((x) => x.id === id));
      r = { concept: o.expectation.concept, peer: o.source, rules: registered.join(', ') || `(none registered: ${ids.join(', ')})`, expected: 0, found: 0, recall: 1, clean: 0, falseFindings: 0, optional: '', differences: 0, skipped: 0 };
      rows.set(k, r);
    }
    if (o.kind === 'skipped') r.skipped++;
    else if (o.kind === 'difference') r.differences++;
    else if (o.kind === 'required' && o.expectation.expect === 'finding') {
      r.expected++;
      if (o.ok) r.found++;
    } else if (o.kind === 'required') {
      r.clean++;
      if (!o.ok) r.falseFindings++;
    }
  }
  for (const o of outcomes.filter((x) => x.kind === 'optional')) {
    const r = rows.get(`${o.expectation.concept}|${o.source}`)!;
    const [hit, total] = r.optional ? r.optional.split('/').map(Number) as [number, number] : [0, 0];
    r.optional = `${hit + (o.ok ? 1 : 0)}/${total + 1}`;
  }
  for (const r of rows.values()) r.recall = r.expected === 0 ? 1 : r.found / r.expected;
  return [...rows.values()].sort((a, b) => (a.concept < b.concept ? -1 : a.concept > b.concept ? 1 : a.peer < b.peer ? -1 : 1));
}

export function formatTable(rows: readonly Row[]): string {
  const head = '| concept | peer | rules | expected | found | recall | clean | false on clean | optional (pedantic/auditor) | differences | skipped (file kind not scanned) |';
  const lines = rows.map(
    (r) =>
      `| ${r.concept} | ${r.peer} | ${r.rules} | ${r.expected} | ${r.found} | ${r.expected ? (100 * r.recall).toFixed(0) + '%' : '-'} | ${r.clean} | ${r.falseFindings} | ${r.optional || '-'} | ${r.differences} | ${r.skipped} |`,
  );
  return [head, head.replace(/[^|]+/g, '---'), ...lines].join('\n');
}

export function describeOutcome(o: Outcome): string {
  const e = o.expectation;
  const what = e.expect === 'finding' ? 'missed' : `false finding (${o.matched.map((f) => `${f.ruleId}@${f.line}`).join(', ')})`;
  return `${what}: ${o.source}/${e.file}:${e.line ?? '-'} [${e.concept}] ${e.note.slice(0, 140)}`;
}
