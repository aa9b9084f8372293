import type { Notice } from '../../core/types.js';
import { LineIndex } from '../source.js';
import { clean, gitRefOf, lineSpan, npmSource, unquote } from './common.js';
import type { LockEntry, LockfileDoc, LockSource } from './types.js';

interface Block {
  line: number;
  key: string;
  fields: Map<string, string>;
  resolution: Map<string, string>;
}

/** Reads a one-line YAML flow map `{integrity: sha512-…, tarball: https://…}` (pnpm writes plain scalars). */
function flowMap(text: string, into: Map<string, string>): void {
  const body = text.trim().replace(/^\{/, '').replace(/\}$/, '');
  for (const part of body.split(/,\s*/)) {
    const colon = part.indexOf(':');
    if (colon > 0) into.set(part.slice(0, colon).trim(), unquote(part.slice(colon + 1)));
  }
}

/** pnpm-lock.yaml v5.x, v6 and v9: the `packages:` section, read line by line in one pass. */
export function parsePnpmLock(path: string, text: string, notices: Notice[]): LockfileDoc {
  const index = new LineIndex(text);
  const doc: LockfileDoc = { path, format: 'pnpm', ecosystem: 'npm', entries: [] };
  if (!/^lockfileVersion:/m.test(text)) notices.push({ path, line: 1, message: 'invalid pnpm-lock.yaml: no lockfileVersion' });
  let inPackages = false;
  let block: Block | undefined;
  let inResolution = false;
  const importers = new Map<string, Map<string, string>>();
  /** Where the importer lines being read go: `importers:` members at indent 2, or the top-level single-project sections. */
  let importer: { base: number; deps?: Map<string, string>; section?: string; name?: string } | undefined;
  const flush = (): void => {
    if (block) {
      const entry = pnpmEntry(block);
      if (entry) doc.entries.push({ ...entry, line: block.line, span: lineSpan(index, block.line) });
    }
    block = undefined;
  };
  const importerOf = (dir: string): Map<string, string> => {
    let deps = importers.get(dir);
    if (!deps) importers.set(dir, (deps = new Map()));
    return deps;
  };
  for (let n = 1; n <= index.lineCount; n++) {
    const line = index.line(n);
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      flush();
      inPackages = /^packages:\s*$/.test(line);
      const top = /^(importers|dependencies|devDependencies|optionalDependencies):\s*$/.exec(line)?.[1];
      importer = top === 'importers' ? { base: 2 } : top ? { base: 0, deps: importerOf('.'), section: top } : undefined;
      continue;
    }
    if (importer) {
      readImporterLine(line, importer, importerOf);
      continue;
    }
    if (!inPackages) continue;
    if (/^ {2}\S/.test(line)) {
      flush();
      const m = /^ {2}(.+):\s*$/.exec(line);
      if (m) block = { line: n, key: unquote(m[1]!), fields: new Map(), resolution: new Map() };
      continue;
    }
    if (!block) continue;
    const field = /^ {4}([\w-]+):\s*(.*)$/.exec(line);
    if (field) {
      inResolution = field[1] === 'resolution' && field[2] === '';
      if (field[1] === 'resolution') flowMap(field[2]!, block.resolution);
      else block.fields.set(field[1]!, unquote(field[2]!));
    } else if (inResolution) {
      const sub = /^ {6}([\w-]+):\s*(.*)$/.exec(line);
      if (sub) block.resolution.set(sub[1]!, unquote(sub[2]!));
    }
  }
  flush();
  if (importers.size > 0) doc.importers = importers;
  return doc;
}

/**
 * One line of an importer: v6/v9 `name:` then `specifier:`/`version:` under a dependency section, or v5 `name: version` directly
 * under it (`specifiers:` maps are skipped). `base` is the indent of the importer's directory key (2), or 0 for the top-level
 * sections of a single-project lockfile.
 */
function readImporterLine(line: string, at: { base: number; deps?: Map<string, string>; section?: string; name?: string }, importerOf: (dir: string) => Map<string, string>): void {
  const indent = line.length - line.trimStart().length;
  const m = /^\s*('[^']*'|"[^"]*"|[^:\s][^:]*?):\s*(.*)$/.exec(line);
  if (!m) return;
  const key = unquote(m[1]!);
  const value = unquote(m[2]!.replace(/\s+#.*$/, ''));
  const rel = indent - at.base;
  if (at.base === 2 && rel === 0) {
    at.deps = importerOf(key);
    at.section = at.name = undefined;
  } else if (rel === 2 && at.base === 2) {
    at.section = key;
    at.name = undefined;
  } else if ((at.base === 2 && rel === 4) || (at.base === 0 && rel === 2)) {
    if (!at.deps || !at.section || !/^(dependencies|devDependencies|optionalDependencies)$/.test(at.section)) return;
    at.name = key;
    if (value !== '') at.deps.set(key, value); // v5: `name: version`
  } else if (((at.base === 2 && rel === 6) || (at.base === 0 && rel === 4)) && key === 'version' && at.name && at.deps) {
    at.deps.set(at.name, value);
  }
}

/** Name and version from a key: `/a/1.0.0_peer` (v5), `/a@1.0.0(peer)` (v6), `a@1.0.0` (v9), `@s/a@…`. */
function splitKey(key: string): { name: string; version: string } | undefined {
  const k = key.replace(/^\//, '');
  const scopeEnd = k.startsWith('@') ? k.indexOf('/') + 1 : 0;
  const rest = k.slice(scopeEnd);
  const at = rest.indexOf('@');
  const slash = rest.indexOf('/');
  if (at > 0 && (slash < 0 || at < slash)) return { name: k.slice(0, scopeEnd + at), version: rest.slice(at + 1).replace(/\(.*$/, '') };
  if (slash <= 0) return undefined;
  return { name: k.slice(0, scopeEnd + slash), version: rest.slice(slash + 1).replace(/_.*$/, '') };
}

function pnpmEntry(b: Block): Omit<LockEntry, 'line' | 'span'> | undefined {
  const parsed = splitKey(b.key);
  const r = b.resolution;
  const tarball = r.get('tarball');
  let source: LockSource;
  if (r.get('type') === 'git' || r.has('commit')) source = 'git';
  else if (r.has('directory')) source = 'file';
  else if (tarball) source = tarball.startsWith('file:') ? 'file' : (npmSource(tarball) ?? 'url');
  else source = 'registry';
  const spec = parsed?.version ?? '';
  if (/^(link|file):/.test(spec)) source = spec.startsWith('link:') ? 'link' : 'file';
  const name = b.fields.get('name') ?? parsed?.name;
  if (!name) return undefined;
  const version = b.fields.get('version') ?? (/^\d/.test(spec) ? spec : '');
  const resolved = tarball ?? r.get('repo');
  return clean({
    name,
    version,
    resolved,
    integrity: r.get('integrity'),
    hasInstallScript: b.fields.get('requiresBuild') === 'true' ? true : undefined,
    dev: b.fields.get('dev') === 'true' ? true : undefined,
    source,
    gitRef: source === 'git' ? (r.get('commit') ?? (tarball ? gitRefOf(tarball) : undefined)) : undefined,
    key: b.key,
  });
}
