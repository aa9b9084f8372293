/**
 * Reading a repository's Dependabot and Renovate configs for what they keep up to date. Dependabot's is checked for
 * the shape Dependabot needs (an `updates:` list, known ecosystem names, folders that exist); Renovate finds its
 * package managers itself, so a Renovate config covers everything unless `enabled: false` or `enabledManagers` says
 * otherwise (a `.json5` config, which JSON cannot read, is taken to cover everything).
 */
import { FIRST_LINE, type Project, type Span } from '../core/types.js';
import { getNode, isMap, isSeq, parseYaml, scalarString } from '../parsers/yaml.js';
import { coveredByDependabot, coveredByRenovate, DEPENDABOT_ECOSYSTEMS, directoryExists, ECOSYSTEMS, foldersOf, type Ecosystem } from './dependency-updates.js';

export const DEPENDABOT_PATHS = ['.github/dependabot.yml', '.github/dependabot.yaml'];
export const RENOVATE_PATHS = ['renovate.json', 'renovate.json5', '.github/renovate.json', '.github/renovate.json5', '.gitlab/renovate.json', '.gitlab/renovate.json5', '.renovaterc', '.renovaterc.json', '.renovaterc.json5'];

export interface UpdateConfig {
  path: string;
  covers: Ecosystem[];
  /** Where a finding about it goes when it has no error. */
  at: Span;
  errors: { at: Span; message: string }[];
}


export function readDependabot(project: Project, paths: readonly string[]): UpdateConfig | undefined {
  const path = DEPENDABOT_PATHS.find((p) => project.has(p));
  if (path === undefined) return undefined;
  const text = project.read(path);
  const out: UpdateConfig = { path, covers: [], at: FIRST_LINE, errors: [] };
  const notices: { line?: number; message: string }[] = [];
  const yaml = text === undefined ? undefined : parseYaml(path, text, notices);
  const doc = yaml?.documents[0];
  if (!yaml || !doc || notices.length > 0) {
    const why = text === undefined ? 'it could not be read as text' : (notices[0]?.message ?? 'it is empty');
    out.errors.push({ at: notices[0]?.line ? { line: notices[0].line, column: 1, endLine: notices[0].line, endColumn: 1 } : FIRST_LINE, message: `Dependabot cannot use it: ${why}` });
    return out;
  }
  const updates = getNode(doc.contents, 'updates', doc);
  out.at = yaml.keySpanOf(doc.contents, 'updates');
  if (!isSeq(updates)) {
    out.errors.push({ at: out.at, message: 'it has no `updates:` list, so Dependabot updates nothing' });
    return out;
  }
  let folders: Set<string> | undefined;
  const names: string[] = [];
  for (const item of updates.items.slice(0, 1000)) {
    if (!isMap(item)) continue;
    const ecoNode = getNode(item, 'package-ecosystem', doc);
    const eco = scalarString(ecoNode);
    if (eco !== undefined && !DEPENDABOT_ECOSYSTEMS.has(eco)) out.errors.push({ at: yaml.spanOf(ecoNode), message: `\`package-ecosystem: ${clip(eco)}\` is not an ecosystem Dependabot knows` });
    const dirNodes = [getNode(item, 'directory', doc), ...(() => {
      const list = getNode(item, 'directories', doc);
      return isSeq(list) ? list.items.slice(0, 1000) : [];
    })()];
    let missing = false;
    for (const node of dirNodes) {
      const dir = scalarString(node);
      if (dir === undefined || directoryExists(dir, () => (folders ??= foldersOf(paths)))) continue;
      missing = true;
      out.errors.push({ at: yaml.spanOf(node as never), message: `\`${clip(dir)}\`${eco ? ` (${clip(eco)})` : ''} is not a folder of this repository` });
    }
    // an entry whose every folder is missing updates nothing
    if (eco !== undefined && !(missing && dirNodes.filter((n) => scalarString(n) !== undefined).length === 1)) names.push(eco);
  }
  out.covers = coveredByDependabot(names);
  return out;
}

export function readRenovate(project: Project): UpdateConfig | undefined {
  const path = RENOVATE_PATHS.find((p) => project.has(p));
  if (path !== undefined) return fromRenovateJson(path, project.read(path), (j) => j);
  if (!project.has('package.json')) return undefined;
  const found = fromRenovateJson('package.json', project.read('package.json'), (j) => (isObject(j) ? j['renovate'] : undefined));
  return found?.errors.length ? undefined : found;
}

function fromRenovateJson(path: string, text: string | undefined, pick: (json: unknown) => unknown): UpdateConfig | undefined {
  const all: UpdateConfig = { path, covers: [...ECOSYSTEMS], at: FIRST_LINE, errors: [] };
  if (text === undefined) return { ...all, covers: [], errors: [{ at: FIRST_LINE, message: 'it could not be read as text' }] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // JSON5 allows comments and trailing commas: Renovate reads it, JSON cannot, so it is taken at its word.
    if (path.endsWith('.json5')) return all;
    return { ...all, covers: [], errors: [{ at: FIRST_LINE, message: `Renovate cannot read it (${err instanceof Error ? err.message.slice(0, 120) : 'invalid JSON'})` }] };
  }
  const config = pick(json);
  if (!isObject(config)) return path === 'package.json' ? undefined : all;
  if (config['enabled'] === false) return { ...all, covers: [], at: lineOf(text, '"enabled"') };
  const managers = config['enabledManagers'];
  if (!Array.isArray(managers)) return all;
  return { ...all, covers: coveredByRenovate(managers.filter((m): m is string => typeof m === 'string')), at: lineOf(text, '"enabledManagers"') };
}

function lineOf(text: string, key: string): Span {
  const at = text.indexOf(key);
  if (at < 0) return FIRST_LINE;
  const line = text.slice(0, at).split('\n').length;
  const column = at - text.lastIndexOf('\n', at - 1);
  return { line, column, endLine: line, endColumn: column + key.length };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s).replace(/`/g, "'");
