import { Minimatch } from 'minimatch';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node } from 'yaml';
import { FAIL_ON_VALUES, type FailOn } from './gate.js';
import { excerpt, MAX_ALIAS_NODES, MAX_GATE_FILE_BYTES, MAX_NESTING, yamlNestingExceeds } from './limits.js';
import { s, toJsonSchema, validate, type Issue, type ObjectSchema, type Pos, type Tree } from './schema.js';
import { INEFFECTIVE_SUPPRESSION, ineffectiveSuppressionFinding } from './suppress.js';
import { SEVERITIES, type Confidence, type Finding, type Rule, type Severity } from './types.js';
import { FILE_CONTEXTS, type ContextOverrides, type FileContext } from './context.js';

/** The configuration file, validated: what `.github/portcullis.yml` (or `.portcullis.yml`, or `--config`) says. */
export interface Config {
  /** The file as named in messages and suppressions ('' when there is no file). */
  file: string;
  failOn?: FailOn;
  /** Baseline file, relative to the scanned root (the --baseline flag or baseline input wins). */
  baseline?: string;
  paths: { include: string[]; exclude: string[] };
  rules: Record<string, RuleConfig>;
  ignore: IgnoreEntry[];
  /** Globs per file context, overriding the classification by path (core/context.ts). */
  contexts?: ContextOverrides;
  /** The file contexts whose findings can block (default: production). */
  gateContexts?: FileContext[];
  /** The lowest confidence that can block (default: medium). */
  gateConfidence?: Confidence;
  /** What the review policy must require (`review-policy`). */
  review?: { requiredApprovals?: number };
}
export interface RuleConfig {
  enabled?: boolean;
  severity?: Severity;
  options?: Record<string, unknown>;
}
export interface IgnoreEntry {
  rule: string;
  /** Glob relative to the scanned root; every file when absent. */
  path?: string;
  reason: string;
  until?: string;
  /** Only findings about this package (`name` or `name@version`; `vulnerable-dependency`). */
  package?: string;
  /** Only findings all of whose advisories are among these ids (any alias: GHSA, CVE, PYSEC…): a new advisory on the same version is reported again. */
  advisories?: string[];
  /** Where the entry starts in the config file (its `-`), and the end of that line. */
  line: number;
  column: number;
  endColumn: number;
}

export const DEFAULT_CONFIG_FILES = ['.github/portcullis.yml', '.portcullis.yml'] as const;
export const emptyConfig = (): Config => ({ file: '', paths: { include: [], exclude: [] }, rules: {}, ignore: [] });

