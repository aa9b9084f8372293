/**
 * The "get a commit" part of the fake GitHub (test/support/fake-github.ts routes to it): `GET
 * /repos/{owner}/{repo}/commits/{ref}` for ANY repository (the actions a workflow uses are other repositories),
 * answered anonymously too, as GitHub answers for public repositories. Shaped like GitHub's documented `commit`
 * answer (https://docs.github.com/rest/commits/commits#get-a-commit): `sha`, `node_id`, `url`, `html_url`,
 * `comments_url`, `commit` {…, `tree`}, `author`, `committer`, `parents`, `stats`, `files`. A tag name answers with
 * the commit it points at, an annotated tag already peeled (as GitHub does). The request parameters are checked by
 * the fake against the operation's schema in GitHub's OpenAPI description, like every other route.
 *
 * Errors as GitHub answers them: 404 `Not Found` for a repository it does not know, 422 `No commit found for SHA:
 * <ref>` for a ref that names nothing.
 */
import type { Answer } from './fake-code-scanning.js';

export class FakeCommits {
  /** lower-case owner/repo → ref → commit SHA */
  private readonly refs = new Map<string, Map<string, string>>();
  /** Authorization headers seen by this route (undefined for anonymous requests), in order. */
  readonly authorizations: (string | undefined)[] = [];

  constructor(private readonly baseUrl: () => string) {}

  /** `ownerRepo@ref` names commit `sha` (a branch, a lightweight tag, or an annotated tag's commit). */
  set(ownerRepo: string, ref: string, sha: string): void {
    const key = ownerRepo.toLowerCase();
    const map = this.refs.get(key) ?? new Map<string, string>();
    map.set(ref, sha);
    this.refs.set(key, map);
  }

  get(owner: string, repo: string, ref: string, doc: string, authorization: string | undefined, fail: (a: Answer) => never): Answer {
    this.authorizations.push(authorization);
    const refs = this.refs.get(`${owner}/${repo}`.toLowerCase());
    if (!refs) return fail({ status: 404, payload: { message: 'Not Found', documentation_url: doc, status: '404' } });
    // A full SHA names itself when the repository has it.
    const sha = refs.get(ref) ?? ([...refs.values()].includes(ref) ? ref : undefined);
    if (!sha) return fail({ status: 422, payload: { message: `No commit found for SHA: ${ref}`, documentation_url: doc, status: '422' } });
    const api = `${this.baseUrl()}/repos/${owner}/${repo}`;
    const person = { name: 'Release Bot', email: 'release@example.com', date: '2026-01-01T00:00:00Z' };
    const user = { login: 'release-bot', id: 1, node_id: 'MDQ6VXNlcjE=', type: 'User', site_admin: false };
    return {
      status: 200,
      payload: {
        sha,
        node_id: `C_${sha.slice(0, 12)}`,
        url: `${api}/commits/${sha}`,
        html_url: `https://github.com/${owner}/${repo}/commit/${sha}`,
        comments_url: `${api}/commits/${sha}/comments`,
        commit: {
          url: `${api}/git/commits/${sha}`,
          author: person,
          committer: person,
          message: `release ${ref}`,
          comment_count: 0,
          tree: { sha: 'e'.repeat(40), url: `${api}/git/trees/${'e'.repeat(40)}` },
          verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
        },
        author: user,
        committer: user,
        parents: [{ sha: 'd'.repeat(40), url: `${api}/commits/${'d'.repeat(40)}`, html_url: `https://github.com/${owner}/${repo}/commit/${'d'.repeat(40)}` }],
        stats: { additions: 1, deletions: 0, total: 1 },
        files: [],
      },
    };
  }
}
