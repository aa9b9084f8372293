import type { ShellSource } from './shell-doc.js';

/**
 * The recipes of a Makefile as shell scripts (GNU make's reading, https://www.gnu.org/software/make/manual/):
 * each recipe line is a command line of its own (one shell per line), or, under `.ONESHELL:`, each rule's recipe is one
 * script. The `@`, `-` and `+` prefixes are dropped; `\` continuations stay for the shell with the next line's recipe
 * prefix removed; `$$` is a `$` for the shell; make variables and functions (`$(CC)`, `${X}`, `$@`, `$(shell …)`) stay
 * unresolved, each one opaque word the width it is written (`${___}`), so columns still point into the file.
 */
export function makefileRecipes(text: string): ShellSource[] {
  const lines = text.split(/\r?\n/);
  const oneShell = lines.some((l) => /^\.ONESHELL\s*:/.test(l));
  const out: ShellSource[] = [];
  let prefix = '\t';
  let inRule = false;
  let define = 0;
  let rule: { sequence: string; parts: Part[] } | undefined;
  const flush = () => {
    if (rule && rule.parts.length > 0) {
      if (oneShell) out.push(source(rule.parts, rule.sequence));
      else {
        // one shell per recipe line (a continued line is one line)
        let start = 0;
        for (let k = 0; k < rule.parts.length; k++) {
          if (!rule.parts[k]!.continues) {
            out.push(source(rule.parts.slice(start, k + 1), rule.sequence));
            start = k + 1;
          }
        }
        if (start < rule.parts.length) out.push(source(rule.parts.slice(start), rule.sequence));
      }
    }
    rule = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (define > 0) {
      if (/^\s*endef\b/.test(raw)) define--;
      else if (/^\s*(override\s+|export\s+|private\s+)*define\b/.test(raw)) define++;
      continue;
    }
    if (inRule && raw.startsWith(prefix)) {
      const previous = rule!.parts[rule!.parts.length - 1];
      // The first line of a recipe command, or a continuation of the one before (whose tab make removes too).
      rule!.parts.push(part(raw, i, prefix.length, !previous?.continues));
      continue;
    }
    if (inRule && (raw.trim() === '' || raw.trimStart().startsWith('#') || /^\s*(ifn?eq|ifn?def|else|endif)\b/.test(raw))) continue;
    // Not a recipe line: a rule, an assignment, a directive (its own `\` continuations joined).
    // each physical line tested and copied once: 100,000 continued lines stay linear
    const joined = [raw];
    while (joined[joined.length - 1]!.endsWith('\\') && i + 1 < lines.length) {
      joined[joined.length - 1] = joined[joined.length - 1]!.slice(0, -1);
      joined.push(lines[++i]!);
    }
    const logical = joined.length === 1 ? raw : joined.join(' ');
    const code = logical.replace(/(^|[^\\])#.*$/, '$1');
    const recipePrefix = /^\s*\.RECIPEPREFIX\s*[:?]?=\s*(\S?)/.exec(code);
    if (recipePrefix) {
      prefix = recipePrefix[1] || '\t';
      continue;
    }
    if (/^\s*(override\s+|export\s+|private\s+)*define\b/.test(code)) {
      flush();
      inRule = false;
      define = 1;
      continue;
    }
    const colon = ruleColon(code);
    flush();
    inRule = colon !== undefined;
    if (colon === undefined) continue;
    rule = { sequence: `make:${i + 1}`, parts: [] };
    // `target: prerequisites ; command`
    const semi = code.indexOf(';', colon);
    if (semi >= 0 && logical === raw) rule.parts.push(part(raw, i, semi + 1, true));
  }
  flush();
  return out;
}

/** Where a rule line's target list ends (its `:`), or undefined for assignments and directives. */
function ruleColon(code: string): number | undefined {
  if (/^\s*$/.test(code) || /^\s*(-?include|sinclude|ifn?eq|ifn?def|else|endif|export|unexport|override|vpath|undefine|private)\b/.test(code)) return undefined;
  let depth = 0;
  for (let k = 0; k < code.length; k++) {
    const ch = code[k]!;
    if (ch === '(' || ch === '{') depth++;
    else if (ch === ')' || ch === '}') depth--;
    else if (depth > 0) continue;
    else if (ch === '=') return undefined;
    else if (ch === ':') {
      if (code[k + 1] === '=' || (code[k + 1] === ':' && code[k + 2] === '=')) return undefined;
      // `target: VAR = value` sets a target-specific variable: no recipe line follows from it
      const rest = code.slice(k + 1).replace(/^:/, '');
      if (/^[^;]*[^:!?+]=/.test(rest) && !rest.includes(';')) return undefined;
      return k;
    }
  }
  return undefined;
}

interface Part {
  /** The text the shell reads, and for each of its characters the 0-based source column. */
  text: string;
  columns: number[];
  line: number;
  continues: boolean;
}

/** One physical recipe line from `from`: prefixes dropped on a command's first line, make's `$` syntax rewritten. */
function part(raw: string, line: number, from: number, first: boolean): Part {
  let k = from;
  if (first) while (k < raw.length && /[\s@+-]/.test(raw[k]!)) k++;
  let text = '';
  const columns: number[] = [];
  const put = (s: string, col: number) => {
    text += s;
    for (let n = 0; n < s.length; n++) columns.push(col + n);
  };
  while (k < raw.length) {
    const ch = raw[k]!;
    if (ch !== '$') {
      put(ch, k);
      k++;
      continue;
    }
    const next = raw[k + 1];
    if (next === '$') {
      put('$', k);
      k += 2;
    } else if (next === '(' || next === '{') {
      const end = closing(raw, k + 1);
      // `$(NAME)` → `${NAME}`, a function → `${___}`, as wide as the reference: one word for the shell
      const width = end + 1 - k;
      const name = raw.slice(k + 2, end);
      put(/^\w+$/.test(name) && raw[end] !== undefined ? `\${${name}}` : `\${${'_'.repeat(Math.max(1, width - 3))}}`, k);
      k = end + 1;
    } else if (next !== undefined) {
      put('$M', k);
      k += 2;
    } else {
      put('$', k);
      k++;
    }
  }
  return { text, columns, line, continues: /(^|[^\\])(\\\\)*\\$/.test(raw) };
}

/** The index of the bracket closing the one at `open` (or the end of the line). */
function closing(raw: string, open: number): number {
  const close = raw[open] === '(' ? ')' : '}';
  let depth = 0;
  for (let k = open; k < raw.length; k++) {
    if (raw[k] === raw[open]) depth++;
    else if (raw[k] === close && --depth === 0) return k;
  }
  return raw.length - 1;
}

function source(parts: readonly Part[], sequence: string): ShellSource {
  return {
    script: parts.map((p) => p.text).join('\n'),
    sequence,
    line: (i) => (parts[i] ?? parts[parts.length - 1]!).line + 1,
    column: (i, c) => {
      const p = parts[i] ?? parts[parts.length - 1]!;
      if (p.columns.length === 0) return 1;
      return c >= p.columns.length ? p.columns[p.columns.length - 1]! + 2 : p.columns[c]! + 1;
    },
  };
}
