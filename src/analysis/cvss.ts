import cvss from 'ae-cvss-calculator';
import type { Severity } from '../core/types.js';

/**
 * A CVSS v3.0, v3.1 or v4.0 vector's base score, computed by ae-cvss-calculator ({metæffekt}'s implementation of
 * the FIRST specifications, all versions, no dependencies); undefined for any other text or a vector it rejects.
 */
export function cvssBaseScore(vector: string): number | undefined {
  const v = vector.trim();
  try {
    const model = v.startsWith('CVSS:3.1/') ? new cvss.Cvss3P1(v) : v.startsWith('CVSS:3.0/') ? new cvss.Cvss3P0(v) : v.startsWith('CVSS:4.0/') ? new cvss.Cvss4P0(v) : undefined;
    const base = model?.calculateScores().base;
    return typeof base === 'number' && Number.isFinite(base) && base >= 0 && base <= 10 ? base : undefined;
  } catch {
    return undefined;
  }
}

/** CVSS's own bands (v3.1 §5, v4.0 §2): 9.0 critical, 7.0 high, 4.0 medium, above 0 low, 0 none (info here). */
export function scoreSeverity(score: number): Severity {
  return score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : score > 0 ? 'low' : 'info';
}
