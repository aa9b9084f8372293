import { isMap, isSeq, type Node } from 'yaml';
import type { Confidence, Severity } from '../core/types.js';
import type { Job, Located, Step, WorkflowDoc } from '../parsers/workflow.js';
import { getNode, resolveNode, scalarString } from '../parsers/yaml.js';
import { classifyContext } from './contexts.js';
import { findExpressions, flowingContexts } from './expressions.js';
import { matrixEnv } from './matrix.js';

/**
 * Where the text of a GitHub expression comes from, resolved through the workflow: `env.X` to the env
 * entry that sets it, `steps.<id>.outputs.<o>` to what the step writes to $GITHUB_OUTPUT, `needs.<job>.outputs.<o>`
 * to the job's `outputs:`, `inputs.<i>` to the declared input type, and `matrix.<k>` to the strategy matrix.
 */
export interface Taint {
  /** The context path as written in the expression (normalised). */
  path: string;
  /** What the value is, for messages ("the pull request title"). */
  what: string;
  severity: Severity;
  confidence: Confidence;
  /** A value that is a list of file names: the fix iterates over the variable rather than quoting it as one word. */
  fileList?: boolean;
}

export interface Scope {
  wf: WorkflowDoc;
  job?: Job;
  step?: Step;
}

const RANK: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const CONF: Confidence[] = ['high', 'medium', 'low'];
const lower = <T>(order: T[], a: T, b: T): T => (order.indexOf(a) >= order.indexOf(b) ? a : b);

/** The worst taint first. */
export function worst(taints: Taint[]): Taint | undefined {
  return [...taints].sort((a, b) => RANK.indexOf(a.severity) - RANK.indexOf(b.severity) || CONF.indexOf(a.confidence) - CONF.indexOf(b.confidence))[0];
}

/** A value that reaches the sink through a variable, output or input: at most high, at most medium confidence. */
function derived(t: Taint, path: string, via: string): Taint {
  const list = t.fileList ? { fileList: true } : {};
  return { path, what: `${via}, set from ${t.what}`, severity: lower(RANK, t.severity, 'high'), confidence: lower(CONF, t.confidence, 'medium'), ...list };
}

const SAFE_SUFFIX = /(^|_)(id|ids|number|sha|count|comments|fork|merged|draft|locked|private|url|at|size|additions|deletions|changed_files|state|action|node_id|type|site_admin|mergeable|rebaseable|commits|review_comments|maintainer_can_modify)$/;
const TEXT_SUFFIX = /(^|_)(body|title|message|name|ref|label|email|description|branch|page_name|homepage|text)$/;

/** Taints of every expression in a piece of text (env value, output line, matrix entry). */
export function taintOfText(text: string, scope: Scope, depth = 0): Taint[] {
  return findExpressions(text).flatMap((e) => taintOfExpression(e.body, scope, depth));
}

export function taintOfExpression(body: string, scope: Scope, depth = 0): Taint[] {
  if (depth > 6) return [];
  return flowingContexts(body).flatMap((path) => taintOfPath(path, scope, depth));
}

