import { redactText } from '../core/redact.js';
import type { Confidence } from '../core/types.js';
import { hasOption, installArgs, isLocalOperand, optionValues } from './install-args.js';
import { programName, unwrap } from './shell.js';

/**
 * Package installs that do not reproduce a locked, verified set: `npm install` instead of `npm ci`, `yarn` without
 * `--frozen-lockfile`, and ad-hoc installs of named packages without an exact version (`pip install requests`,
 * `npm i -g foo`, `go install x@latest`, `gem install rake`, `choco install cmake`).
 */
export interface UnfrozenInstall {
  /** The install as written, shortened. */
  command: string;
  problem: string;
  fix: string;
  confidence: Confidence;
}

const SHA = /[0-9a-f]{40}/i;
const EXACT_SEMVER = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;
const isLocal = isLocalOperand;
/** The operands of `argv` from word `from` on, read with `tool`'s options (install-args.ts). */
const args = (tool: string, argv: readonly string[], from: number) => installArgs(tool, argv.slice(from));
const has = (argv: readonly string[], ...flags: string[]) => argv.some((w) => flags.some((f) => w === f || w.startsWith(`${f}=`)));

function npmSpecPinned(spec: string): boolean {
  if (isLocal(spec)) return true;
  if (/^(github:|git\+ssh:|git\+https:|git:\/\/)/.test(spec) || /^[\w-]+\/[\w.-]+#/.test(spec)) return SHA.test(spec.split('#')[1] ?? '');
  const at = spec.lastIndexOf('@');
  return at > 0 && EXACT_SEMVER.test(spec.slice(at + 1));
}

function pipSpecPinned(spec: string): boolean {
  if (isLocal(spec)) return true;
  if (/^git(\+|:\/\/)/.test(spec)) return SHA.test(spec.replace(/#.*$/, '').split('@').at(-1) ?? '');
  if (/^[a-z]+\+|^[a-z]+:\/\//.test(spec)) return false;
  return /^[A-Za-z0-9._-]+(\[[^\]]*\])?===?[^=<>!~*,]+$/.test(spec) && !spec.includes('*');
}

/** Where the install runs: on a CI runner (GitHub sets `CI=true` for every step), or in an image build. */
export interface InstallContext {
  ci: boolean;
}

/** The command for a message: whole words, at most about 80 characters. */

/** A version that comes from a shell or build variable (`bun@$BUN_VERSION`): fixed wherever the variable is, not here. */
const fromVariable = (spec: string): boolean => /\$\{?\w+/.test(spec);

export function unfrozenInstall(raw: readonly string[], where: InstallContext = { ci: false }): UnfrozenInstall | undefined {
  let argv = unwrap(raw);
  const p = programName(argv[0]);
  if (/^python[\d.]*$/.test(p) && argv[1] === '-m' && /^pip[\d.]*$/.test(argv[2] ?? '')) argv = ['pip', ...argv.slice(3)];
  const prog = programName(argv[0]);
  const sub = argv[1];
  // redacted before it is clipped: a credential cut in half no longer looks like one
  const command = shortCommand(redactText(argv.join(' ')).split(' '));
  const unpinned = (what: string, fix: string, confidence: Confidence = 'high'): UnfrozenInstall => ({ command, problem: what, fix, confidence });
  /** Specs whose version is only a variable are reported at low confidence: the variable may well hold an exact version. */
  const looseSpecs = (loose: string[], what: string, fix: string): UnfrozenInstall | undefined =>
    loose.length === 0 ? undefined : unpinned(what, fix, loose.every(fromVariable) ? 'low' : 'high');

  if (prog === 'npm' && ['install', 'i', 'add', 'isntall', 'in'].includes(sub ?? '')) {
    const specs = args('npm', argv, 2).operands;
    if (specs.length === 0) return sub === 'add' ? undefined : unpinned('resolves versions and may rewrite package-lock.json', 'use `npm ci`, which installs exactly what package-lock.json records', 'medium');
    const loose = specs.filter((s) => !npmSpecPinned(s));
    // A global install has no package.json or lockfile to add the tool to: the pin in the command is the fix.
    const global = has(argv, '-g', '--global') || argv.includes('--location=global');
    const fix = global ? 'pin an exact version (`npm install -g name@1.2.3`)' : 'add it to package.json and the lockfile, or pin an exact version (`name@1.2.3`)';
    return looseSpecs(loose, `installs ${loose.join(', ')} without an exact version`, fix);
  }
  if (prog === 'yarn') {
    if (sub === 'add' || (sub === 'global' && argv[2] === 'add')) {
      const loose = args('yarn', argv, sub === 'add' ? 2 : 3).operands.filter((s) => !npmSpecPinned(s));
      // A global add (Yarn 1 only) has no project lockfile: the pin in the command is the whole fix.
      const fix = sub === 'add' ? 'pin an exact version and commit the lockfile; install with `yarn install --immutable`' : 'pin an exact version (`yarn global add name@1.2.3`)';
      return looseSpecs(loose, `adds ${loose.join(', ')} without an exact version`, fix);
    }
    if ((sub === 'install' || args('yarn', argv, 1).operands.length === 0) && !has(argv, '--frozen-lockfile', '--immutable'))
      return unpinned('may resolve new versions and rewrite yarn.lock', 'use `yarn install --immutable` (Yarn 2+) or `yarn install --frozen-lockfile` (Yarn 1)');
    return undefined;
  }
  if (prog === 'pnpm' || prog === 'bun') {
    if (sub === 'add') {
      const loose = args(prog, argv, 2).operands.filter((s) => !npmSpecPinned(s));
      return looseSpecs(loose, `adds ${loose.join(', ')} without an exact version`, `pin an exact version and commit the lockfile`);
    }
    // pnpm turns on --frozen-lockfile by itself when it detects CI, and a GitHub runner sets CI=true for every step.
    if (prog === 'pnpm' && where.ci && !has(argv, '--no-frozen-lockfile')) return undefined;
    if ((sub === 'install' || sub === 'i') && !has(argv, '--frozen-lockfile') && args(prog, argv, 2).operands.length === 0)
      return prog === 'pnpm'
        ? unpinned('may update pnpm-lock.yaml (pnpm freezes the lockfile by itself only when it detects CI)', 'use `pnpm install --frozen-lockfile`', 'medium')
        : unpinned('may update bun.lock', 'use `bun install --frozen-lockfile`');
    return undefined;
  }
  if (/^pip[\d.]*$/.test(prog) && sub === 'install') {
    if (has(argv, '--require-hashes')) return undefined;
    const parsed = args('pip', argv, 2);
    const reqs = optionValues(parsed, '-r', '--requirement');
    const editable = new Set(argv.filter((_, i) => argv[i - 1] === '-e' || argv[i - 1] === '--editable'));
    const named = parsed.operands;
    const loose = named.filter((s) => !pipSpecPinned(s) || (editable.has(s) && /^(hg|svn|bzr)\+/.test(s)));
    if (loose.length > 0) {
      // The packaging tools themselves, even with a range (`'wheel<0.46'`), are what every Python image updates.
      const tooling = loose.every((s) => /^(pip|setuptools|wheel)([<>=!~;[\s]|$)/i.test(s));
      return unpinned(`installs ${loose.join(', ')} without an exact version or hashes`, 'pin `name==1.2.3` (better: a requirements file with `--require-hashes`)', tooling || loose.every(fromVariable) ? 'low' : 'high');
    }
    if (reqs.length > 0) return unpinned(`installs ${reqs.join(', ')} without \`--require-hashes\`: versions may be ranges and nothing checks the downloads`, 'generate hashes (`pip-compile --generate-hashes`) and add `--require-hashes`', 'low');
    return undefined;
  }
  if (prog === 'go' && (sub === 'install' || sub === 'get')) {
    // `go install tool` (Go 1.24) builds the tools go.mod declares, at the versions go.mod and go.sum pin.
    const loose = args('go', argv, 2).operands.filter((s) => !isLocal(s) && s !== 'tool' && !/@(v\d[\w.+-]*|[0-9a-f]{12,40})$/.test(s));
    return loose.length ? unpinned(`installs ${loose.join(', ')} at ${loose.some((s) => s.endsWith('@latest')) ? '@latest' : 'no fixed version'}`, 'pin a version (`pkg@v1.2.3`) or add it as a tool dependency in go.mod') : undefined;
  }
  if (prog === 'gem' && (sub === 'install' || sub === 'i')) {
    const parsed = args('gem', argv, 2);
    const names = parsed.operands.filter((n) => !isLocal(n));
    if (names.length === 0 || hasOption(parsed, '-v', '--version') || names.every((n) => /:\d[\w.]*$/.test(n))) return undefined;
    return unpinned(`installs ${names.join(', ')} outside Gemfile.lock without a version`, 'add it to the Gemfile and run `bundle install`, or pin `-v 1.2.3`');
  }
  if (prog === 'choco' && sub === 'install' && !has(argv, '--version')) {
    const names = args('choco', argv, 2).operands.filter((n) => !isLocal(n));
    return names.length ? unpinned(`installs ${names.join(', ')} without a version`, 'pin `--version 1.2.3` (and a checksum with `--checksum`)') : undefined;
  }
  // NuGet: `nuget install ID [-Version X]` (an ID, or a packages.config that pins its own versions) and
  // `dotnet add [PROJECT] package ID [-v|--version X]`; without a version the newest release is taken.
  if (prog === 'nuget' && sub === 'install') {
    const id = argv[2];
    if (id === undefined || id.startsWith('-') || /\.config$/i.test(id) || argv.some((a) => /^-version$/i.test(a))) return undefined;
    return unpinned(`installs ${id} without a version`, 'pin `-Version 1.2.3`, or list it in packages.config with its version');
  }
  if (prog === 'dotnet' && sub === 'add') {
    const at = argv.indexOf('package');
    const id = at > 1 && at <= 3 ? argv[at + 1] : undefined;
    if (id === undefined || id.startsWith('-') || has(argv, '-v', '--version')) return undefined;
    return unpinned(`adds ${id} without a version`, 'pin `--version 1.2.3`, and commit packages.lock.json (`RestorePackagesWithLockFile`)');
  }
  if (prog === 'pipx' && (sub === 'install' || sub === 'inject')) {
    // `pipx install SPEC`, `pipx install --spec SPEC app`, `pipx inject VENV SPEC…`
    const parsed = args('pipx', argv, 2);
    const spec = optionValues(parsed, '--spec');
    const specs = spec.length > 0 ? spec : sub === 'inject' ? parsed.operands.slice(1) : parsed.operands;
    const loose = specs.filter((s) => !pipSpecPinned(s));
    return looseSpecs(loose, `installs ${loose.join(', ')} without an exact version`, 'pin `pipx install name==1.2.3`');
  }
  if (prog === 'cargo' && sub === 'install') {
    // https://doc.rust-lang.org/cargo/commands/cargo-install.html: `--version 1.2.3` (or `crate@1.2.3`) is that exact version;
    // `--git` is pinned by `--rev`; `--path` builds local code.
    const parsed = args('cargo', argv, 2);
    if (hasOption(parsed, '--path', '--list')) return undefined;
    const version = optionValues(parsed, '--version', '--vers')[0];
    if (hasOption(parsed, '--git')) {
      return SHA.test(optionValues(parsed, '--rev')[0] ?? '') ? undefined : unpinned(`installs from ${optionValues(parsed, '--git')[0]} without \`--rev <commit>\``, 'pin `--rev` to a commit SHA');
    }
    const loose = parsed.operands.filter((c) => !(c.includes('@') ? EXACT_SEMVER.test(c.slice(c.indexOf('@') + 1).replace(/^=/, '')) : version !== undefined && EXACT_SEMVER.test(version.replace(/^=/, ''))));
    return looseSpecs(loose, `installs ${loose.join(', ')} without an exact version`, 'pin `cargo install name@1.2.3 --locked`');
  }
  return undefined;
}

/** The command for a message, cut at a word boundary (never inside a word, which would misquote it) when long. */
function shortCommand(argv: readonly string[]): string {
  const full = argv.join(' ');
  if (full.length <= 80) return full;
  let out = argv[0] ?? '';
  for (const w of argv.slice(1)) {
    if (out.length + 1 + w.length > 78) break;
    out += ` ${w}`;
  }
  return `${out} …`;
}
