import { fingerprint, lineHashesUpTo } from './core/fingerprint.js';
import type { Finding } from './core/types.js';
import type { Skipped } from './parsers/discover.js';
import type { UncheckedReason } from './parsers/index.js';
import type { Flawed, Unread } from './parsers/read.js';
import { LineIndex } from './parsers/source.js';
import { isWorkflowPath } from './parsers/workflow.js';
import { HAS_KIND, LOOKS_LIKE_KUBERNETES } from './parsers/workloads/kubernetes.js';
import uncheckedFile from './rules/meta/unchecked-file.js';

/**
 * The gate fails closed: a file of a kind it checks (parsers/index.ts `gatedBy`) that it cannot read or parse is an
 * `unchecked-file` finding, not a notice. Every decision here depends on the file alone (its path, bytes and parse),
 * so any thread reaches the same one.
 */

/** GitHub refuses a workflow file larger than this; the gate does not check one either, and says so. */
export const MAX_WORKFLOW_BYTES = 512_000;

/** `text`: the file's text when it was read, for code scanning's line hash (upload-sarif computes it otherwise). */
export function uncheckedFinding(path: string, reason: UncheckedReason, text?: string): Finding {
  const line = reason.line ?? 1;
  const lineHash = text === undefined ? undefined : lineHashesUpTo(text, line)[line - 1];
  // The offending character when known, else the line the reason names (the whole of it when the text was read).
  const span =
    reason.column !== undefined
      ? { column: reason.column, endColumn: reason.column + 1 }
      : { column: 1, endColumn: text === undefined || reason.line === undefined ? 1 : LineIndex.of(text).line(line).length + 1 };
  return {
    ruleId: uncheckedFile.id,
    severity: uncheckedFile.severity,
    confidence: 'high',
    message: `Not checked: ${reason.message}. A file of a kind the gate checks fails it when the gate cannot read it.`,
    path,
    line,
    endLine: line,
    ...span,
    related: [],
    fingerprint: fingerprint(uncheckedFile.id, path, reason.code, 0),
    ...(lineHash ? { lineHash } : {}),
  };
}

/** What discovery's reasons for passing over a path mean for a file of a checked kind. */
const DISCOVERY: Readonly<Record<string, string>> = {
  'symlink outside the root': 'it is a symlink that leads outside the scanned folder',
  'symlink in the path': 'a folder on its path is a symlink',
  'symlink loop': 'it is a symlink loop',
  'broken symlink': 'it is a symlink to nothing',
  'path too long': 'its path is too long to open',
  'file name is not valid UTF-8': 'its name is not valid UTF-8, so it cannot be opened by name',
  unreadable: 'it could not be read',
};

/** Discovery's skipped paths: those of a checked kind (`checked`) fail closed, the others stay in the skipped notice. */
export function failClosedOnSkipped(skipped: readonly Skipped[], checked: (path: string) => boolean): { findings: Finding[]; skipped: Skipped[] } {
  const out: { findings: Finding[]; skipped: Skipped[] } = { findings: [], skipped: [] };
  for (const s of skipped) {
    const message = checked(s.path) ? DISCOVERY[s.reason] : undefined;
    if (message) out.findings.push(uncheckedFinding(s.path, { code: `discover-${s.reason}`, message }));
    else out.skipped.push(s);
  }
  return out;
}

/**
 * What the scan does with what reading a file gave, before parsing it: check the text (with the reason it is not
 * wholly trusted, if any), report the file unchecked, or only list it as skipped. `gate`: see parsers/index.ts gatedBy.
 */
export function admit(
  path: string,
  gate: 'name' | 'content' | undefined,
  got: string | Unread | Flawed,
): { text: string; unchecked?: UncheckedReason } | { finding: Finding } | { skipped: Skipped } {
  if (typeof got !== 'string' && 'skip' in got) {
    const reason = gate && readReason(got);
    return reason ? { finding: uncheckedFinding(path, reason) } : { skipped: { path, reason: got.skip } };
  }
  const text = typeof got === 'string' ? got : got.text;
  const before = gate && textReason(path, text, gate);
  if (before) return 'binary' in before ? { skipped: { path, reason: 'binary' } } : { finding: uncheckedFinding(path, before.unchecked, text) };
  return typeof got === 'string' ? { text } : { text, unchecked: INVALID_UTF8 };
}

/** A read that failed: the reason when it fails closed, else undefined (the file is only listed in the skipped notice). */
function readReason(unread: Unread): UncheckedReason | undefined {
  switch (unread.cause) {
    case 'size':
      return { code: 'size', message: `${unread.skip}, the gate's size cap for a file` };
    case 'path-too-long':
      return { code: 'path-too-long', message: 'its path is too long to open' };
    case 'symlink':
      return { code: 'symlink', message: 'it became a symlink after the files were listed' };
    case 'unreadable':
      return { code: 'unreadable', message: 'it could not be read' };
    default:
      // Gone since it was listed, or not a regular file: there is nothing there to check.
      return undefined;
  }
}

/**
 * The text of a file of a checked kind, before it is parsed: `unchecked` when it must not be parsed (a NUL byte, a
 * workflow GitHub would refuse), `binary` when it is a binary file after all (a YAML file that is not a manifest).
 */
function textReason(path: string, text: string, gate: 'name' | 'content'): { unchecked: UncheckedReason } | { binary: true } | undefined {
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    // A YAML file is a Kubernetes manifest only by its content: one that does not look like one is binary data.
    if (gate === 'content' && !(LOOKS_LIKE_KUBERNETES.test(text) && HAS_KIND.test(text))) return nul < 8192 ? { binary: true } : undefined;
    const at = LineIndex.of(text).position(nul);
    return { unchecked: { code: 'nul', message: 'it contains a NUL byte, which the gate does not read past', line: at.line, column: at.column } };
  }
  if (isWorkflowPath(path) && text.length > MAX_WORKFLOW_BYTES / 4 && Buffer.byteLength(text) > MAX_WORKFLOW_BYTES) {
    return { unchecked: { code: 'workflow-size', message: 'larger than 512,000 bytes, the most GitHub accepts for a workflow file' } };
  }
  return undefined;
}

const INVALID_UTF8: UncheckedReason = {
  code: 'invalid-utf8',
  message: 'it is not valid UTF-8; the gate checked it with the invalid bytes replaced, and the tools that read it may see other text',
};
