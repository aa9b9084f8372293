import type { FileContext } from './context.js';
import type { ObjectSchema } from './schema.js';

/** Severities from most to least severe; the order is used for sorting and thresholds. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type Confidence = 'high' | 'medium' | 'low';

/** 1-based line and column; `endColumn` is exclusive (the column just after the last character), as in SARIF. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Related {
  path?: string;
  at: Span;
  label: string;
}

/** What a rule hands to `report`: the engine fills in the rule id, path, default severity and fingerprint. */
export interface Report {
  message: string;
  at: Span;
  /**
   * Only for a repository rule (one that reads `repository`): the file the finding is about, or REPOSITORY_ROOT when
   * the file it looks for is missing. Every other rule's findings are on the file it checks.
   */
  path?: string;
  related?: Related[];
  /** A data flow, source first and the flagged call last (source-code rules): SARIF shows it as the result's `codeFlows`. */
  flow?: Related[];
  confidence?: Confidence;
  severity?: Severity;
  /**
   * Text used for the fingerprint instead of the flagged source lines. A secret rule gives names only (the variable,
   * the format), never the value nor anything computed from it. Either way the engine redacts it (core/redact.ts).
   */
  fingerprintKey?: string;
  /**
   * SECRET. The raw value(s) of the secret this report is about. The engine files them under the finding's fingerprint
   * in the scan's side channel (`ScanResult.secrets`, core/secrets.ts) and NEVER copies them into a Finding: they
   * serve to redact every output, to digest the value in the baseline, and to mask credentials in the job's log.
   */
  secretValue?: string | readonly string[];
  /** A finding about one package version (`vulnerable-dependency`): config `ignore` entries can name the package. */
  package?: PackageRef;
  /** The advisories a finding lists: config `ignore` entries can accept them one by one; SARIF tags the result with their ids. */
  advisories?: AdvisoryRef[];
}

export interface PackageRef {
  /** OSV ecosystem name (`npm`, `PyPI`, …). */
  ecosystem: string;
  name: string;
  version: string;
}

/** One vulnerability a finding lists: its ids (records that alias each other are one), severity and page. */
export interface AdvisoryRef {
  ids: string[];
  severity: Severity;
  url: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  confidence: Confidence;
  message: string;
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  related: Related[];
  /** See Report.flow. */
  flow?: Related[];
  fingerprint: string;
  /** GitHub code scanning's `primaryLocationLineHash` of the first flagged line (see lineHashes). */
  lineHash?: string;
  /** Set when an inline comment, a config `ignore:` entry or the baseline silences the finding: it is still reported, never blocking. */
  suppressed?: Suppression;
  /** What the finding's file is for (core/context.ts), set by the scan; absent (outside a scan) reads as `production`. */
  context?: FileContext;
  /**
   * Set when the gate's scope keeps the finding from blocking whatever its severity: its file's context is not one of
   * `gate-contexts` (default: production only), or its confidence is below `gate-confidence` (default: medium).
   */
  outOfScope?: 'context' | 'confidence';
  package?: PackageRef;
  advisories?: AdvisoryRef[];
}

export interface Suppression {
  /** `inSource`: a `# portcullis: ignore[…]` comment; `external`: a config `ignore:` entry; `baseline`: listed in the baseline file. */
  kind: 'inSource' | 'external' | 'baseline';
  reason: string;
  /** Where the suppression is written (file and line), for reports. */
  path?: string;
  line?: number;
}

/** Something the user should know that is not a finding: a file skipped or that did not parse. */
export interface Notice {
  path?: string;
  line?: number;
  message: string;
}

/** The kinds of parsed document a rule can read. */
export type DocumentKind = 'dockerfile' | 'manifest' | 'lockfile' | 'yaml' | 'workflow' | 'workload' | 'shell' | 'text' | 'code' | 'terraform' | 'repository';

/**
 * Where a repository rule reports a file that is missing: the repository root, written `.` (a valid relative URI in
 * SARIF, and a path every reporter prints as it is).
 */
export const REPOSITORY_ROOT = '.';
/** The span of a repository finding that has no line to point at (a missing file, one the gate cannot read). */
export const FIRST_LINE: Span = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/**
 * What a repository rule reads: the tree as a whole, once per scan, and only when the scan covers the whole root (a
 * scan of named files is not told about files it was not asked to check).
 */
