import { compareByPriority } from '../core/engine.js';
import { quoteSuppression, redactText } from '../core/redact.js';
import { blocksGate, type GateMode, type Novelty } from '../core/diff.js';
import type { FailOn } from '../core/gate.js';
import { SEVERITIES, type Finding, type RuleMeta, type Severity } from '../core/types.js';
import { blobUrl, code, link, message, placeLabel, text, url } from './markdown.js';
import { isListed, unlistedCounts } from './unlisted.js';

/** Hidden marker that identifies the sticky comment among a PR's comments. */
export const STICKY_MARKER = '<!-- portcullis:sticky -->';
/** GitHub answers 422 over this many characters. */
export const COMMENT_LIMIT = 65_536;
/** The body stays under this by default: two screens at most; every finding is in the job summary. */
export const DEFAULT_BUDGET = 15_000;
const MAX_GOVERNANCE_ITEMS = 50;
/** Rows per table (open, collapsed) before "… and N more": a comment that scrolls past a screen or two is not read. */
const MAX_ROWS = { open: 20, closed: 10 } as const;
/** A rule that fires more than this many times in one table gets one line. */
const GROUP_OVER = 5;
/** Table cells clip repository text at 1,000 characters, a collapsed message at 600 (the rules write none longer than ~470), quotes of changed lines at 200. */
const CELL = { cell: true, max: 1000 } as const;
const DETAIL = { cell: true, max: 600 } as const;
const QUOTE = { max: 200 } as const;

export type RuleInfo = Pick<RuleMeta, 'id'> & Partial<Pick<RuleMeta, 'title'>>;

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
  /**
   * Fingerprints of the findings an inline review comment explains (`buildReview(...).inline`): their
   * line carries no detail, since the review comment on the diff says it. Every other listed finding's
   * message is collapsed under its line.
   */
  inline?: ReadonlySet<string>;
  /** Character budget for the body (default 15,000; at most GitHub's limit, 65,536). */
  maxChars?: number;
}

const EMOJI: Record<Severity, string> = { critical: '⛔', high: '🔴', medium: '🟠', low: '🟡', info: '🔵' };

/** `🔴 high`, bold with "(blocking)" when it fails the gate. */
export function severityLabel(s: Severity, blocking: boolean): string {
  return blocking ? `${EMOJI[s]} **${s}** (blocking)` : `${EMOJI[s]} ${s}`;
}

/** The rule id as code, linked to its doc page when there is one. */
export function ruleLink(id: string, docsBaseUrl?: string, cell = false): string {
  return docsBaseUrl ? link(id, url(docsBaseUrl, [`${id}.md`]), { code: true, cell }) : code(id, { cell });
}

/** `path:line`, linked to the file at the head commit. */
export function locationLink(f: Finding, links: CommentLinks): string {
  return link(placeLabel(f), blobUrl(`${links.serverUrl.replace(/\/+$/, '')}/${links.repository}`, links.headSha, f), { max: 1000 });
}

