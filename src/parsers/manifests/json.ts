import type { Notice } from '../../core/types.js';
import { LineIndex } from '../source.js';
import type { DependencyBlock, PackageManifest } from './index.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a JSON object document; on failure pushes a notice with the line of the error when the engine names it. */
export function parseJsonObject(path: string, text: string, notices: Notice[]): { value: Json; index: LineIndex } | undefined {
  const index = new LineIndex(text);
  if (text.trim() === '') {
    notices.push({ path, line: 1, message: 'invalid JSON: the file is empty' });
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const lineCol = /line (\d+) column/.exec(message);
    const position = /position (\d+)/.exec(message);
    const line = lineCol ? Number(lineCol[1]) : position ? index.position(Number(position[1])).line : index.lineCount;
    notices.push({ path, line, message: `invalid JSON: ${message.split('\n')[0]!.replace(/( in JSON)? at position \d+.*$/, '').replace(/,? ?".*" is not valid JSON/, '')}` });
    return undefined;
  }
  if (!isObject(value)) {
    notices.push({ path, line: 1, message: 'invalid manifest: the top level is not a JSON object' });
    return undefined;
  }
  return { value, index };
}

/** Offsets [start, end) of each top-level key of a JSON object text (JSON already validated); the last duplicate wins, as in JSON.parse. */
export function topLevelKeys(text: string): Map<string, [number, number]> {
  const keys = new Map<string, [number, number]>();
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      if (depth === 1 && expectKey) {
        try {
          keys.set(JSON.parse(text.slice(start, i + 1)) as string, [start, i + 1]);
        } catch {
          // not a valid string literal: cannot happen after JSON.parse succeeded
        }
      }
      expectKey = false;
    } else if (c === '{' || c === '[') {
      depth++;
      expectKey = c === '{' && depth === 1;
    } else if (c === '}' || c === ']') {
      depth--;
      expectKey = false;
    } else if (c === ',') {
      expectKey = depth === 1;
    }
  }
  return keys;
}

/** Counts entries of the first non-empty object among `keys` (in order) and points at that key. */
function dependencyBlock(value: Json, text: string, index: LineIndex, keys: readonly string[], counts: (obj: Json) => number): DependencyBlock | undefined {
  let total = 0;
  let first: string | undefined;
  for (const key of keys) {
    const obj = value[key];
    if (!isObject(obj)) continue;
    const n = counts(obj);
    total += n;
    if (n > 0 && first === undefined) first = key;
  }
  if (first === undefined) return undefined;
  const at = topLevelKeys(text).get(first);
  return { span: at ? index.span(at[0], at[1]) : index.lineSpan(1), count: total };
}

export function parsePackageJson(path: string, text: string, notices: Notice[]): PackageManifest | undefined {
  const parsed = parseJsonObject(path, text, notices);
  if (!parsed) return undefined;
  const { value, index } = parsed;
  const dependencies = dependencyBlock(value, text, index, ['dependencies', 'devDependencies', 'optionalDependencies'], (o) => Object.keys(o).length);
  const ws = value.workspaces;
  const list = Array.isArray(ws) ? ws : isObject(ws) && Array.isArray(ws.packages) ? ws.packages : [];
  const workspaces = list.filter((g): g is string => typeof g === 'string');
  const manager = typeof value.packageManager === 'string' ? /^(npm|yarn|pnpm|bun)@/.exec(value.packageManager)?.[1] : undefined;
  return {
    role: 'manifest',
    ecosystem: 'npm',
    path,
    name: 'package.json',
    dependencies,
    workspaces,
    isWorkspaceRoot: workspaces.length > 0,
    tools: manager ? [manager] : [],
  };
}

/** Platform requirements (php itself, extensions, system libraries) are not packages and need no lock. */
const isPlatform = (name: string): boolean => /^(php(-64bit|-ipv6|-zts|-debug)?|hhvm|ext-.+|lib-.+|composer(-plugin-api|-runtime-api)?)$/i.test(name);

export function parseComposerJson(path: string, text: string, notices: Notice[]): PackageManifest | undefined {
  const parsed = parseJsonObject(path, text, notices);
  if (!parsed) return undefined;
  const { value, index } = parsed;
  const dependencies = dependencyBlock(value, text, index, ['require', 'require-dev'], (o) => Object.keys(o).filter((k) => !isPlatform(k)).length);
  return { role: 'manifest', ecosystem: 'composer', path, name: 'composer.json', dependencies, isWorkspaceRoot: false, tools: ['composer'] };
}
