/**
 * Deterministic, obviously synthetic token material for the format table's examples, the rule's
 * examples and the tests. Tokens are assembled at run time from parts, so no complete token-shaped
 * literal is ever committed (secret scanning and push protection see none, and neither does this scanner).
 */
import { base62, crc32 } from './checksum.js';

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const HEX = '0123456789abcdef';
export const UPPER_HEX = '0123456789ABCDEF';
export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const BASE64 = `${ALNUM}+/`;
export const BASE64URL = `${ALNUM}-_`;
export const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const BECH32 = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L';

/** `length` characters of `alphabet` from a seeded PRNG (mulberry32): the same seed always gives the same string. */
export function fake(length: number, alphabet: string = ALNUM, seed = 1): string {
  let s = (seed * 0x9e3779b9) >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out += alphabet[((t ^ (t >>> 14)) >>> 0) % alphabet.length];
  }
  return out;
}

/** A token with a valid GitHub-style CRC-32 checksum (GitHub classic tokens, npm tokens). */
export function checksummed(prefix: string, seed = 1): string {
  const body = fake(30, ALNUM, seed);
  return prefix + body + base62(crc32(body));
}

/** A PEM-style block with a synthetic base64 body of `lines` 64-character lines. */
export function pemBlock(label: string, lines = 6, seed = 1, eol = '\n'): string {
  const body = Array.from({ length: lines }, (_, i) => fake(64, BASE64, seed + i));
  return [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`].join(eol);
}
