import type { Notice } from '../../core/types.js';
import { LineIndex } from '../source.js';
import { clean, isObject, lineSpan, parseJson, str } from './common.js';
import { keySpan, scanJsonKeys, type KeyAt } from './json-keys.js';
import type { LockEntry, LockfileDoc } from './types.js';

/** Cargo.lock: `[[package]]` tables (name, version, source = "registry+…" | "git+…?rev=x#sha", checksum), line by line. */
export function parseCargoLock(path: string, text: string, _notices: Notice[]): LockfileDoc {
  const doc: LockfileDoc = { path, format: 'cargo', ecosystem: 'cargo', entries: [] };
  const index = new LineIndex(text);
  let cur: { line: number; fields: Map<string, string> } | undefined;
  const flush = (): void => {
    const name = cur?.fields.get('name');
    if (cur && name) {
      const src = cur.fields.get('source');
      const git = src?.startsWith('git+');
      doc.entries.push(
        clean({
          name,
          version: cur.fields.get('version') ?? '',
          resolved: src?.replace(/^(registry|sparse)\+/, ''),
          integrity: cur.fields.get('checksum'),
          source: src === undefined ? ('workspace' as const) : git ? ('git' as const) : ('registry' as const),
          gitRef: git ? (/#([0-9a-f]+)$/.exec(src!)?.[1] ?? /[?&](?:rev|tag|branch)=([^&#]+)/.exec(src!)?.[1]) : undefined,
          line: cur.line,
          span: lineSpan(index, cur.line),
        }),
      );
    }
    cur = undefined;
  };
  for (let n = 1; n <= index.lineCount; n++) {
    const line = index.line(n);
    if (line.startsWith('[')) {
      flush();
      if (line.startsWith('[[package]]')) cur = { line: n, fields: new Map() };
      continue;
    }
    const m = cur && /^([\w-]+)\s*=\s*"([^"]*)"/.exec(line);
    if (m && cur) {
      if (m[1] === 'name') cur.line = n;
      cur.fields.set(m[1]!, m[2]!);
    }
  }
  flush();
  return doc;
}

/** Gemfile.lock: `    name (version)` specs under GEM, GIT and PATH sections. */
export function parseGemfileLock(path: string, text: string, _notices: Notice[]): LockfileDoc {
  const doc: LockfileDoc = { path, format: 'gemfile', ecosystem: 'rubygems', entries: [] };
  const index = new LineIndex(text);
  let section = '';
  let remote: string | undefined;
  let revision: string | undefined;
  for (let n = 1; n <= index.lineCount; n++) {
    const line = index.line(n);
    if (/^[A-Z]/.test(line)) {
      section = line.trim();
      remote = revision = undefined;
      continue;
    }
    const field = /^ {2}(remote|revision):\s*(\S+)/.exec(line);
    if (field) {
      if (field[1] === 'remote') remote = field[2];
      else revision = field[2];
      continue;
    }
    const spec = /^ {4}([^\s(]+) \(([^)]+)\)/.exec(line);
    if (!spec || !['GEM', 'GIT', 'PATH'].includes(section)) continue;
    const git = section === 'GIT';
    doc.entries.push(
      clean({
        name: spec[1]!,
        version: spec[2]!.replace(/-(x86|arm|aarch|universal|java|x64|mingw|mswin).*$/, ''),
        resolved: remote,
        source: git ? ('git' as const) : section === 'PATH' ? ('file' as const) : ('registry' as const),
        gitRef: git ? revision : undefined,
        line: n,
        span: lineSpan(index, n),
      } satisfies LockEntry),
    );
  }
  return doc;
}

/** composer.lock: `packages` and `packages-dev` arrays of {name, version, source, dist}. */
export function parseComposerLock(path: string, text: string, notices: Notice[]): LockfileDoc {
  const doc: LockfileDoc = { path, format: 'composer', ecosystem: 'packagist', entries: [] };
  const value = parseJson(path, text, notices, 'composer.lock');
  if (!value) return doc;
  const names: Record<string, KeyAt[]> = { packages: [], 'packages-dev': [] };
  scanJsonKeys(text, (parents, key, at) => {
    if (key === 'name' && parents.length === 3 && parents[2] === '[]') names[parents[1]!]?.push(at);
  });
  for (const section of ['packages', 'packages-dev'] as const) {
    const list = value[section];
    if (!Array.isArray(list)) continue;
    list.forEach((pkg: unknown, i) => {
      if (!isObject(pkg) || typeof pkg.name !== 'string') return;
      const at = names[section]![i];
      const span = at ? keySpan(at) : { line: 1, column: 1, endLine: 1, endColumn: 2 };
      const src = isObject(pkg.source) ? pkg.source : undefined;
      const dist = isObject(pkg.dist) ? pkg.dist : undefined;
      doc.entries.push(
        clean({
          name: pkg.name,
          version: (str(pkg.version) ?? '').replace(/^v(?=\d)/, ''),
          resolved: str(dist?.url) ?? str(src?.url),
          integrity: str(dist?.shasum) || undefined,
          dev: section === 'packages-dev' ? true : undefined,
          source: dist ? (dist.type === 'path' ? ('file' as const) : ('registry' as const)) : src?.type === 'git' ? ('git' as const) : ('registry' as const),
          gitRef: !dist && src?.type === 'git' ? str(src.reference) : undefined,
          line: span.line,
          span,
        }),
      );
    });
  }
  return doc;
}

/** go.sum: one entry per module version (its `/go.mod` line only when the module itself is absent). */
export function parseGoSum(path: string, text: string, notices: Notice[]): LockfileDoc {
  const doc: LockfileDoc = { path, format: 'go-sum', ecosystem: 'go', entries: [] };
  const index = new LineIndex(text);
  const seen = new Set<string>();
  let reported = false;
  for (let n = 1; n <= index.lineCount; n++) {
    const line = index.line(n).trim();
    if (line === '') continue;
    const m = /^(\S+)\s+(v[^\s/]+)(\/go\.mod)?\s+(h1:\S+)$/.exec(line);
    if (!m) {
      if (!reported) notices.push({ path, line: n, message: 'invalid go.sum: expected "module version h1:hash"' });
      reported = true;
      continue;
    }
    const id = `${m[1]}@${m[2]}`;
    if (seen.has(id)) continue;
    seen.add(id);
    doc.entries.push({ name: m[1]!, version: m[2]!, integrity: m[4]!, source: 'registry', line: n, span: lineSpan(index, n) });
  }
  return doc;
}
