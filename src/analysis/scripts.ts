import { isScalar } from 'yaml';
import { quote } from 'shell-quote';
import type { Span } from '../core/types.js';
import type { DockerfileDoc, DockerInstruction, Stage } from '../parsers/dockerfile.js';
import type { ShellDoc } from '../parsers/shell-doc.js';
import type { Step, WorkflowDoc } from '../parsers/workflow.js';
import { programName } from './shell.js';

/**
 * The shell scripts a file runs, with a way back from a script line to the source: Dockerfile `RUN`
 * (shell form, exec form `["sh", "-c", "…"]`, heredoc bodies), workflow / composite-action `run:` steps, shell script
 * files and Makefile recipes.
 */
export interface ScriptBlock {
  script: string;
  /** Blocks of one sequence run one after the other on the same file system (a job, a Dockerfile stage chain). */
  sequence: string;
  /** Span of 0-based script line `i` in the source file. */
  lineSpan(i: number): Span;
  /**
   * The 1-based source position of 0-based script line `line`, column `column`, where the script is the source's text
   * character for character (Dockerfile shell-form RUN and heredoc bodies); absent where it is not (a YAML scalar, JSON form).
   */
  at?(line: number, column: number): { line: number; column: number };
}

const SHELLS = /^(sh|bash|zsh|dash|ksh|ash|mksh)$/;
const NON_POSIX_SHELLS = /^(python|cmd|powershell)$/;

/**
 * Six rules read the scripts of the same file in turn: each document's blocks are built once and shared
 * (read-only), and go with the document when it is dropped.
 */
const workflowBlocks = new WeakMap<WorkflowDoc, readonly ScriptBlock[]>();
const dockerfileBlocks = new WeakMap<DockerfileDoc, readonly ScriptBlock[]>();

export function workflowScripts(wf: WorkflowDoc): readonly ScriptBlock[] {
  let blocks = workflowBlocks.get(wf);
  if (!blocks) workflowBlocks.set(wf, (blocks = buildWorkflowScripts(wf)));
  return blocks;
}

/** The documents whose scripts the shell rules read. */
export type ScriptDoc = DockerfileDoc | WorkflowDoc | ShellDoc;

export function scriptsOf(doc: ScriptDoc): readonly ScriptBlock[] {
  if ('stages' in doc) return dockerfileScripts(doc);
  if ('sources' in doc) return shellScripts(doc);
  return workflowScripts(doc);
}

const shellBlocks = new WeakMap<ShellDoc, readonly ScriptBlock[]>();

/** A shell script file (one block) or a Makefile's recipes (one block per command line, or per rule under `.ONESHELL`). */
export function shellScripts(doc: ShellDoc): readonly ScriptBlock[] {
  let blocks = shellBlocks.get(doc);
  if (blocks) return blocks;
  const src = doc.text.split(/\r?\n/);
  blocks = doc.sources.map((s) => ({
    script: s.script,
    sequence: s.sequence,
    lineSpan: (i: number) => wholeLine(src, s.line(i) - 1),
    at: (i: number, column: number) => ({ line: s.line(i), column: s.column(i, column) }),
  }));
  shellBlocks.set(doc, blocks);
  return blocks;
}

export function dockerfileScripts(doc: DockerfileDoc): readonly ScriptBlock[] {
  let blocks = dockerfileBlocks.get(doc);
  if (!blocks) dockerfileBlocks.set(doc, (blocks = buildDockerfileScripts(doc)));
  return blocks;
}

function buildWorkflowScripts(wf: WorkflowDoc): ScriptBlock[] {
  const out: ScriptBlock[] = [];
  const add = (steps: Step[], sequence: string) => {
    for (const step of steps) {
      if (!step.run || NON_POSIX_SHELLS.test(step.shell ?? '')) continue;
      out.push({ script: step.run.value, sequence, lineSpan: runLineSpan(wf, step) });
    }
  };
  for (const job of wf.jobs) add(job.steps, `job:${job.id}`);
  if (wf.runs) add(wf.runs.steps, 'runs');
  return out;
}

function runLineSpan(wf: WorkflowDoc, step: Step): (i: number) => Span {
  const run = step.run!;
  const lines = run.value.split('\n');
  // A literal block keeps one source line per script line, starting on the line after `run: |`.
  const literal = isScalar(run.node) && run.node.type === 'BLOCK_LITERAL';
  return (i) => {
    const text = (lines[i] ?? '').trim();
    let from = 0;
    for (let k = 0; k < i; k++) from += lines[k]!.length + 1;
    const target = literal ? run.span.line + 1 + i : undefined;
    const found = text ? wf.spanWithin(run.node, text, from) : undefined;
    if (found && (target === undefined || found.line === target)) return found;
    if (target !== undefined) return { line: target, column: 1, endLine: target, endColumn: 1 };
    return run.span;
  };
}