function countLine(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** A line of a section: its Markdown and how many findings it stands for. */
interface Row {
  text: string;
  count: number;
}

/**
 * The sticky comment, short enough to read in one screen for a typical pull request: the verdict and
 * counts, what the PR changes about the gate, then one line per blocking finding (severity, rule,
 * `path:line`, title: four columns), other new findings and suppressed ones collapsed, existing ones
 * counted per rule. A rule that fires more than 5 times in a table is one line. A finding's message is
 * said once: in its inline review comment when it has one, else collapsed under its title.
 */
export function toPrComment(input: PrCommentInput): string {
  const { gate, failOn, links } = input;
  const budget = Math.min(input.maxChars ?? DEFAULT_BUDGET, COMMENT_LIMIT);
  const titles = new Map((input.rules ?? []).map((r) => [r.id, r.title]));
  const inline = input.inline ?? new Set<string>();
  const novelty = (f: Finding): Novelty => input.novelty.get(f.fingerprint) ?? 'new';
  const sorted = input.findings.filter(isListed).sort(compareByPriority);
  const unlisted = unlistedCounts(input.findings);
  const live = sorted.filter((f) => !f.suppressed);
  const fresh = live.filter((f) => novelty(f) === 'new');
  const old = live.filter((f) => novelty(f) === 'existing');
  const suppressed = sorted.filter((f) => f.suppressed);
  const blocks = (f: Finding): boolean => blocksGate(f, novelty(f), gate, failOn);
  const blocking = live.filter(blocks);
  const newBlocking = fresh.filter(blocks).length;

  const head: string[] = [STICKY_MARKER, '', `## Portcullis: ${blocking.length > 0 ? '❌ fail' : '✅ pass'}`, ''];
  const mode = `gate: \`${gate}\`, fail-on: \`${failOn}\``;
  if (input.findings.length === 0) head.push(`✅ No findings: nothing to report in this pull request (${mode}).`);
  else if (blocking.length > 0)
    head.push(
      gate === 'new'
        ? `**${countLine(newBlocking, 'new finding')}** at or above \`${failOn}\` ${newBlocking === 1 ? 'blocks' : 'block'} this pull request (${mode}).`
        : `**${countLine(blocking.length, 'finding')}** at or above \`${failOn}\` ${blocking.length === 1 ? 'blocks' : 'block'} this pull request (${mode}).`,
    );
  else if (fresh.length === 0) head.push(`No new findings in this pull request (${mode}).`);
  else head.push(`No finding blocks this pull request (${mode}).`);
  if (sorted.length > 0)
    head.push(
      '',
      gate === 'new'
        ? `${fresh.length} new (${newBlocking} blocking) · ${old.length} existing · ${suppressed.length} suppressed`
        : `${blocking.length} blocking · ${fresh.length} new · ${old.length} existing · ${suppressed.length} suppressed`,
    );
  if (unlisted) head.push('', `Not listed: ${unlisted}. They cannot block; the job summary counts them and the JSON report lists them.`);
  const headText = head.join('\n') + '\n' + governance(input.changes);

  const pointer = 'see the job summary';
  const runLink = links.runId === undefined ? '' : `${link('View the run', url(links.serverUrl, [...links.repository.split('/'), 'actions', 'runs', links.runId]))} · `;
  const explained = sorted.some((f) => inline.has(f.fingerprint)) ? 'Findings on lines this pull request changes are explained in review comments on the diff. ' : '';
  const footer = `\n---\n${runLink}${explained}All findings are in the job summary.\n`;
  let room = budget - headText.length - footer.length;

  const header = '| | Rule | Location | Finding |\n| --- | --- | --- | --- |\n';
  const title = (f: Finding): string => {
    const t = titles.get(f.ruleId);
    return t ? text(t, CELL) : message(f.message, { cell: true, max: 120 });
  };
  /** The title, with the message collapsed under it unless a review comment on the diff says it. */
  const finding = (f: Finding): string => {
    const tag = gate === 'all' && novelty(f) === 'existing' ? ' (existing)' : '';
    return inline.has(f.fingerprint) ? `${title(f)}${tag}` : `<details><summary>${title(f)}${tag}</summary>${message(f.message, DETAIL)}</details>`;
  };
  const suppressedBy = (f: Finding): string => {
    const s = f.suppressed!;
    const where = s.path ? ` (${text(s.path, CELL)}${s.line ? `:${s.line}` : ''})` : '';
    return `${title(f)}: ${s.kind}${where}: ${text(s.reason, { cell: true, max: 200 })}`;
  };
  /** One line per finding, or one per rule that fires more than GROUP_OVER times here. */
  const rows = (list: readonly Finding[], last: (f: Finding) => string): Row[] => {
    const byRule = new Map<string, Finding[]>();
    for (const f of list) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
    const out: Row[] = [];
    for (const f of list) {
      const same = byRule.get(f.ruleId)!;
      const lead = `| ${EMOJI[f.severity]} | ${ruleLink(f.ruleId, links.docsBaseUrl, true)} | `;
      if (same.length <= GROUP_OVER) out.push({ count: 1, text: `${lead}${locationLink(f, links)} | ${last(f)} |\n` });
      else if (same[0] === f) {
        const files = new Set(same.map((x) => x.path)).size;
        out.push({ count: same.length, text: `${lead}${same.length} findings in ${countLine(files, 'file')}, first ${locationLink(f, links)} | ${title(f)} |\n` });
      }
    }
    return out;
  };

  interface Section { title: string; noun: string; total: number; rows: Row[]; header: string; open: boolean }
  const notShown = (s: Section): string => `\n_${countLine(s.total, s.noun)} not shown (comment size limit): ${pointer}._\n`;
  /** Title, rows while they fit (at most MAX_ROWS), a pointer for the rest; closed sections are wrapped in `<details>`. */
  const render = (s: Section, later: number): string => {
    if (s.total === 0) return '';
    const start = s.open ? `\n### ${s.title}\n\n` : `\n<details><summary>${s.title}</summary>\n\n`;
    const end = s.open ? '' : '\n</details>\n';
    const more = (n: number): string => `\n_… and ${countLine(n, `more ${s.noun}`)}: ${pointer}._\n`;
    const reserve = start.length + end.length + more(s.total).length + s.header.length;
    const mine = room - later;
    let avail = mine - reserve;
    const shown: Row[] = [];
    for (const r of s.rows.slice(0, s.open ? MAX_ROWS.open : MAX_ROWS.closed)) {
      if (r.text.length > avail) break;
      avail -= r.text.length;
      shown.push(r);
    }
    if (shown.length === 0) {
      const note = notShown(s);
      if (mine < note.length) return '';
      room -= note.length;
      return note;
    }
    const left = s.total - shown.reduce((n, r) => n + r.count, 0);
    const out = start + s.header + shown.map((r) => r.text).join('') + (left ? more(left) : '') + end;
    room -= out.length;
    return out;
  };

  // In `gate: all` the PR's own blocking findings come first.
  const blockingList = gate === 'all' ? [...blocking.filter((f) => novelty(f) === 'new'), ...blocking.filter((f) => novelty(f) === 'existing')] : blocking;
  const otherNew = fresh.filter((f) => !blocks(f));
  const otherOld = old.filter((f) => !blocks(f));
  const sections: Section[] = [
    { title: `${gate === 'new' ? 'New blocking' : 'Blocking'} findings (${blockingList.length})`, noun: 'blocking finding', total: blockingList.length, rows: rows(blockingList, finding), header, open: true },
    { title: `Other new findings (${otherNew.length}): not blocking`, noun: 'new finding', total: otherNew.length, rows: rows(otherNew, finding), header, open: false },
    {
      title: `Existing findings (${otherOld.length}): ${gate === 'new' ? 'not introduced by this pull request' : 'not blocking'}`,
      noun: 'existing finding',
      total: otherOld.length,
      rows: perRule(otherOld),
      header: '',
      open: false,
    },
    { title: `Suppressed findings (${suppressed.length})`, noun: 'suppressed finding', total: suppressed.length, rows: rows(suppressed, suppressedBy), header, open: false },
  ];
  // Each section leaves room for the "not shown" line of every section after it, so none disappears silently.
  const body = sections.map((s, i) => render(s, sections.slice(i + 1).reduce((n, t) => n + (t.total ? notShown(t).length : 0), 0))).join('');
  return headText + body + footer;
}

/** Findings as counts: one line per severity naming each rule and how often it fires (the job summary lists them). */
function perRule(list: readonly Finding[]): Row[] {
  const out: Row[] = [];
  for (const s of SEVERITIES) {
    const counts = new Map<string, number>();
    for (const f of list) if (f.severity === s) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
    if (counts.size === 0) continue;
    const n = [...counts.values()].reduce((a, b) => a + b, 0);
    const ids = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id, k]) => `${code(id)}${k > 1 ? ` ×${k}` : ''}`);
    out.push({ count: n, text: `- ${EMOJI[s]} ${s} (${n}): ${ids.join(', ')}\n` });
  }
  return out;
}

function governance(changes: GateChanges | undefined): string {
  const sup = changes?.suppressions ?? [];
  const cfg = changes?.configChanges ?? [];
  if (sup.length === 0 && cfg.length === 0) return '';
  const lines = ['', '### ⚠️ This pull request changes the gate', ''];
  const items = [
    ...cfg.map((c) => `- ${c.status ? `${text(c.status)}: ` : ''}configuration ${code(redactText(c.path), QUOTE)}`),
    // the rule ids and the reason only, redacted: the rest of the line may hold the secret the comment silences
    ...sup.map((s) => `- new suppression at ${code(`${redactText(s.path)}:${s.line}`, QUOTE)}: ${code(quoteSuppression(s.text), QUOTE)}`),
  ];
  lines.push(...items.slice(0, MAX_GOVERNANCE_ITEMS));
  if (items.length > MAX_GOVERNANCE_ITEMS) lines.push(`- … and ${items.length - MAX_GOVERNANCE_ITEMS} more: see the job summary`);
  return lines.join('\n') + '\n';
}
