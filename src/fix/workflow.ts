import { isMap, isScalar, type Node } from 'yaml';
import { writeScopes } from '../analysis/permissions.js';
import { defaultsRun, envMoveRefused, scalarAt } from '../analysis/env-fix.js';
import type { Job, WorkflowDoc } from '../parsers/workflow.js';
import { parseWorkflow, planSuggestions } from '../reporters/suggestions.js';
import type { LineEdit, Lines } from './edits.js';
import { unresolved, type FixInput, type FixOutcome } from './types.js';

/** The file as one LF text (the line endings come back when the edits are applied), or undefined with a lone CR in it. */
export function lfText(lines: Lines): string | undefined {
  return lines.bodies.some((b) => b.includes('\r')) ? undefined : lines.bodies.join('\n') + (lines.endings.at(-1) ? '\n' : '');
}

/** A workflow file parsed once for all the workflow fixes of a pass (see fixFile), with the LF text it was parsed from. */
export interface ParsedWorkflow {
  text: string;
  wf: WorkflowDoc;
}

/** The parse of the file as it is in this pass, or undefined when it is not one YAML document (or has a lone CR). */
export type WorkflowOf = () => ParsedWorkflow | undefined;

export function parsedWorkflow(path: string, lines: Lines): ParsedWorkflow | undefined {
  const text = lfText(lines);
  const wf = text === undefined ? undefined : parseWorkflow(path, text);
  return text !== undefined && wf ? { text, wf } : undefined;
}

const GIT_PUSH = /\bgit\s+(?:-\S+\s+(?:\S+\s+)?)*push\b/;

/** A job "pushes" when any of its `run:` steps runs `git push`: its checkout keeps the credentials it pushes with. */
export function jobPushes(job: Job | undefined): boolean {
  return (job?.steps ?? []).some((s) => GIT_PUSH.test(s.run?.value ?? ''));
}

/**
 * `persist-credentials: false` on checkout steps and expressions moved from `run:` to the step's `env:`: the same
 * edits the PR suggestions make (reporters/suggestions.ts, each checked by parsing the result), as line edits.
 */
export function fixSteps({ lines, findings }: FixInput, workflow: WorkflowOf): FixOutcome {
  const out: FixOutcome = { edits: [], unresolved: [] };
  if (findings.length === 0) return out;
  const { text, wf } = workflow() ?? {};
  if (!text || !wf) return { edits: [], unresolved: findings.map((f) => unresolved(f, 'the workflow did not parse as one YAML document')) };
  const wanted = findings.filter((f) => {
    if (f.ruleId !== 'persisted-credentials') {
      const why = envMoveRefused(f, wf, lines.bodies);
      if (why) out.unresolved.push(unresolved(f, why));
      return why === undefined;
    }
    const job = wf.jobs.find((j) => j.steps.some((s) => s.span.line === f.line));
    if (jobPushes(job)) {
      out.unresolved.push(unresolved(f, `job \`${job!.id}\` runs \`git push\`: its checkout keeps the credentials`));
      return false;
    }
    // A job granted `contents: write` is there to write, often by an action that pushes with the stored token.
    const writes = writeScopes(job?.permissions ?? wf.permissions).some((s) => s === 'contents' || s === 'write-all');
    if (!writes) return true;
    out.unresolved.push(unresolved(f, `${job ? `job \`${job.id}\`` : 'the workflow'} is granted \`contents: write\`: a later step may push with the stored token; decide by hand`));
    return false;
  });
  const planned = planSuggestions(wanted, text);
  for (const s of planned) out.edits.push({ start: s.start, end: s.end, rule: s.findings[0]!.ruleId, lines: s.replacement.split('\n') });
  const done = new Set(planned.flatMap((s) => s.findings));
  for (const f of wanted) if (!done.has(f)) out.unresolved.push(unresolved(f, 'no safe edit for this step (an action input, a flow mapping or a shared line): fix it by hand'));
  return out;
}

/** Steps that write with the token: a `contents: read` block would break them, so their workflow is left to a person. */
const WRITES = /\bgit\s+push\b|\bgh\s+(?:release|pr|issue|api|workflow|label|secret|variable|repo)\b|secrets\.GITHUB_TOKEN|github\.token/;

const READ_ONLY_ACTION = /^(?:actions\/(?:checkout|setup-[\w-]+|cache(?:\/(?:restore|save))?|upload-artifact|download-artifact)|docker:\/\/[^@]*)(?:@|$)/i;

/**
 * A top-level `permissions:` block with `contents: read`, before `jobs:`, in a workflow that has no `permissions:`
 * at any level (the excessive-permissions findings about the default token).
 */
