import { diffModel, lastLineOf, type FileChange, type PrFile } from '../core/diff.js';
import { compareByPriority } from '../core/engine.js';
import type { Finding } from '../core/types.js';
import { ruleLink, severityLabel, type RuleInfo } from './pr-comment.js';
import { fence, message, text } from './markdown.js';
import type { ResolvedPins } from './pin-suggestions.js';
import { planSuggestions, type PlannedSuggestion } from './suggestions.js';

/** A review comment as the "create a review" API takes it: RIGHT side, `start_line` only for a range. */
export interface ReviewComment {
  path: string;
  body: string;
  line: number;
  side: 'RIGHT';
  start_line?: number;
  start_side?: 'RIGHT';
}

export interface ReviewInput {
  /** The NEW findings (suppressed ones are skipped). */
  findings: readonly Finding[];
  /** The PR's files (or the model `diffModel` built from them). */
  files: readonly PrFile[] | ReadonlyMap<string, FileChange>;
  /** Fingerprints already posted inline by an earlier run (`parsePostedFingerprints`). */
  posted?: ReadonlySet<string>;
  rules?: readonly RuleInfo[];
  docsBaseUrl?: string;
  /** Head-side lines of a file, for suggestions; without it no suggestion is made. */
  readLines?: (path: string) => readonly string[] | undefined;
  /** Pins looked up for unpinned-action / unpinned-image findings (src/action/pins/): their suggestions carry them. */
  pins?: ResolvedPins;
  /** At most this many comments (default 30). */
  max?: number;
}

export interface ReviewPlan {
  comments: ReviewComment[];
  /** The findings behind `comments`, in order (one comment with a merged suggestion explains several). */
  inline: Finding[];
  /** Findings skipped because an earlier run already commented on them. */
  alreadyPosted: Finding[];
  /** New findings that got no inline comment (over the cap, or on no line the diff shows): the sticky comment holds them. */
  leftover: Finding[];
  /** Body of the review itself (event COMMENT). */
  body: string;
}

export const REVIEW_MARKER = '<!-- portcullis:review -->';
export const MAX_INLINE_COMMENTS = 30;
const MAX_MESSAGE_CHARS = 1000;
const FP_MARKER = /<!-- portcullis:fp:([A-Za-z0-9._:]+) -->/g;

/** The fingerprint as the marker carries it: nothing that could end the HTML comment. */
const markerId = (fp: string): string => fp.replace(/[^A-Za-z0-9._:]/g, '');
const fpMarker = (fp: string): string => `<!-- portcullis:fp:${markerId(fp)} -->`;

/** Fingerprints carried by earlier review comments' bodies. */
export function parsePostedFingerprints(bodies: Iterable<string | null | undefined>): Set<string> {
  const out = new Set<string>();
  for (const b of bodies) if (b) for (const m of b.matchAll(FP_MARKER)) out.add(m[1]!);
  return out;
}

/** True when every line from `start` to `end` is commentable and in one hunk (so a range comment is accepted). */
export function rangeCommentable(change: FileChange | undefined, start: number, end: number): boolean {
  if (!change) return false;
  const hunk = change.lines.hunkOf.get(start);
  if (hunk === undefined) return false;
  for (let l = start; l <= end; l++) if (change.lines.hunkOf.get(l) !== hunk) return false;
  return true;
}

/** Where GitHub will accept a comment for the finding: its whole range, else the first commentable line of its span. */
export function anchorFor(f: Pick<Finding, 'line' | 'endLine' | 'endColumn'>, change: FileChange | undefined): { start?: number; line: number } | undefined {
  if (!change) return undefined;
  const last = lastLineOf(f);
  if (rangeCommentable(change, f.line, last)) return last > f.line ? { start: f.line, line: last } : { line: f.line };
  for (let l = f.line; l <= last; l++) if (change.lines.commentable.has(l)) return { line: l };
  return undefined;
}

