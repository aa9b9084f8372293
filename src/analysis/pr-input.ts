import type { Span } from '../core/types.js';
import type { Job, Located, Step, WorkflowDoc } from '../parsers/workflow.js';
import { actionName } from './checkout.js';
import { findExpressions, flowingContexts } from './expressions.js';
import { taintOfExpression } from './taint.js';

/** Where pull-request-controlled code or data enters a privileged workflow, for `dangerous-trigger`. */
export interface PrInput {
  what: string;
  at: Span;
  /** Medium when the data may enter where this file cannot see (a called reusable workflow). */
  confidence?: 'medium';
}

/** Actions that download another run's artifacts (the triggering run's, under `workflow_run`). */
const ARTIFACT_DOWNLOADERS = new Set(['actions/download-artifact', 'dawidd6/action-download-artifact']);
/** Shell and github-script ways to fetch the triggering run's artifacts or the pull request's content. */
const FETCHES = /\bgh\s+run\s+download\b|\bgh\s+pr\s+(diff|checkout)\b|\b(downloadArtifact|listWorkflowRunArtifacts)\b|pulls\.listFiles|\bgit\s+fetch\b[^\n]*\bpull\//;

function fromExpression(text: string, scope: { wf: WorkflowDoc; job: Job; step?: Step }): string | undefined {
  for (const e of findExpressions(text)) {
    // The triggering run's id is how its artifacts (built from the fork's code) are fetched; its SHA or conclusion alone fetch nothing.
    const run = flowingContexts(e.body).find((p) => /^github\.event\.workflow_run\.(id|artifacts_url|logs_url)$/i.test(p));
    if (run) return `\`${run}\` (the triggering run, whose artifacts the fork's code built)`;
    const t = taintOfExpression(e.body, scope).find((x) => x.severity === 'critical' || (x.severity === 'high' && x.confidence !== 'low'));
    if (t) return t.what;
  }
  return undefined;
}

const fields = (step: Step): Located[] => [...(step.run ? [step.run] : []), ...step.with.values(), ...step.env.values()];

/**
 * The first place where the pull request's (or the triggering run's) code or data reaches a step of a privileged workflow:
 * an expression of attacker-written text, of the triggering run or of the PR head handed to a step, a reusable workflow or an
 * env; a download of the triggering run's artifacts; a fetch of the PR's diff or files. Undefined when the workflow only acts
 * on the event through GitHub's API from its own code (a labeler, a reviewer assigner): then nothing a contributor wrote runs.
 */
export function prControlledInput(wf: WorkflowDoc): PrInput | undefined {
  let called: PrInput | undefined;
  for (const job of wf.jobs) {
    for (const [, v] of [...job.with, ...job.env]) {
      const what = fromExpression(v.value, { wf, job });
      if (what) return { what: `${what} handed to ${job.uses ? `the reusable workflow of job \`${job.id}\`` : `job \`${job.id}\``}`, at: v.span };
    }
    // A called workflow receives the caller's whole event (the triggering run, the pull request) and runs out of sight.
    if (job.uses) called ??= { what: `the event is handed to the reusable workflow \`${job.uses.value}\`, which may act on it out of this file's sight`, at: job.uses.span, confidence: 'medium' };
    for (const step of job.steps) {
      const name = actionName(step.uses?.value);
      if (ARTIFACT_DOWNLOADERS.has(name) && (step.with.has('run-id') || step.with.has('run_id') || name !== 'actions/download-artifact'))
        return { what: `the triggering run's artifacts, downloaded by \`${name}\``, at: step.uses!.span };
      for (const f of fields(step)) {
        const what = fromExpression(f.value, { wf, job, step });
        if (what) return { what: `${what} handed to a step of job \`${job.id}\``, at: f.span };
        const fetch = FETCHES.exec(f.value);
        if (fetch) return { what: `the pull request's content or the triggering run's artifacts, fetched with \`${fetch[0].trim()}\``, at: f.span };
      }
    }
  }
  return called;
}
