/**
 * Who this token posts as, so that only comments it wrote count as Portcullis's own: a marker alone
 * proves nothing (anyone who can comment can paste it, and every workflow using GITHUB_TOKEN posts as
 * the same bot).
 *
 * - A personal access or OAuth token: `GET /user` names its account.
 * - An installation token (`ghs_…`): GITHUB_TOKEN, the `token` input's default, posts as
 *   `github-actions[bot]`; a GitHub App's token posts as `<app-slug>[bot]`. Both are refused by
 *   `GET /user`, so the login is presumed to be `github-actions[bot]`, and asked of GraphQL's `viewer`
 *   (which answers for installation tokens) only when another bot's comment carries a marker: one
 *   extra request then, none on an ordinary GITHUB_TOKEN run.
 * - Whatever we create tells us for certain: its author is who we are (`learn`).
 *
 * A presumption can be wrong once: a GitHub App token's first run finds a `github-actions[bot]`
 * comment with this workflow's and job's marker, tries to update it and is refused (403); it then
 * creates its own, learns its bot from it and touches nothing else. From then on its own comment
 * sits beside the other bot's, and the question goes to `viewer`.
 */
import { GitHubApiError, type GitHubClient, type GitHubUser } from './github.js';

/** What the workflow's GITHUB_TOKEN posts as. */
export const ACTIONS_LOGIN = 'github-actions[bot]';
/** Installation (server-to-server) tokens: GITHUB_TOKEN and GitHub App tokens. */
const INSTALLATION_TOKEN = /^ghs_/;

export class PosterIdentity {
  /** The login our comments carry, as far as known. */
  login: string | undefined;
  /** True when GitHub said so (GET /user, viewer, or something we created); false while presumed. */
  confirmed = false;
  private askedUser = false;
  private askedViewer = false;

  constructor(
    private readonly client: GitHubClient,
    private readonly token: string,
  ) {}

  /**
   * The login to own comments by, given the authors of the marked items found. Asks GitHub at most
   * once per question; a GitHub that does not answer in time ends the run's publishing (rethrown).
   */
  async resolve(authors: readonly (GitHubUser | undefined)[]): Promise<string | undefined> {
    if (this.confirmed) return this.login;
    if (!this.askedUser) {
      this.askedUser = true;
      if (!INSTALLATION_TOKEN.test(this.token)) {
        try {
          this.learn((await this.client.getAuthenticatedUser()).login);
          return this.login;
        } catch (err) {
          if (err instanceof GitHubApiError && err.unanswered) throw err;
          // Refused: an installation token of another shape, or a broken one (its writes will say so).
        }
      }
      this.login = ACTIONS_LOGIN;
    }
    // Only a bot can be an installation token's author: a person pasting the marker raises no question.
    const otherBots = authors.filter(
      (u) => u && (u.type === 'Bot' || u.login.endsWith('[bot]')) && u.login !== this.login,
    );
    if (!this.askedViewer && otherBots.length > 0) {
      this.askedViewer = true;
      const viewer = await this.client.viewerLogin();
      if (viewer) this.learn(botLogin(viewer, authors));
    }
    return this.login;
  }

  /** GitHub created something for us and says who wrote it. */
  learn(login: string | undefined): void {
    if (!login) return;
    this.login = login;
    this.confirmed = true;
  }

  owns(user: GitHubUser | undefined): boolean {
    return !!user && !!this.login && user.login === this.login;
  }
}

/** REST names a bot `<slug>[bot]`; GraphQL may leave the suffix off. */
function botLogin(viewer: string, authors: readonly (GitHubUser | undefined)[]): string {
  if (viewer.endsWith('[bot]')) return viewer;
  const bot = authors.find((u) => u?.type === 'Bot' && u.login === `${viewer}[bot]`);
  return bot ? bot.login : viewer;
}
