import { isScalar, visit, type Node } from 'yaml';
import type { Span } from '../core/types.js';
import type { Job, Permissions, WorkflowDoc } from '../parsers/workflow.js';
import { findExpressions, flowingContexts } from './expressions.js';

/**
 * What the GITHUB_TOKEN and secrets of a workflow can reach, for rules that weigh a trigger or a
 * permissions block. A job without `permissions` inherits the workflow's; with neither, the token
 * gets the repository default, which is read-write on repositories created before February 2023.
 */
export function writeScopes(p: Permissions | undefined): string[] {
  if (!p) return [];
  if (p.shorthand === 'write-all') return ['write-all'];
  return [...p.scopes].filter(([, v]) => v.value.trim().toLowerCase() === 'write').map(([k]) => k);
}

/** Jobs whose token falls back to the repository default (no `permissions` on the job or the workflow). */
export function jobsWithDefaultToken(wf: WorkflowDoc): Job[] {
  return wf.permissions ? [] : wf.jobs.filter((j) => !j.permissions);
}

export interface WritePower {
  /** Where the write access comes from, for the message. */
  what: string;
  at?: Span;
  /** True when it is only the repository default (which may be read-only). */
  implicit: boolean;
}

export function writePower(wf: WorkflowDoc): WritePower | undefined {
  const top = writeScopes(wf.permissions);
  if (top.length > 0) return { what: `workflow permissions \`${top.join('`, `')}\``, at: wf.permissions!.span, implicit: false };
  for (const job of wf.jobs) {
    const w = writeScopes(job.permissions);
    if (w.length > 0) return { what: `job \`${job.id}\` permissions \`${w.join('`, `')}\``, at: job.permissions!.span, implicit: false };
  }
  const dflt = jobsWithDefaultToken(wf)[0];
  if (dflt) return { what: `the repository's default token permissions (no \`permissions:\` for job \`${dflt.id}\`), which may be read-write`, at: dflt.keySpan, implicit: true };
  return undefined;
}

/** Secrets the workflow references (`secrets.X`, `secrets: inherit`), excluding `GITHUB_TOKEN`. */
export function referencedSecrets(wf: WorkflowDoc): { name: string; at: Span }[] {
  const out: { name: string; at: Span }[] = [];
  for (const job of wf.jobs) if (job.secrets?.value === 'inherit') out.push({ name: 'secrets: inherit', at: job.secrets.span });
  visit(wf.doc, {
    Scalar(_, node) {
      if (!isScalar(node) || typeof node.value !== 'string' || !node.value.includes('secrets')) return;
      for (const e of findExpressions(node.value))
        for (const path of flowingContexts(e.body).concat(e.body.match(/secrets\.[A-Za-z_][\w-]*/gi) ?? [])) {
          const m = /^secrets\.([^.]+)/i.exec(path);
          if (m && m[1]!.toUpperCase() !== 'GITHUB_TOKEN' && !out.some((s) => s.name === m[1]))
            out.push({ name: m[1]!, at: wf.file.spanOf(node as Node) });
        }
    },
  });
  return out;
}