/** A config file that cannot be used; the message has one `file:line:column: what` line per problem. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly issues: readonly string[]) {
    super(issues.join('\n'));
  }
}

type RuleLike = Pick<Rule, 'id' | 'options'>;

/** The schema of the file, built from the registered rules (their ids and option schemas). */
export function configSchema(rules: readonly RuleLike[]): ObjectSchema {
  const ids = rules.map((r) => r.id).sort();
  const ruleFields = Object.fromEntries(
    rules.map((r) => {
      const fields = {
        enabled: s.bool({ description: 'false: the rule does not run.' }),
        severity: s.enum(SEVERITIES, { description: 'Severity of every finding of this rule (applied before fail-on).' }),
        ...(r.options ? { options: { ...r.options.schema, description: r.options.schema.description ?? `Options of ${r.id}.` } } : {}),
      };
      return [r.id, s.object(fields, { description: `Settings of the ${r.id} rule.` })];
    }),
  );
  const globs = (what: string) => s.array(s.string({ nonEmpty: true }), { description: what });
  return s.object(
    {
      'fail-on': s.enum(FAIL_ON_VALUES, { description: 'Lowest severity that fails the gate; the fail-on input or --fail-on flag overrides it. Default: high.' }),
      baseline: s.string({
        nonEmpty: true,
        description: 'Baseline file (written by `portcullis baseline`), relative to the repository root; the baseline input or --baseline flag overrides it.',
      }),
      paths: s.object(
        {
          include: globs('Only scan paths matching these globs (minimatch, relative to the repository root); a glob naming a folder includes its files.'),
          exclude: globs('Do not scan paths matching these globs (added to the exclude input / --exclude).'),
        },
        { description: 'Which files are scanned.' },
      ),
      rules: s.object(ruleFields, { noun: 'rule id', listLabel: 'Known rules', description: 'Per-rule settings, by rule id.' }),
      ignore: s.array(
        s.object(
          {
            rule: s.enum([...ids, '*'], { noun: 'rule id', listLabel: 'Known rules', description: "The rule to silence, or '*' for all." }),
            path: s.string({ nonEmpty: true, description: 'Glob of the files it applies to (relative to the repository root); all files when absent.' }),
            reason: s.string({ nonEmpty: true, description: 'Why the findings are accepted (shown in reports).' }),
            until: s.date({ description: 'Last day (YYYY-MM-DD, UTC) the entry suppresses; after it, the findings count again.' }),
            package: s.string({ nonEmpty: true, description: 'Only findings about this package, `name` or `name@version` (vulnerable-dependency).' }),
            advisories: s.array(s.string({ nonEmpty: true }), {
              description: 'Only findings whose every advisory is one of these ids (GHSA, CVE or another alias): a new advisory on the same version is reported again.',
            }),
          },
          { required: ['rule', 'reason'] },
        ),
        { description: 'Accepted findings: they are still reported, marked suppressed, and never fail the gate.' },
      ),
      contexts: s.object(
        Object.fromEntries(FILE_CONTEXTS.map((c) => [c, globs(`Paths that are ${c === 'production' ? 'production code, whatever their folder names say' : `${c} files`}.`)])),
        {
          noun: 'file context',
          listLabel: 'Contexts',
          description:
            'What files are for, by glob, overriding the classification by path (tests/, examples/, docs/, vendor/, .devcontainer/ …). A path matched for several contexts is production.',
        },
      ),
      'gate-contexts': s.array(s.enum(FILE_CONTEXTS, { noun: 'file context', listLabel: 'Contexts' }), {
        description: 'File contexts whose findings can block. Default: [production]; findings elsewhere are reported but never block.',
      }),
      'gate-confidence': s.enum(['high', 'medium', 'low'] as const, {
        description: 'Lowest confidence that can block. Default: medium (low-confidence findings are reported but never block).',
      }),
      review: s.object(
        {
          'required-approvals': s.int({
            min: 0,
            max: 10,
            description: 'Approving reviews the default branch must require before a pull request merges (review-policy). Default: 1; 2 for "at least two people check the code".',
          }),
        },
        { description: "What the default branch's review policy must require (the review-policy rule, read through the GitHub API)." },
      ),
    },
    { description: 'Portcullis configuration (.github/portcullis.yml).' },
  );
}

/** The published JSON Schema of the file (schema/portcullis.schema.json), from the same description as the validator. */
export function configJsonSchema(rules: readonly RuleLike[]): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Portcullis configuration',
    ...toJsonSchema(configSchema(rules)),
  };
}

/**
 * Parses and validates the text of a config file; throws ConfigError naming every problem with its line.
 * The text may come from the pull request being judged: it is capped, its nesting is bounded before the
 * yaml library sees it, aliases may add at most MAX_ALIAS_NODES nodes, and messages quote at most
 * MAX_EXCERPT characters of it.
 */
