import type { ScriptBlock } from './scripts.js';
import { parseShell, programName, unwrap, type ShellCommand } from './shell.js';

/**
 * Finds code that is downloaded and run without a check: `curl … | sh`, `bash <(curl …)`, `sh -c "$(curl …)"`,
 * and a download to a file that a later command of the same sequence (job, Dockerfile stage) executes.
 * A URL pinned to a 40-hex commit, or a checksum / signature check after the download, exempts it.
 */
export interface DownloadExec {
  block: ScriptBlock;
  /** 0-based script line on which the command that runs the download starts… */
  line: number;
  /** …and the physical line (after `\\` continuations) that holds it. */
  endLine: number;
  how: 'pipe' | 'substitution' | 'file';
  /** What runs it (`bash`, `python3`, `./install.sh`). */
  runner: string;
  downloader: string;
  url?: string;
  file?: string;
}

const DOWNLOADERS = /^(curl|wget|fetch|aria2c|iwr|irm|invoke-webrequest|invoke-restmethod|gsutil|aws)$/i;
const SHELLS = /^(sh|bash|zsh|dash|ksh|ash|mksh)$/;
const INTERPRETERS = /^(sh|bash|zsh|dash|ksh|ash|mksh|python[\d.]*|pypy[\d.]*|perl|ruby|node|nodejs|php|pwsh|powershell|iex|invoke-expression|source|\.|eval)$/i;
const VERIFY = /^(sha(1|224|256|384|512)sum|shasum|b2sum|gpg|gpgv|gpg2|cosign|minisign|signify|slsa-verifier|rekor-cli)$/;
/** https and a 40-hex path segment followed by a file path: a commit-pinned raw file (not an http or `blob/` page URL). */
const PINNED_URL = /^https:\/\/(?!github\.com\/[^/]+\/[^/]+\/blob\/)[^?#]*\/[0-9a-f]{40}\/[^?#]/i;
const URL = /^([a-z][a-z0-9+.-]*:\/\/|gs:\/\/|s3:\/\/)/i;

export function isDownloader(argv: readonly string[]): boolean {
  const [p, sub, sub2] = argv.map((w, i) => (i === 0 ? programName(w).toLowerCase() : w));
  if (!p || !DOWNLOADERS.test(p)) return false;
  if (p === 'aws') return (sub === 's3' && sub2 === 'cp') || (sub === 's3api' && sub2 === 'get-object');
  if (p === 'gsutil') return sub === 'cp' || argv.some((w) => w.startsWith('gs://'));
  return true;
}

const urlsOf = (argv: readonly string[]): string[] => argv.filter((w) => URL.test(w));

/** True when the interpreter runs what arrives on stdin (`bash`, `sh -s --`, `python3 -`), not `-c`/`-e` code or a script file. */
export function readsStdin(argv: readonly string[]): boolean {
  const p = programName(argv[0]).toLowerCase();
  if (p === 'iex' || p === 'invoke-expression') return true;
  if (!INTERPRETERS.test(p) || p === 'source' || p === '.' || p === 'eval') return false;
  const inline = SHELLS.test(p) ? ['-c'] : /^(pwsh|powershell)$/.test(p) ? ['-file', '-f', '-encodedcommand'] : ['-c', '-m', '-e', '-E', '-p', '-r', '--eval', '--print'];
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i]!;
    if (inline.includes(w.toLowerCase())) return false;
    if (/^(pwsh|powershell)$/.test(p) && /^-c(ommand)?$/i.test(w)) return argv[i + 1] === '-';
    if (w === '-' || w === '/dev/stdin' || w === '-s') return true;
    if (w === '--') return argv[i + 1] === undefined || argv[i + 1] === '-';
    if (w === '-o' || w === '-O' || w === '-W' || w === '-X') i++;
    else if (!w.startsWith('-') && !w.startsWith('+')) return false;
  }
  return true;
}

