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
  const pr = pullRequestFrom(readPayload(env['GITHUB_EVENT_PATH']));
  if (pr) {
    ctx.pullRequest = pr;
    ctx.sha = pr.headSha || ctx.sha;
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
