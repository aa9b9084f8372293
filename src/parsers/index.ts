import type { SourceUnit } from '../core/engine.js';
import type { DocumentKind, Notice } from '../core/types.js';
import { parseCode, sourceLanguageOf } from './code.js';
import { parseDockerfile } from './dockerfile.js';
import { isLockfilePath, parseLockfile } from './lockfiles/index.js';
import { isManifestPath, parseManifest } from './manifests/index.js';
import { hasShellShebang, isMakefilePath, isShellScriptPath, parseShellDoc } from './shell-doc.js';
import { stripBom } from './source.js';
import { isTerraformPath, parseTerraform } from './terraform.js';
import { isActionPath, isWorkflowPath, workflowFromYaml } from './workflow.js';
import { parseYaml, type YamlFailure, type YamlFile } from './yaml.js';
import { isComposePath, parseWorkload } from './workloads/index.js';

const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Source, data and doc files that merely mention Dockerfile in their name (`dockerfile.ts`, `Dockerfile.md`). */
const NOT_DOCKERFILE = /\.(ts|js|mjs|cjs|py|go|rs|java|rb|md|txt|json|ya?ml|toml|lock|sh|snap|orig|rej)$/i;

export function isDockerfilePath(path: string): boolean {
  const name = base(path);
  if (/^(Dockerfile|Containerfile|dockerfile|containerfile)$/.test(name)) return true;
  if (NOT_DOCKERFILE.test(name)) return false;
  return /^(Dockerfile|Containerfile)\.[^/]+$/.test(name) || /\.(Dockerfile|Containerfile)$/i.test(name);
}

export function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/**
 * Files whose name says they are binary or generated media: never read as text, so a secret
 * scan over every text file does not open images, archives and fonts just to sniff them.
 */
const BINARY_EXTENSION =
  /\.(png|jpe?g|gif|bmp|ico|icns|webp|avif|tiff?|psd|mp[34]|m4[av]|mov|avi|mkv|webm|wav|flac|ogg|opus|zip|gz|tgz|bz2|xz|zst|7z|rar|tar|jar|war|ear|class|dex|apk|ipa|aab|exe|dll|so|dylib|a|o|obj|lib|pdb|bin|dat|wasm|node|pyc|pyo|whl|egg|gem|deb|rpm|dmg|iso|img|woff2?|ttf|otf|eot|pdf|docx?|xlsx?|pptx?|odt|ods|sqlite3?|db|parquet|avro|orc|npy|npz|pkl|pt|onnx|h5|tflite|lockb)$/i;

export function isBinaryPath(path: string): boolean {
  return BINARY_EXTENSION.test(path);
}

/** The document kinds a path may hold, decided by its name alone (cheap; nothing is read). */
export function classify(path: string): DocumentKind[] {
  const kinds: DocumentKind[] = [];
  if (!isBinaryPath(path)) kinds.push('text');
  if (isDockerfilePath(path)) kinds.push('dockerfile');
  if (isManifestPath(path)) kinds.push('manifest');
  if (isLockfilePath(path)) kinds.push('lockfile');
  if (isYamlPath(path)) kinds.push('yaml');
  if (isWorkflowPath(path) || isActionPath(path)) kinds.push('workflow');
  else if (isYamlPath(path)) kinds.push('workload');
  if (kinds.includes('text') && (isShellScriptPath(path) || isMakefilePath(path))) kinds.push('shell');
  if (kinds.includes('text') && sourceLanguageOf(path)) kinds.push('code');
  if (isTerraformPath(path)) kinds.push('terraform');
  return kinds;
}

/**
 * A file with no extension may be a script known only by its first line (`#!/bin/sh`): such files are read when shell
 * scripts are checked even if nothing else reads them as text.
 */
export function mayBeShellByContent(path: string, kinds: readonly DocumentKind[]): boolean {
  return kinds.length === 1 && kinds[0] === 'text' && !base(path).includes('.');
}

/**
 * The kinds of a file once its text is read: a shell shebang on the first line (`#!/bin/bash`, `#!/usr/bin/env sh`) makes
 * a text file a shell script too. The text is the one read for the other kinds: nothing is read twice.
 */
export function kindsOfText(kinds: readonly DocumentKind[], text: string): readonly DocumentKind[] {
  if (kinds.includes('shell') || !kinds.includes('text') || kinds.length > 1 || !hasShellShebang(text)) return kinds;
  return [...kinds, 'shell'];
}

/**
 * Whether a file is of a kind the gate checks, so that failing to check it must fail the gate (see the
 * `unchecked-file` rule): `name` when its name says so (Dockerfile, workflow or action, compose file, package manifest,
 * lockfile), `content` for any other YAML file (a Kubernetes manifest is known by its content), undefined otherwise.
 * Files whose format is binary (`bun.lockb`) are never read as text, so they are not of a checked kind.
 */
