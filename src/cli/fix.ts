import { cliResolver } from '../action/pins/index.js';
import { OFFLINE_RESOLVER, type PinResolver } from '../core/pins.js';
import type { Config } from '../core/config.js';
import { unifiedDiff } from '../fix/diff.js';
import { splitLines } from '../fix/edits.js';
import { writeInside } from '../fix/files.js';
import { FIXABLE_RULES, planFixes } from '../fix/index.js';
import { clean } from '../reporters/terminal.js';
import type { ParallelScan } from '../scan.js';
import { UsageError } from './args.js';

export interface FixCommand {
  root: string;
  only?: string[];
  config?: Config;
  dryRun: boolean;
  offline: boolean;
  /** GITHUB_TOKEN and GITHUB_API_URL for the action-ref lookups (see resolverFor). */
  env?: Readonly<Record<string, string | undefined>>;
  rule?: string;
  parallel?: ParallelScan;
  out: (s: string) => void;
  err: (s: string) => void;
}

/**
 * The pin lookups: `--offline` makes no request (only the fixes that need none are made); otherwise action refs go to
 * the GitHub API (`GITHUB_API_URL`, `GITHUB_TOKEN` when set) and image tags to the registry each reference names
 * (src/action/pins/: bounded, cached per run; see docs/pin-lookups.md).
 */
export function resolverFor(options: { offline: boolean; env?: Readonly<Record<string, string | undefined>> }): PinResolver {
  return options.offline ? OFFLINE_RESOLVER : cliResolver(options.env ?? {});
}

/**
 * `portcullis fix`: rewrites the mechanical fixes in place (or, with --dry-run, prints them as a unified diff on
 * stdout). What it cannot do is listed on stderr. Exit 1 when it writes or would write, else 0.
 */
export async function fixCommand(cmd: FixCommand, resolver: PinResolver = resolverFor(cmd)): Promise<number> {
  if (cmd.rule !== undefined && !(FIXABLE_RULES as readonly string[]).includes(cmd.rule)) {
    throw new UsageError(`--only must name a rule fix acts on: ${FIXABLE_RULES.join(', ')} (got ${clean(JSON.stringify(cmd.rule))})`);
  }
  const plan = await planFixes(cmd.root, {
    resolver,
    ...(cmd.only ? { only: cmd.only } : {}),
    ...(cmd.rule ? { rule: cmd.rule } : {}),
    ...(cmd.config ? { config: cmd.config } : {}),
    ...(cmd.parallel ? { parallel: cmd.parallel } : {}),
  });
  const failed: string[] = [];
  for (const change of plan.changes) {
    // A file name is the checkout's: one with a control character or a quote could forge diff headers for other files.
    if (cmd.dryRun && [...change.path].some((c) => c < ' ' || c === '\u007f' || c === '"' || c === '\\')) failed.push(`${clean(change.path)}: not shown (its name has control characters or quotes)`);
    else if (cmd.dryRun) {
      const diff = unifiedDiff(change.path, change.before, splitLines(change.after), (line) => plan.redact(line) !== line);
      if (diff === undefined) failed.push(`${clean(change.path)}: not shown (a line at the change holds a secret; run fix without --dry-run and review it with git diff)`);
      else cmd.out(diff);
    } else {
      try {
        writeInside(cmd.root, change.path, change.after);
      } catch (err) {
        failed.push(`${clean(change.path)}: not written (${clean((err as Error).message)})`);
      }
    }
  }
  const count = (rules: Record<string, number>): number => Object.values(rules).reduce((a, b) => a + b, 0);
  const written = plan.changes.length - failed.length;
  for (const c of plan.changes) {
    const what = Object.entries(c.fixed).map(([rule, n]) => `${rule} ×${n}`).join(', ');
    cmd.err(`portcullis: ${cmd.dryRun ? 'would fix' : 'fixed'} ${clean(c.path)} (${what})\n`);
  }
  for (const line of failed) cmd.err(`portcullis: ${line}\n`);
  if (plan.unresolved.length > 0) {
    cmd.err(`portcullis: ${plan.unresolved.length} left for a person:\n`);
    // Reasons quote the file (an image, a ref): redacted as the diff is, secrets the scan found included.
    for (const u of plan.unresolved) cmd.err(`  ${clean(u.path)}:${u.line}: ${u.rule}: ${clean(plan.redact(u.reason))}\n`);
  }
  const total = plan.changes.reduce((n, c) => n + count(c.fixed), 0);
  cmd.err(`portcullis: ${total} finding${total === 1 ? '' : 's'} ${cmd.dryRun ? 'would be fixed' : 'fixed'} in ${written} file${written === 1 ? '' : 's'}${cmd.offline ? ' (offline: no pins looked up)' : ''}\n`);
  return plan.changes.length > 0 ? 1 : 0;
}
