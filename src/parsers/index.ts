import type { SourceUnit } from '../core/engine.js';
import type { DocumentKind, Notice } from '../core/types.js';
import { parseDockerfile } from './dockerfile.js';
import { isLockfilePath, parseLockfile } from './lockfiles/index.js';
import { isManifestPath, parseManifest } from './manifests/index.js';
import { stripBom } from './source.js';
import { isActionPath, isWorkflowPath, workflowFromYaml } from './workflow.js';
import { parseYaml, type YamlFile } from './yaml.js';
import { parseWorkload } from './workloads/index.js';

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
  return kinds;
}

/** Wraps a file's text in a unit whose documents are parsed on first use, once. */
export function makeUnit(
  path: string,
  rawText: string,
  notices: Notice[],
  kinds: readonly DocumentKind[] = classify(path),
  /** Told of every document once it is parsed (the scan shares lockfiles and manifests with the rules that read neighbours). */
  onParsed?: (kind: DocumentKind, doc: unknown) => void,
): SourceUnit {
  const text = stripBom(rawText);
  const cache = new Map<DocumentKind, unknown>();
  const unit: SourceUnit = {
    path,
    text,
    kinds,
    document(kind) {
      if (!cache.has(kind)) {
        const doc = parseGuarded(kind, path, text, notices, unit);
        cache.set(kind, doc);
        onParsed?.(kind, doc);
      }
      return cache.get(kind);
    },
  };
  return unit;
}

/**
 * A parser that throws (a stack overflow on 10,000-level nesting, a library bug on hostile bytes) must not end the scan:
 * parsing happens outside the engine's per-rule guard, so the file becomes a notice and every other file is still checked.
 */
function parseGuarded(kind: DocumentKind, path: string, text: string, notices: Notice[], unit: SourceUnit): unknown {
  try {
    return parseAs(kind, path, text, notices, unit);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : 'unknown error';
    notices.push({ path, message: `not checked as ${kind}: the parser failed (${reason})` });
    return undefined;
  }
}

function parseAs(kind: DocumentKind, path: string, text: string, notices: Notice[], unit: SourceUnit): unknown {
  switch (kind) {
    case 'workflow': {
      const yaml = unit.document('yaml') as YamlFile | undefined;
      return yaml ? workflowFromYaml(yaml, text, notices) : undefined;
    }
    case 'workload':
      return parseWorkload(path, text, notices, () => unit.document('yaml') as YamlFile | undefined);
    case 'dockerfile':
      return parseDockerfile(path, text, notices);
    case 'lockfile':
      return parseLockfile(path, text, notices);
    case 'manifest':
      return parseManifest(path, text, notices);
    case 'yaml':
      return parseYaml(path, text, notices);
    case 'text':
      return text;
  }
}
