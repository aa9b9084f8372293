#!/usr/bin/env node
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config-file.js';
import { configuredRules } from './core/config.js';
import { BASELINE_FILE, BaselineError, createBaselineInParallel, formatBaseline, parseBaseline, type Baseline } from './core/baseline.js';
import { redactText } from './core/redact.js';
import { FAIL_ON_VALUES, type FailOn } from './core/gate.js';
import { closest } from './core/suggest.js';
import { renderRuleDoc } from './docs.js';
import { toJsonReport } from './reporters/json.js';
import { writeJsonPieces } from './reporters/json-pieces.js';
import { toSarif } from './reporters/sarif.js';
import { renderText } from './reporters/text.js';
import { rules } from './rules/index.js';
import { defaultJobs, isScanWorker, MIN_PARALLEL_FILES, parallelScan, serveScanWorker, type ThreadStats } from './parallel.js';
import { scanDirectory, type ParallelScan } from './scan.js';
import { VERSION } from './version.js';

const USAGE = `Usage: portcullis <command> [options]

Commands:
  scan [path]            scan a directory (default: .) and gate on the findings
  rules                  list the rules
  baseline [path]        write the current findings to ${BASELINE_FILE} (in path) as accepted debt
  explain <rule-id>      print a rule's documentation: why it matters, how to fix it, examples, options

Options for scan:
  --format FORMAT        text, json or sarif (SARIF 2.1.0 for code scanning); default: text
  --fail-on LEVEL        critical|high|medium|low|info|never (default: the config's fail-on, else high)
  --config PATH          config file (default: .github/portcullis.yml or .portcullis.yml in the scanned directory)
  --exclude GLOB         paths to skip, relative to the scanned directory (repeatable)
  --stats                print files and bytes read to stderr
  --jobs N               worker threads that check files (default: one per core but one, up to 4,
                         for ${MIN_PARALLEL_FILES} files or more; results are the same for any N)
  --baseline FILE        baseline file: the findings it lists are reported as baselined and do not block
  --no-inline-suppressions  ignore \`# portcullis: ignore[…]\` comments (each is reported instead)

Options for baseline:
  --output FILE          where to write the baseline (default: ${BASELINE_FILE} in the scanned directory)

  -h, --help             show this help
  -v, --version          print the version

Exit codes: 0 pass, 1 blocking findings, 2 usage or internal error.
`;

class UsageError extends Error {}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  isTTY: boolean;
}

