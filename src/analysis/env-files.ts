/**
 * Writes to the runner's environment files ($GITHUB_ENV, $GITHUB_PATH) in a `run:` script, in bash/sh,
 * PowerShell and cmd spellings, with the text each write puts there (the command before the redirect,
 * or the body of a heredoc fed to it).
 */
import { replaceExpressions } from './expressions.js';
export interface EnvFileWrite {
  file: 'GITHUB_ENV' | 'GITHUB_PATH';
  /** 0-based line within the script. */
  line: number;
  /** The written text: the command line without its redirect, plus any heredoc body. */
  content: string;
}

const TARGET = /(?:>>?|\b(?:tee(?:\s+-a|\s+--append)?|Out-File(?:\s+-\w+)*|Add-Content(?:\s+-\w+)*|Set-Content(?:\s+-\w+)*))\s*["']?(?:\$\{?GITHUB_(ENV|PATH)\}?|\$env:GITHUB_(ENV|PATH)|%GITHUB_(ENV|PATH)%)["']?/i;

export function envFileWrites(script: string): EnvFileWrite[] {
  const lines = script.split('\n');
  const out: EnvFileWrite[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim().startsWith('#')) continue;
    const m = TARGET.exec(text);
    if (!m) continue;
    const file = `GITHUB_${(m[1] ?? m[2] ?? m[3]!).toUpperCase()}` as EnvFileWrite['file'];
    let content = text.replace(TARGET, ' ');
    const doc = /<<-?\s*(['"]?)([A-Za-z_][\w-]*)\1/.exec(text);
    if (doc) {
      const body: string[] = [];
      for (let j = i + 1; j < lines.length && lines[j]!.trim() !== doc[2]; j++) body.push(lines[j]!);
      // A quoted tag ('EOF') keeps `$VAR` literal; expressions are still expanded by GitHub.
      content = content.replace(doc[0], ' ') + '\n' + (doc[1] ? body.join('\n').replace(/\$(?!\{\{)/g, '') : body.join('\n'));
    }
    out.push({ file, line: i, content });
  }
  return out;
}

/** Variables the runner sets (or that a script cannot get from outside): writing them is not a finding. */
export const RUNNER_VARIABLE = /^(GITHUB_\w+|RUNNER_\w+|HOME|PATH|PWD|USER|CI|RANDOM|LANG|SHELL|TMPDIR|ImageOS|ImageVersion|JAVA_HOME\w*|ANDROID_\w+)$/;

/** Names of the variables a line reads: `$X`, `${X…}`, `$env:X`, `%X%`. */
export function variablesRead(text: string): string[] {
  const out = [...replaceExpressions(text, '').matchAll(/\$\{?#?!?([A-Za-z_][A-Za-z0-9_]*)|\$env:([A-Za-z_][A-Za-z0-9_]*)|%([A-Za-z_][A-Za-z0-9_]*)%/gi)];
  return [...new Set(out.map((m) => m[1] ?? m[2] ?? m[3]!))];
}

/** True when the text runs a command whose output it uses: `$(…)` or backticks. */
export function hasCommandOutput(text: string): boolean {
  return /\$\((?!\()|`[^`]+`/.test(text);
}

/** Shell assignments in a script, in order: `NAME=value`, `export NAME=value`, `$NAME = …` (PowerShell). */
export function assignments(script: string): { name: string; line: number; value: string }[] {
  const out: { name: string; line: number; value: string }[] = [];
  script.split('\n').forEach((text, line) => {
    const m = /^\s*(?:export\s+|local\s+|declare\s+(?:-\w+\s+)*|readonly\s+)?\$?([A-Za-z_][A-Za-z0-9_]*)\s?=\s?(.*)$/.exec(text);
    if (m && !/^\s*\$?[A-Za-z_]\w*\s?==/.test(text)) out.push({ name: m[1]!, line, value: m[2]! });
    for (const r of text.matchAll(/\bread\s+(?:-\w+\s+)*([A-Za-z_]\w*)/g)) out.push({ name: r[1]!, line, value: '$(read)' });
  });
  return out;
}
