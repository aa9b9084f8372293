#!/usr/bin/env node
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ConfigError, loadBaseline, loadConfig } from './config-file.js';
import { configuredRules, ruleEnabled } from './core/config.js';
import { BASELINE_FILE, BaselineError, formatBaseline } from './core/baseline.js';
import { redactText } from './core/redact.js';
import { FAIL_ON_VALUES, type FailOn } from './core/gate.js';
import { closest } from './core/suggest.js';
import { COMMANDS, EXPLAIN_FORMATS, parseCommandLine, SCAN_FORMATS, unknownCommand, usage, UsageError, type Command } from './cli/args.js';
import { baselineOf } from './cli/baseline-file.js';
import { fixCommand } from './cli/fix.js';
import { init } from './cli/init.js';
import { sourceLines } from './cli/source.js';
import { clean } from './reporters/terminal.js';
import { writeNoFollow } from './cli/write.js';
import { renderRuleDoc } from './docs.js';
import { toJsonReport } from './reporters/json.js';
import { writeJsonPieces } from './reporters/json-pieces.js';
import { toSarif } from './reporters/sarif.js';
import { renderGithub } from './reporters/github.js';
import { renderMarkdownForTerminal } from './reporters/terminal-markdown.js';
import { renderText } from './reporters/text.js';
import { rules } from './rules/index.js';
import { defaultJobs, isScanWorker, maxJobs, MIN_PARALLEL_FILES, parallelScan, serveScanWorker, type ThreadStats } from './parallel.js';
import { scanDirectory, type ParallelScan } from './scan.js';
import { resolveTarget, TargetError } from './scan-target.js';
import { osvOptionsFromEnv, scanWithOnlineAdvisories } from './action/osv.js';
import { branchPolicyForCli } from './action/branch-policy.js';
import { VERSION } from './version.js';

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  isTTY: boolean;
  /** The terminal's width when stdout is one. */
  columns?: number;
}