export function taintOfPath(raw: string, scope: Scope, depth = 0): Taint[] {
  const path = raw.replace(/^([A-Za-z_]+)/, (m) => m.toLowerCase());
  const parts = path.split('.');
  const { wf, job } = scope;
  const root = parts[0];
  if (path.startsWith('github.event.inputs.') || root === 'inputs') return inputTaint(parts[root === 'inputs' ? 1 : 3], path, wf, root === 'inputs');
  if (root === 'env' && parts[1]) {
    const name = parts[1];
    const values = envValues(scope, name);
    return values.flatMap((v) => taintOfText(v, { wf, job }, depth + 1)).map((t) => derived(t, path, `env variable ${name}`));
  }
  if (root === 'steps' && parts[2] === 'outputs' && parts[1] && parts[3]) {
    const steps = job?.steps ?? wf.runs?.steps ?? [];
    const src = steps.find((s) => s.id === parts[1]);
    if (src) return stepOutputTaint(src, parts[3], path, { wf, job }, depth);
    return [{ path, what: `output ${parts[3]} of step ${parts[1]} (not defined here, so its text is unknown)`, severity: 'info', confidence: 'low' }];
  }
  if (root === 'needs' && parts[2] === 'outputs' && parts[1] && parts[3]) {
    const other = wf.jobs.find((j) => j.id === parts[1]);
    const out = other && scalarString(getNode(getNode(other.node, 'outputs', wf.doc), parts[3], wf.doc));
    return out ? taintOfText(out, { wf, job: other }, depth + 1).map((t) => derived(t, path, `output ${parts[3]} of job ${parts[1]}`)) : [];
  }
  if (root === 'matrix') return job ? matrixTaint(job, parts[1], path, wf, depth) : [];
  const cls = classifyContext(path);
  if (!cls || cls.risk === 'safe') return [];
  if (cls.risk === 'text') return [{ path, what: `the ${cls.what}`, severity: 'critical', confidence: 'high' }];
  if (cls.pattern === path && cls.what === 'event payload field') {
    const last = parts[parts.length - 1] ?? '';
    if (SAFE_SUFFIX.test(last)) return [];
    if (TEXT_SUFFIX.test(last)) return [{ path, what: `the event field ${path}`, severity: 'high', confidence: 'medium' }];
    return [{ path, what: `the event field ${path}`, severity: 'low', confidence: 'low' }];
  }
  return [{ path, what: `the ${cls.what}`, severity: 'low', confidence: 'medium' }];
}

/**
 * The values `env.<name>` can have in a step: the innermost `env:` that sets it (step, job, workflow), where an `env:`
 * that is one matrix value (`env: ${{ matrix.env }}`) sets whatever the matrix's mappings for it set, each a possible value.
 */
function envValues({ wf, job, step }: Scope, name: string): string[] {
  const own = (m: Map<string, Located> | undefined): string[] => {
    const e = m && findKey(m, name);
    return e ? [e.value] : [];
  };
  const viaMatrix = (owner: Node | undefined): string[] =>
    job && owner ? matrixEnv(wf, job, owner).filter((e) => e.key.toLowerCase() === name.toLowerCase()).map((e) => e.value.value) : [];
  if (wf.type === 'action') return own(step?.env);
  const layers = [() => own(step?.env), () => viaMatrix(step?.node), () => own(job?.env), () => viaMatrix(job?.node), () => own(wf.env)];
  for (const layer of layers) {
    const found = layer();
    if (found.length > 0) return found;
  }
  return [];
}

