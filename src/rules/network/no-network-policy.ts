import { kindLine, repositoryManifests } from '../../analysis/network/kubernetes-files.js';
import { unprotectedNamespaces } from '../../analysis/network/kubernetes-policies.js';
import type { NetworkPolicyObject, WorkloadObject } from '../../parsers/workloads/kube-objects.js';
import type { RepositoryDoc, Rule } from '../../core/types.js';

/** The kinds this rule reads: policies in every file, workloads (and Lists) in production files only. */
const POLICIES = kindLine('NetworkPolicy|CiliumNetworkPolicy|CiliumClusterwideNetworkPolicy|GlobalNetworkPolicy|\\w*List');
const POLICIES_AND_WORKLOADS = kindLine('NetworkPolicy|CiliumNetworkPolicy|CiliumClusterwideNetworkPolicy|GlobalNetworkPolicy|\\w*List|Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob|PodTemplate');
const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: api, image: "ghcr.io/acme/api:1.4.2"}]\n';
const POLICY = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n';

export default {
  id: 'no-network-policy',
  title: 'Workloads without a network policy',
  severity: 'low',
  area: 'network',
  summary:
    'Kubernetes manifests deploy workloads into a namespace, and no NetworkPolicy (nor Cilium or Calico policy) in the repository selects them. ' +
    'One finding per namespace, at its first workload; low confidence, so it never blocks by default. It runs when the whole repository is scanned.',
  rationale:
    'Without a policy selecting it, a pod accepts connections from every pod of the cluster and can connect anywhere: one compromised workload ' +
    'reaches every database and internal API, and can send data out. A default-deny policy per namespace, with the flows the application needs ' +
    'allowed, is the firewall that denies by default. The policy may live elsewhere (another repository, a platform team\'s cluster config, ' +
    'a Helm chart the gate does not render), which is why the finding is low confidence. Workloads are read from production manifests; ' +
    'policies from every manifest. A policy without a namespace counts for every namespace (it goes where it is applied), and a selector other ' +
    'than plain `matchLabels` counts as selecting every pod.',
  fix:
    'Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress, Egress]` to the namespace (deny by default), then policies that allow ' +
    'the flows each workload needs (from the ingress controller, to its database, to DNS).',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies',
    'https://docs.cilium.io/en/stable/security/policy/',
    'https://docs.tigera.io/calico/latest/network-policy/get-started/kubernetes-default-deny',
  ],
  examples: {
    bad: [{ path: 'deploy/api.yaml', text: DEPLOY, line: 2 }],
    good: [
      { path: 'deploy/api.yaml', text: DEPLOY, files: { 'deploy/policy.yaml': POLICY } },
      { path: 'deploy/api.yaml', text: `${DEPLOY}---\n${POLICY.replace('podSelector: {}', 'podSelector: {matchLabels: {app: api}}')}` },
      { path: 'examples/api.yaml', text: DEPLOY },
    ],
  },
  reads: ['repository'],
  check(doc, ctx) {
    const manifests = repositoryManifests(doc, ctx.project, (p) => (doc.contextOf(p) === 'production' ? POLICIES_AND_WORKLOADS : POLICIES));
    const policies = manifests.flatMap((m) => m.objects.filter((o): o is NetworkPolicyObject => o.object === 'networkpolicy'));
    const workloads = manifests
      .filter((m) => doc.contextOf(m.path) === 'production')
      .map((m) => ({ path: m.path, objects: m.objects.filter((o): o is WorkloadObject => o.object === 'workload') }));
    for (const ns of unprotectedNamespaces(workloads, policies)) {
      const where = ns.namespace === undefined ? 'the namespace they are applied to (none is set)' : `namespace ${ns.namespace}`;
      const [who, them] = ns.workloads > 1 ? [`${ns.label} and ${ns.workloads - 1} more workload(s) run`, 'them'] : [`${ns.label} runs`, 'it'];
      ctx.report({
        path: ns.path,
        message: `${who} in ${where}, and no NetworkPolicy in this repository selects ${them}: every pod can reach ${them}, and ${them === 'it' ? 'it' : 'they'} can reach anything. Add a default-deny NetworkPolicy for the namespace and allow the flows needed.`,
        at: ns.span,
        confidence: 'low',
        fingerprintKey: `no network policy in ${ns.namespace ?? '(unset namespace)'}`,
      });
    }
  },
} satisfies Rule<RepositoryDoc>;