/** Runs one command line and returns the exit code; all output goes through `io`. */
async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const { command, rest, values } = parseCommandLine(argv);
    if (command === 'help' || values.help) {
      const topic = command === 'help' ? rest[0] : command;
      if (command === 'help' && rest.length > 1) throw new UsageError(`help takes one command (got ${rest.length})`);
      if (topic !== undefined && !(COMMANDS as readonly string[]).includes(topic)) throw new UsageError(unknownCommand(topic));
      io.out(usage(topic as Command | undefined));
      return 0;
    }
    if (values.version) {
      io.out(`${VERSION}\n`);
      return 0;
    }
    if (command === 'rules') {
      if (rest.length > 0) throw new UsageError(`rules takes no arguments (got ${JSON.stringify(rest[0])})`);
      io.out(rulesTable());
      return 0;
    }
    if (command === 'explain') {
      if (rest.length !== 1) throw new UsageError('explain takes one rule id; see `portcullis rules`');
      const rule = rules.find((r) => r.id === rest[0]!.toLowerCase());
      if (!rule) {
        const near = closest(rest[0]!, rules.map((r) => r.id));
        throw new UsageError(`unknown rule id ${JSON.stringify(rest[0])}${near ? `; did you mean ${near}?` : '.'} Known rules: ${rules.map((r) => r.id).join(', ')}`);
      }
      const format = values.format ?? 'text';
      if (!(EXPLAIN_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format for explain must be ${EXPLAIN_FORMATS.join(' or ')} (got ${JSON.stringify(format)})`);
      const markdown = renderRuleDoc(rule);
      // Prose is wrapped to the terminal (at most 100 columns, easier to read); through a pipe, at 80.
      io.out(format === 'markdown' ? markdown : renderMarkdownForTerminal(markdown, { color: useColor(io), width: io.isTTY ? Math.min(io.columns ?? 80, 100) : 80 }));
      return 0;
    }
    if (command === 'baseline') {
      const { root, only } = target(rest, values.root);
      const config = loadConfig(root, values.config, { operatorNamed: true })?.config;
      const result = await scanDirectory(root, { config, ...(only ? { only } : {}), repository: true, inlineSuppressions: !values['no-inline-suppressions'], parallel: threads(values.jobs, io) });
      const output = values.output ?? join(root, BASELINE_FILE);
      const { baseline, kept } = await baselineOf(result, root, output, only);
      writeNoFollow(output, formatBaseline(baseline));
      const n = baseline.findings.length - kept;
      io.err(`portcullis: wrote ${n} baseline ${n === 1 ? 'entry' : 'entries'}${kept ? ` (and kept ${kept} for files outside the named paths)` : ''} to ${output}\n`);
      return 0;
    }
    if (command === 'init') {
      if (rest.length > 1) throw new UsageError(`init takes one path, the repository (got ${rest.length})`);
      const { root, only } = target(rest, undefined);
      if (only) throw new UsageError(`init sets up a whole repository: ${rest[0]} is inside ${root}; run it there`);
      io.out(await init({ root, force: values.force === true, comment: values['no-comment'] !== true, parallel: threads(undefined, io) }));
      return 0;
    }
    if (command === 'fix') {
      const { root, only } = target(rest, values.root);
      const config = loadConfig(root, values.config, { operatorNamed: true })?.config;
      return await fixCommand({
        root,
        ...(only ? { only } : {}),
        ...(config ? { config } : {}),
        dryRun: values['dry-run'] === true,
        offline: values.offline === true,
        env: io.env,
        ...(values.only !== undefined ? { rule: values.only.toLowerCase() } : {}),
        parallel: threads(undefined, io),
        out: io.out,
        err: io.err,
      });
    }
    if (command !== 'scan') {
      throw new UsageError(command === undefined ? 'missing command (scan, fix, init, baseline, rules, explain or help); see portcullis help' : unknownCommand(command));
    }
    const format = values.format ?? 'text';
    if (!(SCAN_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be ${SCAN_FORMATS.slice(0, -1).join(', ')} or ${SCAN_FORMATS.at(-1)} (got ${JSON.stringify(format)})`);
    const failOn = values['fail-on']?.toLowerCase() as FailOn | undefined;
    if (failOn !== undefined && !FAIL_ON_VALUES.includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON_VALUES.join(', ')} (got ${JSON.stringify(failOn)})`);
    const advisories = values.advisories?.toLowerCase() ?? 'bundled';
    if (advisories !== 'bundled' && advisories !== 'online') throw new UsageError(`--advisories must be bundled or online (got ${JSON.stringify(values.advisories)})`);
    const repo = values.repo;
    if (repo !== undefined && !/^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/.test(repo)) throw new UsageError(`--repo must be owner/name (got ${JSON.stringify(repo)})`);
    const { root, only } = target(rest, values.root);
    // its finding sits on the repository root, which a scan of named paths does not report
    if (repo !== undefined && only) throw new UsageError('--repo checks the repository as a whole: scan the whole repository (no paths) to use it');

    const config = loadConfig(root, values.config, { operatorNamed: true })?.config;
    // The flag wins (the operator's file, wherever it is); else the config's `baseline`, relative to the scanned
    // root and held inside it (named so in reports, as findings name files).
    const baselinePath = values.baseline ?? config?.baseline;
    const baseline =
      values.baseline !== undefined
        ? loadBaseline(values.baseline, values.baseline, { workspace: root, operatorNamed: true })
        : config?.baseline !== undefined
          ? loadBaseline(resolve(root, config.baseline), config.baseline, { workspace: root })
          : undefined;
    const parallel = threads(values.jobs, io);
    // --repo: review-policy's API reads (action/branch-policy.ts, the only place that goes to GitHub).
    const branchPolicy = repo !== undefined && ruleEnabled('review-policy', config) ? await branchPolicyForCli(repo, (m) => io.err(`${m}\n`)) : undefined;
    const options = {
      failOn,
      exclude: values.exclude ?? [],
      ...(only ? { only } : {}),
      // the repository rules run when the scan covers the whole root (see ScanOptions.repository)
      repository: true,
      config,
      inlineSuppressions: !values['no-inline-suppressions'],
      ...(baseline ? { baseline, baselinePath } : {}),
      ...(branchPolicy ? { branchPolicy } : {}),
      parallel,
    };
    // --advisories online: the OSV lookup first (action/osv.ts, the only place that goes to the network).
    const result = advisories === 'online' ? await scanWithOnlineAdvisories(root, options, osvOptionsFromEnv((m) => io.err(`${m}\n`))) : await scanDirectory(root, options);
    // JSON and SARIF are written in pieces: a large report is never one string in memory.
    if (format === 'sarif') writeJsonPieces(toSarif(result, configuredRules(rules, config), { version: VERSION }), io.out);
    else if (format === 'json') writeJsonPieces(toJsonReport(result), io.out);
    else if (format === 'github') io.out(renderGithub(result, { all: values.all === true, ruleTitle: (id) => rules.find((r) => r.id === id)?.title }));
    else {
      // On a terminal: wrapped to its width, with each finding's source line (never one that holds a secret the scan found).
      const terminal = io.isTTY ? { width: io.columns ?? 80, source: sourceLines(root, (line) => result.secrets?.redactSnippet(line) ?? redactText(line)) } : undefined;
      io.out(renderText(result, { color: useColor(io), all: values.all === true, ...(terminal ? { terminal } : {}) }));
    }
    if (values.stats) io.err(`stats: ${JSON.stringify({ ...result.stats, ...(parallel.last ? { threads: parallel.last } : {}), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
    return result.summary.result === 'pass' ? 0 : 1;
  } catch (err) {
    // Errors can quote a config line or a path: they are redacted like every other output.
    if (err instanceof ConfigError) {
      io.err(`${err.issues.map((line) => `portcullis: ${redactText(line)}\n`).join('')}`);
      return 2;
    }
    const reason = err instanceof Error ? err.message : String(err);
    const usageError = err instanceof UsageError || err instanceof BaselineError;
    io.err(`portcullis: ${usageError ? '' : 'internal error: '}${redactText(reason.split('\n')[0]!)}\n`);
    return 2;
  }
}

/**
 * --jobs N: N worker threads (N > 1: whatever the tree's size), at most one per core: each worker holds a heap of
 * its own (64 on 2 cores peaked at 2.3 GB) and more threads than cores only take turns. Absent: one per core but
 * one (up to 4) for large trees.
 */
function threads(jobs: string | undefined, io: Io): ParallelScan & { last?: ThreadStats } {
  const script = new URL(import.meta.url);
  if (jobs === undefined) return parallelScan(script, defaultJobs());
  const n = Number(jobs);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--jobs must be a whole number from 1 to 64 (got ${JSON.stringify(jobs)})`);
  const cap = maxJobs();
  if (n > cap) io.err(`portcullis: --jobs ${n} capped at ${cap}, the number of cores\n`);
  const use = Math.min(n, cap);
  return parallelScan(script, use, use > 1 ? 0 : MIN_PARALLEL_FILES);
}

/**
 * The repository root and the named paths under it (see scan-target.ts). The root is given back as the user reaches
 * it, relative to the working directory when the paths were relative, so that report lines open from here.
 */
function target(paths: readonly string[], root: string | undefined): { root: string; only?: string[] } {
  const cwd = process.cwd();
  let found;
  try {
    found = resolveTarget(paths, { cwd, ...(root !== undefined ? { root } : {}) });
  } catch (err) {
    // The message names paths, which may come from file names in the repository (pre-commit passes them): escaped.
    throw err instanceof TargetError ? new UsageError(clean(err.message)) : err;
  }
  const absolute = [...paths, ...(root !== undefined ? [root] : [])].some((p) => isAbsolute(p));
  return { root: absolute ? found.root : relative(cwd, found.root) || '.', ...(found.only ? { only: found.only } : {}) };
}

/** NO_COLOR (set, not empty) means none, always; then FORCE_COLOR (unless "0" or "false"); else whether stdout is a terminal. */
function useColor(io: Io): boolean {
  if (io.env.NO_COLOR) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return io.isTTY;
}

function rulesTable(): string {
  const rows = [['RULE', 'SEVERITY', 'AREA', 'TITLE'], ...rules.map((r) => [r.id, r.severity, r.area, r.title])];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  return `${rows.map((row) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ')).join('\n')}\n`;
}

// A reader that stops early (`| head`) closes the pipe: that is not an error worth a stack trace.
// The same bundle serves as the scan's worker threads (see parallel.ts).
if (isScanWorker()) serveScanWorker();
else {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  // exitCode rather than exit(): a large report piped to another program is flushed in full.
  process.exitCode = await main(process.argv.slice(2), {
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
    env: { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR, GITHUB_TOKEN: process.env.GITHUB_TOKEN, GITHUB_API_URL: process.env.GITHUB_API_URL },
    isTTY: process.stdout.isTTY === true,
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
  });
}
