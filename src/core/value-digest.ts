/**
 * The value digest of a secret finding's baseline entry: scrypt (Node's built-in) with a random 16-byte salt per
 * entry, N = 2^15, r = 8, p = 1, 32 bytes.
 *
 * The baseline is committed, so the digest is public: the salt stops precomputed tables and one guess serving every
 * entry, and the cost (32 MiB of memory and 0.1-0.15 s of one core per guess) makes a dictionary of a million
 * passwords cost one to two core-days per entry, the memory bound taking away most of a GPU's advantage. It is a
 * quarter of OWASP's password-storage setting (N = 2^17) because every run checks every baselined secret finding
 * again; a weak password in a small word list stays guessable whatever the cost, which is why a baselined secret
 * still has to be rotated. The parameters are fixed here, never read from the file: a baseline cannot make the gate
 * do more than one digest per secret finding.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Baseline } from './baseline.js';
import type { SecretEntry } from './secrets.js';

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const DIGEST_BYTES = 32;
const DIGEST = /^scrypt:N=32768,r=8,p=1:([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]{43})$/;

/** What is digested: every value of the finding, in the order the rule reported them. */
const material = (values: readonly string[]): string => values.join('\0');

const format = (salt: Buffer, hash: Buffer): string => `scrypt:N=32768,r=8,p=1:${salt.toString('base64url')}:${hash.toString('base64url')}`;
const hashAsync = (values: readonly string[], salt: Buffer): Promise<Buffer> =>
  new Promise((done, fail) => scrypt(material(values), salt, DIGEST_BYTES, SCRYPT, (err, key) => (err ? fail(err) : done(key))));

export function valueDigest(values: readonly string[], salt: Buffer = randomBytes(16)): string {
  return format(salt, scryptSync(material(values), salt, DIGEST_BYTES, SCRYPT));
}

/** valueDigest on one of libuv's threads. */
export async function valueDigestAsync(values: readonly string[]): Promise<string> {
  const salt = randomBytes(16);
  return format(salt, await hashAsync(values, salt));
}

/** True when `digest` was made from exactly these values; false for another value, a foreign scheme or a malformed digest. */
export function digestMatches(values: readonly string[], digest: string): boolean {
  const m = DIGEST.exec(digest);
  return m !== null && timingSafeEqual(scryptSync(material(values), Buffer.from(m[1]!, 'base64url'), DIGEST_BYTES, SCRYPT), Buffer.from(m[2]!, 'base64url'));
}

/** digestMatches on one of libuv's threads. */
export async function digestMatchesAsync(values: readonly string[], digest: string): Promise<boolean> {
  const m = DIGEST.exec(digest);
  return m !== null && timingSafeEqual(await hashAsync(values, Buffer.from(m[1]!, 'base64url')), Buffer.from(m[2]!, 'base64url'));
}

/** Digest checks done ahead of applyBaseline: `${digest}\0${fingerprint}` → whether the finding's values match it. */
export type DigestChecks = ReadonlyMap<string, boolean>;

/**
 * Checks, all at once on libuv's threads (up to 4 in parallel), the digests applyBaseline will need: those of the
 * entries whose fingerprint is a secret finding's. A fingerprint listed with several digests (a baseline cannot
 * mean that) is left to applyBaseline, which checks one entry per finding: a crafted baseline costs no more.
 */
export async function checkDigests(baseline: Baseline, secrets: readonly SecretEntry[]): Promise<DigestChecks> {
  const digests = new Map<string, string | null>();
  for (const e of baseline.findings) {
    if (e.valueDigest === undefined) continue;
    const seen = digests.get(e.fingerprint);
    digests.set(e.fingerprint, seen === undefined || seen === e.valueDigest ? e.valueDigest : null);
  }
  const out = new Map<string, boolean>();
  await Promise.all(
    secrets.map(async ([fp, values]) => {
      const digest = digests.get(fp);
      if (digest) out.set(`${digest}\0${fp}`, await digestMatchesAsync(values, digest));
    }),
  );
  return out;
}