export function parseConfig(text: string, file: string, rules: readonly RuleLike[]): Config {
  if (text.length > MAX_GATE_FILE_BYTES) throw new ConfigError([`${file}: larger than ${MAX_GATE_FILE_BYTES / 1024 / 1024} MiB: not a Portcullis config`]);
  const lineCounter = new LineCounter();
  const deep = yamlNestingExceeds(text);
  const pos = (offset: number): Pos => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const doc = deep === undefined ? parseDocument(text, { lineCounter, prettyErrors: false }) : undefined;
  if (!doc) {
    // The lexer's pass gave no line table: count the lines up to the offset (once, on this error path).
    const before = text.slice(0, deep);
    const line = before.split('\n').length;
    throw new ConfigError([at(file, { line, column: deep! - before.lastIndexOf('\n') }, `nested deeper than ${MAX_NESTING} levels: not a Portcullis config`)]);
  }
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => at(file, pos(e.pos[0]), `invalid YAML: ${excerpt(e.message.split('\n')[0]!)}`)));
  }
  const config = emptyConfig();
  config.file = file;
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return config;
  const issues: Issue[] = [];
  const walk: TreeWalk = { doc, pos, file, anchors: anchorsOf(doc), aliasBudget: MAX_ALIAS_NODES };
  const value = validate(configSchema(rules), toTree(doc.contents, walk, { line: 1, column: 1 }, 0, undefined), '', issues) as Record<string, unknown> | undefined;
  issues.sort((a, b) => a.line - b.line || a.column - b.column);
  if (issues.length > 0 || value === undefined) throw new ConfigError(issues.map((i) => at(file, i, `${i.path ? `${excerpt(i.path)}: ` : ''}${i.message}`)));
  const v = value as {
    'fail-on'?: FailOn;
    baseline?: string;
    paths?: { include?: string[]; exclude?: string[] };
    rules?: Record<string, RuleConfig>;
    ignore?: Omit<IgnoreEntry, 'line' | 'column' | 'endColumn'>[];
    contexts?: ContextOverrides;
    'gate-contexts'?: FileContext[];
    'gate-confidence'?: Confidence;
    review?: { 'required-approvals'?: number };
  };
  if (v['fail-on'] !== undefined) config.failOn = v['fail-on'];
  if (v.baseline !== undefined) config.baseline = v.baseline;
  config.paths = { include: v.paths?.include ?? [], exclude: v.paths?.exclude ?? [] };
  config.rules = v.rules ?? {};
  if (v.contexts !== undefined) config.contexts = v.contexts;
  if (v['gate-contexts'] !== undefined) config.gateContexts = v['gate-contexts'];
  if (v['gate-confidence'] !== undefined) config.gateConfidence = v['gate-confidence'];
  if (v.review?.['required-approvals'] !== undefined) config.review = { requiredApprovals: v.review['required-approvals'] };
  const lines = text.split(/\r?\n/);
  const entryPositions = ignorePositions(doc, pos);
  config.ignore = (v.ignore ?? []).map((e, i) => {
    const p = entryPositions[i] ?? { line: 1, column: 1 };
    return { ...e, ...p, endColumn: Math.max(p.column + 1, (lines[p.line - 1] ?? '').trimEnd().length + 1) };
  });
  return config;
}

const at = (file: string, p: Pos, message: string): string => `${file}:${p.line}:${p.column}: ${message}`;

function ignorePositions(doc: Document.Parsed, pos: (offset: number) => Pos): Pos[] {
  const root = doc.contents;
  if (!isMap(root)) return [];
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'ignore');
  return isSeq(pair?.value) ? pair.value.items.map((n) => pos((n as Node).range?.[0] ?? 0)) : [];
}

interface TreeWalk {
  doc: Document.Parsed;
  pos: (offset: number) => Pos;
  file: string;
  anchors: Map<Alias, Node | undefined>;
  /** Nodes aliases may still add to the tree. */
  aliasBudget: number;
}

/**
 * What each alias names: the last node with its anchor before it, in document order (as the yaml
 * library resolves them), found in one pass; `Alias.resolve` walks the whole document for every alias.
 */
