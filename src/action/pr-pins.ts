/**
 * The pins behind the review's suggestions (issue 20): for each unpinned-action / unpinned-image finding the review
 * can anchor, the commit SHA or digest looked up online (src/action/pins/), inside the pull request client's time
 * budget. What cannot be looked up is left out: its comment has no suggestion, and its message says what to do.
 */
import { redactText } from '../core/redact.js';
import { anchorFor } from '../reporters/review.js';
import { pinTarget, type ResolvedPins } from '../reporters/pin-suggestions.js';
import { actionKey } from '../core/pins.js';
import type { FileChange } from '../core/diff.js';
import type { Finding } from '../core/types.js';
import { onlineResolver } from './pins/index.js';

export interface PinLookupOptions {
  /** GITHUB_API_URL. */
  apiUrl: string;
  /** The action's token: sent to the GitHub API only. */
  token: string;
  /** The pull request client's deadline (epoch ms): the lookups take at most a third of what is left, leaving the rest for posting. */
  deadline: number;
  timeoutMs?: number;
  /** Test-only (PORTCULLIS_TEST_FAST_API): loopback registries instead of the public ones, so no lookup leaves the machine. */
  testRegistries?: boolean;
  /** At most this many distinct pins are looked up (the review's comment cap). */
  max: number;
  log?: (message: string) => void;
}

const CONCURRENCY = 4;

export async function lookUpPins(
  findings: readonly Finding[],
  diff: ReadonlyMap<string, FileChange>,
  readLines: (path: string) => readonly string[] | undefined,
  opts: PinLookupOptions,
): Promise<ResolvedPins> {
  const actions = new Map<string, string>();
  const images = new Map<string, string>();
  const jobs = new Map<string, () => Promise<void>>();
  const left = opts.deadline - Date.now();
  if (left <= 0) return { actions, images };
  const resolver = onlineResolver({
    githubApiUrl: opts.apiUrl,
    token: opts.token,
    registries: opts.testRegistries ? 'none' : 'public',
    loopback: opts.testRegistries === true,
    deadline: Date.now() + Math.min(30_000, Math.floor(left / 3)),
    timeoutMs: Math.min(opts.timeoutMs ?? 10_000, 10_000),
    maxRequests: opts.max * 3,
    maxRateLimitWaitSeconds: 10,
  });
  const failed: string[] = [];
  for (const f of findings) {
    if (jobs.size >= opts.max || !anchorFor(f, diff.get(f.path))) continue;
    const target = pinTarget(f, readLines(f.path)?.[f.line - 1]);
    if (target?.kind === 'action') {
      const key = actionKey(target.ownerRepo, target.ref);
      jobs.set(`a ${key}`, async () => {
        const r = await resolver.actionSha(target.ownerRepo, target.ref);
        if ('value' in r) actions.set(key, r.value);
        else failed.push(r.error);
      });
    } else if (target) {
      jobs.set(`i ${target.image}`, async () => {
        const r = await resolver.imageDigest(target.image);
        if ('value' in r) images.set(target.image, r.value);
        else failed.push(r.error);
      });
    }
  }
  const queue = [...jobs.values()];
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await job();
  }));
  if (jobs.size > 0)
    // the references are the checkout's text: redacted like every other line the gate prints
    opts.log?.(redactText(`Pins for suggestions: ${actions.size + images.size} of ${jobs.size} looked up (${resolver.requests()} requests)${failed.length ? `; not resolved: ${failed.slice(0, 5).join('; ')}` : ''}.`));
  return { actions, images };
}
