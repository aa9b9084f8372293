import type { Notice, Project, RepositoryDoc } from '../../core/types.js';
import { kubeObjects, type KubeObject } from '../../parsers/workloads/kube-objects.js';
import { isComposePath, isHelmTemplate, parseWorkload } from '../../parsers/workloads/index.js';
import { Reader } from '../../parsers/workloads/nodes.js';
import { podDocuments } from '../../parsers/workloads/pod-documents.js';
import { parseYaml } from '../../parsers/yaml.js';

/**
 * The Kubernetes objects of a file read beside the one being checked (or by a repository rule), parsed as the scan parses
 * manifests: Helm templates and files that do not parse give nothing, and their notices are the scan's own when it
 * checks them as files.
 */
export function kubeObjectsOf(path: string, text: string): readonly KubeObject[] {
  if (isComposePath(path)) return [];
  const notices: Notice[] = [];
  return parseWorkload(path, text, notices, () => parseYaml(path, text, notices))?.objects ?? [];
}

/** A `kind:` line naming one of `kinds` (an alternation), plain or quoted, as a cheap test before parsing. */
export function kindLine(kinds: string): RegExp {
  return new RegExp(`^[ \\t-]*["']?kind["']?[ \\t]*:[ \\t]*["']?(${kinds})["']?[ \\t]*(#.*)?\\r?$`, 'm');
}

/**
 * Every Kubernetes manifest of the repository whose text passes `wanted` (a `kindLine` test, chosen per path), in path
 * order, with its objects (files that hold none are left out). The text test keeps a repository rule from parsing every
 * YAML file a second time; a kind spelled with escapes is missed, which only ever costs a low-confidence finding.
 */
export function repositoryManifests(doc: RepositoryDoc, project: Project, wanted: (path: string) => RegExp): { path: string; objects: readonly KubeObject[] }[] {
  const out: { path: string; objects: readonly KubeObject[] }[] = [];
  for (const path of doc.paths) {
    if (!/\.ya?ml$/i.test(path) || path.startsWith('.github/')) continue;
    const text = project.read(path);
    const kinds = wanted(path);
    if (text === undefined || !kinds.test(text) || isComposePath(path) || isHelmTemplate(path, text)) continue;
    // Only the documents that name a wanted kind are parsed: an install manifest is mostly RBAC and CRDs this does not read.
    const file = podDocuments(path, text, [], undefined, (part) => kinds.test(part)) ?? parseYaml(path, text, []);
    const objects = file ? file.documents.flatMap((d) => kubeObjects(new Reader(file, d, text))) : [];
    if (objects.length > 0) out.push({ path, objects });
  }
  return out;
}