function anchorsOf(doc: Document.Parsed): Map<Alias, Node | undefined> {
  const named = new Map<string, Node>();
  const out = new Map<Alias, Node | undefined>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) out.set(node, named.get(node.source));
      else if (node.anchor) named.set(node.anchor, node);
    },
  });
  return out;
}

/**
 * The YAML node tree as plain values with positions (aliases followed, within the budget; `key:` with no
 * value is null). `alias` is where the alias being expanded stands, for the message when the budget runs out.
 */
function toTree(node: unknown, walk: TreeWalk, fallback: Pos, depth: number, alias: Pos | undefined): Tree {
  const n = isAlias(node) ? walk.anchors.get(node) : (node as Node | null | undefined);
  const origin = alias ?? (isAlias(node) && node.range ? walk.pos(node.range[0]) : undefined);
  const here = n?.range ? walk.pos(n.range[0]) : fallback;
  if (origin && --walk.aliasBudget < 0) {
    throw new ConfigError([at(walk.file, origin, `aliases expand to more than ${MAX_ALIAS_NODES} nodes: not a Portcullis config`)]);
  }
  if (depth > MAX_NESTING) throw new ConfigError([at(walk.file, origin ?? here, `nested deeper than ${MAX_NESTING} levels (through aliases): not a Portcullis config`)]);
  if (isMap(n)) {
    return {
      kind: 'map',
      at: here,
      entries: n.items.map((p) => {
        const keyAt = (p.key as Node | null)?.range ? walk.pos((p.key as Node).range![0]) : here;
        return { key: isScalar(p.key) ? String(p.key.value) : String(p.key), keyAt, value: toTree(p.value, walk, keyAt, depth + 1, origin) };
      }),
    };
  }
  if (isSeq(n)) return { kind: 'seq', at: here, items: n.items.map((i) => toTree(i, walk, here, depth + 1, origin)) };
  return { kind: 'scalar', at: here, value: isScalar(n) ? n.value : null };
}

/** The options a rule runs with: its defaults, overlaid key by key with what the config sets. */
export function ruleOptions(rule: RuleLike, config: Config | undefined): Record<string, unknown> {
  return { ...(rule.options?.defaults as Record<string, unknown> | undefined), ...config?.rules[rule.id]?.options };
}

/** The rules as the config sets them up: severity overrides applied, so rule metadata (SARIF's level and security-severity) matches the findings. */
export function configuredRules<R extends Pick<Rule, 'id' | 'severity'>>(rules: readonly R[], config: Config | undefined): R[] {
  return rules.map((r) => {
    const severity = config?.rules[r.id]?.severity;
    return severity && severity !== r.severity ? { ...r, severity } : r;
  });
}

export function ruleEnabled(id: string, config: Config | undefined): boolean {
  return config?.rules[id]?.enabled !== false;
}

/** Rule options merged with defaults, per rule id, for the engine. */
export function optionsByRule(rules: readonly RuleLike[], config: Config | undefined): Map<string, Record<string, unknown>> {
  return new Map(rules.map((r) => [r.id, ruleOptions(r, config)]));
}

