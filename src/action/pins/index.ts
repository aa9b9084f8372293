/**
 * The online PinResolver (src/core/pins.ts): action refs through GitHub's API, image tags through their registry,
 * every answer cached for the run (one lookup per action ref and per image), everything inside one Budget. A ref that
 * cannot be resolved is an `{error}` with a short reason; nothing is ever guessed.
 */
import type { PinResolver, Resolved } from '../../core/pins.js';
import { githubApi, lookUpActionSha } from './action-refs.js';
import { Budget, LookupError, type BudgetOptions } from './budget.js';
import { imageTarget, type RegistryPolicy } from './image-name.js';
import { lookUpDigest, type TokenCache } from './registry.js';

export { OFFLINE_RESOLVER, type PinResolver, type Resolved } from '../../core/pins.js';
export type { RegistryPolicy } from './image-name.js';

export interface OnlineResolverOptions extends BudgetOptions, RegistryPolicy {
  /** GITHUB_API_URL (a path such as `/api/v3` is kept); GitHub's public API when unset. */
  githubApiUrl?: string;
  /** GITHUB_TOKEN: sent to the GitHub API's origin only. Anonymous when unset. */
  token?: string;
}

export interface OnlineResolver extends PinResolver {
  /** Requests sent so far (token requests and rate-limit retries included). */
  readonly requests: () => number;
}

export function onlineResolver(options: OnlineResolverOptions): OnlineResolver {
  const api = githubApi(options.githubApiUrl, options.token);
  const budget = new Budget(options);
  const tokens: TokenCache = new Map();
  const cache = new Map<string, Promise<Resolved>>();
  const once = (key: string, look: () => Promise<string>): Promise<Resolved> => {
    let pending = cache.get(key);
    if (!pending) {
      pending = look().then(
        (value) => ({ value }),
        (err: unknown) => ({ error: err instanceof LookupError ? err.message : `lookup failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` }),
      );
      cache.set(key, pending);
    }
    return pending;
  };
  return {
    // Owner and repository names are case-insensitive on GitHub; a ref is not.
    actionSha: (ownerRepo, ref) => once(`action ${ownerRepo.toLowerCase()}@${ref}`, () => lookUpActionSha(api, ownerRepo, ref, budget)),
    imageDigest: (image) => {
      const target = imageTarget(image, options);
      if (typeof target === 'string') return Promise.resolve({ error: `${image.slice(0, 200)}: ${target}` });
      // `nginx:1.27`, `docker.io/library/nginx:1.27` and `docker://nginx:1.27` are one image: one lookup.
      return once(`image ${target.host}/${target.path}:${target.tag}`, () => lookUpDigest(target, budget, tokens));
    },
    requests: () => budget.requests,
  };
}

/**
 * The resolver `portcullis fix` uses: GITHUB_API_URL and GITHUB_TOKEN from the environment it is given, and any
 * registry an image reference names (the user runs it on their own machine, as `docker pull` would), loopback
 * included; private and link-local IPv4 literals are still refused.
 */
export function cliResolver(env: Readonly<Record<string, string | undefined>>, limits: BudgetOptions = {}): OnlineResolver {
  return onlineResolver({
    ...limits,
    ...(env['GITHUB_API_URL'] ? { githubApiUrl: env['GITHUB_API_URL'] } : {}),
    ...(env['GITHUB_TOKEN'] ? { token: env['GITHUB_TOKEN'] } : {}),
    registries: 'any',
    loopback: true,
  });
}
