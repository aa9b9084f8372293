/**
 * An action's ref to the commit it names today, through GitHub's "get a commit" operation
 * (`GET /repos/{owner}/{repo}/commits/{ref}`, https://docs.github.com/rest/commits/commits#get-a-commit). The ref may
 * be a branch, a tag or a SHA; for a tag GitHub answers with the commit it points at, an annotated tag peeled to its
 * commit, so the `sha` of the answer is always a commit's. The owner, repository and ref come from the pull request:
 * they are checked against GitHub's own name rules before they go into a URL, and the request goes to the API host only.
 */
import { Budget, LookupError } from './budget.js';

/** GitHub's owner names (letters, digits, single inner hyphens; 39 at most) and repository names. */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const SHA = /^[0-9a-f]{40}$/;

/** A git ref name as `git check-ref-format` allows it, restricted to printable ASCII without shell or URL syntax. */
export function validRef(ref: string): boolean {
  return (
    ref.length > 0 &&
    ref.length <= 255 &&
    /^[A-Za-z0-9._/+-]+$/.test(ref) &&
    !ref.startsWith('/') &&
    !ref.startsWith('-') &&
    !ref.endsWith('/') &&
    !ref.endsWith('.') &&
    !ref.endsWith('.lock') &&
    !ref.includes('..') &&
    !ref.includes('//') &&
    !ref.split('/').some((part) => part.startsWith('.'))
  );
}

export function validOwnerRepo(ownerRepo: string): boolean {
  const [owner, repo, ...rest] = ownerRepo.split('/');
  return rest.length === 0 && OWNER.test(owner ?? '') && REPO.test(repo ?? '') && repo !== '.' && repo !== '..';
}

export interface GitHubApi {
  /** GITHUB_API_URL; a path such as `/api/v3` is kept. */
  url: URL;
  /** Sent to this API's origin only. */
  token?: string;
}

/** The API base from GITHUB_API_URL (default GitHub's public API): an http(s) URL without credentials, query or fragment. */
export function githubApi(apiUrl: string | undefined, token: string | undefined): GitHubApi {
  const url = new URL((apiUrl || 'https://api.github.com').replace(/\/+$/, '') + '/');
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search || url.hash)
    throw new Error(`GITHUB_API_URL must be a plain http(s) URL, got "${apiUrl ?? ''}"`);
  return { url, ...(token ? { token } : {}) };
}

export async function lookUpActionSha(api: GitHubApi, ownerRepo: string, ref: string, budget: Budget): Promise<string> {
  if (!validOwnerRepo(ownerRepo)) throw new LookupError(`"${ownerRepo.slice(0, 100)}" is not a GitHub owner/repository name`);
  if (!validRef(ref)) throw new LookupError(`"${ref.slice(0, 100)}" is not a valid git ref`);
  const [owner, repo] = ownerRepo.split('/') as [string, string];
  const path = `repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/commits/${encodeURIComponent(ref)}`;
  const url = new URL(path, api.url);
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': 'portcullis-pins',
  };
  // The URL was built from the API base and checked names only, so its origin is the API's.
  if (api.token && url.origin === api.url.origin) headers['authorization'] = `Bearer ${api.token}`;
  const answer = await budget.send(url, { method: 'GET', headers });
  if (answer.status === 404 || answer.status === 422)
    throw new LookupError(`${ownerRepo}@${ref}: no such repository or ref${api.token ? '' : ' (or the repository is private and no token was given)'}`);
  if (answer.status >= 300 && answer.status < 400) throw new LookupError(`${ownerRepo}: the repository has moved (HTTP ${answer.status}); update the reference`);
  if (answer.status !== 200) throw new LookupError(`${ownerRepo}@${ref}: GitHub answered HTTP ${answer.status}`);
  let sha: unknown;
  try {
    sha = (JSON.parse(Buffer.from(answer.body).toString('utf8')) as { sha?: unknown }).sha;
  } catch {
    throw new LookupError(`${ownerRepo}@${ref}: GitHub's answer is not JSON`);
  }
  if (typeof sha !== 'string' || !SHA.test(sha)) throw new LookupError(`${ownerRepo}@${ref}: GitHub's answer carries no commit SHA`);
  return sha;
}
