import { parse as tokenize } from 'shell-quote';
import { lineMapper, prepareLine, tokenOffsets, type ScriptSpan } from './shell-positions.js';

export type { ScriptSpan } from './shell-positions.js';

/**
 * A shell script as a list of simple commands, for rules that read workflow `run:` blocks and
 * Dockerfile `RUN`. Tokenising (quotes, escapes, operators) is shell-quote's; this module adds
 * logical lines (continuations, heredoc bodies), pipelines, and command/process substitutions.
 */
export interface ShellCommand {
  /** Words with leading `VAR=value` assignments removed; `sudo`/`env` wrappers are kept (see `unwrap`). */
  readonly argv: readonly string[];
  readonly assignments: readonly string[];
  /**
   * Where each word of `argv` (and of `assignments`) is in the script, parallel to it: from the tokenizer's offsets, mapped
   * through `\` continuations. A word inside a quoted `$(…)` gets the span of that whole quoted word; a line the positions
   * cannot be matched up for gives every word the span of its whole logical line.
   */
  readonly spans: readonly ScriptSpan[];
  readonly assignmentSpans: readonly ScriptSpan[];
  /** 0-based line of the script on which this command's logical line starts. */
  readonly line: number;
  /** Inside `$(…)`, backticks or `<(…)`: its output feeds the enclosing command. */
  readonly substitution: boolean;
  /** The command whose arguments contain this substitution. */
  readonly parent?: ShellCommand;
}

/** A parsed script. Results are shared between the rules that read the same script (see parseShell): read-only. */
export interface ShellScript {
  readonly commands: readonly ShellCommand[];
  /** Commands grouped by pipeline, in order. */
  readonly pipelines: readonly (readonly ShellCommand[])[];
  /** The logical lines (continuations joined), with their 0-based start line. */
  readonly lines: readonly LogicalLine[];
}

export interface LogicalLine {
  readonly text: string;
  readonly line: number;
  /** Offset in `text` where each physical line of it starts (the first is 0): the `\` is dropped and a space joins the lines. */
  readonly starts: readonly number[];
}

const SEPARATORS = new Set(['&&', '||', ';', '&', ';;', ';&', ';;&', '|&', '|', '\n']);
/**
 * Reserved words that open or continue a compound command (`if …; then curl … | sh; fi`, `while …; do …; done`, `{ …; }`,
 * `! cmd`): in command position they are not the program, the word after them is. `for`/`case`/`select` headers stay as
 * commands of their own (their words are not run), and `function NAME` is dropped with its name.
 */
const COMPOUND_WORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '{', '}', '!', 'esac']);
const REDIRECTS = new Set(['>', '>>', '<', '>&', '<&', '>|', '<>', '&>', '&>>']);

/**
 * A heredoc fed to a shell runs its body: `bash <<EOF`, `sudo -u app sh -s <<'EOF'`, `su app -c "$(cat <<EOF`
 * (vscode-dev-containers' library scripts install nvm that way).
 */
