/**
 * The scan's secret side channel. A rule hands the raw value of a secret it reports in `Report.secretValue`; the
 * engine files it under the finding's fingerprint (a SecretEntry), never in the Finding. The scan gathers the entries
 * of every file (they cross worker threads as plain pairs) into one ScanSecrets, which is the only holder of the
 * values after that: it redacts what leaves the scan, gives the baseline step each finding's own values to digest
 * and check, and gives the action the values to mask.
 *
 * Its fields are private (#): `JSON.stringify` gives `{}` and `util.inspect` shows none of them, so even a
 * ScanResult written out whole carries no value.
 */
import { credentialEvidence } from '../analysis/credentials.js';
import { isPlaceholderValue } from '../analysis/secrets/values.js';
import { redactText, ValueSet } from './redact.js';
import type { Finding, Notice, Related, Report } from './types.js';

/** One finding's secret values under its fingerprint: what a PartialScan carries (structured-clone safe). */
export type SecretEntry = readonly [fingerprint: string, values: readonly string[]];

/** The non-empty raw values of a report. */
export function reportedValues(r: Report): string[] {
  if (r.secretValue === undefined) return [];
  return (typeof r.secretValue === 'string' ? [r.secretValue] : [...r.secretValue]).filter((v) => v !== '');
}

/**
 * The values searched for in outgoing text: those that are credentials by themselves (credentialEvidence). A word
 * used as a password (`nextcloud`, `wordpress`, `postgres`) also names images, services and folders, and redacting
 * it there would blank them; its own finding prints it redacted, and the patterns of redactText still apply.
 */
export function textValues(values: Iterable<string>): ValueSet {
  return new ValueSet([...values].filter((v) => credentialEvidence(v) !== undefined));
}

/**
 * The values searched for in source snippets (fingerprint keys, line hashes, baseline contexts): every value but stock
 * passwords and placeholders. A snippet is read by no one for its wording, and a weak password must not be
 * recoverable from a hash or a context.
 */
export function snippetValues(values: Iterable<string>): ValueSet {
  return new ValueSet([...values].filter((v) => !isPlaceholderValue(v)));
}

export class ScanSecrets {
  readonly #byFinding: ReadonlyMap<string, readonly string[]>;
  readonly #values: readonly string[];
  readonly #inText: ValueSet;
  readonly #inSnippets: ValueSet;
  readonly #paths = new Map<string, string>();

  constructor(entries: Iterable<SecretEntry> = []) {
    const byFinding = new Map<string, readonly string[]>();
    const all = new Set<string>();
    for (const [fp, values] of entries) {
      byFinding.set(fp, values);
      for (const v of values) all.add(v);
    }
    this.#byFinding = byFinding;
    this.#values = [...all];
    this.#inText = textValues(all);
    this.#inSnippets = snippetValues(all);
  }

  /** The raw values of one finding (by fingerprint), for the baseline digest; undefined when it is no secret finding. */
  valuesOf(fingerprint: string): readonly string[] | undefined {
    return this.#byFinding.get(fingerprint);
  }

  /** Every value found, deduplicated. */
  values(): string[] {
    return [...this.#values];
  }

  /** The values a detector classified as credentials by format or by entropy and length: the only ones the action masks. */
  maskable(): string[] {
    return this.#values.filter((v) => credentialEvidence(v) !== undefined);
  }

  redact(text: string): string {
    return redactText(text, this.#inText);
  }

  /** A snippet of a scanned file (a baseline context): every found value is redacted, words included. */
  redactSnippet(text: string): string {
    return redactText(text, this.#inSnippets);
  }

  /** A path: a token in a folder name is redacted like any other; the file's links then lead nowhere, the value nowhere either. */
  redactPath(path: string): string {
    // many findings share a file
    let out = this.#paths.get(path);
    if (out === undefined) {
      if (this.#paths.size >= 4096) this.#paths.clear();
      this.#paths.set(path, (out = redactText(path, this.#inText)));
    }
    return out;
  }

  /** A finding as it may leave the scan: message, paths, related labels, suppression reason and package redacted. */
  finding(f: Finding): Finding {
    const message = this.redact(f.message);
    const path = this.redactPath(f.path);
    const related = f.related.map((r) => this.#related(r));
    const flow = f.flow?.map((r) => this.#related(r));
    const suppressed = f.suppressed && {
      ...f.suppressed,
      reason: this.redact(f.suppressed.reason),
      ...(f.suppressed.path !== undefined ? { path: this.redactPath(f.suppressed.path) } : {}),
    };
    // A package's name and version come from the repository too (a version may be a URL with userinfo).
    const pkg = f.package && { ...f.package, name: this.redact(f.package.name), version: this.redact(f.package.version) };
    const same =
      message === f.message &&
      path === f.path &&
      related.every((r, i) => r === f.related[i]) &&
      (!flow || flow.every((r, i) => r === f.flow![i])) &&
      (!suppressed || (suppressed.reason === f.suppressed!.reason && suppressed.path === f.suppressed!.path)) &&
      (!pkg || (pkg.name === f.package!.name && pkg.version === f.package!.version));
    return same ? f : { ...f, message, path, related, ...(flow ? { flow } : {}), ...(suppressed ? { suppressed } : {}), ...(pkg ? { package: pkg } : {}) };
  }

  notice(n: Notice): Notice {
    const message = this.redact(n.message);
    const path = n.path !== undefined ? this.redactPath(n.path) : undefined;
    return message === n.message && path === n.path ? n : { ...n, message, ...(path !== undefined ? { path } : {}) };
  }

  #related(r: Related): Related {
    const label = this.redact(r.label);
    const path = r.path !== undefined ? this.redactPath(r.path) : undefined;
    return label === r.label && path === r.path ? r : { ...r, label, ...(path !== undefined ? { path } : {}) };
  }
}
