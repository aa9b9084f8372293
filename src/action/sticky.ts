/**
 * The sticky comment: one per workflow and job on a pull request, found by a marker that names them
 * and owned only when this token wrote it (identity.ts). Another workflow's, another app's or a
 * person's comment is never edited or deleted, whatever marker it carries.
 *
 * Writes are sent once (github-transport.ts): when a create or update fails after it was sent, the
 * comments are listed again and the run continues from what GitHub actually holds.
 */
import { STICKY_MARKER } from '../reporters/pr-comment.js';
import { BudgetExceededError, GitHubApiError, type GitHubClient, type IssueComment } from './github.js';
import type { PosterIdentity } from './identity.js';

/** What Portcullis wrote before markers named the workflow and job; recognised on our own comments only. */
export const LEGACY_MARKER = STICKY_MARKER;
const MAX_NAME = 200;

/**
 * `<!-- portcullis:sticky:<workflow>:<job> -->`. Both names are percent-encoded down to letters, digits,
 * `.`, `_` and `%XX`: no name can end the HTML comment (`-->`, `--!>`), add a `:` to pose as another
 * workflow's key, or break the Markdown around it.
 */
export function stickyMarker(workflow: string, job: string): string {
  return `<!-- portcullis:sticky:${encodeName(workflow)}:${encodeName(job)} -->`;
}

function encodeName(name: string): string {
  return [...name.slice(0, MAX_NAME)]
    .map((ch) =>
      /^[A-Za-z0-9._]$/.test(ch)
        ? ch
        : [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
    )
    .join('');
}

/** The comment body with our marker first (the renderer starts it with the legacy marker). */
export function withMarker(body: string, marker: string): string {
  return body.startsWith(LEGACY_MARKER) ? marker + body.slice(LEGACY_MARKER.length) : `${marker}\n${body}`;
}

export interface StickyRequest {
  client: GitHubClient;
  identity: PosterIdentity;
  issue: number;
  marker: string;
  /** The full body, marker first. */
  body: string;
  /** Whether a comment is worth creating when there is none yet. */
  worth: boolean;
  info: (message: string) => void;
}

/**
 * Creates, updates or leaves our comment; deletes our own duplicates. Of several of our comments
 * (two runs racing, or a create GitHub applied but answered with an error) the OLDEST is kept: it
 * holds its place in the conversation and its link, and every run that lists the same comments
 * picks the same one, so racing runs never delete each other's choice.
 */
export async function upsertSticky(req: StickyRequest): Promise<void> {
  const { client, identity } = req;
  const listed = await client.listIssueComments(req.issue);
  await identity.resolve(
    listed.filter((c) => c.body.startsWith(req.marker) || c.body.startsWith(LEGACY_MARKER)).map((c) => c.user),
  );
  let ours = ownComments(listed, req);
  if (ours.length === 0) {
    if (!req.worth) return;
    const created = await createOnce(req, listed);
    identity.learn(created.user?.login);
    // When the login was only presumed, what we just created may reveal earlier comments of ours.
    ours = ownComments([...listed, created], req);
    if (ours.length <= 1) return;
  }
  const [keep, ...duplicates] = ours;
  // Refused (403): the presumed login was wrong, so neither is any "duplicate" ours to delete.
  if (keep!.body !== req.body && !(await updateOnce(req, keep!))) return;
  for (const d of duplicates) await client.deleteIssueComment(d.id);
}

/**
 * Our comments, oldest first: those with our marker by our login; else the oldest comment of ours
 * with the legacy marker (adopted and re-marked on update). Other legacy comments are left alone:
 * they may belong to another workflow that has not upgraded yet.
 */
function ownComments(comments: readonly IssueComment[], req: StickyRequest): IssueComment[] {
  const mine = comments.filter((c) => req.identity.owns(c.user)).sort(oldestFirst);
  const exact = mine.filter((c) => c.body.startsWith(req.marker));
  if (exact.length > 0) return exact;
  const legacy = mine.find((c) => c.body.startsWith(LEGACY_MARKER));
  return legacy ? [legacy] : [];
}

function oldestFirst(a: IssueComment, b: IssueComment): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id;
}

/** POST once; after an ambiguous failure, the comment GitHub holds with exactly our body (new since `before`) is the one we sent. */
async function createOnce(req: StickyRequest, before: readonly IssueComment[]): Promise<IssueComment> {
  try {
    return await req.client.createIssueComment(req.issue, req.body);
  } catch (err) {
    if (!isReconcilable(err)) throw err;
    const known = new Set(before.map((c) => c.id));
    const found = (await req.client.listIssueComments(req.issue)).find((c) => !known.has(c.id) && c.body === req.body);
    if (!found) throw notApplied(err, 'the comment is not on the pull request');
    req.info(`${err.message} GitHub had created the comment all the same (${found.id}); it was not sent again.`);
    return found;
  }
}

/**
 * PATCH once; a comment gone (404) or not ours to edit (403: the login was only presumed) is
 * replaced by a new one. False when GitHub refused the edit.
 */
async function updateOnce(req: StickyRequest, keep: IssueComment): Promise<boolean> {
  try {
    await req.client.updateIssueComment(keep.id, req.body);
    return true;
  } catch (err) {
    if (err instanceof GitHubApiError && !err.ambiguous && (err.status === 404 || err.status === 403)) {
      const created = await createOnce(req, await req.client.listIssueComments(req.issue));
      req.identity.learn(created.user?.login);
      return err.status === 404;
    }
    if (!isReconcilable(err)) throw err;
    const now = (await req.client.listIssueComments(req.issue)).find((c) => c.id === keep.id);
    if (now?.body !== req.body) throw notApplied(err, 'the comment still has its old text');
    req.info(`${err.message} GitHub had updated the comment all the same; it was not sent again.`);
    return true;
  }
}

/** A write that may have been applied, with time left to look. */
export function isReconcilable(err: unknown): err is GitHubApiError {
  return err instanceof GitHubApiError && err.ambiguous && !(err instanceof BudgetExceededError);
}

/** The ambiguous error, completed with what the listing showed. */
export function notApplied(err: GitHubApiError, what: string): GitHubApiError {
  return new GitHubApiError(
    `${err.message.replace(/\.$/, '')}; ${what}, and it was not sent again: the next run posts it.`,
    err.operation,
    err.status,
    err.documentationUrl,
    err.flags,
  );
}
