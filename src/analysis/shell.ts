import { parse as tokenize } from 'shell-quote';
import { replaceExpressions } from './expressions.js';

/**
 * A shell script as a list of simple commands, for rules that read workflow `run:` blocks and
 * Dockerfile `RUN`. Tokenising (quotes, escapes, operators) is shell-quote's; this module adds
 * logical lines (continuations, heredoc bodies), pipelines, and command/process substitutions.
 */
export interface ShellCommand {
  /** Words with leading `VAR=value` assignments removed; `sudo`/`env` wrappers are kept (see `unwrap`). */
  argv: string[];
  assignments: string[];
  /** 0-based line of the script on which this command's logical line starts. */
  line: number;
  /** Inside `$(…)`, backticks or `<(…)`: its output feeds the enclosing command. */
  substitution: boolean;
  /** The command whose arguments contain this substitution. */
  parent?: ShellCommand;
}

export interface ShellScript {
  commands: ShellCommand[];
  /** Commands grouped by pipeline, in order. */
  pipelines: ShellCommand[][];
  /** The logical lines (continuations joined), with their 0-based start line. */
  lines: { text: string; line: number }[];
}

const SEPARATORS = new Set(['&&', '||', ';', '&', ';;', '|&', '|', '\n']);
const REDIRECTS = new Set(['>', '>>', '<', '>&', '<&', '>|', '<>', '&>', '&>>']);