function buildDockerfileScripts(doc: DockerfileDoc): ScriptBlock[] {
  const src = doc.text.split(/\r?\n/);
  const root = (s: Stage): number => {
    const seen = new Set<number>();
    let cur = s;
    while (cur.parent !== undefined && !seen.has(cur.index)) {
      seen.add(cur.index);
      cur = doc.stages[cur.parent] ?? cur;
    }
    return cur.index;
  };
  return doc.stages.flatMap((stage) =>
    stage.instructions
      .filter((ins) => ins.keyword.toUpperCase() === 'RUN')
      .flatMap((ins) => runBlocks(src, ins, doc.escapeChar, `stage:${root(stage)}`)),
  );
}

/** Span of a whole source line (0-based index), from its first non-blank character. */
function wholeLine(src: readonly string[], index: number, fromColumn = 0): Span {
  const text = src[index] ?? '';
  const indent = Math.max(fromColumn, text.length - text.trimStart().length);
  return { line: index + 1, column: indent + 1, endLine: index + 1, endColumn: Math.max(indent + 1, text.trimEnd().length + 1) };
}

function runBlocks(src: readonly string[], ins: DockerInstruction, escapeChar: string, sequence: string): ScriptBlock[] {
  const first = ins.span.line - 1;
  const last = Math.max(first, ins.span.endLine - 1);
  let head = (src[first] ?? '').slice(ins.span.column - 1).replace(/^\s*RUN\b/i, '');
  for (let m = /^\s*--\S+/.exec(head); m; m = /^\s*--\S+/.exec(head)) head = head.slice(m[0].length);
  const atFirst = () => wholeLine(src, first, ins.span.column - 1);

  const markers = [...head.matchAll(/<<(-?)(["']?)([A-Za-z_][\w-]*)\2/g)];
  if (markers.length > 0) {
    const command = head.replace(/<<(-?)(["']?)([A-Za-z_][\w-]*)\2/g, '').trim();
    const blocks: ScriptBlock[] = [];
    if (command !== '') blocks.push({ script: command, sequence, lineSpan: atFirst });
    const words = command.split(/\s+/).filter(Boolean);
    const bodiesAreShell = words.length === 0 || (SHELLS.test(programName(words[0])) && words.slice(1).every((w) => w.startsWith('-')));
    let line = first + 1;
    for (const m of markers) {
      const start = line;
      while (line < src.length && (m[1] === '-' ? src[line]!.replace(/^\t+/, '') : src[line]!).trim() !== m[3]) line++;
      const body = src.slice(start, line);
      line++;
      const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(body[0] ?? '');
      const interpreter = shebang ? programName(shebang[1] === '/usr/bin/env' ? shebang[2] : shebang[1]) : undefined;
      if (!bodiesAreShell || (interpreter !== undefined && !SHELLS.test(interpreter))) continue;
      blocks.push({
        script: body.join('\n'),
        sequence,
        lineSpan: (i) => wholeLine(src, start + i),
        at: (i, column) => ({ line: start + i + 1, column: column + 1 }),
      });
    }
    return blocks;
  }

  if (head.trim().startsWith('[')) {
    const json = [head, ...src.slice(first + 1, last + 1)].join('\n').replace(/\\\r?\n/g, ' ');
    try {
      const argv: unknown = JSON.parse(json);
      if (Array.isArray(argv) && argv.every((a) => typeof a === 'string')) {
        const words = argv as string[];
        const c = words.indexOf('-c');
        const script = SHELLS.test(programName(words[0])) && c > 0 && words[c + 1] !== undefined ? words[c + 1]! : quote(words);
        return [{ script, sequence, lineSpan: atFirst }];
      }
    } catch {
      // Not valid JSON: Docker runs it as shell form, and so do we.
    }
  }

  // Shell form: Docker drops comment and blank lines inside a continued instruction.
  const lines: string[] = [];
  const origin: number[] = [];
  for (let i = first; i <= last; i++) {
    let text = i === first ? head : src[i] ?? '';
    if (i > first && (text.trim() === '' || text.trim().startsWith('#'))) continue;
    if (escapeChar === '`' && /`\s*$/.test(text)) text = text.replace(/`\s*$/, '\\');
    lines.push(text);
    origin.push(i);
  }
  // The first script line is the end of the RUN line (after the keyword and flags): its columns are shifted by what was cut.
  const shift = (src[first] ?? '').length - head.length;
  return [
    {
      script: lines.join('\n'),
      sequence,
      lineSpan: (i) => (i === 0 ? atFirst() : wholeLine(src, origin[i] ?? first)),
      at: (i, column) => ({ line: (origin[i] ?? first) + 1, column: column + (i === 0 ? shift : 0) + 1 }),
    },
  ];
}
