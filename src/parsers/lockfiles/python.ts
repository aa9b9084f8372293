import { parse, TomlError } from 'smol-toml';
import type { Notice } from '../../core/types.js';
import { LineIndex } from '../source.js';
import { clean, isObject, lineSpan, parseJson, str, type Json } from './common.js';
import { keySpan, scanJsonKeys, type KeyAt } from './json-keys.js';
import type { LockEntry, LockfileDoc, LockSource } from './types.js';

function parseToml(path: string, text: string, notices: Notice[], what: string): Json | undefined {
  try {
    return parse(text) as Json;
  } catch (err) {
    const line = err instanceof TomlError ? err.line : undefined;
    notices.push({ path, ...(line ? { line } : {}), message: `invalid ${what}: ${(err as Error).message.split('\n')[0]!.replace(/^Invalid TOML document: /, '')}` });
    return undefined;
  }
}

/** Lines of the `name = ` key of each `[[package]]` table, in order. */
function packageLines(index: LineIndex): number[] {
  const lines: number[] = [];
  let inPackage = false;
  for (let n = 1; n <= index.lineCount; n++) {
    const line = index.line(n);
    if (line.startsWith('[')) {
      if (line.startsWith('[[package]]')) {
        lines.push(n);
        inPackage = true;
      } else inPackage = false;
    } else if (inPackage && /^name\s*=/.test(line)) {
      lines[lines.length - 1] = n;
      inPackage = false;
    }
  }
  return lines;
}

/** poetry.lock and uv.lock: `[[package]]` tables with name, version and source. */
export function parsePythonToml(path: string, text: string, notices: Notice[], format: 'poetry' | 'uv'): LockfileDoc {
  const doc: LockfileDoc = { path, format, ecosystem: 'pypi', entries: [] };
  const value = parseToml(path, text, notices, format === 'uv' ? 'uv.lock' : 'poetry.lock');
  if (!value || !Array.isArray(value.package)) return doc;
  const index = new LineIndex(text);
  const lines = packageLines(index);
  value.package.forEach((pkg: unknown, i) => {
    if (!isObject(pkg) || typeof pkg.name !== 'string') return;
    const line = lines[i] ?? 1;
    doc.entries.push({ ...(format === 'uv' ? uvEntry(pkg) : poetryEntry(pkg)), line, span: lineSpan(index, line) });
  });
  return doc;
}

function poetryEntry(pkg: Json): Omit<LockEntry, 'line' | 'span'> {
  const src = isObject(pkg.source) ? pkg.source : undefined;
  const type = str(src?.type);
  const source: LockSource = type === 'git' ? 'git' : type === 'directory' || type === 'file' ? 'file' : type === 'url' ? 'url' : 'registry';
  const files = Array.isArray(pkg.files) ? pkg.files : [];
  const firstHash = files.map((f: unknown) => (isObject(f) ? str(f.hash) : undefined)).find((h) => h !== undefined);
  return clean({
    name: pkg.name as string,
    version: str(pkg.version) ?? '',
    resolved: str(src?.url),
    integrity: firstHash,
    dev: pkg.category === 'dev' ? true : undefined,
    source,
    gitRef: source === 'git' ? (str(src?.resolved_reference) ?? str(src?.reference)) : undefined,
  });
}

function uvEntry(pkg: Json): Omit<LockEntry, 'line' | 'span'> {
  const src = isObject(pkg.source) ? pkg.source : {};
  let source: LockSource = 'registry';
  let gitRef: string | undefined;
  let resolved: string | undefined;
  if (typeof src.git === 'string') {
    source = 'git';
    resolved = src.git;
    gitRef = /#([0-9a-f]{40})$/.exec(src.git)?.[1] ?? /[?&](?:rev|tag|branch)=([^&#]+)/.exec(src.git)?.[1];
  } else if (typeof src.url === 'string') {
    source = 'url';
    resolved = src.url;
  } else if (src.editable !== undefined || src.virtual !== undefined) source = 'workspace';
  else if (src.path !== undefined || src.directory !== undefined) source = 'file';
  const sdist = isObject(pkg.sdist) ? pkg.sdist : undefined;
  const wheel = Array.isArray(pkg.wheels) && isObject(pkg.wheels[0]) ? (pkg.wheels[0] as Json) : undefined;
  if (source === 'registry') resolved = str(sdist?.url) ?? str(wheel?.url);
  return clean({
    name: pkg.name as string,
    version: str(pkg.version) ?? '',
    resolved,
    integrity: str(sdist?.hash) ?? str(wheel?.hash),
    source,
    gitRef,
  });
}

