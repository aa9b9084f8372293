import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PinResolver, Resolved } from '../../src/core/pins.js';
import { planFixes, type FixPlan } from '../../src/fix/index.js';
import { tempDir, writeTree } from '../support/git-repo.js';

/** A PinResolver over fixed maps (the test double for the online lookups); it counts the lookups it answers. */
export function mapResolver(actions: Record<string, string>, images: Record<string, string>): PinResolver & { calls: string[] } {
  const calls: string[] = [];
  const answer = (map: Record<string, string>, key: string): Resolved => (key in map ? { value: map[key]! } : { error: `404 for ${key}` });
  return {
    calls,
    actionSha: async (repo, ref) => (calls.push(`${repo}@${ref}`), answer(actions, `${repo}@${ref}`)),
    imageDigest: async (image) => (calls.push(image), answer(images, image)),
  };
}

export const sha = (c: string): string => c.repeat(40);
export const digest = (c: string): string => `sha256:${c.repeat(64)}`;

/** Writes `files` to a fresh folder, plans the fixes with `resolver` and gives the plan and each changed file's new text. */
export async function fixTree(files: Record<string, string>, resolver: PinResolver, rule?: string): Promise<{ root: string; plan: FixPlan; after: Record<string, string> }> {
  const root = tempDir('portcullis-fix-');
  writeTree(root, files);
  const plan = await planFixes(root, { resolver, ...(rule ? { rule } : {}) });
  const after = Object.fromEntries(plan.changes.map((c) => [c.path, c.after]));
  return { root, plan, after };
}

export const read = (root: string, rel: string): string => readFileSync(join(root, rel), 'utf8');
