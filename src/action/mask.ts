import * as core from './toolkit.js';
import type { ScanSecrets } from '../core/secrets.js';

/** Shorter lines are not registered: masking `test` or `admin` would blank ordinary words all over later logs. */
const MIN_MASK_LENGTH = 6;

/**
 * The lines to register with the runner for the secret values a scan found: each line of a multi-line value
 * (a PEM key) on its own, as the runner masks line by line; trimmed, deduplicated, short lines and PEM armour left out.
 */
export function maskableLines(values: readonly string[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    for (const line of v.split(/\r?\n/)) {
      const t = line.trim();
      // PEM armour (`-----BEGIN … PRIVATE KEY-----`) is public text; the key's body lines are the secret.
      if (t.length >= MIN_MASK_LENGTH && !/^-----(BEGIN|END) [A-Z0-9 ]+-----$/.test(t)) out.add(t);
    }
  }
  return [...out];
}

/**
 * Registers the found secrets that are credentials by format or by entropy and length (ScanSecrets.maskable) with
 * `core.setSecret` (`::add-mask::`), so the runner hides them in every later log line of this job, ours included.
 * A value that is only assigned to a password-named variable (`failure`, `Portcullis`) is not: the pull request
 * chooses those, and masking them would blank ordinary words in the rest of the job's log. Outputs never need the
 * mask anyway: they are redacted (core/redact.ts). Call it before anything else is printed about the scan.
 */
export function maskSecrets(secrets: Pick<ScanSecrets, 'maskable'> | undefined): void {
  for (const line of maskableLines(secrets?.maskable() ?? [])) core.setSecret(line);
}