/** A predicate for paths matching any glob (dot files included); a glob naming a folder matches everything under it. */
export function pathMatcher(globs: readonly string[]): (path: string) => boolean {
  const clean = globs.map((g) => g.replace(/^\.\//, '').replace(/\/+$/, ''));
  // `**/name` with no glob character in the name: a file or folder of that name at any depth, by string compare.
  const anywhere = new Set(clean.filter((g) => /^\*\*\/[^*?[\]{}()!+@/\\]+$/.test(g)).map((g) => g.slice(3)));
  const ms = clean.filter((g) => !anywhere.has(g.slice(3)) || !g.startsWith('**/')).map((g) => new Minimatch(g, { dot: true }));
  const matches = (p: string): boolean => anywhere.has(p.slice(p.lastIndexOf('/') + 1)) || ms.some((m) => m.match(p));
  // Folders repeat across a tree's paths: each folder is matched once (bounded memo), the file itself every time.
  const folders = new Map<string, boolean>();
  const folder = (p: string): boolean => {
    let hit = folders.get(p);
    if (hit === undefined) {
      if (folders.size >= 65_536) folders.clear();
      folders.set(p, (hit = matches(p)));
    }
    return hit;
  };
  return (path) => {
    // Any folder above the path, or the path itself (a glob naming a folder covers what is inside).
    for (let end = path.indexOf('/'); end !== -1; end = path.indexOf('/', end + 1)) if (folder(path.slice(0, end))) return true;
    return matches(path);
  };
}

/** UTC calendar date of `now`, as config `until:` dates are written. */
export const isoDay = (now: Date): string => now.toISOString().slice(0, 10);

/**
 * The config's post-pass over a scan's findings: `ignore:` entries mark the findings they match as
 * suppressed (unless expired); entries that are expired, or whose rule ran and matched nothing, become
 * `ineffective-suppression` findings on the config file (when that rule ran); severity overrides apply last.
 */
export function applyConfig(findings: readonly Finding[], config: Config, today: string, ran: ReadonlySet<string>): Finding[] {
  const entries = config.ignore.map((e) => ({ e, expired: e.until !== undefined && today > e.until, used: false, match: pathMatcher([e.path ?? '**']) }));
  const out = findings.map((f) => {
    let result = f;
    for (const x of entries) {
      if ((x.e.rule !== '*' && x.e.rule !== f.ruleId) || !x.match(f.path) || !matchesPackage(x.e, f)) continue;
      x.used = true;
      if (!x.expired && !result.suppressed) result = { ...f, suppressed: { kind: 'external', reason: x.e.reason, path: config.file, line: x.e.line } };
    }
    return result;
  });
  if (ran.has(INEFFECTIVE_SUPPRESSION)) {
    const seen = new Map<string, number>();
    for (const x of entries) {
      const what = `The ignore entry for ${x.e.rule === '*' ? 'every rule' : x.e.rule}${x.e.package ? ` (${x.e.package})` : ''}${x.e.advisories ? ` (${x.e.advisories.join(', ')})` : ''}${x.e.path ? ` on ${x.e.path}` : ''}`;
      const ruleRan = x.e.rule === '*' ? ran.size > 1 : ran.has(x.e.rule);
      const problem = x.expired
        ? { kind: 'expired', message: `${what} expired on ${x.e.until}: it no longer suppresses anything; fix the findings, or extend until with a reason` }
        : !x.used && ruleRan
          ? { kind: 'unused', message: `${what} matches no finding: remove it` }
          : undefined;
      if (!problem) continue;
      const key = `config\0${problem.kind}\0${x.e.rule}\0${x.e.path ?? ''}`;
      const occurrence = seen.get(key) ?? 0;
      seen.set(key, occurrence + 1);
      out.push(ineffectiveSuppressionFinding(config.file, x.e.line, x.e.column, x.e.endColumn, problem.message, key, occurrence));
    }
  }
  return out.map((f) => {
    const severity = config.rules[f.ruleId]?.severity;
    return severity && severity !== f.severity ? { ...f, severity } : f;
  });
}

/** An entry's `package:` and `advisories:` (when set) against a finding about a package version. */
function matchesPackage(e: IgnoreEntry, f: Finding): boolean {
  if (e.package !== undefined) {
    if (!f.package) return false;
    const at = e.package.lastIndexOf('@');
    const [name, version] = at > 0 ? [e.package.slice(0, at), e.package.slice(at + 1)] : [e.package, undefined];
    if (f.package.name !== name || (version !== undefined && f.package.version !== version)) return false;
  }
  if (e.advisories !== undefined) {
    const accepted = new Set(e.advisories.map((id) => id.toUpperCase()));
    if (!f.advisories?.length || !f.advisories.every((a) => a.ids.some((id) => accepted.has(id.toUpperCase())))) return false;
  }
  return true;
}
