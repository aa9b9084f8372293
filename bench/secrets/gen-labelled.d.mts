// Types for gen-labelled.mjs (imported by test/secrets-compare.test.ts).
export interface Label {
  file: string;
  line: number;
  format: string;
  secret: boolean;
  why?: string;
  pair?: string;
}
export function crc32(s: string): number;
export function base62(num: number, width: number): string;
export function buildLabelled(seed?: string): { files: Record<string, string>; labels: Label[] };
export function writeLabelled(outDir: string, seed?: string): Label[];
export const LABELS_FILE: string;
export function labelsJson(labels: readonly Label[]): string;
