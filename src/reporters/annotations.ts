import { compareByPriority } from '../core/engine.js';
import { isBlocking, type FailOn } from '../core/gate.js';
import { REPOSITORY_ROOT, SEVERITIES, type Finding, type Notice, type Severity } from '../core/types.js';
import { shorten } from '../core/shorten.js';
import { isListed, unlistedCounts } from './unlisted.js';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

/** One workflow-command annotation, before escaping (the toolkit escapes data and properties). */
export interface Annotation {
  level: AnnotationLevel;
  title: string;
  message: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  /** Only on single-line spans: GitHub ignores columns across lines. 1-based, inclusive. */
  startColumn?: number;
  endColumn?: number;
}

export interface AnnotationOptions {
  /** With a threshold, blocking findings are errors and non-blocking ones are at most warnings. */
  failOn?: FailOn;
  /** Rule id → title, for the annotation title. */
  ruleTitle?: (ruleId: string) => string | undefined;
  /** Where the full JSON report was written, named in the "N more" notice. */
  reportPath?: string;
  /** Annotations GitHub shows per level per step. */
  perLevel?: number;
  /**
   * Slots per level that other lines of the step take: annotations already written, and the verdict's own
   * error, written last (GitHub drops everything past the 10th of a level, so it must not be the 11th).
   */
  reserved?: Partial<Record<AnnotationLevel, number>>;
  /** The gate's verdict per finding (e.g. `gate: new` on a pull request); default: at or above `failOn`. */
  isBlocking?: (f: Finding) => boolean;
  /** True for a finding the pull request did not introduce: its title ends in "(existing)". */
  isExisting?: (f: Finding) => boolean;
}

/** GitHub cuts a message at 4,096 characters; stay a little under so our own ending survives. */
export const MAX_MESSAGE_CHARS = 4000;
export const ANNOTATIONS_PER_LEVEL = 10;

export function levelOf(f: Finding, failOn?: FailOn, blocking?: (f: Finding) => boolean): AnnotationLevel {
  const byseverity: AnnotationLevel = f.severity === 'critical' || f.severity === 'high' ? 'error' : f.severity === 'medium' ? 'warning' : 'notice';
  if (blocking) return blocking(f) ? 'error' : byseverity === 'error' ? 'warning' : byseverity;
  if (failOn === undefined) return byseverity;
  if (isBlocking(f, failOn)) return 'error';
  return byseverity === 'error' ? 'warning' : byseverity;
}

export function findingAnnotation(f: Finding, options: AnnotationOptions = {}): Annotation {
  const title = options.ruleTitle?.(f.ruleId);
  const related = f.related.map((r) => `${r.label}: ${r.path ?? f.path}:${r.at.line}`);
  const body = [f.message, `Severity ${f.severity}, confidence ${f.confidence}.`, ...related].join('\n');
  const suffix = options.isExisting?.(f) ? ' (existing)' : '';
  const a: Annotation = {
    level: levelOf(f, options.failOn, options.isBlocking),
    title: shorten(`portcullis(${f.ruleId})${title ? `: ${title}` : ''}`, 200 - suffix.length) + suffix,
    message: shorten(body, MAX_MESSAGE_CHARS),
  };
  // a repository rule's finding about a missing file has no file to point at: the annotation stands on the run
  if (f.path === REPOSITORY_ROOT) return a;
  Object.assign(a, { file: f.path, startLine: f.line, endLine: f.endLine });
  if (f.line === f.endLine && f.column >= 1) {
    a.startColumn = f.column;
    a.endColumn = Math.max(f.column, f.endColumn - 1);
  }
  return a;
}

/**
 * Findings (most severe first) and scan notices → at most `perLevel` annotations per level, less the
 * reserved slots. When anything is left out, the last notice slot says how many and where they are.
 */
export function toAnnotations(findings: readonly Finding[], notices: readonly Notice[], options: AnnotationOptions = {}): Annotation[] {
  const perLevel = options.perLevel ?? ANNOTATIONS_PER_LEVEL;
  const reserved = options.reserved ?? {};
  const slots = (level: AnnotationLevel): number => Math.max(0, perLevel - (reserved[level] ?? 0));
  const used: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  const out: Annotation[] = [];
  const omitted: Finding[] = [];
  const sorted = findings.filter(isListed).sort(compareByPriority);
  const unlisted = unlistedCounts(findings);

  // Notices are decided last: whether one slot is kept for the overflow line depends on everything else.
  const pendingNotices: { finding?: Finding; annotation: () => Annotation }[] = [];
  for (const f of sorted) {
    const level = levelOf(f, options.failOn, options.isBlocking);
    if (level === 'notice') pendingNotices.push({ finding: f, annotation: () => findingAnnotation(f, options) });
    else if (used[level] < slots(level)) {
      used[level]++;
      out.push(findingAnnotation(f, options));
    } else omitted.push(f);
  }
  if (unlisted) {
    const where = `the job summary and the JSON report${options.reportPath ? ` (${options.reportPath})` : ''}`;
    const message = `Not annotated: ${unlisted}. They are outside the gate's file contexts and cannot block; see ${where}.`;
    pendingNotices.unshift({ annotation: () => ({ level: 'notice', title: 'portcullis: findings outside the gate', message }) });
  }
  for (const n of notices) pendingNotices.push({ annotation: () => noticeAnnotation(n) });

  const overflow = omitted.length > 0 || pendingNotices.length > slots('notice');
  const noticeSlots = overflow ? Math.max(0, slots('notice') - 1) : slots('notice');
  let omittedNotices = 0;
  pendingNotices.forEach((p, i) => {
    if (i < noticeSlots) out.push(p.annotation());
    else if (p.finding) omitted.push(p.finding);
    else omittedNotices++;
  });
  if (overflow) out.push(overflowAnnotation(omitted, omittedNotices, perLevel, (reserved.error ?? 0) > 0, options.reportPath));
  return out;
}

function noticeAnnotation(n: Notice): Annotation {
  const a: Annotation = { level: 'notice', title: 'portcullis: scan notice', message: shorten(n.message, MAX_MESSAGE_CHARS) };
  if (n.path) a.file = n.path;
  if (n.path && n.line) a.startLine = n.line;
  return a;
}

function overflowAnnotation(omitted: readonly Finding[], omittedNotices: number, cap: number, verdictKept: boolean, reportPath?: string): Annotation {
  const parts: string[] = [];
  if (omitted.length > 0) {
    const counts = SEVERITIES.map((s: Severity) => [s, omitted.filter((f) => f.severity === s).length] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}`);
    parts.push(`${omitted.length} more finding${omitted.length === 1 ? '' : 's'} (${counts.join(', ')})`);
  }
  if (omittedNotices > 0) parts.push(`${omittedNotices} more scan notice${omittedNotices === 1 ? '' : 's'}`);
  const where = `the job summary and the JSON report${reportPath ? ` (${reportPath})` : ''}`;
  return {
    level: 'notice',
    title: 'portcullis: more findings than annotations',
    message: `${parts.join(' and ')} not shown as annotations (GitHub shows ${cap} per level per step${verdictKept ? ', and one error is kept for the verdict' : ''}): see ${where}.`,
  };
}
