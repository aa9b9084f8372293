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
import { runGit } from './git.js';

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
  const opts = { cwd: place.root, ceiling: dirname(place.workspace) };
  // `<commit>:<path>` names the blob; a path git would read otherwise (a newline ends the line) is not looked up.
  const asked = readmes.filter((r) => !/[\n\r\0]/.test(r));
  const specs = asked.map((r) => `${base.sha}:${base.prefix}${r}`);
  const check = (await runGit(['cat-file', '--batch-check'], { ...opts, input: specs.join('\n') + '\n' })).toString('utf8').split('\n');
  const small: { readme: string; spec: string; size: number }[] = [];
  asked.forEach((readme, i) => {
    // `<oid> blob <size>`, or `<spec> missing` when the base has no such file
    const [, type, size] = (check[i] ?? '').split(' ');
    if (type === 'blob' && Number(size) <= MAX_README_BYTES) small.push({ readme, spec: specs[i]!, size: Number(size) });
  });
  const out = new Set<string>();
  if (small.length === 0) return out;
  const total = small.reduce((n, s) => n + s.size + 200, 1024);
  const batch = await runGit(['cat-file', '--batch'], { ...opts, input: small.map((s) => s.spec).join('\n') + '\n', maxBytes: total });
  let at = 0;
  for (const { readme } of small) {
    const eol = batch.indexOf(0x0a, at);
    if (eol < 0) break;
    const [, type, size] = batch.subarray(at, eol).toString('latin1').split(' ');
    at = eol + 1;
    if (type !== 'blob' || size === undefined) continue;
    const text = batch.subarray(at, at + Number(size)).toString('utf8');
    at += Number(size) + 1;
    if (declaresSample(text)) out.add(readme);
  }
  return out;
}
