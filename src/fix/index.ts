import { actionKey, type PinResolver, type Resolved } from '../core/pins.js';
import type { Config } from '../core/config.js';
import { redactText } from '../core/redact.js';
import type { Finding } from '../core/types.js';
import { isYamlPath } from '../parsers/index.js';
import { parseYaml } from '../parsers/yaml.js';
import { rules as allRules } from '../rules/index.js';
import { scanDirectory, scanFiles, type ParallelScan } from '../scan.js';
import { actionWanted, pinActions } from './actions.js';
import { applyLineEdits, disjoint, splitLines, type Lines } from './edits.js';
import { fileInside, readInside } from './files.js';
import { imageWanted, listLatest, pinImages } from './images.js';
import { spanText, type FixInput, type FixOutcome, type Pins, type Unresolved } from './types.js';
import { addPermissions, fixSteps, npmCi, parsedWorkflow, type ParsedWorkflow } from './workflow.js';

export type { Unresolved } from './types.js';

/** The rules `fix` acts on (latest-image-tag: listed only, a version is a person's choice). */
export const FIXABLE_RULES = ['unpinned-action', 'unpinned-image', 'persisted-credentials', 'excessive-permissions', 'template-injection', 'non-frozen-install', 'latest-image-tag'] as const;

export interface FixOptions {
  resolver: PinResolver;
  /** Files and folders under the root to fix (as for scan); absent: the whole root. */
  only?: readonly string[];
  /** One rule id: only its findings are fixed. */
  rule?: string;
  config?: Config;
  parallel?: ParallelScan;
}

export interface FileChange {
  /** Relative to the root, POSIX. */
  path: string;
  before: Lines;
  after: string;
  /** How many findings of each rule the change removes, by rescanning the new text. */
  fixed: Record<string, number>;
}

export interface FixPlan {
  changes: FileChange[];
  unresolved: Unresolved[];
  /**
   * Masks the secrets in a text (the ones the scan found, and those of a known format): every output of `fix` passes
   * through it, and a diff never prints a line it would change.
   */
  redact: (text: string) => string;
}

const PASSES = 4;

/**
 * What `fix` would change under `root`: the scan's findings of the fixable rules, pins looked up once each, edits
 * made at the findings' spans, each file rescanned in memory (a fix the rescan does not confirm is not claimed) and
 * re-parsed (a file that no longer parses is left as it is and listed). Writes nothing: see `writeChanges`.
 */
export async function planFixes(root: string, options: FixOptions): Promise<FixPlan> {
  const wanted = (f: Finding): boolean =>
    (FIXABLE_RULES as readonly string[]).includes(f.ruleId) && (options.rule === undefined || f.ruleId === options.rule) && (f.context ?? 'production') === 'production' && (!f.suppressed || f.suppressed.kind === 'baseline');
  const result = await scanDirectory(root, { config: options.config, ...(options.only ? { only: options.only } : {}), ...(options.parallel ? { parallel: options.parallel } : {}) });
  const findings = result.findings.filter(wanted);
  const byPath = new Map<string, Finding[]>();
  for (const f of findings) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
  // Each file read once: the lookups and the rewriting share the text.
  const texts = new Map([...byPath.keys()].map((path) => [path, readInside(root, path)] as const));
  const pins = await lookUp(texts, byPath, options.resolver);
  const rules = allRules.filter((r) => (FIXABLE_RULES as readonly string[]).includes(r.id));
  const redact = (text: string): string => result.secrets?.redactSnippet(text) ?? redactText(text);
  const plan: FixPlan = { changes: [], unresolved: [], redact };
  for (const [path, first] of byPath) {
    const text = texts.get(path)!;
    if (typeof text !== 'string') {
      plan.unresolved.push(...first.map((f) => ({ path, line: f.line, rule: f.ruleId, reason: text.why })));
      continue;
    }
    let current = text;
    let own = first;
    let left: Unresolved[];
    const lockfile = (dir: string): boolean => {
      const lock = lockfileOf(dir);
      return lock !== undefined && fileInside(root, lock);
    };
    for (let pass = 1; ; pass++) {
      const lines = splitLines(current);
      const outcome = fixFile({ path, lines, findings: own, pins }, lockfile);
      // Lines moved in earlier passes: each item is named at its finding's line in the file as it is on disk.
      left = outcome.unresolved.map((u) => ({ ...u, line: first.find((f) => f.fingerprint === own.find((o) => o.line === u.line && o.ruleId === u.rule)?.fingerprint)?.line ?? u.line }));
      if (outcome.edits.length === 0 || pass > PASSES) break;
      current = applyLineEdits(lines, outcome.edits);
      // Fixes that shared a line with another (a checkout's pin and its `with:`) come back in the next pass.
      own = scanFiles({ [path]: current }, { config: options.config, rules }).findings.filter(wanted);
    }
    if (current === text) {
      plan.unresolved.push(...left);
      continue;
    }
    const broken = parseProblem(path, text, current);
    if (broken) {
      plan.unresolved.push(...first.map((f) => ({ path, line: f.line, rule: f.ruleId, reason: `left unchanged: the fixed file would not parse (${broken})` })));
      continue;
    }
    const fixed: Record<string, number> = {};
    for (const f of first) fixed[f.ruleId] = (fixed[f.ruleId] ?? 0) + 1;
    for (const f of own) fixed[f.ruleId] = (fixed[f.ruleId] ?? 0) - 1;
    for (const [rule, n] of Object.entries(fixed)) if (n <= 0) delete fixed[rule];
    plan.changes.push({ path, before: splitLines(text), after: current, fixed });
    plan.unresolved.push(...left);
  }
  plan.changes.sort((a, b) => (a.path < b.path ? -1 : 1));
  plan.unresolved.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
  return plan;
}

