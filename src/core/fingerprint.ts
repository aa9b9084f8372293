import { createHash } from 'node:crypto';

/** Collapses whitespace so that re-indenting or re-wrapping a line keeps its fingerprint. */
export function normaliseSnippet(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * A stable id for a finding: rule, path and the normalised flagged content, plus the occurrence
 * number of that same content in the file. It does not contain the line number, so unrelated
 * edits above the finding keep it.
 */
export function fingerprint(ruleId: string, path: string, key: string, occurrence: number): string {
  return createHash('sha256')
    .update(`${ruleId}\0${path}\0${normaliseSnippet(key)}\0${occurrence}`)
    .digest('hex')
    .slice(0, 32);
}