function findKey(map: Map<string, Located>, name: string): Located | undefined {
  return map.get(name) ?? [...map].find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

const NOT_TEXT = new Set(['boolean', 'number', 'choice', 'environment']);

function inputTaint(name: string | undefined, path: string, wf: WorkflowDoc, anyTrigger: boolean): Taint[] {
  if (!name) return [];
  if (wf.type === 'action') {
    return [{ path, what: `the action input ${name} (text from whoever calls the action)`, severity: 'medium', confidence: 'low' }];
  }
  const triggers = wf.triggers.filter((t) => t.name === 'workflow_dispatch' || (anyTrigger && t.name === 'workflow_call'));
  for (const t of triggers) {
    const inputs = resolveNode(getNode(t.config, 'inputs', wf.doc), wf.doc);
    if (!isMap(inputs)) continue;
    const decl = inputs.items.find((p) => scalarString(p.key)?.toLowerCase() === name.toLowerCase());
    if (!decl) continue;
    const type = scalarString(getNode(decl.value, 'type', wf.doc)) ?? 'string';
    if (NOT_TEXT.has(type)) return [];
    // Only someone who may run the workflow (write access) types a workflow_dispatch input; a caller may pass anything to workflow_call.
    if (t.name === 'workflow_dispatch') return [{ path, what: `the workflow_dispatch input ${name} (typed by whoever runs the workflow, who has write access)`, severity: 'medium', confidence: 'medium' }];
    return [{ path, what: `the ${t.name} input ${name}`, severity: 'high', confidence: 'medium' }];
  }
  return [];
}

/** Actions whose outputs list the files a push or pull request changes. */
const FILE_LISTERS = new Set([
  'tj-actions/changed-files', 'step-security/changed-files', 'dorny/paths-filter', 'jitterbit/get-changed-files', 'ana06/get-changed-files',
  'lots0logs/gh-action-get-changed-files', 'trilom/file-changes-action', 'masesgroup/retrieve-changed-files', 'yumemi-inc/changed-files',
  'tj-actions/verify-changed-files', 'marceloprado/has-changed-path',
]);
const FILE_OUTPUT = /(^|_)(files|paths|all|added|modified|removed|deleted|renamed)$/i;

/** Output `name` of a step: a `run:` that writes `name=…${{ x }}…` to $GITHUB_OUTPUT, or an action given attacker text. */
function stepOutputTaint(src: Step, name: string, path: string, scope: Scope, depth: number): Taint[] {
  const via = `output ${name} of step ${src.id}`;
  const inner: Scope = { ...scope, step: src };
  if (src.run) {
    const esc = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
    const writes = src.run.value.split('\n').filter((l) => new RegExp(`(^|[\\s"'])${esc}=|name=${esc}::`).test(l));
    return writes.flatMap((l) => [...taintOfText(l, inner, depth + 1), ...shellVarTaint(l, inner, depth)]).map((t) => derived(t, path, via));
  }
  const action = (src.uses?.value.split('@')[0] ?? '').toLowerCase();
  // File names come from the pushed tree, and whoever writes the commits chooses them: `$(curl …).js` is a valid name
  if (FILE_LISTERS.has(action) && FILE_OUTPUT.test(name) && !/count|^(any|only)_/i.test(name))
    return [{ path, what: `${via}, file names listed by ${action} (whoever writes the commits chooses them)`, severity: 'medium', confidence: 'medium', fileList: true }];
  const given = [...src.with.values()].flatMap((v) => taintOfText(v.value, inner, depth + 1));
  if (given.length === 0) {
    const action = src.uses?.value.split('@')[0] ?? 'an action';
    return [{ path, what: `${via} (written by ${action}, so its text is unknown)`, severity: 'info', confidence: 'low' }];
  }
  return given.map((t) => ({ ...derived(t, path, via), confidence: 'low' as const }));
}

/** `$VAR` / `${VAR}` references on a line whose env entry carries attacker text. */
export function shellVarTaint(line: string, scope: Scope, depth = 0): Taint[] {
  const names = [...line.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)|\$env:([A-Za-z_][A-Za-z0-9_]*)|%([A-Za-z_][A-Za-z0-9_]*)%/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
  return [...new Set(names)].flatMap((n) => taintOfPath(`env.${n}`, scope, depth + 1));
}

function matrixTaint(job: Job, key: string | undefined, path: string, wf: WorkflowDoc, depth: number): Taint[] {
  const matrix = resolveNode(getNode(getNode(job.node, 'strategy', wf.doc), 'matrix', wf.doc), wf.doc);
  if (!matrix) return [];
  const texts: string[] = [];
  const collect = (n: Node | undefined): void => {
    const r = resolveNode(n, wf.doc);
    const s = scalarString(r);
    if (s !== undefined) texts.push(s);
    else if (isSeq(r)) r.items.forEach((i) => collect(i as Node));
    else if (isMap(r)) r.items.forEach((p) => collect(p.value as Node));
  };
  if (!isMap(matrix) || key === undefined) collect(matrix);
  else {
    for (const p of matrix.items) {
      const k = scalarString(p.key);
      if (k === key) collect(p.value as Node);
      else if (k === 'include') {
        const inc = resolveNode(p.value, wf.doc);
        if (isSeq(inc)) for (const e of inc.items) collect(getNode(e, key, wf.doc));
        else collect(inc);
      }
    }
  }
  const via = key ? `matrix value ${key}` : 'the matrix';
  const taints = texts.flatMap((t) => taintOfText(t, { wf, job }, depth + 1)).map((t) => derived(t, path, via));
  return key ? taints : taints.map((t) => ({ ...t, severity: lower(RANK, t.severity, 'low'), confidence: 'low' as const }));
}