export interface RepositoryDoc {
  /** Every discovered path, repository-relative and sorted. */
  paths: readonly string[];
  /** What a path is for (config `contexts:` first, then its path; see core/context.ts). */
  contextOf(path: string): FileContext;
  /** The gate's own files, repository-relative: the config files it reads and the baseline file. */
  gateFiles: { config: readonly string[]; baseline: string };
  /**
   * Whether the scan was told not to look at a path (`--exclude`, the config's `paths.exclude`): a file there may
   * exist unseen, so a rule does not call it missing.
   */
  hidden(path: string): boolean;
}

/** A bad or good example; `files` adds neighbours (for rules that look beside the file). */
export interface Example {
  path: string;
  text: string;
  files?: Record<string, string>;
  /** For bad examples: the 1-based line the finding must start on. */
  line?: number;
  /** For a repository rule's bad example: the file the finding is on when not `path` (REPOSITORY_ROOT for a missing file). */
  reportedAt?: string;
  /** For `review-policy`: what the GitHub API answered about the default branch (analysis/branch-policy.ts's PolicyAnswers). */
  policy?: object;
}

export interface RuleMeta {
  /** kebab-case; equals the rule file's name. */
  id: string;
  title: string;
  severity: Severity;
  /** Area the rule belongs to: used for docs and SARIF tags. */
  area: 'containers' | 'workflows' | 'supply-chain' | 'secrets' | 'governance' | 'code' | 'network';
  summary: string;
  rationale: string;
  fix: string;
  references: string[];
  examples: { bad: Example[]; good: Example[] };
  /**
   * File contexts besides production where this rule's findings block by default (core/context.ts): a script piped
   * from the network runs on a developer's machine from a dev container just as it runs in production.
   */
  alsoBlocksIn?: readonly FileContext[];
  /** The contexts whose files the rule reports at all, when fewer than every context (the docs say so instead of "reported without blocking"). */
  reportsOnlyIn?: readonly FileContext[];
  /**
   * For a rule that reads looked-up advisories (`vulnerable-dependency`): the OSV records (as analysis/osv-record.ts
   * reads them) the lookup answers for its examples; the example test and the docs scan the examples with them.
   */
  exampleRecords?: readonly ExampleRecord[];
}

/** An OSV record, as analysis/advisories.ts's `Advisory` (core/ does not import analysis/). */
export interface ExampleRecord {
  id: string;
  summary?: string;
  aliases?: string[];
  severity?: { type: string; score: string }[];
  database_specific?: { severity?: string };
  affected: { package: { ecosystem: string; name: string }; versions?: string[]; ranges?: { type: string; events: Record<string, string>[] }[] }[];
  references?: { type: string; url: string }[];
}

/** Read-only view of the scanned tree, for rules that look beside the file they check. */
export interface Project {
  /** True when the relative path was discovered (and not excluded). */
  has(path: string): boolean;
  /** Text of a discovered file, or undefined when absent, too big or binary. */
  read(path: string): string | undefined;
  /** Discovered paths directly inside a directory ('' is the root). */
  list(dir: string): readonly string[];
  /** What other files of the tree say about this one (see FileReference); absent or empty when nothing does. */
  referrers?(path: string): readonly FileReference[];
}

/**
 * What one file of the tree says about another: a Dockerfile copies it from the build context and runs it (`script`), a
 * compose file mounts it as a secret or a config (`secret`, `config`). Found before the files are checked (see
 * scan-refs.ts), so that the file itself is read for what it is, at its own path.
 */
export interface FileReference {
  kind: 'script' | 'secret' | 'config';
  /** The file that says so, and where. */
  from: string;
  at: Span;
  /** The compose secret's or config's name; `RUN` for a script. */
  name: string;
}

export interface CheckContext<O = Record<string, unknown>> {
  path: string;
  project: Project;
  report(r: Report): void;
  /** The rule's options: its defaults, overlaid with the config file's `rules.<id>.options`. */
  options: O;
}

/** Options a rule accepts: the schema of `rules.<id>.options` in the config file, and the values used when it is silent. */
export interface RuleOptions<O> {
  schema: ObjectSchema;
  defaults: O;
}

export interface Rule<D = unknown, O = Record<string, unknown>> extends RuleMeta {
  /** Rules whose more specific finding on the same line replaces this rule's (one problem, one finding). */
  yieldsTo?: readonly string[];
  reads: DocumentKind[];
  options?: RuleOptions<O>;
  check(doc: D, ctx: CheckContext<O>): void;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** True when `s` is at least as severe as `threshold`. */
export function atLeast(s: Severity, threshold: Severity): boolean {
  return severityRank(s) <= severityRank(threshold);
}
