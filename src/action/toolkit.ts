import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { EOL } from 'node:os';
import { redactText } from '../core/redact.js';
import { commandLine } from '../reporters/workflow-commands.js';

export { commandLine } from '../reporters/workflow-commands.js';

/**
 * The runner's workflow commands and files that the action uses, written as GitHub documents them
 * ("Workflow commands for GitHub Actions"): `::name key=value,…::message` lines on stdout, outputs as
 * `name<<delimiter` blocks in $GITHUB_OUTPUT, markdown appended to $GITHUB_STEP_SUMMARY, inputs from
 * `INPUT_<NAME>`. The action used `@actions/core` for these; that package also loads an HTTP client
 * (undici) at start-up that the gate never uses through it, a third of the bundle's start-up time.
 *
 * The commands are formatted and escaped in reporters/workflow-commands.ts, shared with the CLI's `--format github`.
 */

/** Where an annotation points (1-based lines and columns), and its title. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

function issue(name: string, message: string, properties: Readonly<Record<string, string | number | undefined>> = {}): void {
  process.stdout.write(`${commandLine(name, properties, message)}${EOL}`);
}

type Level = 'error' | 'warning' | 'notice';
const written: Record<Level, number> = { error: 0, warning: 0, notice: 0 };

/** Annotations this process has written so far, per level: GitHub shows only the first 10 of each per step. */
export function annotationsWritten(): Readonly<Record<Level, number>> {
  return { ...written };
}

/** Every log line and annotation goes through the one redaction pass (idempotent), whatever built its text: an error from git or the API included. */
function annotation(level: Level, message: string, properties?: AnnotationProperties): void {
  written[level]++;
  issue(level, redactText(message), annotationProperties(properties));
}

const annotationProperties = (p: AnnotationProperties = {}) => ({
  title: p.title,
  file: p.file,
  line: p.startLine,
  endLine: p.endLine,
  col: p.startColumn,
  endColumn: p.endColumn,
});

/** An input as the runner passes it (`INPUT_<NAME>`, spaces as underscores), trimmed; '' when absent. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export function info(message: string): void {
  process.stdout.write(`${redactText(message)}${EOL}`);
}

export function debug(message: string): void {
  issue('debug', message);
}

export function notice(message: string, properties?: AnnotationProperties): void {
  annotation('notice', message, properties);
}

export function warning(message: string, properties?: AnnotationProperties): void {
  annotation('warning', message, properties);
}

export function error(message: string, properties?: AnnotationProperties): void {
  annotation('error', message, properties);
}

/** An error annotation, and exit code 1 when the process ends. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** The runner hides this value in every later log line of the job. */
export function setSecret(value: string): void {
  issue('add-mask', value);
}

/** A step output: a delimited block in $GITHUB_OUTPUT (a fresh random delimiter), else the legacy command. */
export function setOutput(name: string, value: string | number): void {
  const text = String(value);
  const file = process.env['GITHUB_OUTPUT'];
  if (!file) {
    process.stdout.write(EOL);
    issue('set-output', text, { name });
    return;
  }
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || text.includes(delimiter)) throw new Error('an output contains its delimiter');
  appendFileSync(file, `${name}<<${delimiter}${EOL}${text}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' });
}

/** Appends markdown (and a newline) to the job summary; false when the runner gave no summary file. */
export async function appendSummary(markdown: string): Promise<boolean> {
  const file = process.env['GITHUB_STEP_SUMMARY'];
  if (!file) return false;
  await appendFile(file, `${markdown}${EOL}`, { encoding: 'utf8' });
  return true;
}
