import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import * as core from '@actions/core';
import { FAIL_ON_VALUES, type FailOn } from '../core/gate.js';

export interface ActionInputs {
  /** Absolute path of the folder to scan (inside the workspace). */
  root: string;
  /** The same folder relative to the workspace, POSIX separators; '' for the workspace itself. */
  relativeRoot: string;
  workspace: string;
  failOn: FailOn;
  token: string;
  exclude: string[];
}

/** A bad input: its message names the input and what is allowed, and is shown as is. */
export class InputError extends Error {
  override name = 'InputError';
}

export function readInputs(workspace: string = process.env['GITHUB_WORKSPACE'] || process.cwd()): ActionInputs {
  const failOn = readFailOn();
  const exclude = parseList(core.getInput('exclude'));
  const token = core.getInput('token');
  const { root, relativeRoot, workspace: ws } = resolveScanPath(core.getInput('path') || '.', workspace);
  return { root, relativeRoot, workspace: ws, failOn, token, exclude };
}

function readFailOn(): FailOn {
  const raw = core.getInput('fail-on') || 'high';
  const value = raw.toLowerCase();
  if (!(FAIL_ON_VALUES as readonly string[]).includes(value)) {
    throw new InputError(`Input "fail-on" must be one of ${FAIL_ON_VALUES.join(', ')}; got "${shown(raw)}"`);
  }
  return value as FailOn;
}

/** Newline- or comma-separated entries, trimmed, empty ones dropped. */
export function parseList(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The scan folder must exist and stay inside the workspace, after symlinks are resolved too. */
export function resolveScanPath(input: string, workspace: string): { root: string; relativeRoot: string; workspace: string } {
  const fail = (why: string): never => {
    throw new InputError(`Input "path" must be a directory inside the workspace (${workspace}); got "${shown(input)}": ${why}`);
  };
  if (input.includes('\0')) fail('it contains a NUL character');
  let ws: string;
  try {
    ws = realpathSync(resolve(workspace));
  } catch {
    throw new InputError(`The workspace ${workspace} does not exist`);
  }
  const target = resolve(ws, input);
  if (!inside(ws, target)) fail('it points outside the workspace');
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    return fail('it does not exist');
  }
  if (!inside(ws, real)) fail('it resolves (through a symlink) outside the workspace');
  if (!statSync(real).isDirectory()) fail('it is not a directory');
  return { root: real, relativeRoot: relative(ws, real).split(sep).join('/'), workspace: ws };
}

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Echo a bad value back, but short and on one line. */
function shown(value: string): string {
  const one = value.replace(/[\r\n]+/g, ' ');
  return one.length > 80 ? `${one.slice(0, 79)}…` : one;
}
