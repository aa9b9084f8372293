import { isAbsolute, join } from 'node:path';
import { readTextFile } from '../parsers/read.js';
import type { SourceLine } from '../reporters/text.js';
import { DEFAULT_MAX_FILE_BYTES } from '../scan.js';

/** Files whose lines are kept at once: findings come sorted by path, so one would do; a few cover related spans. */
const KEEP = 4;

/**
 * Lines of the scanned files for the terminal report, read again after the scan (read as the scan reads: no symlink
 * followed, no FIFO waited on, nothing over the size cap). A line that the scan's redaction would change (it holds a
 * secret the scan found, or a credential shape such as URL userinfo) is never returned: the report shows no source for
 * it rather than a secret, or a masked one whose length shows.
 */
/**
 * A scanned file's text read again after the scan (source lines, baseline contexts), as the scan reads files: a relative
 * path with no `..`, capped, never through a final symlink, never blocking on a FIFO; undefined when it cannot be read.
 */
export function readScannedText(root: string, path: string): string | undefined {
  if (isAbsolute(path) || path.split(/[\\/]/).includes('..')) return undefined;
  const read = readTextFile(join(root, path), DEFAULT_MAX_FILE_BYTES);
  return typeof read === 'string' ? read : 'text' in read ? read.text : undefined;
}

export function sourceLines(root: string, redact: (line: string) => string): SourceLine {
  const files = new Map<string, string[] | undefined>();
  const linesOf = (path: string): string[] | undefined => {
    if (files.has(path)) return files.get(path);
    const lines = readScannedText(root, path)?.split(/\r?\n/);
    if (files.size >= KEEP) files.delete(files.keys().next().value!);
    files.set(path, lines);
    return lines;
  };
  return (path, line) => {
    const text = linesOf(path)?.[line - 1];
    if (text === undefined || redact(text) !== text) return undefined;
    return text;
  };
}
