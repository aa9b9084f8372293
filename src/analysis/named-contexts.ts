import type { Project } from '../core/types.js';

/**
 * Images a build replaces with something it builds itself: Buildx named contexts in a Bake file at the repository
 * root (`contexts = { "ghcr.io/acme/base" = "target:base" }`, the key also written `(VAR)` or `"${VAR}:tag"` with the
 * variable's default). `FROM ghcr.io/acme/base` in such a build is the `base` target built moments before, not a
 * pull, so its tag and digest pin nothing. Read as text (HCL or JSON): string keys mapped to `target:`, `docker-image://`
 * or `oci-layout://` values.
 */
const BAKE_FILE = /^docker-bake(\.[\w-]+)*\.(hcl|json)$/;
const memo = new WeakMap<Project, ReadonlyMap<string, string>>();

/** Image name (as written, tag included when written) → what replaces it, for messages (`target updater-core of docker-bake.hcl`). */
function namedContexts(project: Project): ReadonlyMap<string, string> {
  const known = memo.get(project);
  if (known) return known;
  const out = new Map<string, string>();
  for (const file of project.list('').filter((p) => BAKE_FILE.test(p))) {
    const text = (project.read(file) ?? '').slice(0, 1024 * 1024);
    const vars = new Map<string, string>();
    for (const m of text.matchAll(/variable\s+"([\w-]+)"\s*\{[^}]*?\bdefault\s*=\s*"([^"$]*)"/g)) vars.set(m[1]!, m[2]!);
    const expand = (s: string): string => s.replace(/\$\{([\w-]+)\}/g, (all, name: string) => vars.get(name) ?? all);
    const entry = /(?:"([^"\n]+)"|\(([\w-]+)\))\s*[=:]\s*"(target:[\w.-]+|docker-image:\/\/[^"\s]+|oci-layout:\/\/[^"\s]+)"/g;
    for (const m of text.matchAll(entry)) {
      const key = m[1] !== undefined ? expand(m[1]) : vars.get(m[2]!);
      if (key === undefined || key.includes('${')) continue;
      out.set(key, `${m[3]!.startsWith('target:') ? `target ${m[3]!.slice(7)}` : m[3]!} of ${file}`);
    }
  }
  memo.set(project, out);
  return out;
}

/** What replaces an image reference in the repository's own builds, if a named context does. */
export function replacedBy(project: Project, image: string): string | undefined {
  const contexts = namedContexts(project);
  if (contexts.size === 0) return undefined;
  return contexts.get(image) ?? (/:[^/]*$/.test(image) ? undefined : contexts.get(`${image}:latest`));
}
