/**
 * Review suggestions that pin an action or an image for real: `uses: actions/checkout@<sha> # v4`,
 * `image: node:22.11@sha256:<digest>`. Pure: the pins were looked up before (src/action/pins/) and arrive as data;
 * a finding whose pin is not in the table gets no suggestion (never a placeholder), its message still says what to do.
 * Only the exact reference the finding points at, written whole on one line, is rewritten; anything else on the
 * line stays as it is, and a line that would not stay valid YAML gets none.
 */
import { parseAllDocuments } from 'yaml';
import { actionKey } from '../core/pins.js';
import type { Finding } from '../core/types.js';

/** Looked-up pins: `owner/repo@ref` (owner/repo lower-case) → 40-hex commit SHA; image reference as written → `sha256:…`. */
export interface ResolvedPins {
  actions: ReadonlyMap<string, string>;
  images: ReadonlyMap<string, string>;
}

/** What a finding's pin suggestion needs looked up. */
export type PinTarget = { kind: 'action'; ownerRepo: string; path: string; ref: string } | { kind: 'image'; image: string; prefix: string; quote: string };

const USES = /^([A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+)((?:\/[A-Za-z0-9._/-]+)?)@([A-Za-z0-9._/+-]+)$/;
/** `[host[:port]/]path:tag`, no variable, no digest: the only image text a suggestion rewrites. */
const IMAGE = /^(?:[A-Za-z0-9.[\]:-]+\/)?[a-z0-9._/-]+:[\w][\w.-]{0,127}$/;

/** The reference an unpinned-action or unpinned-image finding points at, when it is written whole on its line. */
export function pinTarget(f: Finding, line: string | undefined): PinTarget | undefined {
  if (line === undefined || f.line !== f.endLine || (f.ruleId !== 'unpinned-action' && f.ruleId !== 'unpinned-image')) return undefined;
  const text = line.slice(f.column - 1, f.endColumn - 1);
  if (f.ruleId === 'unpinned-action') {
    const m = USES.exec(text);
    if (!m || /^[0-9a-f]{40}$/.test(m[3]!)) return undefined;
    return { kind: 'action', ownerRepo: m[1]!, path: m[2]!, ref: m[3]! };
  }
  // Some spans hold the quotes of a YAML scalar: the digest goes inside them.
  const quote = /^(["'])[^"']*\1$/.exec(text)?.[1] ?? '';
  const unquoted = quote ? text.slice(1, -1) : text;
  const prefix = unquoted.startsWith('docker://') ? 'docker://' : '';
  const image = unquoted.slice(prefix.length);
  if (!IMAGE.test(image) || image.endsWith(':latest')) return undefined;
  return { kind: 'image', image, prefix, quote };
}

/** One-line suggestions for the pin findings whose pin was looked up. */
export function pinSuggestions(findings: readonly Finding[], lines: readonly string[], pins: ResolvedPins, isYaml: boolean): { start: number; end: number; replacement: string; findings: Finding[] }[] {
  const out: { start: number; end: number; replacement: string; findings: Finding[] }[] = [];
  for (const f of findings) {
    const line = lines[f.line - 1];
    const target = pinTarget(f, line);
    if (!target || line === undefined) continue;
    const before = line.slice(0, f.column - 1);
    const after = line.slice(f.endColumn - 1);
    let replacement: string;
    if (target.kind === 'action') {
      const sha = pins.actions.get(actionKey(target.ownerRepo, target.ref));
      // The comment goes after the closing quote, and only where nothing else follows the value.
      const quote = /^(["']?)\s*$/.exec(after)?.[1];
      if (!sha || quote === undefined || (quote !== '' && !before.endsWith(quote))) continue;
      replacement = `${before}${target.ownerRepo}${target.path}@${sha}${quote} # ${target.ref}`;
    } else {
      const digest = pins.images.get(target.image);
      if (!digest || !/^sha256:[a-f0-9]{64}$/.test(digest)) continue;
      replacement = `${before}${target.quote}${target.prefix}${target.image}@${digest}${target.quote}${after}`;
    }
    if (isYaml && !staysValid(lines, f.line, replacement)) continue;
    out.push({ start: f.line, end: f.line, replacement, findings: [f] });
  }
  return out;
}

function staysValid(lines: readonly string[], at: number, replacement: string): boolean {
  const text = [...lines.slice(0, at - 1), replacement, ...lines.slice(at)].join('\n');
  try {
    const docs = parseAllDocuments(text, { uniqueKeys: false });
    return Array.isArray(docs) && docs.every((d) => d.errors.length === 0);
  } catch {
    return false;
  }
}