/** Splits a script into logical lines: joins `\` continuations, drops heredoc bodies and comment lines. */
export function logicalLines(script: string): { text: string; line: number }[] {
  const raw = script.split(/\r?\n/);
  const out: { text: string; line: number }[] = [];
  let heredoc: { tag: string; strip: boolean } | undefined;
  for (let i = 0; i < raw.length; i++) {
    const first = raw[i]!;
    if (heredoc) {
      if ((heredoc.strip ? first.replace(/^\t+/, '') : first).trim() === heredoc.tag) heredoc = undefined;
      continue;
    }
    const start = i;
    // Each physical line is tested and copied once: 100,000 continuations stay linear.
    const parts = [first];
    while (continues(raw[i]!) && i + 1 < raw.length) {
      parts[parts.length - 1] = raw[i]!.slice(0, -1);
      parts.push(raw[++i]!);
    }
    const text = parts.length === 1 ? first : parts.join(' ');
    const doc = /<<(-?)\s*(['"]?)([A-Za-z_][\w-]*)\2/.exec(text.replace(/'[^']*'/g, "''"));
    if (doc) heredoc = { tag: doc[3]!, strip: doc[1] === '-' };
    if (text.trim() !== '' && !text.trim().startsWith('#')) out.push({ text, line: start });
  }
  return out;
}

/** An odd number of trailing backslashes: the line continues on the next one. */
function continues(line: string): boolean {
  let n = 0;
  while (n < line.length && line.charCodeAt(line.length - 1 - n) === 92) n++;
  return n % 2 === 1;
}

/**
 * Several rules parse the same `RUN`/`run:` script; a long one (100,000 continued lines) is parsed once.
 * The result is shared, so callers treat it as read-only (they do).
 */
const LONG_SCRIPT = 16 * 1024;
const parsedLong = new Map<string, ShellScript>();

export function parseShell(script: string): ShellScript {
  if (script.length < LONG_SCRIPT) return parseShellOnce(script);
  let parsed = parsedLong.get(script);
  if (!parsed) {
    parsed = parseShellOnce(script);
    if (parsedLong.size >= 8) parsedLong.delete(parsedLong.keys().next().value!);
    parsedLong.set(script, parsed);
  }
  return parsed;
}

function parseShellOnce(script: string): ShellScript {
  const commands: ShellCommand[] = [];
  const pipelines: ShellCommand[][] = [];
  const lines = logicalLines(script);
  for (const { text, line } of lines) parseLine(text, line, commands, pipelines, undefined);
  return { commands, pipelines, lines };
}

/** Quoted `$(…)` nested deeper than this is not followed: `"$($($(…"` a million deep would be quadratic (and overflow the stack). */
const MAX_SUBSTITUTION_DEPTH = 8;

function parseLine(text: string, line: number, commands: ShellCommand[], pipelines: ShellCommand[][], parent: ShellCommand | undefined, depth = 0): void {
  // GitHub expressions are opaque words here; backticks become $( ) so both substitutions look alike.
  const prepared = replaceExpressions(text, '__GHA_EXPR__').replace(/`([^`]*)`/g, '$($1)');
  let tokens: ReturnType<typeof tokenize>;
  try {
    tokens = tokenize(prepared, (key) => `$${key}`);
  } catch {
    return;
  }
  // One frame per open group: `( … )` keeps the enclosing substitution state, `$( … )` and `<( … )` feed `parent`.
  interface Frame { parent?: ShellCommand; substitution: boolean; current?: ShellCommand; pipe: ShellCommand[]; resume?: ShellCommand }
  const stack: Frame[] = [{ parent, substitution: parent !== undefined, pipe: [] }];
  let pendingSubstitution = false;
  let skipNext = false;
  const endPipeline = (f: Frame) => {
    if (f.pipe.length > 0) pipelines.push(f.pipe);
    f.pipe = [];
  };
  for (const tok of tokens) {
    const f = stack[stack.length - 1]!;
    if (typeof tok === 'string') {
      if (skipNext) {
        skipNext = false;
        continue;
      }
      let word = tok;
      if (word.endsWith('$')) {
        word = word.slice(0, -1);
        pendingSubstitution = true;
        if (word === '') continue;
      }
      if (!f.current) {
        f.current = { argv: [], assignments: [], line, substitution: f.substitution, parent: f.parent };
        commands.push(f.current);
        f.pipe.push(f.current);
      }
      if (f.current.argv.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) f.current.assignments.push(word);
      else if (word !== '') f.current.argv.push(word);
      // A quoted word can hold a substitution: `sh -c "$(curl …)"`.
      if (depth < MAX_SUBSTITUTION_DEPTH && word.includes('$(')) {
        for (const inner of innerSubstitutions(word)) parseLine(inner, line, commands, pipelines, f.current, depth + 1);
      }
      continue;
    }
    if ('comment' in tok) break;
    if (!('op' in tok)) {
      if ('pattern' in tok && f.current) f.current.argv.push(String(tok.pattern));
      continue;
    }
    const op = String(tok.op);
    if (op === '(' || op === '<(' || op === '>(') {
      const feeds = pendingSubstitution || op !== '(';
      pendingSubstitution = false;
      if (!feeds) {
        endPipeline(f);
        f.current = undefined;
      }
      stack.push({ parent: feeds ? f.current : f.parent, substitution: feeds || f.substitution, pipe: [], resume: feeds ? f.current : undefined });
      continue;
    }
    if (op === ')') {
      if (stack.length > 1) {
        const closed = stack.pop()!;
        endPipeline(closed);
        stack[stack.length - 1]!.current = closed.resume;
      }
      continue;
    }
    if (REDIRECTS.has(op) || op === '<<' || op === '<<-') {
      skipNext = true;
      continue;
    }
    if (SEPARATORS.has(op)) {
      f.current = undefined;
      if (op !== '|' && op !== '|&') endPipeline(f);
    }
  }
  for (const f of stack.reverse()) endPipeline(f);
}

function innerSubstitutions(word: string): string[] {
  const out: string[] = [];
  let i = word.indexOf('$(');
  while (i >= 0) {
    let depth = 0;
    let j = i + 1;
    for (; j < word.length; j++) {
      if (word[j] === '(') depth++;
      else if (word[j] === ')' && --depth === 0) break;
    }
    out.push(word.slice(i + 2, j));
    i = word.indexOf('$(', j);
  }
  return out;
}

/** The command behind wrappers: `sudo -E bash` → `bash`, `env X=1 node` → `node`, `time make` → `make`. */
export function unwrap(argv: readonly string[]): string[] {
  let i = 0;
  while (i < argv.length) {
    const w = argv[i]!;
    if (w === 'sudo' || w === 'doas') {
      i++;
      while (i < argv.length && argv[i]!.startsWith('-')) i += /^-[ugCDhpr]$/.test(argv[i]!) ? 2 : 1;
    } else if (w === 'env') {
      i++;
      while (i < argv.length && (argv[i]!.startsWith('-') || /^[A-Za-z_]\w*=/.test(argv[i]!))) i++;
    } else if (w === 'time' || w === 'nohup' || w === 'exec' || w === 'command' || w === 'xargs') i++;
    else break;
  }
  return argv.slice(i);
}

/** Base name of a program: `/usr/bin/python3` → `python3`. */
export function programName(word: string | undefined): string {
  return (word ?? '').replace(/^.*\//, '');
}
