/**
 * The scan's policy pass: the one `review-policy` finding of a run, from what the GitHub API answered about the
 * default branch (action/branch-policy.ts reads it; ScanOptions.branchPolicy carries it here), on the line of the
 * workflow that runs the gate, or at the repository root when that workflow is not in the scanned tree.
 * Inline suppressions do not apply: the pull request writes the workflow, and this finding is about what the pull
 * request must not decide. The config (`ignore:`, `rules.review-policy`) does, as for every rule.
 */
import { codeownersFile } from './analysis/codeowners.js';
import { policyGaps, policySources, type PolicyAnswers, type PolicyGap } from './analysis/branch-policy.js';
import { gateCheck, matchesGateCheck, type GateCheck } from './analysis/gate-check.js';
import { fingerprint, lineHashesUpTo } from './core/fingerprint.js';
import { FIRST_LINE, REPOSITORY_ROOT, severityRank, type Finding, type Notice, type Project, type Severity } from './core/types.js';
import { workflowFromYaml, type WorkflowDoc } from './parsers/workflow.js';
import { parseYaml } from './parsers/yaml.js';
import reviewPolicy, { type ReviewPolicyOptions } from './rules/meta/review-policy.js';

/** What the scan is given: the API's answers when it answered, and what could not be checked (each becomes a notice). */
export interface BranchPolicyInput {
  answers?: PolicyAnswers;
  notes: readonly string[];
}


export function reviewPolicyPass(input: BranchPolicyInput, project: Project, options: ReviewPolicyOptions, approvals: number): { findings: Finding[]; notices: Notice[] } {
  const notices: Notice[] = input.notes.map((message) => ({ message }));
  const a = input.answers;
  if (!a) return { findings: [], notices };
  const where = gateWorkflow(a, project);
  if (!where.check) notices.push({ message: `review-policy: ${where.why} so whether this gate is a required check was not checked.` });
  const check = where.check;
  const gaps = policyGaps(a, {
    approvals,
    codeowners: codeownersFile(project) !== undefined,
    ...(check ? { isGateCheck: (c: string) => matchesGateCheck(check, c, where.workflow?.name) } : {}),
  });
  const { kept, accepted } = applyAccepted(gaps, options);
  if (kept.length === 0) return { findings: [], notices };
  const severity = kept.reduce<Severity>((s, g) => (severityRank(g.severity) < severityRank(s) ? g.severity : s), 'info');
  const unread = a.protection === undefined;
  const message = [
    `The default branch (${a.branch}) of ${a.repository} lets a change merge past review or this gate (rules from: ${policySources(a)}):`,
    ...kept.map((g) => `- ${g.line}`),
    ...(unread ? ['Classic branch protection could not be read, so these are what the rulesets alone require; it may require more.'] : []),
    ...(a.rulesComplete ? [] : ['Only the first page of rules was read.']),
    ...(accepted.length > 0 ? [`Accepted in the config: ${accepted.join('; ')}.`] : []),
  ].join('\n');
  const path = where.workflow?.path ?? REPOSITORY_ROOT;
  const at = check?.span ?? FIRST_LINE;
  const lineHash = where.text !== undefined ? lineHashesUpTo(where.text, at.line)[at.line - 1] : undefined;
  const finding: Finding = {
    ruleId: reviewPolicy.id,
    severity,
    // What the rulesets lack, classic protection may provide: reported, never blocking by default (gate-confidence).
    confidence: unread ? 'low' : 'high',
    message,
    path,
    ...at,
    related: [],
    fingerprint: fingerprint(reviewPolicy.id, path, `${a.repository}\0${a.branch}`, 0),
    ...(lineHash ? { lineHash } : {}),
  };
  return { findings: [finding], notices };
}

/** The config's accepted parts: lowered (the line says why) or left out (listed at the end). */
function applyAccepted(gaps: readonly PolicyGap[], options: ReviewPolicyOptions): { kept: PolicyGap[]; accepted: string[] } {
  const kept: PolicyGap[] = [];
  const accepted: string[] = [];
  for (const g of gaps) {
    const rule = options.accept.find((x) => x.part === g.part);
    if (!rule) kept.push(g);
    else if (rule.severity) kept.push({ ...g, severity: rule.severity, line: `${g.line} (accepted at ${rule.severity}: ${rule.reason})` });
    else accepted.push(`${g.part} (${rule.reason})`);
  }
  return { kept, accepted };
}

interface GateWorkflow {
  workflow?: { path: string; name?: string };
  text?: string;
  check?: GateCheck;
  why: string;
}

/** The gate's workflow and the check run its job makes, or why they are unknown. */
function gateWorkflow(a: PolicyAnswers, project: Project): GateWorkflow {
  const w = a.workflow;
  if (!w) return { why: 'the workflow and job that run the gate are not known here (GITHUB_WORKFLOW_REF and GITHUB_JOB),' };
  const text = project.read(w.path);
  const wf = text === undefined ? undefined : parseWorkflow(w.path, text);
  if (!wf || text === undefined) return { why: `the gate's workflow ${w.path} is not among the scanned files,` };
  const check = gateCheck(wf, w.job);
  const name = wf.doc.get('name');
  const workflow = { path: w.path, ...(typeof name === 'string' ? { name } : {}) };
  if (!check) return { workflow, text, why: `job ${w.job} is not in ${w.path} (a reusable workflow's job?),` };
  return { workflow, text, check, why: '' };
}

function parseWorkflow(path: string, text: string): WorkflowDoc | undefined {
  const notices: Notice[] = [];
  const file = parseYaml(path, text, notices);
  return file ? workflowFromYaml(file, text, notices) : undefined;
}