export function gatedBy(path: string, kinds: readonly DocumentKind[]): 'name' | 'content' | undefined {
  if (!kinds.includes('text')) return undefined;
  if (kinds.includes('dockerfile') || kinds.includes('workflow') || kinds.includes('manifest') || kinds.includes('lockfile')) return 'name';
  if (kinds.includes('workload')) return isComposePath(path) ? 'name' : 'content';
  return undefined;
}

/** Why a file of a checked kind was not (wholly) checked; `line` when a place in it is known. */
export interface UncheckedReason {
  code: string;
  message: string;
  line?: number;
  /** The 1-based column of the offending character (a NUL byte); absent: the whole line is flagged. */
  column?: number;
}

const CHECKED_KINDS: ReadonlySet<DocumentKind> = new Set(['dockerfile', 'workflow', 'workload', 'manifest', 'lockfile']);

/** Wraps a file's text in a unit whose documents are parsed on first use, once. */
export function makeUnit(
  path: string,
  rawText: string,
  notices: Notice[],
  kinds: readonly DocumentKind[] = classify(path),
  /** Told of every document once it is parsed (the scan shares lockfiles and manifests with the rules that read neighbours). */
  onParsed?: (kind: DocumentKind, doc: unknown) => void,
  /** Told when a document of a checked kind could not be parsed (see gatedBy); the scan makes it a finding. */
  onUnchecked?: (reason: UncheckedReason) => void,
): SourceUnit {
  const text = stripBom(rawText);
  kinds = kindsOfText(kinds, text);
  const cache = new Map<DocumentKind, unknown>();
  const parse: Parse = { path, text, notices, unit: undefined as unknown as SourceUnit, unchecked: onUnchecked };
  const unit: SourceUnit = {
    path,
    text,
    kinds,
    document(kind) {
      if (!cache.has(kind)) {
        const doc = parseGuarded(kind, parse);
        cache.set(kind, doc);
        onParsed?.(kind, doc);
      }
      return cache.get(kind);
    },
  };
  parse.unit = unit;
  return unit;
}

interface Parse {
  path: string;
  text: string;
  notices: Notice[];
  unit: SourceUnit;
  unchecked?: (reason: UncheckedReason) => void;
  /** Set by the YAML parse: why the file was not (wholly) parsed. */
  yamlFailure?: YamlFailure;
}

/**
 * A parser that throws (a stack overflow on 10,000-level nesting, a library bug on hostile bytes) must not end the scan:
 * parsing happens outside the engine's per-rule guard, so the file becomes a notice and every other file is still checked.
 * For a kind the gate checks, the scan is also told (it fails closed on the file).
 */
function parseGuarded(kind: DocumentKind, p: Parse): unknown {
  try {
    return parseAs(kind, p);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : 'unknown error';
    p.notices.push({ path: p.path, message: `not checked as ${kind}: the parser failed (${reason})` });
    if (CHECKED_KINDS.has(kind)) p.unchecked?.({ code: 'parser', message: `the ${kind} parser failed on it (${reason})` });
    return undefined;
  }
}

function parseAs(kind: DocumentKind, p: Parse): unknown {
  const { path, text, notices, unit } = p;
  switch (kind) {
    case 'workflow': {
      const yaml = unit.document('yaml') as YamlFile | undefined;
      const failure = p.yamlFailure;
      if (failure) p.unchecked?.({ code: `yaml-${failure.cause}`, message: failure.message, ...(failure.line ? { line: failure.line } : {}) });
      const wf = yaml ? workflowFromYaml(yaml, text, notices) : undefined;
      // A file of comments only (a workflow switched off) has nothing to check; any other top level is not a workflow.
      if (yaml && !wf && !failure && yaml.documents.some((d) => d.contents !== null)) {
        p.unchecked?.({ code: 'not-mapping', message: 'its top level is not a mapping, so the gate cannot read it as a workflow or action' });
      }
      return wf;
    }
    case 'workload':
      // A compose file or a manifest that looks like Kubernetes (nothing else asks for the YAML) too large or too deep to parse.
    {
      // Syntax errors are notices for workloads (a YAML file named like one may be a template); a parser that gives up is not.
      const failed = (failure: YamlFailure) => {
        if (failure.cause !== 'syntax') p.unchecked?.({ code: `yaml-${failure.cause}`, message: failure.message, ...(failure.line ? { line: failure.line } : {}) });
      };
      return parseWorkload(
        path,
        text,
        notices,
        () => {
          const yaml = unit.document('yaml') as YamlFile | undefined;
          if (p.yamlFailure) failed(p.yamlFailure);
          return yaml;
        },
        failed,
      );
    }
    case 'dockerfile':
      return parseDockerfile(path, text, notices);
    case 'lockfile':
      return parseLockfile(path, text, notices);
    case 'shell':
      return parseShellDoc(path, text, notices);
    case 'manifest':
      return parseManifest(path, text, notices);
    case 'yaml':
      return parseYaml(path, text, notices, (f) => (p.yamlFailure = f));
    case 'code':
      return parseCode(path, text, notices);
    case 'terraform':
      return parseTerraform(path, text, notices);
    case 'text':
      return text;
  }
}
