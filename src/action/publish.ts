import { closeSync, existsSync, lstatSync, mkdirSync, openSync, realpathSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
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

/** Writes the JSON report under RUNNER_TEMP (else the OS temp folder); returns its path. */
export function writeReport(report: JsonReport, dir: string = process.env['RUNNER_TEMP'] || tmpdir()): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, REPORT_FILE);
  writeJsonFile(path, report, true);
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
 * Writes the SARIF log where the workflow asked (inside the workspace). The scanned tree may come
 * from a pull request: a symlink planted on the way must not send the write outside the workspace.
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
  let isLink = false;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch {
    // absent: written below
  }
  if (isLink || escapes(dir)) throw new Error(`the SARIF file ${path} leads outside the workspace through a symlink; not written`);
  mkdirSync(dir, { recursive: true });
  writeJsonFile(path, log, false);
  return path;
}

/** Writes the JSON text in pieces (see json-pieces.ts): a report of many findings is never one string in memory. */
function writeJsonFile(path: string, value: unknown, pretty: boolean): void {
  const fd = openSync(path, 'w');
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
