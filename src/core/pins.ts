/**
 * What `portcullis fix` and the PR suggestions ask of the online pin lookups (src/action/pins/*), so that the
 * rewriting (pure, in src/fix/) and the network (only in src/action/) meet at one small contract.
 */

/** A resolved pin, or why it could not be resolved (then nothing is guessed: the ref is left as it is and listed). */
export type Resolved = { value: string } | { error: string };

export interface PinResolver {
  /**
   * The 40-hex commit SHA that `owner/repo@ref` names today (annotated tags dereferenced to their commit). `repo` is the
   * repository only: for `owner/repo/path@ref` pass `owner/repo`. One lookup per (repo, ref) per run.
   */
  actionSha(ownerRepo: string, ref: string): Promise<Resolved>;
  /**
   * The `sha256:…` digest of `image` (a reference as written, `name:tag`, registry host optional; Docker Hub names
   * without a slash are `library/…`): the multi-arch index digest when there is one. One lookup per image per run.
   */
  imageDigest(image: string): Promise<Resolved>;
}

/** The key a run's looked-up action pins are kept under: `owner/repo` lower-case (GitHub's names are), the ref as written. */
export const actionKey = (ownerRepo: string, ref: string): string => `${ownerRepo.toLowerCase()}@${ref}`;

/** A resolver for `--offline`: it makes no request and resolves nothing. */
export const OFFLINE_RESOLVER: PinResolver = {
  actionSha: async () => ({ error: 'offline: no lookup made' }),
  imageDigest: async () => ({ error: 'offline: no lookup made' }),
};
