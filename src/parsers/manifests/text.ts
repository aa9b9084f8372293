import type { Notice, Span } from '../../core/types.js';
import { LineIndex } from '../source.js';
import type { PackageManifest } from './index.js';

/** Span of a line's text without its leading and trailing blanks. */
function trimmedLineSpan(index: LineIndex, n: number, length?: number): Span {
  const text = index.line(n);
  const start = text.length - text.trimStart().length;
  const end = length !== undefined ? start + length : text.trimEnd().length;
  return { line: n, column: start + 1, endLine: n, endColumn: end + 1 };
}

/** go.mod: counts the modules of every `require` directive (single line or block) and points at the first. */
export function parseGoMod(path: string, text: string, _notices: Notice[]): PackageManifest {
  const index = new LineIndex(text);
  let count = 0;
  let first: number | undefined;
  let inBlock = false;
  for (let n = 1; n <= index.lineCount; n++) {
    const line = index.line(n).replace(/\/\/.*$/, '').trim();
    if (inBlock) {
      if (line.startsWith(')')) inBlock = false;
      else if (line !== '') count++;
      continue;
    }
    const m = /^require\b\s*(\(?)\s*(.*)$/.exec(line);
    if (!m) continue;
    first ??= n;
    if (m[1] === '(') inBlock = !m[2]!.startsWith(')');
    else if (m[2] !== '') count++;
  }
  const dependencies = first !== undefined && count > 0 ? { span: trimmedLineSpan(index, first, 'require'.length), count } : undefined;
  return { role: 'manifest', ecosystem: 'go', path, name: 'go.mod', dependencies, isWorkspaceRoot: false, tools: ['go'] };
}

/** Gemfile: `gem` lines (and `gemspec`, which pulls the gemspec's dependencies in) declare dependencies. */
export function parseGemfile(path: string, text: string, _notices: Notice[]): PackageManifest {
  const index = new LineIndex(text);
  let count = 0;
  let first: number | undefined;
  for (let n = 1; n <= index.lineCount; n++) {
    if (!/^\s*(gem[\s(]+['"]|gemspec\b)/.test(index.line(n))) continue;
    first ??= n;
    count++;
  }
  const dependencies = first !== undefined ? { span: trimmedLineSpan(index, first), count } : undefined;
  return { role: 'manifest', ecosystem: 'rubygems', path, name: 'Gemfile', dependencies, isWorkspaceRoot: false, tools: ['bundler'] };
}

/** requirements*.txt: each requirement line (options other than -e, comments and blanks aside). */
export function parseRequirements(path: string, text: string, _notices: Notice[]): PackageManifest {
  const index = new LineIndex(text);
  let count = 0;
  let first: number | undefined;
  for (let n = 1; n <= index.lineCount; n++) {
    const line = index.line(n).replace(/(^|\s)#.*$/, '').trim();
    if (line === '' || (line.startsWith('-') && !/^(-e|--editable)\b/.test(line))) continue;
    first ??= n;
    count++;
  }
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dependencies = first !== undefined ? { span: trimmedLineSpan(index, first), count } : undefined;
  return { role: 'manifest', ecosystem: 'pypi', path, name, dependencies, isWorkspaceRoot: false, tools: ['pip'] };
}
