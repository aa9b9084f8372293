import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../src/action/github.js';
import { ACTIONS_LOGIN, PosterIdentity } from '../../src/action/identity.js';
import { publishingSettings } from '../../src/action/pr.js';
import { LEGACY_MARKER, stickyMarker, upsertSticky, withMarker } from '../../src/action/sticky.js';
import { ACTIONS_BOT, FakeGitHub } from '../support/fake-github.js';

let fake: FakeGitHub;
let pr = 300;
const OCTOCAT = { login: 'octocat', id: 1, type: 'User' } as const;
const OTHER_APP = { login: 'other-app[bot]', id: 99, type: 'Bot' } as const;

beforeAll(async () => {
  fake = await FakeGitHub.start();
  fake.actAs('ghp_octocat', OCTOCAT);
  fake.actAs('ghs_other_app', OTHER_APP);
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  pr++;
  fake.addPullRequest({ number: pr });
  fake.clearRequests();
  fake.clearFaults();
});

async function client(token: string): Promise<GitHubClient> {
  return createGitHubClient({
    token,
    apiUrl: fake.url,
    repository: fake.repository,
    writeSpacingMs: 0,
    retryBaseMs: 1,
    rateLimitBaseMs: 1,
  });
}

const calls = (): string[] => fake.requests.map((r) => `${r.method} ${r.path.replace('/repos/acme/widgets', '')}`);

describe('stickyMarker', () => {
  it('names the workflow and job, and no name can end the HTML comment or pose as another key', () => {
    expect(stickyMarker('CI / security', 'gate')).toBe('<!-- portcullis:sticky:CI%20%2F%20security:gate -->');
    for (const [workflow, job] of [
      ['x -->\n@everyone <img src=x>', 'y--!>'],
      ['a:b', 'c'],
      ['ünï', '😀'],
      ['', ''],
    ] as const) {
      const marker = stickyMarker(workflow, job);
      expect(marker).toMatch(/^<!-- portcullis:sticky:[A-Za-z0-9._%]*:[A-Za-z0-9._%]* -->$/);
    }
    expect(stickyMarker('a:b', 'c')).not.toBe(stickyMarker('a', 'b:c'));
    expect(stickyMarker('x'.repeat(5000), 'j').length).toBeLessThan(300);
  });

  it('replaces the renderer’s legacy marker with ours', () => {
    expect(withMarker(`${LEGACY_MARKER}\n\n## Portcullis`, '<!-- m -->')).toBe('<!-- m -->\n\n## Portcullis');
  });
});

const marker = stickyMarker('CI', 'gate');
/** One upsert of the sticky comment with `token`, returning the identity it learnt. */
const run = async (token: string, body: string): Promise<PosterIdentity> => {
  const c = await client(token);
  const identity = new PosterIdentity(c, token);
  await upsertSticky({
    client: c,
    identity,
    issue: pr,
    marker,
    body: `${marker}\n${body}`,
    worth: true,
    info: () => {},
  });
  return identity;
};

describe('upsertSticky with a personal access token', () => {
  it('learns its account from GET /user and updates only that account’s comment', async () => {
    const bots = fake.addIssueComment(pr, { body: `${marker}\nGITHUB_TOKEN's` });
    const mine = fake.addIssueComment(pr, { body: `${marker}\nmine, earlier`, user: OCTOCAT });
    const identity = await run('ghp_octocat', 'mine, now');
    expect(identity).toMatchObject({ login: 'octocat', confirmed: true });
    expect(calls()).toEqual([`GET /issues/${pr}/comments`, 'GET /user', `PATCH /issues/comments/${mine.id}`]);
    expect(fake.issueComments(pr).map((c) => [c.id, c.body])).toEqual([
      [bots.id, `${marker}\nGITHUB_TOKEN's`],
      [mine.id, `${marker}\nmine, now`],
    ]);
  });
});

