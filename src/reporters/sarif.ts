import { compareByPriority } from '../core/engine.js';
import { isBlocking, type FailOn } from '../core/gate.js';
import { shorten } from '../core/shorten.js';
import type { Finding, Notice, Related, Rule, Severity, Span } from '../core/types.js';
import { renderRuleDoc } from '../docs.js';
import { HOMEPAGE } from '../version.js';
import { levelOf } from './annotations.js';
import { precisionOf } from './precision.js';

/** What the SARIF log needs from a scan (a ScanResult fits). */
export interface SarifInput {
  findings: readonly Finding[];
  notices?: readonly Notice[];
  failOn: FailOn;
  /** The gate's verdict per finding (e.g. `gate: new` on a pull request); default: at or above `failOn`. */
  isBlocking?: (f: Finding) => boolean;
}

export interface SarifOptions {
  /** package.json version: `tool.driver.semanticVersion` and the tag the rule docs are linked at. */
  version: string;
  /** Default HOMEPAGE (src/version.ts); the action passes the repository it runs from (GITHUB_ACTION_REPOSITORY). */
  informationUri?: string;
  /** Tells analyses apart in code scanning: `automationDetails.id` is `portcullis/<category>/` (default `root`). */
  category?: string;
  /** Folder URL holding `<rule-id>.md`; default `<informationUri>/blob/v<version>/docs/rules`. */
  docsBaseUrl?: string;
  /** Folder of the scanned root inside the repository (e.g. `services/api`), prepended to every path. */
  pathPrefix?: string;
  /** Fewer results than MAX_RESULTS, most important first: what fits in the upload size limit (code-scanning.ts). */
  maxResults?: number;
}

export type SarifLevel = 'error' | 'warning' | 'note';
/** GitHub code scanning's limits per run (larger uploads are rejected or truncated). */
export const MAX_RESULTS = 25_000;
export const MAX_RELATED = 100;
/** A flow longer than this is cut (the analysers keep a dozen steps at most). */
const MAX_FLOW_STEPS = 32;
/** Code scanning rejects an upload larger than this, gzipped. */
export const MAX_UPLOAD_MB = 10;
export const MAX_DESCRIPTION = 1024;
const MAX_NOTIFICATIONS = 100;

/**
 * Scores GitHub maps back to our words (critical ≥ 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9).
 * `info` has none: GitHub reads a missing score as "no security severity" and shows the level (note).
 */
export const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: undefined,
};

export function severityLevel(s: Severity): SarifLevel {
  return s === 'critical' || s === 'high' ? 'error' : s === 'medium' ? 'warning' : 'note';
}

/**
 * The result level follows the gate exactly as the annotations do: `error` means "this finding
 * fails the step", so SARIF, annotations, summary and exit code never disagree. A finding below
 * fail-on is at most a warning; its own severity stays in the rule's security-severity and in
 * `properties.severity`.
 */
export function resultLevel(f: Finding, failOn: FailOn, blocking?: (f: Finding) => boolean): SarifLevel {
  const level = levelOf(f, failOn, blocking);
  return level === 'notice' ? 'note' : level;
}

/** SARIF 2.1.0 log with one run, for GitHub code scanning (`upload-sarif`) and other SARIF viewers. */
export function toSarif(input: SarifInput, rules: readonly Rule[], options: SarifOptions): Record<string, unknown> {
  const informationUri = options.informationUri ?? HOMEPAGE;
  const docs = (options.docsBaseUrl ?? `${informationUri}/blob/v${options.version}/docs/rules`).replace(/\/+$/, '');
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const cap = Math.max(0, Math.min(MAX_RESULTS, options.maxResults ?? MAX_RESULTS));
  const findings = [...input.findings].filter((f) => index.has(f.ruleId)).sort(compareByPriority).slice(0, cap);
  const where = (path: string): string => uri(options.pathPrefix ? `${options.pathPrefix.replace(/\/+$/, '')}/${path}` : path);

  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'portcullis',
        semanticVersion: options.version,
        informationUri,
        rules: rules.map((r) => ruleDescriptor(r, `${docs}/${r.id}.md`)),
      },
    },
    automationDetails: { id: `portcullis/${options.category || 'root'}/` },
    columnKind: 'utf16CodeUnits',
    results: findings.map((f) => result(f, index.get(f.ruleId)!, input.failOn, where, input.isBlocking)),
  };
  const notifications = notificationsOf(input, findings.length, cap, where);
  run.invocations = [{ executionSuccessful: true, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) }];
  return { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
}

function ruleDescriptor(rule: Rule, helpUri: string): Record<string, unknown> {
  const markdown = renderRuleDoc(rule);
  const properties: Record<string, unknown> = { tags: ['security', rule.area], precision: precisionOf(rule.id) };
  const score = SECURITY_SEVERITY[rule.severity];
  if (score) properties['security-severity'] = score;
  return {
    id: rule.id,
    name: ruleName(rule),
    shortDescription: { text: shorten(rule.title, MAX_DESCRIPTION) },
    fullDescription: { text: shorten(rule.summary, MAX_DESCRIPTION) },
    help: { text: plainText(markdown), markdown },
    helpUri,
    defaultConfiguration: { level: severityLevel(rule.severity) },
    properties,
  };
}

