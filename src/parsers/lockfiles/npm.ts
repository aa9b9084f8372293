import type { Notice } from '../../core/types.js';
import { clean, gitRefOf, isObject, npmSource, parseJson, str, type Json } from './common.js';
import { keySpan, packageKeyOffsets, scanJsonKeys, type KeyAt } from './json-keys.js';
import type { LockEntry, LockfileDoc } from './types.js';

const SEP = '\u0000';
const DIRECT_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;
const NOWHERE: KeyAt = { start: 0, end: 1, line: 1, column: 1 };

/** package-lock.json / npm-shrinkwrap.json, lockfileVersion 1 (nested `dependencies`) and 2/3 (`packages`). */
export function parsePackageLock(path: string, text: string, notices: Notice[]): LockfileDoc {
  const doc: LockfileDoc = { path, format: 'package-lock', ecosystem: 'npm', entries: [] };
  const value = parseJson(path, text, notices, 'package-lock');
  if (!value) return doc;
  const packages = value.packages;
  if (isObject(packages)) {
    const offsets = packageKeyOffsets(text, 'packages', Object.keys(packages));
    const starts = [...offsets.values()].map((a) => a.start).sort((a, b) => a - b);
    const direct = new Set<string>();
    for (const key in packages) {
      const raw = packages[key];
      if (!isObject(raw)) continue;
      if (!key.includes('node_modules/')) for (const field of DIRECT_FIELDS) if (isObject(raw[field])) for (const name of Object.keys(raw[field])) direct.add(name);
      if (key === '') continue;
      const at = offsets.get(key);
      const entry = v2Entry(key, raw, packages, keySpan(at ?? NOWHERE));
      if (entry && at) addFieldSpans(text, at, starts, entry);
      if (entry) doc.entries.push(entry);
    }
    doc.direct = direct;
    return doc;
  }
  if (isObject(value.dependencies)) {
    const offsets = new Map<string, KeyAt>();
    scanJsonKeys(text, (parents, key, at) => {
      const last = parents.length - 1;
      // entries sit in `dependencies` objects at odd depths: root → dependencies → name → dependencies → name …
      if (last >= 1 && last % 2 === 1 && parents[last] === 'dependencies') offsets.set([...parents.slice(1), key].join(SEP), at);
    });
    walkV1(value.dependencies, ['dependencies'], (keyPath, name, raw) => {
      const span = keySpan(offsets.get(keyPath.join(SEP)) ?? NOWHERE);
      const version = str(raw.version) ?? '';
      const resolved = str(raw.resolved) ?? (/^[a-z+]+:/.test(version) ? version : undefined);
      const source = raw.bundled === true ? undefined : (npmSource(resolved) ?? (/^[a-z+]+:/.test(version) ? npmSource(version) : 'registry'));
      doc.entries.push(
        clean({
          name,
          version: source === 'git' || source === 'file' || source === 'link' ? version.replace(/^.*#/, '') : version,
          resolved,
          integrity: str(raw.integrity),
          dev: raw.dev === true ? true : undefined,
          source,
          gitRef: source === 'git' && resolved ? gitRefOf(resolved) : undefined,
          key: keyPath.filter((_, i) => i % 2 === 1).join('/node_modules/'),
          line: span.line,
          span,
        }),
      );
    });
  }
  return doc;
}

function walkV1(deps: Json, keyPath: string[], visit: (keyPath: string[], name: string, raw: Json) => void): void {
  for (const [name, raw] of Object.entries(deps)) {
    if (!isObject(raw)) continue;
    const here = [...keyPath, name];
    visit(here, name, raw);
    if (isObject(raw.dependencies)) walkV1(raw.dependencies, [...here, 'dependencies'], visit);
  }
}

function v2Entry(key: string, raw: Json, packages: Json, span: LockEntry['span']): LockEntry | undefined {
  const at = key.lastIndexOf('node_modules/');
  const installName = at < 0 ? undefined : key.slice(at + 'node_modules/'.length);
  const name = str(raw.name) ?? installName ?? key.slice(key.lastIndexOf('/') + 1);
  const resolved = str(raw.resolved);
  let version = str(raw.version) ?? '';
  let source = npmSource(resolved);
  if (raw.link === true) {
    source = 'link';
    const target = resolved !== undefined ? packages[resolved] : undefined;
    if (!version && isObject(target)) version = str(target.version) ?? '';
  } else if (at < 0) source = 'workspace'; // a workspace member folder (`packages/a`)
  else if (raw.inBundle === true) source = undefined;
  else source ??= 'registry';
  const entry: LockEntry = { name, version, key, line: span.line, span };
  if (resolved !== undefined) entry.resolved = resolved;
  if (typeof raw.integrity === 'string') entry.integrity = raw.integrity;
  if (raw.hasInstallScript === true) entry.hasInstallScript = true;
  if (raw.dev === true || raw.devOptional === true) entry.dev = true;
  if (source !== undefined) entry.source = source;
  if (source === 'git' && resolved) {
    const ref = gitRefOf(resolved);
    if (ref !== undefined) entry.gitRef = ref;
  }
  return entry;
}

/**
 * Spans of the entry's `resolved`, `integrity` and `hasInstallScript` fields: each is looked for between the entry's key and the
 * next entry's key (npm writes an entry's fields before its nested objects), so a field of a nested object is never taken.
 */
function addFieldSpans(text: string, at: KeyAt, starts: readonly number[], entry: LockEntry): void {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= at.start) lo = mid + 1;
    else hi = mid;
  }
  const end = starts[lo] ?? text.length;
  const open = text.indexOf('{', at.end);
  if (open < 0 || open >= end) return;
  const close = text.indexOf('}', open);
  // A field sits after the entry's `{` and before its first nested object or its own `}`.
  const nested = text.indexOf('{', open + 1);
  const limit = Math.min(end, close < 0 ? end : close, nested < 0 ? end : nested);
  const find = (field: string): LockEntry['span'] | undefined => {
    const off = text.indexOf(`"${field}"`, open);
    if (off < 0 || off >= limit) return undefined;
    let line = at.line;
    let lineStart = text.lastIndexOf('\n', at.start) + 1;
    for (let nl = text.indexOf('\n', at.start); nl >= 0 && nl < off; nl = text.indexOf('\n', nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
    const eol = text.indexOf('\n', off);
    const stop = Math.min(eol < 0 ? text.length : eol, limit);
    const value = text.slice(off, stop).replace(/\r$/, '').replace(/[\s,]+$/, '');
    return { line, column: off - lineStart + 1, endLine: line, endColumn: off - lineStart + 1 + value.length };
  };
  if (entry.resolved !== undefined) {
    const s = find('resolved');
    if (s) entry.resolvedSpan = s;
  }
  if (entry.integrity !== undefined) {
    const s = find('integrity');
    if (s) entry.integritySpan = s;
  }
  if (entry.hasInstallScript) {
    const s = find('hasInstallScript');
    if (s) entry.installScriptSpan = s;
  }
}