/** One file's edits for its findings, each rule by its own module; edits that overlap wait for the next pass. */
export function fixFile(input: FixInput, hasLockfile: (dir: string) => boolean): FixOutcome {
  const of = (...ids: string[]): FixInput => ({ ...input, findings: input.findings.filter((f) => ids.includes(f.ruleId)) });
  // The workflow fixes share one parse of the file (made only when one of them needs it).
  let parsed: [ParsedWorkflow | undefined] | undefined;
  const workflow = (): ParsedWorkflow | undefined => (parsed ??= [parsedWorkflow(input.path, input.lines)])[0];
  const outcomes = [pinActions(of('unpinned-action')), pinImages(of('unpinned-image')), listLatest(of('latest-image-tag')), addPermissions(of('excessive-permissions'), workflow)];
  if (isYamlPath(input.path)) outcomes.push(fixSteps(of('persisted-credentials', 'template-injection'), workflow), npmCi(of('non-frozen-install'), workflow, hasLockfile));
  const { kept } = disjoint(outcomes.flatMap((o) => o.edits));
  return { edits: kept, unresolved: outcomes.flatMap((o) => o.unresolved) };
}

/** Every action ref and image the findings name, looked up once each. */
async function lookUp(texts: ReadonlyMap<string, string | { why: string }>, byPath: ReadonlyMap<string, Finding[]>, resolver: PinResolver): Promise<Pins> {
  const actions = new Map<string, Resolved>();
  const images = new Map<string, Resolved>();
  for (const [path, findings] of byPath) {
    const text = texts.get(path);
    if (typeof text !== 'string') continue;
    const lines = splitLines(text);
    for (const f of findings) {
      const span = spanText(lines, f);
      if (f.ruleId === 'unpinned-action') {
        const a = actionWanted(span);
        if (a && !actions.has(actionKey(a.repo, a.ref))) actions.set(actionKey(a.repo, a.ref), await resolver.actionSha(a.repo, a.ref));
      } else if (f.ruleId === 'unpinned-image') {
        const i = imageWanted(span);
        if ('image' in i && !images.has(i.image)) images.set(i.image, await resolver.imageDigest(i.image));
      }
    }
  }
  return { actions, images };
}

/** Why the new text does not parse when the old one did (YAML files; a Dockerfile has no syntax a pin can break). */
export function parseProblem(path: string, before: string, after: string): string | undefined {
  if (!isYamlPath(path)) return undefined;
  const notices: { message: string }[] = [];
  const was = parseYaml(path, before, []);
  const now = parseYaml(path, after, notices);
  if (!now || notices.length > 0) return notices[0]?.message ?? 'invalid YAML';
  if (was && was.documents.length !== now.documents.length) return 'a different number of YAML documents';
  return undefined;
}

/** The package-lock.json of a step's `working-directory` (relative to the workspace root), or undefined when it leaves it. */
const lockfileOf = (dir: string): string | undefined => {
  const parts = dir.split('/').filter((p) => p !== '' && p !== '.');
  return dir.startsWith('/') || parts.includes('..') ? undefined : [...parts, 'package-lock.json'].join('/');
};
