/**
 * Which folder READMEs may take their folder out of the gate (core/declared-samples.ts, scan.ts `confirmSamples`).
 * On a pull request or a merge group the head tree is the author's: a README that calls `deploy/` an example would
 * be a lever to take `deploy/` out of the gate. So only a declaration the base revision makes too is honoured: the
 * same README path, whose base text declares a sample as well. A README the change adds, or edits into a
 * declaration, demotes nothing; when the base cannot be read, none is honoured (fail closed).
 * Other events (push, schedule, a manual run) scan what the repository already holds: the head is honoured.
 */
import { dirname } from 'node:path';
import { declaresSample } from '../core/declared-samples.js';
import type { ConfirmSamples } from '../scan.js';
import type { BaseRevision, GitPlace } from './base.js';
import type { RunContext } from './context.js';
import { readBlobs } from './git.js';

/** A README larger than this at the base is not read (only its top declares anything): not honoured. */
const MAX_README_BYTES = 1024 * 1024;
/** More declaring READMEs than this are not looked up one by one: none is honoured. */
const MAX_READMES = 10_000;

/** The confirmation to give the scan, or undefined when the event's head is honoured as it is. */
export function samplesDeclaredAtBase(ctx: RunContext, place: GitPlace, base: () => Promise<BaseRevision>): ConfirmSamples | undefined {
  if (!ctx.pullRequest && !ctx.mergeGroup) return undefined;
  return async (readmes) => {
    const subject = ctx.pullRequest ? 'pull request' : 'merge group';
    const why = `this ${subject} adds them or changes what they say, and a README a change brings cannot take files out of the gate`;
    if (readmes.length > MAX_READMES) return { honoured: new Set(), why: `there are more than ${MAX_READMES}` };
    let revision: BaseRevision;
    try {
      revision = await base();
    } catch (err) {
      const reason = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      return { honoured: new Set(), why: `the base commit could not be read to confirm them (${reason})` };
    }
    const declared = await declaredAt(revision, readmes, place);
    return { honoured: new Set(readmes.filter((r) => declared.has(r))), why };
  };
}

/** The READMEs (scan-relative) whose text at the base revision declares a sample too. */
async function declaredAt(base: BaseRevision, readmes: readonly string[], place: GitPlace): Promise<Set<string>> {
  const spec = (r: string) => `${base.sha}:${base.prefix}${r}`;
  const blobs = await readBlobs(readmes.map(spec), { cwd: place.root, ceiling: dirname(place.workspace) }, { maxEach: MAX_README_BYTES });
  return new Set(readmes.filter((r) => {
    const blob = blobs.get(spec(r));
    return Buffer.isBuffer(blob) && declaresSample(blob.toString('utf8'));
  }));
}
