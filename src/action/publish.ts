import { randomBytes } from 'node:crypto';
import { closeSync, constants, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, realpathSync, renameSync, rmSync, writeSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import * as core from './toolkit.js';
import type { Summary } from '../core/gate.js';
import type { Annotation } from '../reporters/annotations.js';
import type { JsonReport } from '../reporters/json.js';
import { writeJsonPieces } from '../reporters/json-pieces.js';

export const REPORT_FILE = 'portcullis-report.json';

/** Emits annotations as workflow commands; the toolkit escapes the message and every property. */
export function emitAnnotations(annotations: readonly Annotation[]): void {
  for (const a of annotations) {
    const props: core.AnnotationProperties = { title: a.title };
    if (a.file) props.file = a.file;
    if (a.startLine) props.startLine = a.startLine;
    if (a.endLine) props.endLine = a.endLine;
    if (a.startColumn) props.startColumn = a.startColumn;
    if (a.endColumn) props.endColumn = a.endColumn;
    if (a.level === 'error') core.error(a.message, props);
    else if (a.level === 'warning') core.warning(a.message, props);
    else core.notice(a.message, props);
  }
}

/** A new file only: never an existing one, never through a symlink (O_CREAT|O_EXCL|O_NOFOLLOW). */
const EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/**
 * Writes the JSON report in a fresh folder (mkdtemp) under RUNNER_TEMP, else the OS temp folder, and returns
 * its path. A fixed name in a shared temp folder could be a symlink someone planted there, and the write would
 * follow it; a fresh folder and an exclusive create cannot be.
 */
export function writeReport(report: JsonReport, parent: string = process.env['RUNNER_TEMP'] || tmpdir()): string {
  mkdirSync(parent, { recursive: true });
  const path = join(mkdtempSync(join(parent, 'portcullis-')), REPORT_FILE);
  writeJsonFile(path, report, true, EXCLUSIVE);
  return path;
}

/** Appends the markdown to the job summary; returns false when the runner gave no summary file. */
export async function writeSummary(markdown: string): Promise<boolean> {
  return core.appendSummary(markdown);
}

export function setOutputs(summary: Summary, reportPath: string): void {
  core.setOutput('result', summary.result);
  core.setOutput('findings', summary.total);
  core.setOutput('blocking', summary.blocking);
  core.setOutput('report', reportPath);
}

/**
 * Writes the SARIF log where the workflow asked (inside the workspace, where upload-sarif reads it). The
 * scanned tree may come from a pull request: a symlink there (at the file, or a folder on the way out of the
 * workspace) is refused, not followed. The log is created exclusively beside the target and renamed over it,
 * so a symlink planted in between is replaced rather than followed.
 */
export function writeSarif(path: string, log: unknown, workspace: string): string {
  const ws = realpathSync(workspace);
  const escapes = (dir: string): boolean => {
    let existing = dir;
    while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
    const rel = relative(ws, realpathSync(existing));
    return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  };
  const dir = dirname(path);
  let there: Stats | undefined;
  try {
    there = lstatSync(path);
  } catch {
    // absent: written below
  }
  if (there?.isSymbolicLink()) throw new Error(`the SARIF file ${path} is a symlink; Portcullis does not follow it: not written`);
  if (there && !there.isFile()) throw new Error(`the SARIF file ${path} exists and is not a regular file; not written`);
  if (escapes(dir)) throw new Error(`the SARIF file ${path} leads outside the workspace through a symlink; not written`);
  mkdirSync(dir, { recursive: true });
  const temporary = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeJsonFile(temporary, log, false, EXCLUSIVE);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
  return path;
}

/** Writes the JSON text in pieces (see json-pieces.ts): a report of many findings is never one string in memory. */
function writeJsonFile(path: string, value: unknown, pretty: boolean, flags: number): void {
  const fd = openSync(path, flags, 0o644);
  try {
    writeJsonPieces(
      value,
      (text) => {
        const bytes = Buffer.from(text);
        for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
      },
      { pretty },
    );
  } finally {
    closeSync(fd);
  }
}
