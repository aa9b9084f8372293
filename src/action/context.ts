import { readFileSync } from 'node:fs';

/** What the action needs to know about the run, as plain data. */
export interface RunContext {
  eventName: string;
  /** owner/name of the repository the workflow runs in. */
  repository: string;
  serverUrl: string;
  apiUrl: string;
  /** URL of this workflow run, when the run id is known. */
  runUrl?: string;
  /** The commit findings refer to: the PR head for pull_request events, else GITHUB_SHA. */
  sha: string;
  pullRequest?: PullRequestContext;
  /** A `merge_group` event: the queue's base commit (what `gate: new` compares with) and its head. */
  mergeGroup?: { baseSha: string; headSha?: string };
  /** A `push` event: the branch pushed, the commit it pointed at before (all zeros for a new branch), the default branch. */
  push?: { ref: string; before?: string; defaultBranch?: string };
  /** The payload's `repository.default_branch`, when it says (the branch whose protection review-policy reads). */
  defaultBranch?: string;
  /** The payload's `repository.private`, negated: true for a public repository, undefined when the payload does not say. */
  publicRepository?: boolean;
}

export interface PullRequestContext {
  number: number;
  headSha: string;
  baseSha?: string;
  headRepo?: string;
  baseRepo?: string;
  /** True when the head lives in another repository (or its repository is gone): the token is read-only. */
  isFork: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the run context from the environment and the event payload. A missing or unreadable payload
 * means "no pull request context"; this never throws.
 */
export function readContext(env: Env = process.env): RunContext {
  const serverUrl = (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/+$/, '');
  const repository = env['GITHUB_REPOSITORY'] || '';
  const runId = env['GITHUB_RUN_ID'];
  const ctx: RunContext = {
    eventName: env['GITHUB_EVENT_NAME'] || '',
    repository,
    serverUrl,
    apiUrl: (env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, ''),
    sha: env['GITHUB_SHA'] || '',
  };
  if (repository && runId) ctx.runUrl = `${serverUrl}/${repository}/actions/runs/${runId}`;
  const payload = readPayload(env['GITHUB_EVENT_PATH']);
  const pr = pullRequestFrom(payload);
  if (pr) {
    ctx.pullRequest = pr;
    ctx.sha = pr.headSha || ctx.sha;
  }
  const defaultBranch = str(obj(obj(payload)?.['repository'])?.['default_branch']);
  if (defaultBranch) ctx.defaultBranch = defaultBranch;
  const isPrivate = obj(obj(payload)?.['repository'])?.['private'];
  if (typeof isPrivate === 'boolean') ctx.publicRepository = !isPrivate;
  if (ctx.eventName === 'merge_group') {
    const group = mergeGroupFrom(payload);
    if (group) ctx.mergeGroup = group;
  }
  if (ctx.eventName === 'push') {
    const push = pushFrom(payload);
    if (push) ctx.push = push;
  }
  return ctx;
}

function readPayload(path: string | undefined): unknown {
  if (!path) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

export function pullRequestFrom(payload: unknown): PullRequestContext | undefined {
  const pr = obj(obj(payload)?.['pull_request']);
  if (!pr) return undefined;
  const number = pr['number'];
  if (typeof number !== 'number' || !Number.isInteger(number) || number <= 0) return undefined;
  const head = obj(pr['head']);
  const base = obj(pr['base']);
  const headRepo = str(obj(head?.['repo'])?.['full_name']);
  const baseRepo = str(obj(base?.['repo'])?.['full_name']);
  const out: PullRequestContext = {
    number,
    headSha: str(head?.['sha']) ?? '',
    // A deleted fork leaves head.repo null: treat it as a fork (read-only token), never as the base.
    isFork: headRepo === undefined || baseRepo === undefined || headRepo.toLowerCase() !== baseRepo.toLowerCase(),
  };
  const baseSha = str(base?.['sha']);
  if (baseSha) out.baseSha = baseSha;
  if (headRepo) out.headRepo = headRepo;
  if (baseRepo) out.baseRepo = baseRepo;
  return out;
}

export function mergeGroupFrom(payload: unknown): RunContext['mergeGroup'] {
  const group = obj(obj(payload)?.['merge_group']);
  const baseSha = str(group?.['base_sha']);
  if (!baseSha) return undefined;
  const headSha = str(group?.['head_sha']);
  return { baseSha, ...(headSha ? { headSha } : {}) };
}

export function pushFrom(payload: unknown): RunContext['push'] {
  const p = obj(payload);
  const ref = str(p?.['ref']);
  if (!ref) return undefined;
  const before = str(p?.['before']);
  const defaultBranch = str(obj(p?.['repository'])?.['default_branch']);
  return { ref, ...(before ? { before } : {}), ...(defaultBranch ? { defaultBranch } : {}) };
}
