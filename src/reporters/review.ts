import { diffModel, lastLineOf, type FileChange, type PrFile } from '../core/diff.js';
import { compareByPriority } from '../core/engine.js';
import type { Finding } from '../core/types.js';
import { firstSentence, ruleLink, severityLabel, type RuleInfo } from './pr-comment.js';
import { fence, message, text } from './markdown.js';
import { suggestionFor } from './suggestions.js';

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
  /** At most this many comments (default 30). */
  max?: number;
}

export interface ReviewPlan {
  comments: ReviewComment[];
  /** The findings behind `comments`, in the same order. */
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

/** Plans one review: at most `max` inline comments on lines the diff shows, none posted twice. */
export function buildReview(input: ReviewInput): ReviewPlan {
  const diff = Array.isArray(input.files) ? diffModel(input.files) : (input.files as ReadonlyMap<string, FileChange>);
  const max = input.max ?? MAX_INLINE_COMMENTS;
  const posted = input.posted ?? new Set<string>();
  const rules = new Map((input.rules ?? []).map((r) => [r.id, r]));
  const plan: ReviewPlan = { comments: [], inline: [], alreadyPosted: [], leftover: [], body: '' };
  const seen = new Set<string>();
  const texts = new Map<string, string | undefined>();
  const textOf = (path: string): string | undefined => {
    if (!texts.has(path)) {
      const lines = input.readLines?.(path);
      texts.set(path, lines && !lines.some((l) => l.includes('\r')) ? lines.join('\n') : undefined);
    }
    return texts.get(path);
  };
  const suggested = new Set<string>();

  for (const f of [...input.findings].filter((x) => !x.suppressed).sort(compareByPriority)) {
    if (posted.has(markerId(f.fingerprint))) {
      plan.alreadyPosted.push(f);
      continue;
    }
    if (seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    const change = diff.get(f.path);
    let anchor = anchorFor(f, change);
    if (!anchor || plan.comments.length >= max) {
      plan.leftover.push(f);
      continue;
    }
    let suggestion: string | undefined;
    const text = input.readLines ? textOf(f.path) : undefined;
    const s = text === undefined ? undefined : suggestionFor(f, text);
    const key = s && `${f.path}:${s.start}:${s.end}:${s.replacement}`;
    if (s && key && !suggested.has(key) && rangeCommentable(change, s.start, s.end)) {
      suggested.add(key);
      anchor = s.end > s.start ? { start: s.start, line: s.end } : { line: s.start };
      suggestion = s.replacement;
    }
    const comment: ReviewComment = { path: f.path, body: commentBody(f, rules.get(f.ruleId), input.docsBaseUrl, suggestion), line: anchor.line, side: 'RIGHT' };
    if (anchor.start !== undefined) Object.assign(comment, { start_line: anchor.start, start_side: 'RIGHT' });
    plan.comments.push(comment);
    plan.inline.push(f);
  }
  const n = plan.comments.length;
  plan.body = `${REVIEW_MARKER}\n\nPortcullis: ${n} new finding${n === 1 ? '' : 's'} on lines this pull request changes` +
    (plan.leftover.length ? `; ${plan.leftover.length} more in the Portcullis comment` : '') + '.';
  return plan;
}

/** An inline comment's body: hidden fingerprint, severity, rule, message, fix, and a suggestion when one is exact. */
export function commentBody(f: Finding, rule: RuleInfo | undefined, docsBaseUrl?: string, suggestion?: string): string {
  const parts = [
    fpMarker(f.fingerprint),
    '',
    `**Portcullis** · ${severityLabel(f.severity, false)} · ${ruleLink(f.ruleId, docsBaseUrl)}${rule?.title ? ` · ${text(rule.title)}` : ''}`,
    '',
    message(f.message, { max: MAX_MESSAGE_CHARS }),
  ];
  if (rule?.fix) parts.push('', `**Fix:** ${message(firstSentence(rule.fix))}`);
  if (suggestion !== undefined) parts.push('', fence('suggestion', suggestion));
  return parts.join('\n');
}
