import { posix } from 'node:path';
import type { Project } from '../core/types.js';

/**
 * Dev container images, known by content: a Dockerfile that a `devcontainer.json` builds (`build.dockerfile`, or the
 * older `dockerFile`). The image is a developer's workstation, and the user its tools run as is chosen in
 * devcontainer.json (`remoteUser`, `containerUser`), not by the Dockerfile's USER.
 */
export interface DevContainer {
  /** The devcontainer.json that builds the Dockerfile. */
  config: string;
  /** `containerUser` or `remoteUser`, when set. */
  user?: string;
}

/** Where a devcontainer.json can be, for a Dockerfile in `dir` (the spec's locations, searched from `dir` up to the root). */
function candidates(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; ; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
    const at = (p: string): string => (d === '' ? p : `${d}/${p}`);
    out.push(at('devcontainer.json'), at('.devcontainer.json'), at('.devcontainer/devcontainer.json'));
    if (d === '') return out;
  }
}

/** The devcontainer.json that builds `dockerfile`, if any. */
export function devContainerFor(project: Project, dockerfile: string): DevContainer | undefined {
  const dir = dockerfile.includes('/') ? dockerfile.slice(0, dockerfile.lastIndexOf('/')) : '';
  for (const config of candidates(dir)) {
    if (!project.has(config)) continue;
    const json = parseJsonc(project.read(config) ?? '');
    if (!json) continue;
    const build = json.build as Record<string, unknown> | undefined;
    const file = typeof build?.dockerfile === 'string' ? build.dockerfile : typeof json.dockerFile === 'string' ? json.dockerFile : undefined;
    if (file === undefined) continue;
    const base = config.includes('/') ? config.slice(0, config.lastIndexOf('/')) : '';
    if (posix.normalize(posix.join(base || '.', file)) !== posix.normalize(dockerfile)) continue;
    const user = [json.containerUser, json.remoteUser].find((u): u is string => typeof u === 'string' && u.trim() !== '');
    return { config, ...(user !== undefined ? { user } : {}) };
  }
  return undefined;
}

/** devcontainer.json is JSON with comments and trailing commas. */
function parseJsonc(text: string): Record<string, unknown> | undefined {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  try {
    const value: unknown = JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}
