import type { Notice } from '../../core/types.js';
import { clean, gitRefOf, isObject, parseJson, splitDescriptor, str } from './common.js';
import { blankTrailingCommas, keySpan, packageKeyOffsets } from './json-keys.js';
import type { LockfileDoc, LockSource } from './types.js';

/** bun.lock (the text format; JSON with trailing commas): `packages: { "a": ["a@1.2.3", "", {…}, "sha512-…"] }`. */
export function parseBunLock(path: string, raw: string, notices: Notice[]): LockfileDoc {
  const doc: LockfileDoc = { path, format: 'bun', ecosystem: 'npm', entries: [] };
  const text = blankTrailingCommas(raw);
  const value = parseJson(path, text, notices, 'bun.lock');
  if (!value || !isObject(value.packages)) return doc;
  const offsets = packageKeyOffsets(text, 'packages', Object.keys(value.packages));
  for (const [key, item] of Object.entries(value.packages)) {
    if (!Array.isArray(item) || typeof item[0] !== 'string') continue;
    const { name, range: spec } = splitDescriptor(item[0]);
    let source: LockSource = 'registry';
    if (/^(git\+|git:|github:|gitlab:|bitbucket:)/.test(spec)) source = 'git';
    else if (spec.startsWith('workspace:')) source = 'workspace';
    else if (spec.startsWith('link:')) source = 'link';
    else if (spec.startsWith('file:') || spec.startsWith('.') || spec.startsWith('/')) source = 'file';
    else if (/^https?:/.test(spec)) source = 'url';
    const registry = source === 'registry' ? str(item[1]) : undefined;
    const last = item[item.length - 1];
    const integrity = source === 'registry' || source === 'url' ? str(typeof last === 'string' && item.length > 2 ? last : undefined) : undefined;
    const at = offsets.get(key);
    const span = at ? keySpan(at) : { line: 1, column: 1, endLine: 1, endColumn: 2 };
    doc.entries.push(
      clean({
        name,
        version: source === 'registry' ? spec : '',
        resolved: registry ? registry : source === 'url' || source === 'git' ? spec : undefined,
        integrity,
        source,
        gitRef: source === 'git' ? gitRefOf(spec) : undefined,
        key,
        line: span.line,
        span,
      }),
    );
  }
  return doc;
}