describe('upsertSticky with an installation token', () => {
  it('GITHUB_TOKEN: presumes github-actions[bot] without asking, and a created comment confirms it', async () => {
    const identity = await run('ghs_workflow', 'first');
    expect(calls()).toEqual([`GET /issues/${pr}/comments`, `POST /issues/${pr}/comments`]);
    expect(identity).toMatchObject({ login: ACTIONS_LOGIN, confirmed: true });
  });

  it('asks GraphQL viewer once when another bot’s comment carries the marker, and leaves that comment alone', async () => {
    const theirs = fake.addIssueComment(pr, { body: `${marker}\ntheirs`, user: OTHER_APP });
    await run('ghs_workflow', 'ours');
    expect(calls()).toEqual([`GET /issues/${pr}/comments`, 'POST /graphql', `POST /issues/${pr}/comments`]);
    expect(fake.issueComments(pr).map((c) => [c.id === theirs.id, c.user.login])).toEqual([
      [true, OTHER_APP.login],
      [false, ACTIONS_BOT.login],
    ]);
  });

  it('a GitHub App token whose viewer is unknown learns its bot from the comment it creates, then keeps its oldest', async () => {
    fake.injectFault({ count: 1, status: 404, method: 'POST', path: /^\/graphql$/ });
    const earlier = fake.addIssueComment(pr, { body: `${marker}\nfrom an earlier run`, user: OTHER_APP });
    const identity = await run('ghs_other_app', 'now');
    expect(identity).toMatchObject({ login: OTHER_APP.login, confirmed: true });
    const created = fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/comments'));
    expect(created).toBeDefined();
    expect(fake.issueComments(pr).map((c) => [c.id, c.body])).toEqual([[earlier.id, `${marker}\nnow`]]);
  });

  it('a GitHub App token refused an edit under the presumed login: it creates its own and deletes nothing', async () => {
    const a = fake.addIssueComment(pr, { body: `${marker}\nGITHUB_TOKEN's, a` });
    const b = fake.addIssueComment(pr, { body: `${marker}\nGITHUB_TOKEN's, b` });
    const identity = await run('ghs_other_app', 'mine');
    expect(identity).toMatchObject({ login: OTHER_APP.login, confirmed: true });
    expect(calls().filter((c) => !c.startsWith('GET'))).toEqual([
      `PATCH /issues/comments/${a.id}`,
      `POST /issues/${pr}/comments`,
    ]);
    expect(fake.issueComments(pr).map((c) => [c.user.login, c.body.split('\n')[1]])).toEqual([
      [ACTIONS_BOT.login, "GITHUB_TOKEN's, a"],
      [ACTIONS_BOT.login, "GITHUB_TOKEN's, b"],
      [OTHER_APP.login, 'mine'],
    ]);
    expect(b.id).toBeGreaterThan(a.id);
  });

  it('two of its own comments: the oldest is kept and updated, the other deleted; another bot’s is never touched', async () => {
    const other = fake.addIssueComment(pr, { body: `${marker}\nforeign`, user: OTHER_APP });
    const oldest = fake.addIssueComment(pr, { body: `${marker}\nrace a` });
    const newer = fake.addIssueComment(pr, { body: `${marker}\nrace b` });
    await run('ghs_workflow', 'settled');
    // Another bot's marked comment raises the question once (GraphQL viewer); the answer settles it.
    expect(calls().filter((c) => !c.startsWith('GET'))).toEqual([
      'POST /graphql',
      `PATCH /issues/comments/${oldest.id}`,
      `DELETE /issues/comments/${newer.id}`,
    ]);
    expect(fake.issueComments(pr).map((c) => c.id)).toEqual([other.id, oldest.id]);
  });
});

describe('publishingSettings', () => {
  it('takes the workflow and job; test limits only with PORTCULLIS_TEST_FAST_API=1', () => {
    const env = {
      GITHUB_WORKFLOW: 'CI',
      GITHUB_JOB: 'gate',
      PORTCULLIS_TEST_API_TIMEOUT_MS: '5',
      PORTCULLIS_TEST_API_BUDGET_MS: '50',
    };
    expect(publishingSettings(env)).toEqual({ workflow: 'CI', job: 'gate' });
    expect(publishingSettings({ ...env, PORTCULLIS_TEST_FAST_API: '1' })).toEqual({
      workflow: 'CI',
      job: 'gate',
      fastApi: true,
      apiLimits: { timeoutMs: 5, budgetMs: 50 },
    });
    expect(publishingSettings({ PORTCULLIS_TEST_FAST_API: '1', PORTCULLIS_TEST_API_TIMEOUT_MS: '-1' })).toEqual({
      workflow: '',
      job: '',
      fastApi: true,
      apiLimits: {},
    });
  });
});
