import { compareByPriority } from '../core/engine.js';
import { quoteSuppression, redactText } from '../core/redact.js';
import { blocksGate, type GateMode, type Novelty } from '../core/diff.js';
import type { FailOn } from '../core/gate.js';
import type { Finding, RuleMeta, Severity } from '../core/types.js';
import { blobUrl, escapeCell } from './summary.js';

/** Hidden marker that identifies the sticky comment among a PR's comments. */
export const STICKY_MARKER = '<!-- portcullis:sticky -->';
/** GitHub answers 422 over this many characters; the body aims well below it. */
export const COMMENT_LIMIT = 65_536;
const DEFAULT_BUDGET = 60_000;
const MAX_GOVERNANCE_ITEMS = 50;

export type RuleInfo = Pick<RuleMeta, 'id' | 'fix'> & Partial<Pick<RuleMeta, 'title'>>;

/** Where links point: `${serverUrl}/${repository}/blob/${headSha}/…` and `…/actions/runs/${runId}`. */
export interface CommentLinks {
  serverUrl: string;
  repository: string;
  headSha: string;
  runId?: string | number;
  /** Folder URL holding `<rule-id>.md`. */
  docsBaseUrl?: string;
}

/** What the PR itself changes about the gate: shown before anything else (issue 5 governance). */
export interface GateChanges {
  /** Added lines carrying `portcullis: ignore` (see `addedLinesMatching` in core/diff.ts). */
  suppressions?: readonly { path: string; line: number; text: string }[];
  /** Config or baseline files the PR adds, changes or removes. */
  configChanges?: readonly { path: string; status?: string }[];
}

export interface PrCommentInput {
  /** Every finding of the scan, suppressed ones included. */
  findings: readonly Finding[];
  /** fingerprint → new/existing (from `classifyFindings`); a finding missing from it counts as new. */
  novelty: ReadonlyMap<string, Novelty>;
  gate: GateMode;
  failOn: FailOn;
  links: CommentLinks;
  rules?: readonly RuleInfo[];
  changes?: GateChanges;
  /** Character budget for the body (default 60,000; GitHub's limit is 65,536). */
  maxChars?: number;
}

const EMOJI: Record<Severity, string> = { critical: '⛔', high: '🔴', medium: '🟠', low: '🟡', info: '🔵' };

/** `🔴 high`, bold with "(blocking)" when it fails the gate. */
export function severityLabel(s: Severity, blocking: boolean): string {
  return blocking ? `${EMOJI[s]} **${s}** (blocking)` : `${EMOJI[s]} ${s}`;
}

/** The first sentence of a rule's fix text (periods inside `code` or after e.g./i.e. do not end it). */
export function firstSentence(text: string, max = 300): string {
  let code = false;
  let end = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') code = !code;
    else if (!code && c === '.' && (i + 1 === text.length || /\s/.test(text[i + 1]!)) && !/\b(e\.g|i\.e|etc|vs)$/i.test(text.slice(0, i))) {
      end = i + 1;
      break;
    }
  }
  const s = text.slice(0, end).trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function ruleLink(id: string, docsBaseUrl?: string): string {
  const text = `\`${id.replace(/[`|\r\n]/g, '')}\``;
  return docsBaseUrl ? `[${text}](${docsBaseUrl.replace(/\/+$/, '')}/${encodeURIComponent(id).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}.md)` : text;
}

export function locationLink(f: Finding, links: CommentLinks): string {
  const repoUrl = `${links.serverUrl.replace(/\/+$/, '')}/${links.repository}`;
  return `[${escapeLiteral(f.path)}:${f.line}](${blobUrl(repoUrl, links.headSha, f)})`;
}

/** Text shown exactly as written (file names): every Markdown and HTML character escaped, line breaks as spaces. */
export function escapeLiteral(s: string, max = 1000): string {
  const t = s.length > max ? `${s.slice(0, max - 1)}…` : s;
  return t
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/\r\n|\r|\n/g, ' ');
}

