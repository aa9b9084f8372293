import { posix } from 'node:path';
import { compareByPriority } from '../core/engine.js';
import { shorten } from '../core/shorten.js';
import type { ScanResult } from '../scan.js';
import { ANNOTATIONS_PER_LEVEL, findingAnnotation, levelOf, toAnnotations, type Annotation, type AnnotationLevel } from './annotations.js';
import { summaryLines } from './text.js';
import { isListed } from './unlisted.js';
import { commandLine } from './workflow-commands.js';

export interface GithubOptions {
  /** List findings in files outside the gate's contexts too, as the text format does. */
  all?: boolean;
  /** Rule id → title, for the annotation title. */
  ruleTitle?: (ruleId: string) => string | undefined;
}

const RANK: Record<AnnotationLevel, number> = { error: 0, warning: 1, notice: 2 };

/**
 * `--format github`: the findings as workflow-command annotations, for a workflow that runs the CLI in a step of
 * its own. Blocking findings are errors, the rest warnings or notices, as the action makes them. GitHub shows
 * only the first annotations of each level per step, so blocking ones come first; every one stays in the log.
 * The counts and the verdict follow as plain lines, the verdict last.
 */
export function renderGithub(result: ScanResult, options: GithubOptions = {}): string {
  // Annotations name files from where the CLI ran (the workspace in a workflow), not from the scanned folder.
  const root = result.root.split('\\').join('/');
  const file = (path: string): string => posix.join(root, path);
  const listed = options.all ? result.findings : result.findings.filter(isListed);
  const levels = listed.map((f) => ({ f, level: levelOf(f, result.failOn) })).sort((a, b) => RANK[a.level] - RANK[b.level] || compareByPriority(a.f, b.f));

  const annotations: Annotation[] = levels.map(({ f }) => {
    const a = findingAnnotation(f, { failOn: result.failOn, ...(options.ruleTitle ? { ruleTitle: options.ruleTitle } : {}) });
    if (f.suppressed) a.message += f.suppressed.kind === 'baseline' ? '\n(baselined)' : `\n(suppressed: ${shorten(f.suppressed.reason, 80)})`;
    return a.file ? { ...a, file: file(a.file) } : a;
  });
  for (const a of toAnnotations([], result.notices, { perLevel: Infinity })) annotations.push(a.file ? { ...a, file: file(a.file) } : a);

  const out = annotations.map(annotationLine);
  const per = { error: 0, warning: 0, notice: 0 };
  for (const a of annotations) per[a.level]++;
  if (Object.values(per).some((n) => n > ANNOTATIONS_PER_LEVEL)) {
    out.push(`GitHub shows the first ${ANNOTATIONS_PER_LEVEL} annotations of each level per step; all ${annotations.length} are in this log.`);
  }
  for (const line of summaryLines(result, listed.length)) out.push(line.map((r) => r.text).join(''));
  return `${out.join('\n')}\n`;
}

/** `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`, every part escaped. */
export function annotationLine(a: Annotation): string {
  return commandLine(a.level, { file: a.file, line: a.startLine, col: a.startColumn, endLine: a.endLine, endColumn: a.endColumn, title: a.title }, a.message);
}