/** Runs one command line and returns the exit code; all output goes through `io`. */
async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        'fail-on': { type: 'string' },
        config: { type: 'string' },
        exclude: { type: 'string', multiple: true },
        stats: { type: 'boolean' },
        jobs: { type: 'string' },
        baseline: { type: 'string' },
        output: { type: 'string' },
        'no-inline-suppressions': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    if (values.version) {
      io.out(`${VERSION}\n`);
      return 0;
    }
    const [command, ...rest] = positionals;
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
      io.out(renderRuleDoc(rule));
      return 0;
    }
    if (command === 'baseline') {
      if (rest.length > 1) throw new UsageError(`baseline takes one path (got ${rest.length})`);
      const root = rest[0] ?? '.';
      if (!isDirectory(root)) throw new UsageError(`not a directory: ${root}`);
      const config = loadConfig(root, values.config)?.config;
      const result = await scanDirectory(root, { config, inlineSuppressions: !values['no-inline-suppressions'], parallel: threads(values.jobs) });
      const output = values.output ?? join(root, BASELINE_FILE);
      const baseline = await createBaselineInParallel(
        result.findings,
        (p) => {
          try {
            return readFileSync(join(root, p), 'utf8');
          } catch {
            return undefined;
          }
        },
        // The file being replaced keeps the digests of unchanged values (a random salt would otherwise change every entry).
        { secrets: result.secrets, ...(existsSync(output) ? { previous: previousBaseline(output) } : {}) },
      );
      writeFileSync(output, formatBaseline(baseline));
      io.err(`portcullis: wrote ${baseline.findings.length} baseline ${baseline.findings.length === 1 ? 'entry' : 'entries'} to ${output}\n`);
      return 0;
    }
    if (command !== 'scan') {
      throw new UsageError(command === undefined ? 'missing command (scan or rules); see --help' : `unknown command ${JSON.stringify(command)}; see --help`);
    }
    if (rest.length > 1) throw new UsageError(`scan takes one path (got ${rest.length})`);
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif (got ${JSON.stringify(format)})`);
    const failOn = values['fail-on']?.toLowerCase() as FailOn | undefined;
    if (failOn !== undefined && !FAIL_ON_VALUES.includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON_VALUES.join(', ')} (got ${JSON.stringify(failOn)})`);
    const root = rest[0] ?? '.';
    if (!isDirectory(root)) throw new UsageError(`not a directory: ${root}`);

    const config = loadConfig(root, values.config)?.config;
    // The flag wins; else the config's `baseline`, relative to the scanned root (and named so in reports, as findings name files).
    const baselineFile = values.baseline ?? (config?.baseline !== undefined ? join(root, config.baseline) : undefined);
    const baselinePath = values.baseline ?? config?.baseline;
    const baseline = baselineFile ? parseBaseline(readBaselineFile(baselineFile), baselinePath!) : undefined;
    const parallel = threads(values.jobs);
    const result = await scanDirectory(root, {
      failOn,
      exclude: values.exclude ?? [],
      config,
      inlineSuppressions: !values['no-inline-suppressions'],
      ...(baseline ? { baseline, baselinePath } : {}),
      parallel,
    });
    // JSON and SARIF are written in pieces: a large report is never one string in memory.
    if (format === 'sarif') writeJsonPieces(toSarif(result, configuredRules(rules, config), { version: VERSION }), io.out);
    else if (format === 'json') writeJsonPieces(toJsonReport(result), io.out);
    else io.out(renderText(result, { color: useColor(io) }));
    if (values.stats) io.err(`stats: ${JSON.stringify({ ...result.stats, ...(parallel.last ? { threads: parallel.last } : {}) })}\n`);
    return result.summary.result === 'pass' ? 0 : 1;
  } catch (err) {
    // Errors can quote a config line or a path: they are redacted like every other output.
    if (err instanceof ConfigError) {
      io.err(`${err.issues.map((line) => `portcullis: ${redactText(line)}\n`).join('')}`);
      return 2;
    }
    const reason = err instanceof Error ? err.message : String(err);
    const usage = err instanceof UsageError || err instanceof BaselineError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.err(`portcullis: ${usage ? '' : 'internal error: '}${redactText(reason.split('\n')[0]!)}\n`);
    return 2;
  }
}

/** --jobs N: N worker threads (N > 1: whatever the tree's size); absent: one per core but one (up to 4) for large trees. */
function threads(jobs: string | undefined): ParallelScan & { last?: ThreadStats } {
  const script = new URL(import.meta.url);
  if (jobs === undefined) return parallelScan(script, defaultJobs());
  const n = Number(jobs);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--jobs must be a whole number from 1 to 64 (got ${JSON.stringify(jobs)})`);
  return parallelScan(script, n, n > 1 ? 0 : MIN_PARALLEL_FILES);
}

/** The baseline `portcullis baseline` is about to replace, or undefined when it is not one. */
function previousBaseline(path: string): Baseline | undefined {
  try {
    return parseBaseline(readBaselineFile(path), path);
  } catch {
    return undefined;
  }
}

function readBaselineFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new BaselineError(`cannot read the baseline ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); create it with \`portcullis baseline\``);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** FORCE_COLOR wins (unless "0"), then NO_COLOR, then whether stdout is a terminal. */
function useColor(io: Io): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (io.env.NO_COLOR) return false;
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
    env: { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR },
    isTTY: process.stdout.isTTY === true,
  });
}