/** Where a downloader writes its output (files only; stdout is handled by pipes and redirects). */
function outputsOf(argv: readonly string[], lineText: string): string[] {
  const p = programName(argv[0]).toLowerCase();
  const out: string[] = [];
  const basename = (u: string | undefined) => (u ? u.replace(/[?#].*$/, '').replace(/\/+$/, '').replace(/^.*\//, '') : undefined);
  const url = urlsOf(argv)[0] ?? argv.slice(1).find((w) => !w.startsWith('-'));
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i]!;
    const next = argv[i + 1];
    if (p === 'curl') {
      if ((w === '--output' || /^-[a-zA-Z]*o$/.test(w)) && next) out.push(next);
      else if (/^-[a-zA-Z]*o./.test(w) && !w.startsWith('--')) out.push(w.slice(w.indexOf('o') + 1));
      else if (w === '-O' || w === '--remote-name' || /^-[a-zA-Z]*O$/.test(w)) out.push(basename(url) ?? '');
    } else if (p === 'wget') {
      if ((w === '-O' || /^-[a-zA-Z]+O$/.test(w)) && next && next !== '-') out.push(next);
      else if (/^-O.+/.test(w) && w !== '-O-') out.push(w.slice(2));
      else if (w.startsWith('--output-document=') && w !== '--output-document=-') out.push(w.slice(18));
    } else if (/^(iwr|invoke-webrequest)$/.test(p) && /^-outfile$/i.test(w) && next) out.push(next);
  }
  if (p === 'wget' && out.length === 0 && !argv.some((w) => /^-[a-zA-Z]*O/.test(w) || w.startsWith('--output-document'))) {
    const dir = argv.find((w, i) => argv[i - 1] === '-P');
    const name = basename(url);
    if (name) out.push(dir ? `${dir.replace(/\/$/, '')}/${name}` : name);
  }
  if (p === 'gsutil' || p === 'aws') {
    const positional = argv.filter((w, i) => i > 0 && !w.startsWith('-') && !argv[i - 1]!.startsWith('--'));
    const dest = positional.at(-1);
    const key = argv[argv.indexOf('--key') + 1] ?? positional.at(-2);
    if (dest) out.push(dest.endsWith('/') || dest === '.' ? `${dest === '.' ? '' : dest}${basename(key) ?? ''}` : dest);
  }
  // `curl URL > file`: shell redirects are not words, so read them from the line.
  const at = lineText.indexOf(argv[0]!);
  const tail = at < 0 ? '' : lineText.slice(at).split(/&&|\|\||;|\|/)[0]!;
  for (const m of tail.matchAll(/(?:^|[^<>&0-9])>>?\s*([^\s;&|<>]+)/g)) if (m[1] !== '/dev/null') out.push(m[1]!);
  return out.filter(Boolean);
}

const norm = (p: string): string => p.replace(/^["']|["']$/g, '').replace(/^(\.\/)+/, '');

/** Files a command executes: its own program path, or the script argument of an interpreter. */
function executedFiles(argv: readonly string[]): { file: string; runner: string; bare: boolean }[] {
  const w = unwrap(argv);
  const p = programName(w[0]).toLowerCase();
  if (!w[0]) return [];
  if (w[0].includes('/')) return [{ file: w[0], runner: w[0], bare: false }];
  if (!INTERPRETERS.test(p)) return [];
  for (let i = 1; i < w.length; i++) {
    const a = w[i]!;
    if (['-c', '-e', '-m', '-E', '-r', '-Command', '-command'].includes(a)) return [];
    if (a === '-o' || a === '-O' || a === '-W' || a === '-X' || /^-file$/i.test(a)) {
      if (/^-file$/i.test(a) && w[i + 1]) return [{ file: w[i + 1]!, runner: p, bare: true }];
      i++;
      continue;
    }
    if (!a.startsWith('-') && !a.startsWith('+')) return [{ file: a, runner: p, bare: true }];
  }
  return [];
}

interface Pending {
  url?: string;
  downloader: string;
  verified: boolean;
}

/** The physical line of a continued logical line that contains `word`. */
function physicalLine(script: string, line: number, word: string): number {
  const lines = script.split(/\r?\n/);
  for (let i = line; i < lines.length; i++) {
    if (word && lines[i]!.includes(word)) return i;
    if (!/\\\s*$/.test(lines[i]!)) break;
  }
  return line;
}

export function findDownloadExecs(blocks: readonly ScriptBlock[]): DownloadExec[] {
  const raw = findAll(blocks);
  return raw.map((d) => ({ ...d, endLine: physicalLine(d.block.script, d.line, d.how === 'file' ? (d.file ?? '') : d.downloader) }));
}

function findAll(blocks: readonly ScriptBlock[]): Omit<DownloadExec, 'endLine'>[] {
  const found: Omit<DownloadExec, 'endLine'>[] = [];
  const files = new Map<string, Map<string, Pending>>();
  for (const block of blocks) {
    const seq = files.get(block.sequence) ?? new Map<string, Pending>();
    files.set(block.sequence, seq);
    const sh = parseShell(block.script);
    const lineText = (line: number) => sh.lines.find((l) => l.line === line)?.text ?? '';
    const pipeOf = new Map<ShellCommand, readonly ShellCommand[]>();
    for (const p of sh.pipelines) for (const c of p) pipeOf.set(c, p);
    const fetches = (c: ShellCommand): ShellCommand | undefined =>
      isDownloader(unwrap(c.argv)) ? c : sh.commands.find((s) => s.parent === c && isDownloader(unwrap(s.argv)));
    const reported = new Set<ShellCommand>();
    for (const c of sh.commands) {
      const argv = unwrap(c.argv);
      const prog = programName(argv[0]);
      // curl … | [sudo] bash
      const pipe = pipeOf.get(c);
      if (pipe && pipe.indexOf(c) > 0 && readsStdin(argv)) {
        const source = pipe.slice(0, pipe.indexOf(c)).map(fetches).find(Boolean);
        if (source && !reported.has(source)) {
          reported.add(source);
          const url = urlsOf(source.argv)[0];
          if (!url || !PINNED_URL.test(url)) found.push({ block, line: c.line, how: 'pipe', runner: prog, downloader: programName(unwrap(source.argv)[0]), url });
        }
      }
      if (isDownloader(argv)) {
        // bash <(curl …), sh -c "$(curl …)", source <(curl …), eval "$(curl …)"
        const parent = c.substitution ? c.parent : undefined;
        const runner = parent ? unwrap(parent.argv) : [];
        const url = urlsOf(argv)[0];
        if (parent && INTERPRETERS.test(programName(runner[0])) && !reported.has(c)) {
          reported.add(c);
          if (!url || !PINNED_URL.test(url)) found.push({ block, line: c.line, how: 'substitution', runner: programName(runner[0]), downloader: programName(argv[0]), url });
        } else {
          for (const f of outputsOf(argv, lineText(c.line))) seq.set(norm(f), { url, downloader: programName(argv[0]), verified: !!url && PINNED_URL.test(url) });
        }
        continue;
      }
      if (VERIFY.test(prog) && (prog !== 'gpg' || argv.some((w) => w === '--verify'))) {
        for (const p of seq.values()) p.verified = true;
        continue;
      }
      for (const ex of executedFiles(c.argv)) {
        const target = norm(ex.file);
        const hit =
          seq.get(target) ??
          (ex.file.startsWith('./') || ex.bare ? [...seq].find(([k]) => k.replace(/^.*\//, '') === target)?.[1] : undefined);
        if (hit && !hit.verified) {
          hit.verified = true; // one report per download
          found.push({ block, line: c.line, how: 'file', runner: ex.runner, downloader: hit.downloader, url: hit.url, file: ex.file });
        }
      }
    }
    for (const l of sh.lines)
      if (/\b(iex|invoke-expression)\b.*\b(downloadstring|invoke-webrequest|invoke-restmethod|iwr|irm)\b/i.test(l.text) && !found.some((f) => f.block === block && f.line === l.line))
        found.push({ block, line: l.line, how: 'substitution', runner: 'Invoke-Expression', downloader: 'DownloadString' });
  }
  return found;
}