function countLine(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** The sticky comment: marker, verdict, counts, gate changes, new findings, then existing and suppressed collapsed. */
export function toPrComment(input: PrCommentInput): string {
  const { gate, failOn, links } = input;
  const budget = Math.min(input.maxChars ?? DEFAULT_BUDGET, COMMENT_LIMIT);
  const fixes = new Map((input.rules ?? []).map((r) => [r.id, firstSentence(r.fix)]));
  const novelty = (f: Finding): Novelty => input.novelty.get(f.fingerprint) ?? 'new';
  const sorted = [...input.findings].sort(compareByPriority);
  const live = sorted.filter((f) => !f.suppressed);
  const fresh = live.filter((f) => novelty(f) === 'new');
  const old = live.filter((f) => novelty(f) === 'existing');
  const suppressed = sorted.filter((f) => f.suppressed);
  const blocks = (f: Finding): boolean => blocksGate(f, novelty(f), gate, failOn);
  const blocking = live.filter(blocks).length;
  const newBlocking = fresh.filter(blocks).length;

  const head: string[] = [STICKY_MARKER, '', `## Portcullis: ${blocking > 0 ? '❌ fail' : '✅ pass'}`, ''];
  const mode = `gate: \`${gate}\`, fail-on: \`${failOn}\``;
  if (sorted.length === 0) head.push(`✅ No findings: nothing to report in this pull request (${mode}).`);
  else if (blocking > 0)
    head.push(
      gate === 'new'
        ? `**${countLine(newBlocking, 'new finding')}** at or above \`${failOn}\` ${newBlocking === 1 ? 'blocks' : 'block'} this pull request (${mode}).`
        : `**${countLine(blocking, 'finding')}** at or above \`${failOn}\` ${blocking === 1 ? 'blocks' : 'block'} this pull request (${mode}).`,
    );
  else if (fresh.length === 0) head.push(`No new findings in this pull request (${mode}).`);
  else head.push(`No finding blocks this pull request (${mode}).`);
  if (sorted.length > 0) {
    head.push('', `| ${gate === 'new' ? 'New blocking' : 'Blocking'} | New | Existing | Suppressed |`, '| ---: | ---: | ---: | ---: |');
    head.push(`| ${gate === 'new' ? newBlocking : blocking} | ${fresh.length} | ${old.length} | ${suppressed.length} |`);
  }
  const headText = head.join('\n') + '\n' + governance(input.changes);

  const pointer = 'see the job summary or the JSON report';
  const footer = `\n---\n${links.runId !== undefined ? `[View the run](${links.serverUrl.replace(/\/+$/, '')}/${links.repository}/actions/runs/${encodeURIComponent(String(links.runId))}) · ` : ''}All findings are in the job summary.\n`;
  let room = budget - headText.length - footer.length;

  const header = '| Severity | Rule | Location | Message | Fix |\n| --- | --- | --- | --- | --- |\n';
  const row = (f: Finding): string =>
    `| ${severityLabel(f.severity, blocks(f))} | ${ruleLink(f.ruleId, links.docsBaseUrl)} | ${locationLink(f, links)} | ${escapeCell(f.message)} | ${escapeCell(fixes.get(f.ruleId) ?? '')} |\n`;
  const suppressedHeader = '| Severity | Rule | Location | Message | Suppressed by |\n| --- | --- | --- | --- | --- |\n';
  const suppressedRow = (f: Finding): string => {
    const s = f.suppressed!;
    const where = s.path ? ` (${escapeLiteral(s.path)}${s.line ? `:${s.line}` : ''})` : '';
    return `| ${severityLabel(f.severity, false)} | ${ruleLink(f.ruleId, links.docsBaseUrl)} | ${locationLink(f, links)} | ${escapeCell(f.message)} | ${s.kind}${where}: ${escapeCell(s.reason)} |\n`;
  };

  interface Section { title: string; noun: string; list: Finding[]; header: string; render: (f: Finding) => string; open: boolean }
  const notShown = (s: Section): string => `\n_${countLine(s.list.length, s.noun)} not shown (comment size limit): ${pointer}._\n`;
  /** Title, table rows while they fit, a pointer for the rest; closed sections are wrapped in `<details>`. */
  const render = (s: Section, later: number): string => {
    if (s.list.length === 0) return '';
    const start = s.open ? `\n### ${s.title}\n\n` : `\n<details><summary>${s.title}</summary>\n\n`;
    const end = s.open ? '' : '\n</details>\n';
    const more = (n: number): string => `\n_… and ${countLine(n, `more ${s.noun}`)}: ${pointer}._\n`;
    const reserve = start.length + end.length + more(s.list.length).length + s.header.length;
    const mine = room - later;
    let avail = mine - reserve;
    const rows: string[] = [];
    for (const f of s.list) {
      const r = s.render(f);
      if (r.length > avail) break;
      avail -= r.length;
      rows.push(r);
    }
    if (rows.length === 0) {
      const note = notShown(s);
      if (mine < note.length) return '';
      room -= note.length;
      return note;
    }
    const left = s.list.length - rows.length;
    const text = start + s.header + rows.join('') + (left ? more(left) : '') + end;
    room -= text.length;
    return text;
  };

  const sections: Section[] = [
    { title: `New findings (${fresh.length})`, noun: 'new finding', list: fresh, header, render: row, open: true },
    { title: `Existing findings (${old.length}): not introduced by this pull request`, noun: 'existing finding', list: old, header, render: row, open: gate === 'all' && old.some(blocks) },
    { title: `Suppressed findings (${suppressed.length})`, noun: 'suppressed finding', list: suppressed, header: suppressedHeader, render: suppressedRow, open: false },
  ];
  // Each section leaves room for the "not shown" line of every section after it, so none disappears silently.
  const body = sections
    .map((s, i) => render(s, sections.slice(i + 1).reduce((n, t) => n + (t.list.length ? notShown(t).length : 0), 0)))
    .join('');
  return headText + body + footer;
}

function governance(changes: GateChanges | undefined): string {
  const sup = changes?.suppressions ?? [];
  const cfg = changes?.configChanges ?? [];
  if (sup.length === 0 && cfg.length === 0) return '';
  const lines = ['', '### ⚠️ This pull request changes the gate', ''];
  const items = [
    ...cfg.map((c) => `- ${c.status ? `${escapeCell(c.status)}: ` : ''}configuration \`${code(redactText(c.path))}\``),
    // the rule ids and the reason only, redacted: the rest of the line may hold the secret the comment silences
    ...sup.map((s) => `- new suppression at \`${code(redactText(s.path))}:${s.line}\`: \`${code(quoteSuppression(s.text))}\``),
  ];
  lines.push(...items.slice(0, MAX_GOVERNANCE_ITEMS));
  if (items.length > MAX_GOVERNANCE_ITEMS) lines.push(`- … and ${items.length - MAX_GOVERNANCE_ITEMS} more: see the job summary`);
  return lines.join('\n') + '\n';
}

/** Text for a single-line code span: no backticks or line breaks (which would end it), clipped. */
function code(s: string): string {
  const t = s.replace(/[`\r\n]/g, "'");
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
}
