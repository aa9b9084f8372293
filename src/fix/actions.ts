import { parseUses } from '../analysis/action-ref.js';
import { advisoriesFor, advisoryIndex, advisoryLabel, incidentOf } from '../analysis/advisories.js';
import { actionKey } from '../core/pins.js';
import type { Finding } from '../core/types.js';
import { spanText, unquote, valueSpan, unresolved, type FixInput, type FixOutcome } from './types.js';

const FULL_SHA = /^[0-9a-f]{40}$/i;
/** A ref that is a commit already (short or full): the pin gets no `# ref` comment, which would read as a version. */
const HEX = /^[0-9a-f]{7,40}$/i;
const SAFE = /^[A-Za-z0-9_.\-/]+$/;

/** The `owner/repo@ref` an unpinned-action finding needs looked up, or undefined (no ref, an expression, a docker image). */
export function actionWanted(text: string | undefined): { repo: string; ref: string } | undefined {
  const parsed = text === undefined ? undefined : parseUses(unquote(text).value);
  if (parsed?.kind !== 'repo' || !parsed.ref || !SAFE.test(parsed.ref)) return undefined;
  return { repo: parsed.repo, ref: parsed.ref };
}

/**
 * Why pinning `repo` at `ref` (resolved to `sha`) is refused: the ref is inside a compromise advisory's range (a pin
 * would freeze the compromised release) or the commit is the malicious one an advisory names.
 */
export function refusal(repo: string, ref: string, sha: string): string | undefined {
  const index = advisoryIndex();
  const bySha = advisoriesFor(index, 'GitHub Actions', repo, sha);
  if (bySha[0]) return `refused: ${repo}@${ref} resolves to ${sha}, the malicious commit of the ${incidentOf(bySha[0])} (${advisoryLabel(bySha[0])}); pin a fixed release instead`;
  const byRef = [...advisoriesFor(index, 'GitHub Actions', repo, ref), ...advisoriesFor(index, 'GitHub Actions', repo, ref.replace(/^v(?=\d)/, ''))];
  if (byRef[0]) return `refused: ${repo}@${ref} was compromised in the ${incidentOf(byRef[0])} (${advisoryLabel(byRef[0])}); upgrade to a fixed release, then pin it`;
  return undefined;
}

/**
 * `uses: owner/repo@v4` → `uses: owner/repo@<sha> # v4` (steps, reusable workflows, composite actions), the format
 * Dependabot and Renovate update. Quotes stay, with the comment after the closing quote; the rest of the line is kept.
 */
export function pinActions({ lines, findings, pins }: FixInput): FixOutcome {
  const out: FixOutcome = { edits: [], unresolved: [] };
  for (const f of findings) {
    const text = spanText(lines, f);
    const wanted = actionWanted(text);
    if (!text || !wanted) {
      out.unresolved.push(unresolved(f, 'no tag or branch to resolve (or an expression): choose a release and pin its commit SHA'));
      continue;
    }
    const got = pins.actions.get(actionKey(wanted.repo, wanted.ref));
    const sha = got && 'value' in got ? got.value : undefined;
    if (!sha || !FULL_SHA.test(sha)) {
      out.unresolved.push(unresolved(f, `${wanted.repo}@${wanted.ref} not resolved (${got && 'error' in got ? got.error : 'no lookup'}); left as it is`));
      continue;
    }
    const refused = refusal(wanted.repo, wanted.ref, sha);
    if (refused) {
      out.unresolved.push(unresolved(f, refused));
      continue;
    }
    out.edits.push(pinEdit(lines.bodies[f.line - 1]!, f, valueSpan(lines, f)!, sha.toLowerCase(), HEX.test(wanted.ref) ? undefined : wanted.ref));
  }
  return out;
}

function pinEdit(line: string, f: Finding, span: { from: number; to: number; text: string }, sha: string, comment: string | undefined) {
  const { quote, value } = unquote(span.text);
  const pinned = `${quote}${value.slice(0, value.lastIndexOf('@') + 1)}${sha}${quote}`;
  return { start: f.line, end: f.line, rule: f.ruleId, lines: [`${line.slice(0, span.from)}${pinned}${comment ? ` # ${comment}` : ''}${line.slice(span.to)}`] };
}
