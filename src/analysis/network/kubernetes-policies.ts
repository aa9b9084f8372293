import type { Span } from '../../core/types.js';
import type { NetworkPolicyObject, WorkloadObject } from '../../parsers/workloads/kube-objects.js';

/** A namespace whose workloads no network policy selects, at its first workload. */
export interface UnprotectedNamespace {
  /** `metadata.namespace`, or undefined for workloads that leave it to `kubectl apply -n` / kustomize. */
  namespace?: string;
  path: string;
  label: string;
  span: Span;
  workloads: number;
}

function selects(policy: NetworkPolicyObject, w: WorkloadObject): boolean {
  // A policy without a namespace is applied where its manifest is applied: it may be any namespace (and is read so).
  if (!policy.clusterwide && policy.namespace !== undefined && policy.namespace !== w.namespace) return false;
  const want = policy.matchLabels;
  return want === undefined || Object.entries(want).every(([k, v]) => w.labels[k] === v);
}

/**
 * The namespaces where manifests deploy workloads that no NetworkPolicy, Cilium or Calico policy of the repository selects.
 * Workloads are taken from the manifests given (the production ones); policies from every manifest. A selector the gate
 * does not evaluate counts as selecting every pod, so an unread policy never causes a finding.
 */
export function unprotectedNamespaces(
  workloads: readonly { path: string; objects: readonly WorkloadObject[] }[],
  policies: readonly NetworkPolicyObject[],
): UnprotectedNamespace[] {
  const byNamespace = new Map<string, UnprotectedNamespace>();
  for (const { path, objects } of workloads) {
    for (const w of objects) {
      if (policies.some((p) => selects(p, w))) continue;
      const key = w.namespace ?? '';
      const seen = byNamespace.get(key);
      if (seen) seen.workloads++;
      else byNamespace.set(key, { ...(w.namespace !== undefined ? { namespace: w.namespace } : {}), path, label: `${w.kind}/${w.name ?? '(unnamed)'}`, span: w.span, workloads: 1 });
    }
  }
  return [...byNamespace.values()];
}
