import { existsSync } from 'node:fs';
import { loadBaseline } from '../config-file.js';
import { createBaselineInParallel, type Baseline } from '../core/baseline.js';
import { cmp } from '../parsers/walk.js';
import type { ScanResult } from '../scan.js';
import { readScannedText } from './source.js';

/**
 * The baseline of a scan's findings, to be written at `output`. The file being replaced keeps the digests of unchanged
 * values (a random salt would otherwise change every entry); after a scan of named paths only, its entries for every
 * other file are kept as they are (`kept` counts them), so baselining one folder does not forget the rest.
 */
export async function baselineOf(result: ScanResult, root: string, output: string, only?: readonly string[]): Promise<{ baseline: Baseline; kept: number }> {
  const previous = existsSync(output) ? previousBaseline(output, root) : undefined;
  const baseline = await createBaselineInParallel(
    result.findings,
    (p) => readScannedText(root, p),
    { secrets: result.secrets, ...(previous ? { previous } : {}) },
  );
  if (!only || !previous) return { baseline, kept: 0 };
  const named = (path: string) => only.some((p) => path === p || path.startsWith(`${p}/`));
  const others = previous.findings.filter((e) => !named(e.path));
  const findings = [...others, ...baseline.findings].sort((a, b) => cmp(a.path, b.path) || cmp(a.ruleId, b.ruleId) || cmp(a.fingerprint, b.fingerprint));
  return { baseline: { ...baseline, findings }, kept: others.length };
}

/** The baseline about to be replaced, or undefined when it is not one. */
function previousBaseline(path: string, root: string): Baseline | undefined {
  try {
    return loadBaseline(path, path, { workspace: root, operatorNamed: true });
  } catch {
    return undefined;
  }
}
