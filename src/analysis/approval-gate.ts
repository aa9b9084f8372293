import { isScalar, isSeq } from 'yaml';
import type { Confidence, Span } from '../core/types.js';
import type { Job, Step, WorkflowDoc } from '../parsers/workflow.js';
import { getNode, resolveNode, scalarString } from '../parsers/yaml.js';
import { isCheckoutStep, privilegedTriggers, shellCheckout } from './checkout.js';
import { findExpressions, flowingContexts } from './expressions.js';

/** What a maintainer approves before a privileged job runs pull request code, and where that gate is written. */
export interface Gate {
  what: string;
  at: Span;
  /** Medium for an environment: whether it requires a reviewer is set in the repository settings, not in the file. */
  confidence: Confidence;
}

/** A checkout of a pull request by a name that moves (a branch, `refs/pull/N/head`) in a job behind an approval. */
export interface ApprovalRace {
  job: Job;
  step: Step;
  at: Span;
  ref: string;
  gate: Gate;
  /** The privileged trigger the pull request's event comes through (the workflow's first, when it has several). */
  trigger: string;
}

const LABEL = /github\.event\.label\b|\.labels\b|github\.event\.action\s*==\s*'labeled'/i;
const COMMENT = /github\.event\.comment\.body/i;
/** A comment command is an approval only when who may issue it is checked: in the condition, or by a step before the checkout. */
const COMMENTER_CHECK = /author_association|github\.(triggering_)?actor|comment\.user\.login/i;
const PERMISSION_STEP = /author_association|getCollaboratorPermissionLevel|collaborators\/[^\s]*\/permission|\bpermission\b/i;