/** Pipfile.lock: `default` and `develop` maps of `"name": {"version": "==1.2.3", "hashes": […]}`. */
export function parsePipfileLock(path: string, text: string, notices: Notice[]): LockfileDoc {
  const doc: LockfileDoc = { path, format: 'pipfile', ecosystem: 'pypi', entries: [] };
  const value = parseJson(path, text, notices, 'Pipfile.lock');
  if (!value) return doc;
  const offsets = new Map<string, KeyAt>();
  scanJsonKeys(text, (parents, key, at) => {
    if (parents.length === 2 && (parents[1] === 'default' || parents[1] === 'develop')) offsets.set(`${parents[1]}\0${key}`, at);
  });
  for (const section of ['default', 'develop'] as const) {
    const deps = value[section];
    if (!isObject(deps)) continue;
    for (const [name, raw] of Object.entries(deps)) {
      if (!isObject(raw)) continue;
      const at = offsets.get(`${section}\0${name}`);
      const span = at ? keySpan(at) : { line: 1, column: 1, endLine: 1, endColumn: 2 };
      const git = str(raw.git);
      const hashes = Array.isArray(raw.hashes) ? raw.hashes : [];
      doc.entries.push(
        clean({
          name,
          version: (str(raw.version) ?? '').replace(/^===?/, ''),
          resolved: git ?? str(raw.file),
          integrity: str(hashes[0]),
          dev: section === 'develop' ? true : undefined,
          source: git ? 'git' : raw.path !== undefined ? 'file' : raw.file !== undefined ? 'url' : 'registry',
          gitRef: git ? str(raw.ref) : undefined,
          line: span.line,
          span,
        } satisfies LockEntry),
      );
    }
  }
  return doc;
}

/** requirements*.txt: `name==1.2.3` pins (with `--hash=`), and git requirements (`-e git+…@ref#egg=name`, `name @ git+…@ref`). */
export function parseRequirementsLock(path: string, text: string, _notices: Notice[]): LockfileDoc {
  const doc: LockfileDoc = { path, format: 'requirements', ecosystem: 'pypi', entries: [] };
  const index = new LineIndex(text);
  for (let n = 1; n <= index.lineCount; n++) {
    let line = index.line(n);
    const first = n;
    while (line.endsWith('\\') && n < index.lineCount) line = line.slice(0, -1) + ' ' + index.line(++n);
    line = line.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const span = lineSpan(index, first);
    const hash = /--hash[=\s]+(\S+)/.exec(line)?.[1];
    const gitUrl = /(?:^|\s|@\s*)(git\+[^\s;]+)/.exec(line)?.[1];
    if (gitUrl) {
      const name = /^([A-Za-z0-9][\w.-]*)(\[[^\]]*\])?\s*@/.exec(line)?.[1] ?? /#egg=([\w.-]+)/.exec(gitUrl)?.[1] ?? gitUrl;
      const ref = /\.git@([^#\s]+)/.exec(gitUrl)?.[1] ?? /@([^@/#\s]+)(#|$)/.exec(gitUrl.replace(/^git\+[a-z]+:\/\/[^/]*@/, ''))?.[1];
      doc.entries.push(clean({ name, version: '', resolved: gitUrl, source: 'git' as const, gitRef: ref, line: first, span }));
      continue;
    }
    const pin = /^([A-Za-z0-9][\w.-]*)(\[[^\]]*\])?\s*===?\s*([^\s;,\\]+)/.exec(line);
    if (pin) doc.entries.push(clean({ name: pin[1]!, version: pin[3]!, integrity: hash, source: 'registry' as const, line: first, span }));
  }
  return doc;
}
