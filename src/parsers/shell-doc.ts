import type { Notice } from '../core/types.js';
import { makefileRecipes } from './makefile.js';

/**
 * Shell scripts as documents: `*.sh`/`*.bash`/`*.ksh`/`*.zsh`, files whose first line is a shell shebang, and the
 * recipes of Makefiles. The rules that read Dockerfile `RUN` and workflow `run:` read these the same way
 * (analysis/scripts.ts turns each source into a script block).
 */
export interface ShellSource {
  /** The text the shell reads. */
  script: string;
  /** Sources of one sequence run one after the other on the same file system (a script; a Makefile rule). */
  sequence: string;
  /** The 1-based source line of 0-based script line `i`. */
  line(i: number): number;
  /** The 1-based source column of 0-based column `c` of script line `i` (`c` may be the line's length: just past its end). */
  column(i: number, c: number): number;
}

export interface ShellDoc {
  path: string;
  text: string;
  /** `script`: the whole file is one script; `makefile`: its recipes. */
  format: 'script' | 'makefile';
  sources: ShellSource[];
}

const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Shells whose scripts the analysis reads (POSIX family): the same list as for `RUN ["bash", "-c", …]`. */
export const SHELL_PROGRAMS = /^(sh|bash|dash|ksh|ksh93|mksh|zsh|ash|posh|yash)$/;

export function isMakefilePath(path: string): boolean {
  return /^(GNUmakefile|[Mm]akefile|[^/]+\.mk)$/.test(base(path));
}

/** Shell scripts by name alone. */
export function isShellScriptPath(path: string): boolean {
  return /\.(sh|bash|ksh|zsh)$/i.test(base(path));
}

/**
 * The interpreter a shebang line names (`#!/bin/bash -e` → `bash`, `#!/usr/bin/env -S bash -eu` → `bash`), or undefined
 * when the text does not start with one. Only the first line is looked at.
 */
export function shebangInterpreter(text: string): string | undefined {
  if (!text.startsWith('#!')) return undefined;
  const end = text.indexOf('\n');
  const first = (end < 0 ? text : text.slice(0, end)).slice(2, 256);
  const words = first.trim().split(/\s+/);
  let program = (words[0] ?? '').replace(/^.*\//, '');
  if (program === 'env') {
    let k = 1;
    while (k < words.length && (words[k]!.startsWith('-') || /^[A-Za-z_]\w*=/.test(words[k]!))) k++;
    program = (words[k] ?? '').replace(/^.*\//, '');
  }
  return program === '' ? undefined : program;
}

/** True when the text's first line is a shebang naming a POSIX-family shell. */
export function hasShellShebang(text: string): boolean {
  const p = shebangInterpreter(text);
  return p !== undefined && SHELL_PROGRAMS.test(p);
}

/** False when the Makefile sets `SHELL` to another interpreter (`SHELL := python3`): its recipes are not shell. */
function recipeShellIsPosix(text: string): boolean {
  for (const m of text.matchAll(/^[ \t]*(?:override[ \t]+|export[ \t]+)*SHELL[ \t]*[:?+!]*=[ \t]*([^\r\n#]*)/gm)) {
    const program = shebangInterpreter(`#!${m[1]!.trim()}`);
    if (program !== undefined && !program.includes('$') && !SHELL_PROGRAMS.test(program)) return false;
  }
  return true;
}

export function parseShellDoc(path: string, text: string, _notices: Notice[]): ShellDoc {
  if (isMakefilePath(path)) return { path, text, format: 'makefile', sources: recipeShellIsPosix(text) ? makefileRecipes(text) : [] };
  // `tool.sh` whose shebang names another interpreter (`#!/usr/bin/env python3`) is not a shell script.
  const interpreter = shebangInterpreter(text);
  if (interpreter !== undefined && !SHELL_PROGRAMS.test(interpreter)) return { path, text, format: 'script', sources: [] };
  return {
    path,
    text,
    format: 'script',
    sources: [{ script: text, sequence: 'script', line: (i) => i + 1, column: (_i, c) => c + 1 }],
  };
}
