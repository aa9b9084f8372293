import type { Notice } from '../../core/types.js';
import { LineIndex } from '../source.js';
import { clean, GIT_URL, gitRefOf, lineSpan, npmSource, splitDescriptor, unquote } from './common.js';
import type { LockEntry, LockfileDoc, LockSource } from './types.js';

interface Block {
  line: number;
  specs: string[];
  fields: Map<string, string>;
  /** 1-based line and column span of each field's line (its indentation excluded). */
  at: Map<string, { line: number; column: number; endColumn: number }>;
}

/** yarn.lock: classic (v1 text format) and berry (YAML with `__metadata`), read line by line in one pass. */
export function parseYarnLock(path: string, text: string, notices: Notice[]): LockfileDoc {
  const index = new LineIndex(text);
  const berry = /^__metadata:/m.test(text);
  const doc: LockfileDoc = { path, format: berry ? 'yarn-berry' : 'yarn-classic', ecosystem: 'npm', entries: [] };
  let block: Block | undefined;
  const flush = (): void => {
    if (block) {
      const entry = berry ? berryEntry(block) : classicEntry(block);
      if (entry) {
        const field = (name: string) => {
          const f = block!.at.get(name);
          return f ? { line: f.line, column: f.column, endLine: f.line, endColumn: f.endColumn } : undefined;
        };
        const resolvedSpan = entry.resolved !== undefined ? field(berry ? 'resolution' : 'resolved') : undefined;
        const integritySpan = entry.integrity !== undefined ? field(berry ? 'checksum' : block.fields.has('integrity') ? 'integrity' : 'resolved') : undefined;
        doc.entries.push({ ...entry, line: block.line, span: lineSpan(index, block.line), ...(resolvedSpan ? { resolvedSpan } : {}), ...(integritySpan ? { integritySpan } : {}) });
      }
    }
    block = undefined;
  };
  let reported = false;
  for (let n = 1; n <= index.lineCount; n++) {
    const line = index.line(n);
    if (line === '' || line.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      flush();
      if (!line.endsWith(':')) {
        if (!reported) notices.push({ path, line: n, message: `invalid yarn.lock: expected an entry header ending with ':' (${line.slice(0, 60)})` });
        reported = true;
        continue;
      }
      const header = line.slice(0, -1);
      if (header === '__metadata') continue;
      block = { line: n, specs: splitSpecs(header), fields: new Map(), at: new Map() };
      continue;
    }
    // Fields of the entry sit at two spaces; deeper lines (dependencies, bin…) are not needed.
    if (!block || !/^ {2}\S/.test(line)) continue;
    const m = berry ? /^ {2}([^:\s]+):\s*(.*)$/.exec(line) : /^ {2}("[^"]+"|\S+)\s+(.*)$/.exec(line);
    if (m && m[2] !== '') {
      block.fields.set(unquote(m[1]!), unquote(m[2]!));
      block.at.set(unquote(m[1]!), { line: n, column: 3, endColumn: line.trimEnd().length + 1 });
    }
  }
  flush();
  return doc;
}

function splitSpecs(header: string): string[] {
  return header
    .replace(/["']/g, '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function classicEntry(b: Block): Omit<LockEntry, 'line' | 'span'> | undefined {
  const first = b.specs[0];
  if (!first) return undefined;
  const { name, range } = splitDescriptor(first);
  const resolved = b.fields.get('resolved');
  const source = npmSource(resolved) === 'git' ? 'git' : rangeSource(range);
  return clean({
    name,
    version: b.fields.get('version') ?? '',
    resolved,
    integrity: b.fields.get('integrity') ?? (source === 'git' ? undefined : fragmentSha1(resolved)),
    source,
    gitRef: source === 'git' ? gitRefOf(resolved ?? range) : undefined,
    specs: b.specs,
  });
}

/**
 * yarn 1 writes the tarball's sha1 as the `resolved` URL's fragment (`…/ms-2.1.3.tgz#<40 hex>`) and verifies the download
 * against it; lockfiles from before yarn 1.10 have no `integrity` field beside it. Returned in SRI form (`sha1-<base64>`).
 */
function fragmentSha1(resolved: string | undefined): string | undefined {
  const hex = resolved === undefined ? undefined : /#([0-9a-f]{40})$/i.exec(resolved)?.[1];
  return hex ? `sha1-${Buffer.from(hex, 'hex').toString('base64')}` : undefined;
}

/** What a classic descriptor's range asks for. */
function rangeSource(range: string): LockSource {
  if (/^(git\+|git:|github:|gitlab:|bitbucket:|gist:)/.test(range) || /^[\w.-]+\/[\w.-]+(#.*)?$/.test(range) || GIT_URL.test(range)) return 'git';
  if (range.startsWith('file:')) return 'file';
  if (range.startsWith('link:')) return 'link';
  if (range.startsWith('workspace:')) return 'workspace';
  return /^https?:/.test(range) ? 'url' : 'registry';
}

function berrySource(reference: string): LockSource {
  if (reference.startsWith('npm:') || reference.startsWith('patch:')) return 'registry';
  if (reference.startsWith('workspace:')) return 'workspace';
  if (/^(link|portal):/.test(reference)) return 'link';
  if (/^(file|exec):/.test(reference) || reference.startsWith('.') || reference.startsWith('/')) return 'file';
  if (/^(git[+:@]|github:|ssh:)/.test(reference) || /#commit=/.test(reference) || /\.git(#|$)/.test(reference)) return 'git';
  if (/^https?:/.test(reference)) return 'url';
  return 'registry';
}

function berryEntry(b: Block): Omit<LockEntry, 'line' | 'span'> | undefined {
  const resolution = b.fields.get('resolution') ?? b.specs[0];
  if (!resolution) return undefined;
  const { name, range: reference } = splitDescriptor(resolution);
  const source = berrySource(reference);
  const url = /^(https?:|git\+https?:|git:)/.test(reference) ? reference : undefined;
  return clean({
    name,
    version: b.fields.get('version') ?? '',
    resolved: url,
    integrity: b.fields.get('checksum'),
    source,
    gitRef: source === 'git' ? gitRefOf(reference) : undefined,
    specs: b.specs,
  });
}
