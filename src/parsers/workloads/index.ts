import type { Notice } from '../../core/types.js';
import type { PodSpec, WorkloadDoc } from '../workload.js';
import type { YamlFailure, YamlFile } from '../yaml.js';
import { composeFromYaml, HAS_SERVICES, isComposePath } from './compose.js';
import { kubeObjects, type KubeObject } from './kube-objects.js';
import { HAS_KIND, kubernetesPods, LOOKS_LIKE_KUBERNETES } from './kubernetes.js';
import { Reader } from './nodes.js';
import { podDocuments } from './pod-documents.js';

export { isComposePath, resolveDockerfile } from './compose.js';

/** Go template actions Helm charts use, in any file; or any `{{` in a file under a `templates/` directory. */
const HELM_ACTION = /\{\{-?\s*(\.Values|\.Release|\.Chart|\.Capabilities|include\s|template\s|toYaml\s)/;

export function isHelmTemplate(path: string, text: string): boolean {
  return HELM_ACTION.test(text) || (/(^|\/)templates\//.test(path) && text.includes('{{'));
}

/** Notices about Helm templates start with this text, so that reporters can group them. */
export const HELM_NOTICE = 'Helm template not scanned';

/**
 * A compose file or Kubernetes manifest as a WorkloadDoc; undefined for any other YAML (no notice).
 * A cheap text test runs first so that ordinary YAML files are never parsed for this.
 */
export function parseWorkload(
  path: string,
  text: string,
  notices: Notice[],
  yaml: () => YamlFile | undefined,
  /** Told when a document is not parsed, as parseYaml's `failed` (the pod-document split parses on its own). */
  failed?: (f: YamlFailure) => void,
): WorkloadDoc | undefined {
  if (isComposePath(path)) {
    if (!HAS_SERVICES.test(text)) return undefined;
    const file = yaml();
    const doc = file?.documents[0];
    if (!file || !doc) return undefined;
    return composeFromYaml(new Reader(file, doc, text), path);
  }
  if (!LOOKS_LIKE_KUBERNETES.test(text) || !HAS_KIND.test(text)) return undefined;
  if (isHelmTemplate(path, text)) {
    notices.push({ path, message: `${HELM_NOTICE}: its workloads are checked only in rendered manifests (helm template)` });
    return undefined;
  }
  // Only the documents that can hold a pod are parsed, when the others can be told apart (see pod-documents.ts).
  const file = podDocuments(path, text, notices, failed) ?? yaml();
  if (!file) return undefined;
  const pods: PodSpec[] = [];
  const objects: KubeObject[] = [];
  for (const doc of file.documents) {
    const reader = new Reader(file, doc, text);
    pods.push(...kubernetesPods(reader));
    objects.push(...kubeObjects(reader));
  }
  if (pods.length === 0 && objects.length === 0) return undefined;
  return { format: 'kubernetes', path, pods, builds: [], objects };
}
