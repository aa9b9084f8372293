// Types for score.mjs (imported by test/secrets-compare.test.ts).
import type { Label } from './gen-labelled.mjs';

export interface ScoredFinding {
  file: string;
  line: number;
  endLine: number;
  id: string;
}
export interface Score {
  found: Set<Label>;
  decoysHit: Set<Label>;
  unlabelled: ScoredFinding[];
  falseAlarms: number;
}
export function fromSecretlint(
  results: { filePath: string; messages: { loc: { start: { line: number }; end: { line: number } }; messageId: string }[] }[],
  root: string,
): ScoredFinding[];
export function fromGate(findings: readonly { path: string; line: number; endLine: number; ruleId?: string }[]): ScoredFinding[];
export function labelsFromManifest(manifest: unknown): Label[];
export function score(labels: readonly Label[], findings: readonly ScoredFinding[]): Score;
export function formatRows(labels: readonly Label[], scores: Record<string, Score>): Record<string, unknown>[];
export function markdownTable(labels: readonly Label[], scores: Record<string, Score>): string;
export function foundOnlyBy(a: Score, b: Score): Label[];