/** Plans one review: at most `max` inline comments on lines the diff shows, none posted twice, one per merged suggestion. */
export function buildReview(input: ReviewInput): ReviewPlan {
  const diff = Array.isArray(input.files) ? diffModel(input.files) : (input.files as ReadonlyMap<string, FileChange>);
  const max = input.max ?? MAX_INLINE_COMMENTS;
  const posted = input.posted ?? new Set<string>();
  const rules = new Map((input.rules ?? []).map((r) => [r.id, r]));
  const plan: ReviewPlan = { comments: [], inline: [], alreadyPosted: [], leftover: [], body: '' };
  const seen = new Set<string>();
  const candidates: Finding[] = [];
  for (const f of [...input.findings].filter((x) => !x.suppressed).sort(compareByPriority)) {
    if (posted.has(markerId(f.fingerprint))) plan.alreadyPosted.push(f);
    else if (!seen.has(f.fingerprint)) {
      seen.add(f.fingerprint);
      candidates.push(f);
    }
  }
  // Findings on one step share one suggestion, and then one comment anchored on its lines.
  const suggestionOf = new Map<Finding, PlannedSuggestion>();
  if (input.readLines) {
    const byPath = new Map<string, Finding[]>();
    for (const f of candidates) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
    for (const [path, list] of byPath) {
      const lines = input.readLines(path);
      if (!lines || lines.some((l) => l.includes('\r'))) continue;
      for (const s of planSuggestions(list, lines.join('\n'), input.pins)) if (rangeCommentable(diff.get(path), s.start, s.end)) for (const f of s.findings) suggestionOf.set(f, s);
    }
  }
  const done = new Set<Finding>();
  for (const f of candidates) {
    if (done.has(f)) continue;
    const s = suggestionOf.get(f);
    const group = s ? s.findings : [f];
    for (const g of group) done.add(g);
    const anchor = s ? (s.end > s.start ? { start: s.start, line: s.end } : { line: s.start }) : anchorFor(f, diff.get(f.path));
    if (!anchor || plan.comments.length >= max) {
      plan.leftover.push(...group);
      continue;
    }
    const comment: ReviewComment = { path: f.path, body: commentBody(group, rules, input.docsBaseUrl, s?.replacement), line: anchor.line, side: 'RIGHT' };
    if (anchor.start !== undefined) Object.assign(comment, { start_line: anchor.start, start_side: 'RIGHT' });
    plan.comments.push(comment);
    plan.inline.push(...group);
  }
  const n = plan.inline.length;
  plan.body = `${REVIEW_MARKER}\n\nPortcullis: ${n} new finding${n === 1 ? '' : 's'} on lines this pull request changes` +
    (plan.leftover.length ? `; ${plan.leftover.length} more in the Portcullis comment` : '') + '.';
  return plan;
}

/**
 * An inline comment's body: the hidden fingerprint of every finding it explains, then each finding
 * (severity, rule, title, its message, which ends with the specific fix), and the suggestion when
 * one is exact. The rule's generic fix is in its docs, linked from the rule id.
 */
export function commentBody(findings: readonly Finding[], rules: ReadonlyMap<string, RuleInfo>, docsBaseUrl?: string, suggestion?: string): string {
  const parts = [findings.map((f) => fpMarker(f.fingerprint)).join(''), ''];
  const heading = (f: Finding): string => {
    const title = rules.get(f.ruleId)?.title;
    return `${severityLabel(f.severity, false)} · ${ruleLink(f.ruleId, docsBaseUrl)}${title ? ` · ${text(title)}` : ''}`;
  };
  if (findings.length === 1) parts.push(`**Portcullis** · ${heading(findings[0]!)}`, '', message(findings[0]!.message, { max: MAX_MESSAGE_CHARS }));
  else {
    parts.push(`**Portcullis** · ${findings.length} findings on this step, one suggestion fixes them all`);
    for (const f of findings) parts.push('', `${heading(f)} · line ${f.line}`, '', message(f.message, { max: MAX_MESSAGE_CHARS }));
  }
  if (suggestion !== undefined) parts.push('', fence('suggestion', suggestion));
  return parts.join('\n');
}