const FEEDS_SHELL = /(^|[\s;&|(])(ba|da|z|k|a)?sh(\s+-[A-Za-z]+)*\s*$|\s-c\s+["']?\$\(\s*cat\s*$/;

/**
 * Splits a script into logical lines: joins `\` continuations, drops comment lines and heredoc bodies, except the
 * body of a heredoc fed to a shell, whose lines are script lines.
 */
export function logicalLines(script: string): LogicalLine[] {
  const raw = script.split(/\r?\n/);
  const out: LogicalLine[] = [];
  let heredoc: { tag: string; strip: boolean; runs: boolean } | undefined;
  for (let i = 0; i < raw.length; i++) {
    const first = raw[i]!;
    if (heredoc) {
      const end = (heredoc.strip ? first.replace(/^\t+/, '') : first).trim() === heredoc.tag;
      const runs = heredoc.runs;
      if (end) heredoc = undefined;
      if (end || !runs) continue;
    }
    const start = i;
    // Each physical line is tested and copied once: 100,000 continuations stay linear.
    const parts = [first];
    const starts = [0];
    // a `\` at the end of a comment is part of the comment, which ends at the newline: it continues nothing
    let quote: Quote = '';
    while (continues(raw[i]!) && !((quote = commentOrQuote(raw[i]!, quote)) === '#') && i + 1 < raw.length) {
      parts[parts.length - 1] = raw[i]!.slice(0, -1);
      starts.push(starts[starts.length - 1]! + parts[parts.length - 1]!.length + 1);
      parts.push(raw[++i]!);
    }
    const text = parts.length === 1 ? first : parts.join(' ');
    // single-quoted text cannot open a heredoc, but a quoted tag (`<<'EOF'`) is one
    const masked = text.replace(/(<<-?\s*)?'[^']*'/g, (m, opens?: string) => (opens ? m : "''"));
    const doc = /<<(-?)\s*(['"]?)([A-Za-z_][\w-]*)\2/.exec(masked);
    // a heredoc opened inside the body of one that runs ends that one's reading (its own terminator comes first)
    if (doc) heredoc = { tag: doc[3]!, strip: doc[1] === '-', runs: !heredoc && FEEDS_SHELL.test(masked.slice(0, doc.index)) };
    if (text.trim() !== '' && !text.trim().startsWith('#')) out.push({ text, line: start, starts });
  }
  return out;
}

type Quote = '' | "'" | '"' | '#';

/**
 * Reads one physical line from the quoting state the previous one left (`''`: none): `#` when the line ends in a comment
 * (a `#` that starts a word outside quotes), else the quote still open at its end.
 */
function commentOrQuote(line: string, open: Quote): Quote {
  let q = open;
  for (let k = 0; k < line.length; k++) {
    const c = line[k]!;
    if (q === "'") {
      if (c === "'") q = '';
    } else if (c === '\\') k++;
    else if (q === '"') {
      if (c === '"') q = '';
    } else if (c === "'" || c === '"') q = c;
    else if (c === '#' && (k === 0 || /[\s;&|()<>]/.test(line[k - 1]!))) return '#';
  }
  return q;
}

/** An odd number of trailing backslashes: the line continues on the next one. */
function continues(line: string): boolean {
  let n = 0;
  while (n < line.length && line.charCodeAt(line.length - 1 - n) === 92) n++;
  return n % 2 === 1;
}

/** A command while it is being built; handed out as a read-only ShellCommand. */
interface Building {
  argv: string[];
  assignments: string[];
  spans: ScriptSpan[];
  assignmentSpans: ScriptSpan[];
  line: number;
  substitution: boolean;
  parent?: ShellCommand;
}

/**
 * Several rules parse the same `RUN`/`run:` script (a workflow step is read by a dozen rules): each script is parsed
 * once and the read-only result shared. The memo is bounded by entries and by the total length of the scripts it
 * holds; a script too long for the budget (a 100,000-line continuation) is kept alone in a small memo of its own.
 * A file's scripts are read by one rule after another, so the memo holds all the scripts of any ordinary file.
 */
const MEMO_ENTRIES = 2048;
const MEMO_CHARS = 1024 * 1024;
const LONG_SCRIPT = 64 * 1024;
const LONG_ENTRIES = 8;
const parsed = new Map<string, ShellScript>();
const parsedLong = new Map<string, ShellScript>();
let memoChars = 0;

export function parseShell(script: string): ShellScript {
  const long = script.length >= LONG_SCRIPT;
  const memo = long ? parsedLong : parsed;
  let result = memo.get(script);
  if (result) {
    // most recently used last
    memo.delete(script);
    memo.set(script, result);
    return result;
  }
  result = parseShellOnce(script);
  memo.set(script, result);
  if (long) {
    if (memo.size > LONG_ENTRIES) memo.delete(memo.keys().next().value!);
  } else {
    memoChars += script.length;
    while (memo.size > MEMO_ENTRIES || memoChars > MEMO_CHARS) {
      const oldest = memo.keys().next().value!;
      memo.delete(oldest);
      memoChars -= oldest.length;
    }
  }
  return result;
}

function parseShellOnce(script: string): ShellScript {
  const commands: Building[] = [];
  const pipelines: Building[][] = [];
  const lines = logicalLines(script);
  for (const l of lines) parseLine(l.text, l.line, commands, pipelines, undefined, 0, lineMapper(l.line, l.starts, l.text.length));
  return { commands, pipelines, lines };
}

/** Quoted `$(…)` nested deeper than this is not followed: `"$($($(…"` a million deep would be quadratic (and overflow the stack). */
const MAX_SUBSTITUTION_DEPTH = 8;

/** Where the words of a line are: mapped offsets of a script line, or one fixed span (the quoted word a `$(…)` was found in). */
type Place = ReturnType<typeof lineMapper> | ScriptSpan;

function parseLine(text: string, line: number, commands: Building[], pipelines: Building[][], parent: ShellCommand | undefined, depth: number, place: Place): void {
  // GitHub expressions are opaque words here; backticks become $( ) so both substitutions look alike.
  const { prepared, start, end } = prepareLine(text);
  let tokens: ReturnType<typeof tokenize>;
  try {
    tokens = tokenize(prepared, (key) => `$${key}`);
  } catch {
    return;
  }
  const offsets = 'whole' in place ? tokenOffsets(prepared, tokens) : undefined;
  const spanOf = (k: number): ScriptSpan => {
    if (!('whole' in place)) return place;
    const o = offsets?.[k];
    if (!o) return place.whole;
    return place.span(start ? start[o[0]]! : o[0], end ? end[o[1] - 1]! : o[1]);
  };
  // One frame per open group: `( … )` keeps the enclosing substitution state, `$( … )` and `<( … )` feed `parent`.
  interface Frame { parent?: ShellCommand; substitution: boolean; current?: Building; pipe: Building[]; resume?: Building }
  const stack: Frame[] = [{ parent, substitution: parent !== undefined, pipe: [] }];
  let pendingSubstitution = false;
  let skipNext = false;
  let skipName = false;
  /** Drops the command being built (a case pattern `a)`, a function name `foo()`): its words are not run. */
  const dropCurrent = (f: Frame) => {
    const c = f.current;
    if (c && commands[commands.length - 1] === c && f.pipe[f.pipe.length - 1] === c) {
      commands.pop();
      f.pipe.pop();
    }
    f.current = undefined;
  };
  const endPipeline = (f: Frame) => {
    if (f.pipe.length > 0) pipelines.push(f.pipe);
    f.pipe = [];
  };
  for (let k = 0; k < tokens.length; k++) {
    const raw = tokens[k]!;
    // an unquoted glob (`kernel*`, `*.whl`) is a word like any other: the option before it takes it as its value
    const tok = typeof raw === 'object' && 'op' in raw && raw.op === 'glob' ? String(raw.pattern) : raw;
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
      // `2>&1`, `2>/dev/null`: the digits are the redirect's file descriptor, not an argument (written apart, `2 >x`, they are one)
      const next = tokens[k + 1];
      if (/^\d{1,2}$/.test(word) && typeof next === 'object' && 'op' in next && REDIRECTS.has(String(next.op)) && (!offsets || offsets[k]![1] === offsets[k + 1]![0])) continue;
      const atStart = !f.current || (f.current.argv.length === 0 && f.current.assignments.length === 0);
      if (atStart && skipName) {
        skipName = false;
        continue;
      }
      if (atStart && COMPOUND_WORDS.has(word)) continue;
      if (atStart && word === 'function') {
        skipName = true;
        continue;
      }
      if (!f.current) {
        f.current = { argv: [], assignments: [], spans: [], assignmentSpans: [], line, substitution: f.substitution, parent: f.parent };
        commands.push(f.current);
        f.pipe.push(f.current);
      }
      const span = spanOf(k);
      if (f.current.argv.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) {
        f.current.assignments.push(word);
        f.current.assignmentSpans.push(span);
      } else if (word !== '') {
        f.current.argv.push(word);
        f.current.spans.push(span);
      }
      // A quoted word can hold a substitution: `sh -c "$(curl …)"`.
      if (depth < MAX_SUBSTITUTION_DEPTH && word.includes('$(')) {
        for (const inner of innerSubstitutions(word)) parseLine(inner, line, commands, pipelines, f.current, depth + 1, span);
      }
      continue;
    }
    if ('comment' in tok) break;
    if (!('op' in tok)) continue;
    const op = String(tok.op);
    if (op === '(' && !pendingSubstitution && typeof tokens[k + 1] === 'object' && (tokens[k + 1] as { op?: unknown }).op === ')') {
      // `name() { …; }`: a function definition, its body follows
      if (f.current?.argv.length === 1) dropCurrent(f);
      k++;
      continue;
    }
    if (op === '(' || op === '<(' || op === '>(') {
      // `< <(curl …)`: the redirect's target is the whole substitution, not its first word
      skipNext = false;
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
      } else {
        // `pattern)` of a case item: the words before it are matched, not run
        dropCurrent(f);
        f.pipe = [];
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