/** Contexts that name the pull request's head by a movable name; `head.sha`, `workflow_run.head_sha` name one commit. */
const MOVING_CONTEXTS = /^(github\.head_ref|github\.event\.pull_request\.head\.(ref|label)|github\.event\.workflow_run\.head_branch|github\.event\.workflow_run\.pull_requests\.\*\.head\.ref)$/i;
const PULL_REF = /(^|[\s:/'"])(refs\/)?pull\/(\$\{\{[^}]*\}\}|\$\{?[A-Za-z_]\w*\}?|[0-9]+)\/(head|merge)\b/;

type Lookup = (name: string) => string | undefined;

/** The moving name of the pull request's code that `text` (a `ref:` value, a shell line) checks out, if any. */
export function movingRef(text: string, lookup: Lookup, depth = 0): string | undefined {
  const pull = PULL_REF.exec(text);
  if (pull) return `\`${pull[0].trim().replace(/^['":]/, '')}\``;
  for (const e of findExpressions(text)) {
    for (const path of flowingContexts(e.body)) {
      if (MOVING_CONTEXTS.test(path)) return `\`${path}\``;
      if (/^env\./i.test(path) && depth < 3) {
        const v = lookup(path.slice(4));
        const inner = v === undefined ? undefined : movingRef(v, lookup, depth + 1);
        if (inner) return `${inner} (via \`${path}\`)`;
      }
    }
  }
  return undefined;
}

/** `on.<trigger>.types` when it lists only labelling: the whole workflow runs when someone adds a label. */
function labelOnlyTrigger(wf: WorkflowDoc): Gate | undefined {
  for (const t of privilegedTriggers(wf)) {
    const types = resolveNode(getNode(t.config, 'types', wf.doc), wf.doc);
    const list = isSeq(types) ? types.items.map((i) => scalarString(i)) : isScalar(types) ? [scalarString(types)] : [];
    if (list.length > 0 && list.every((v) => v === 'labeled' || v === 'unlabeled')) return { what: `the \`${t.name}: types: [labeled]\` trigger`, at: t.span, confidence: 'high' };
  }
  return undefined;
}

const oneLine = (s: string): string => s.trim().replace(/\s+/g, ' ');
/** A label condition that requires a label (a negated one, `!contains(….labels…, 'skip')`, approves nothing). */
const labelGate = (cond: string): boolean =>
  LABEL.test(cond.replace(/!\s*contains\([^)]*\)/gi, '').replace(/github\.event\.label\.name\s*!=\s*'[^']*'/gi, ''));

function checksCommenter(job: Job): boolean {
  if (COMMENTER_CHECK.test(job.if?.value ?? '')) return true;
  const until = job.steps.findIndex((s) => isCheckoutStep(s) || s.run?.value.includes('checkout'));
  return job.steps.slice(0, until < 0 ? undefined : until).some((s) => [s.run?.value, ...[...s.with.values()].map((v) => v.value), s.uses?.value].some((t) => t !== undefined && PERMISSION_STEP.test(t)));
}

function ownGate(job: Job, comment: boolean): Gate | undefined {
  const cond = job.if?.value ?? '';
  if (job.if && labelGate(cond)) return { what: `the label condition \`if: ${oneLine(cond)}\``, at: job.if.span, confidence: 'high' };
  if (job.if && comment && COMMENT.test(cond) && checksCommenter(job)) return { what: `the comment command \`if: ${oneLine(cond)}\``, at: job.if.span, confidence: 'high' };
  if (job.environment) return { what: `the environment \`${job.environment.value.trim()}\` (an approval, when it requires reviewers)`, at: job.environment.span, confidence: 'medium' };
  return undefined;
}

/** Job ids in `needs:`. */
function needsOf(wf: WorkflowDoc, job: Job): string[] {
  const n = resolveNode(getNode(job.node, 'needs', wf.doc), wf.doc);
  const items = isSeq(n) ? n.items : n ? [n] : [];
  return items.map((i) => scalarString(resolveNode(i, wf.doc))).filter((s): s is string => s !== undefined);
}

/** The approval a job waits for: its own label/comment condition or environment, or that of a job it needs (transitively). */
function gateOf(wf: WorkflowDoc, job: Job, comment: boolean, seen = new Set<string>()): Gate | undefined {
  if (seen.has(job.id) || seen.size > 64) return undefined;
  seen.add(job.id);
  const own = ownGate(job, comment);
  if (own) return own;
  for (const id of needsOf(wf, job)) {
    const dep = wf.jobs.find((j) => j.id === id);
    const g = dep && gateOf(wf, dep, comment, seen);
    if (g) return { ...g, what: `${g.what} of job \`${dep.id}\`, which this job needs` };
  }
  return undefined;
}

function lookupFor(wf: WorkflowDoc, job: Job, step: Step): Lookup {
  return (name) => step.env.get(name)?.value ?? job.env.get(name)?.value ?? wf.env.get(name)?.value;
}

/** A step's checkout of the pull request by a moving name, with where it is written. */
function movingCheckout(wf: WorkflowDoc, job: Job, step: Step): { at: Span; ref: string } | undefined {
  const lookup = lookupFor(wf, job, step);
  if (isCheckoutStep(step)) {
    const ref = step.with.get('ref');
    const hit = ref && movingRef(ref.value, lookup);
    return hit ? { at: ref.span, ref: hit } : undefined;
  }
  if (!step.run) return undefined;
  const found = shellCheckout(step.run.value, lookup);
  if (!found) return undefined;
  const line = step.run.value.split(/\r?\n/)[found.line] ?? '';
  const at = (line.trim() && wf.spanWithin(step.run.node, line.trim())) || step.run.span;
  // `gh pr checkout` fetches whatever the pull request's head is when the step runs
  if (found.how === '`gh pr checkout`') return /\bgh\s+pr\s+checkout\b[^\n]*\b[0-9a-f]{40}\b/.test(line) ? undefined : { at, ref: '`gh pr checkout`' };
  const hit = movingRef(line, lookup);
  return hit ? { at, ref: hit } : undefined;
}

/** Jobs of a privileged workflow that wait for an approval and then check out the pull request by a moving name. */
export function approvalRaces(wf: WorkflowDoc): ApprovalRace[] {
  if (wf.type !== 'workflow') return [];
  const triggers = privilegedTriggers(wf);
  if (triggers.length === 0) return [];
  const comment = triggers.some((t) => t.name === 'issue_comment');
  const workflowGate = labelOnlyTrigger(wf);
  const out: ApprovalRace[] = [];
  for (const job of wf.jobs) {
    const gate = gateOf(wf, job, comment) ?? workflowGate;
    for (const step of job.steps) {
      const stepGate = gate ?? (step.if && labelGate(step.if.value) ? { what: `the label condition \`if: ${oneLine(step.if.value)}\``, at: step.if.span, confidence: 'high' as const } : undefined);
      if (!stepGate) continue;
      const hit = movingCheckout(wf, job, step);
      if (hit) out.push({ job, step, at: hit.at, ref: hit.ref, gate: stepGate, trigger: triggers[0]!.name });
    }
  }
  return out;
}
