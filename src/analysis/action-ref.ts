/** `uses:` references of steps, composite-action steps and reusable-workflow calls, and the pin policy applied to them. */

export type UsesRef =
  | { kind: 'local'; path: string }
  | { kind: 'docker'; image: string }
  | {
      kind: 'repo';
      /** `owner/repo` */
      repo: string;
      /** Path inside the repository (`init`, `.github/workflows/x.yml`), '' for the root action. */
      path: string;
      ref?: string;
      /** True when the path names a reusable workflow. */
      workflow: boolean;
    };

const NAME = /^[A-Za-z0-9_.-]+$/;

/** Parses a `uses:` value; undefined when it is not a reference GitHub would accept (an expression, `$/…`). */
export function parseUses(text: string): UsesRef | undefined {
  const value = text.trim();
  if (value === '' || value.includes('${{')) return undefined;
  if (value.startsWith('./') || value.startsWith('../')) return { kind: 'local', path: value };
  if (/^docker:\/\//i.test(value)) return { kind: 'docker', image: value.slice('docker://'.length) };
  const at = value.indexOf('@');
  const target = at >= 0 ? value.slice(0, at) : value;
  const ref = at >= 0 ? value.slice(at + 1) : undefined;
  const parts = target.split('/');
  if (parts.length < 2 || !NAME.test(parts[0]!) || !NAME.test(parts[1]!)) return undefined;
  const path = parts.slice(2).join('/');
  return {
    kind: 'repo',
    repo: `${parts[0]}/${parts[1]}`,
    path,
    ...(ref !== undefined ? { ref } : {}),
    workflow: /^\.github\/workflows\/[^/]+\.ya?ml$/i.test(path),
  };
}

/**
 * How strictly a reference must be pinned: `hash-pin` (a full commit SHA; the default, what Scorecard scores),
 * `ref-pin` (any explicit ref), `any` (no requirement). Kept separate so a config option can set it per owner.
 */
export const PIN_POLICIES = ['hash-pin', 'ref-pin', 'any'] as const;
export type PinPolicy = (typeof PIN_POLICIES)[number];

/**
 * The policy for `owner/repo` from a map of patterns (`*`, `owner/*`, `owner/repo`, `owner/prefix-*`; case-insensitive):
 * the most specific matching pattern wins (most literal characters; an exact name beats any wildcard).
 */
export function policyFor(repo: string, policies: Readonly<Record<string, PinPolicy>>, fallback: PinPolicy = 'hash-pin'): PinPolicy {
  let best: { score: number; policy: PinPolicy } | undefined;
  for (const [pattern, policy] of Object.entries(policies)) {
    const body = pattern === '*' ? '.*' : pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*');
    if (!new RegExp(`^${body}$`, 'i').test(repo)) continue;
    const score = pattern.replace(/\*/g, '').length * 2 + (pattern.includes('*') ? 0 : 1);
    if (!best || score > best.score) best = { score, policy };
  }
  return best?.policy ?? fallback;
}

const FULL_SHA = /^[0-9a-f]{40}$/i;
const SHORT_SHA = /^[0-9a-f]{7,39}$/i;

/** What is wrong with `ref` under `policy`, or undefined when it complies. */
export function pinPolicyViolation(ref: string | undefined, policy: PinPolicy): string | undefined {
  if (policy === 'any') return undefined;
  if (ref === undefined || ref.trim() === '') return 'has no ref, so it follows the default branch';
  if (policy === 'ref-pin' || FULL_SHA.test(ref)) return undefined;
  if (SHORT_SHA.test(ref)) return `uses the short SHA \`${ref}\`: only a full 40-character commit SHA is immutable`;
  return `is pinned to \`${ref}\`, a tag or branch that can be moved to other code`;
}

/** True when a ref is a full 40-hex commit SHA. */
export function isFullSha(ref: string | undefined): boolean {
  return ref !== undefined && FULL_SHA.test(ref);
}