function result(f: Finding, ruleIndex: number, failOn: FailOn, where: (path: string) => string, blocking?: (f: Finding) => boolean): Record<string, unknown> {
  const related = f.related.slice(0, MAX_RELATED);
  const out: Record<string, unknown> = {
    ruleId: f.ruleId,
    ruleIndex,
    level: resultLevel(f, failOn, blocking),
    message: { text: linkedMessage(f.message, related.map((r) => r.label)) },
    locations: [{ physicalLocation: physical(where(f.path), f) }],
  };
  if (related.length > 0) {
    out.relatedLocations = related.map((r, i) => ({
      id: i + 1,
      physicalLocation: physical(where(r.path ?? f.path), r.at),
      message: { text: escapeMessage(r.label) },
    }));
  }
  if (f.flow && f.flow.length > 0) out.codeFlows = [codeFlow(f.flow, (r) => where(r.path ?? f.path))];
  out.partialFingerprints = { ...(f.lineHash ? { primaryLocationLineHash: f.lineHash } : {}), 'portcullis/v1': f.fingerprint };
  if (f.suppressed) {
    const s = f.suppressed;
    const suppression: Record<string, unknown> = {
      kind: s.kind === 'inSource' ? 'inSource' : 'external',
      justification: s.kind === 'baseline' ? 'baseline' : s.reason,
    };
    if (s.path) suppression.location = { physicalLocation: { artifactLocation: artifact(where(s.path)), ...(s.line ? { region: { startLine: s.line } } : {}) } };
    out.suppressions = [suppression];
  }
  out.properties = {
    severity: f.severity,
    confidence: f.confidence,
    context: f.context ?? 'production',
    blocking: blocking ? blocking(f) : isBlocking(f, failOn),
    // vulnerable-dependency: the advisory ids as tags (code scanning filters on them) and each advisory's page.
    ...(f.advisories?.length ? { tags: [...new Set(f.advisories.flatMap((a) => a.ids))], advisories: f.advisories.map((a) => ({ ids: a.ids, severity: a.severity, url: a.url })) } : {}),
  };
  return out;
}

/** A source-code finding's data flow, source first (code scanning draws it as the result's path). */
function codeFlow(steps: readonly Related[], uriOf: (step: Related) => string): Record<string, unknown> {
  const locations = steps.slice(0, MAX_FLOW_STEPS).map((s) => ({
    location: { physicalLocation: physical(uriOf(s), s.at), message: { text: escapeMessage(s.label) } },
  }));
  return { threadFlows: [{ locations }] };
}

function physical(uriRef: string, at: Span): Record<string, unknown> {
  const startLine = Math.max(1, at.line);
  const startColumn = Math.max(1, at.column);
  const endLine = Math.max(startLine, at.endLine);
  const endColumn = endLine === startLine ? Math.max(startColumn, at.endColumn) : Math.max(1, at.endColumn);
  return { artifactLocation: artifact(uriRef), region: { startLine, startColumn, endLine, endColumn } };
}

function artifact(uriRef: string): Record<string, unknown> {
  return { uri: uriRef, uriBaseId: '%SRCROOT%' };
}

/** Scan notices (skipped files, parse errors) and what the caps left out, as tool notifications. */
function notificationsOf(input: SarifInput, shown: number, cap: number, where: (path: string) => string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = (input.notices ?? []).slice(0, MAX_NOTIFICATIONS).map((n) => ({
    level: 'note',
    message: { text: n.message },
    ...(n.path ? { locations: [{ physicalLocation: { artifactLocation: artifact(where(n.path)), ...(n.line ? { region: { startLine: n.line } } : {}) } }] } : {}),
  }));
  const dropped = input.findings.length - shown;
  if (dropped > 0) {
    const limit = cap < MAX_RESULTS ? `the ${cap} results that fit in the ${MAX_UPLOAD_MB} MB (gzipped) code scanning accepts` : `the ${MAX_RESULTS} results code scanning accepts`;
    out.push({ level: 'warning', message: { text: `${dropped} finding(s) left out of this SARIF log (unknown rule, or over ${limit}); the JSON report has them all.` } });
  }
  return out;
}

/**
 * The message with a link to each related location (`[label](n)`, n = its `relatedLocations` id): code
 * scanning shows related locations only when the message links them. A label with no text links as "here".
 */
export function linkedMessage(message: string, labels: readonly string[]): string {
  const text = escapeMessage(message);
  if (labels.length === 0) return text;
  const links = labels.map((label, i) => `[${escapeMessage(label.trim() || 'here')}](${i + 1})`);
  return `${text}${/[.!?]$/.test(text) ? '' : '.'} Related: ${links.join(', ')}.`;
}

/**
 * SARIF message text with `\`, `[` and `]` escaped by a backslash, as CodeQL writes it: a finding's text
 * quotes the scanned files, so `[x](1)` written there must stay text and never become a link.
 */
export function escapeMessage(text: string): string {
  return text.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

/** A repository-relative path as a relative URI reference: each segment percent-encoded, `/` kept. */
export function uri(path: string): string {
  return path
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** PascalCase of the id; a one-word id would equal it (SARIF1001), so such a rule is named after its title. */
export function ruleName(rule: Pick<Rule, 'id' | 'title'>): string {
  const name = pascalCase(rule.id);
  return name.toLowerCase() === rule.id.toLowerCase() ? pascalCase(rule.title.toLowerCase()) : name;
}

export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** The rule doc without markdown syntax, for viewers that show `help.text`. */
export function plainText(markdown: string): string {
  const out: string[] = [];
  let code = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) {
      code = !code;
      continue;
    }
    if (code) {
      out.push(`    ${line}`);
      continue;
    }
    if (/^\|( *-+ *\|)+$/.test(line)) continue;
    let text = line.replace(/^#+\s+/, '');
    if (/^\|.*\|$/.test(text)) text = text.slice(1, -1).split('|').map((c) => c.trim()).join('  ');
    text = text
      .replace(/\*\*([^*]+)\*\*/g, '$1')
      .replace(/`([^`]+)`/g, '$1')
      .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)');
    out.push(text);
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim() + '\n';
}