export function addPermissions({ lines, findings }: FixInput, workflow: WorkflowOf): FixOutcome {
  const wanted = findings.filter((f) => f.message.includes('no `permissions:`'));
  const others = findings.filter((f) => !wanted.includes(f)).map((f) => unresolved(f, 'choose the scopes this workflow needs by hand'));
  if (wanted.length === 0) return { edits: [], unresolved: others };
  const { text, wf } = workflow() ?? {};
  const leave = (why: string): FixOutcome => ({ edits: [], unresolved: [...others, ...wanted.map((f) => unresolved(f, why))] });
  if (!text || !wf || wf.type !== 'workflow') return leave('the workflow did not parse as one YAML document');
  if (wf.permissions || wf.jobs.some((j) => j.permissions)) return leave('the workflow sets `permissions:` somewhere: complete it by hand');
  if (WRITES.test(text)) return leave('a step writes with the token (git push, gh, GITHUB_TOKEN): choose its write scopes by hand');
  // Actions get the token without asking (`github-token` defaults to it): only ones known to need no more than read qualify.
  const other = wf.jobs.flatMap((j) => [...(j.uses ? [j.uses.value] : []), ...j.steps.flatMap((st) => (st.uses ? [st.uses.value] : []))]).find((u) => !READ_ONLY_ACTION.test(u));
  if (other !== undefined) return leave(`\`${other.replace(/@.*$/, '')}\` may use the token to write: choose the scopes the workflow needs by hand`);
  const root = wf.doc.contents;
  const jobsPair = isMap(root) ? root.items.find((p) => isScalar(p.key) && p.key.value === 'jobs') : undefined;
  const key = jobsPair?.key as Node | undefined;
  if (!key?.range || !isMap(jobsPair!.value) || (jobsPair!.value as { flow?: boolean }).flow) return leave('no block `jobs:` mapping to put the block before');
  const jobsLine = text.slice(0, key.range[0]).split('\n').length;
  if (!/^jobs\s*:/.test(lines.bodies[jobsLine - 1] ?? '')) return leave('`jobs:` is not at the start of its line');
  const firstJob = (jobsPair!.value as { items: { key: Node }[] }).items[0]?.key.range?.[0];
  const indent = firstJob === undefined ? 2 : Math.max(1, firstJob - text.lastIndexOf('\n', firstJob - 1) - 1);
  const blank = jobsLine > 1 && (lines.bodies[jobsLine - 2] ?? '').trim() === '';
  const block = ['permissions:', `${' '.repeat(indent)}contents: read`, ...(blank ? [''] : [])];
  const edit: LineEdit = { start: jobsLine, end: jobsLine, rule: 'excessive-permissions', lines: [...block, lines.bodies[jobsLine - 1]!] };
  return { edits: [edit], unresolved: others };
}

const NPM_INSTALL = /^npm\s+(?:install|i)((?:\s+--?[A-Za-z][\w-]*(?:=\S+)?)*)$/;

/**
 * `npm install` → `npm ci` in a workflow step when the step's folder has a package-lock.json and the command names
 * no package (only options): `ci` installs exactly the lockfile.
 */
export function npmCi({ lines, findings }: FixInput, workflow: WorkflowOf, hasLockfile: (dir: string) => boolean): FixOutcome {
  const out: FixOutcome = { edits: [], unresolved: [] };
  const wf = findings.length > 0 ? workflow()?.wf : undefined;
  for (const f of findings) {
    const body = lines.bodies[f.line - 1] ?? '';
    const command = f.line === f.endLine ? body.slice(f.column - 1, f.endColumn - 1) : '';
    const m = NPM_INSTALL.exec(command);
    const step = wf?.jobs.flatMap((j) => j.steps.map((s) => ({ j, s }))).find(({ s }) => s.run && s.run.span.line <= f.line && f.line <= s.run.span.endLine);
    if (!m || !step) {
      out.unresolved.push(unresolved(f, 'not a plain `npm install` in a workflow step: fix it by hand'));
      continue;
    }
    const dir = scalarAt(step.s.node, 'working-directory') ?? scalarAt(defaultsRun(step.j.node), 'working-directory') ?? '.';
    if (/\bcd\b|\$\{\{/.test(step.s.run!.value + dir) || !hasLockfile(dir)) {
      out.unresolved.push(unresolved(f, `no package-lock.json known in the step's folder (${dir}): \`npm ci\` needs one`));
      continue;
    }
    out.edits.push({ start: f.line, end: f.line, rule: f.ruleId, lines: [`${body.slice(0, f.column - 1)}npm ci${m[1]}${body.slice(f.endColumn - 1)}`] });
  }
  return out;
}
