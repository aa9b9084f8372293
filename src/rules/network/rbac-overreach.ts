import { rbacReports } from '../../analysis/network/kubernetes-rbac.js';
import type { Rule } from '../../core/types.js';
import type { WorkloadDoc } from '../../parsers/workload.js';

const ROLE = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: deployer\nrules:\n';
const BINDING = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ci\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n';

export default {
  id: 'rbac-overreach',
  title: 'RBAC grant beyond least privilege',
  severity: 'medium',
  area: 'network',
  summary:
    'A Kubernetes Role or ClusterRole grants `*` verbs or resources, reading Secrets cluster-wide, or `escalate`/`bind`/`impersonate` (medium); ' +
    'a binding makes a ServiceAccount, `system:authenticated` or `system:unauthenticated` cluster-admin (high).',
  rationale:
    'A ServiceAccount\'s token is in every pod that runs as it: whoever gets code execution in the pod (a dependency, an SSRF that reads the ' +
    'token) holds its rights. `*` grants every verb on every resource, including ones added later; reading Secrets cluster-wide reads every ' +
    'other workload\'s credentials; `escalate`, `bind` and `impersonate` let the holder grant itself more. Binding cluster-admin to a ServiceAccount ' +
    'or to every signed-in user hands over the cluster. Operators are different: a controller shipped with its RBAC (argo-cd, cert-manager) ' +
    'needs broad rights to do its job. A role that a binding in the same manifest grants to the ServiceAccount of a workload in that manifest is ' +
    'therefore reported at low confidence (never blocking by default) for review, and only cluster-admin bindings are high: those have a ' +
    'narrower fix (a ClusterRole listing what the controller uses) that a maintainer can act on. Built-in `system:` roles and aggregated roles are skipped.',
  fix:
    'List the API groups, resources and verbs the subject uses (`kubectl auth can-i --list --as=system:serviceaccount:NS:NAME` shows the grant; ' +
    'audit logs show the use). Read Secrets by name (`resourceNames`) in one namespace with a Role. Bind a scoped ClusterRole instead of cluster-admin.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping',
    'https://docs.kubelinter.io/#/generated/checks?id=cluster-admin-role-binding',
  ],
  examples: {
    bad: [
      // Kubernetes
      { path: 'k8s/rbac.yaml', text: `${ROLE}  - apiGroups: ["*"]\n    resources: ["*"]\n    verbs: ["*"]\n`, line: 6 },
      { path: 'k8s/rbac.yaml', text: `${ROLE}  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [get, list]\n`, line: 6 },
      { path: 'k8s/rbac.yaml', text: `${ROLE}  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [clusterroles]\n    verbs: [bind, escalate]\n`, line: 6 },
      { path: 'k8s/rbac.yaml', text: `${BINDING}  name: cluster-admin\nsubjects:\n  - kind: ServiceAccount\n    name: ci\n    namespace: build\n`, line: 10 },
      { path: 'k8s/rbac.yaml', text: `${BINDING}  name: cluster-admin\nsubjects:\n  - kind: Group\n    name: system:authenticated\n`, line: 10 },
    ],
    good: [
      // Kubernetes
      { path: 'k8s/rbac.yaml', text: `${ROLE}  - apiGroups: [apps]\n    resources: [deployments]\n    verbs: [get, list, watch, patch]\n` },
      { path: 'k8s/rbac.yaml', text: `${BINDING}  name: view\nsubjects:\n  - kind: ServiceAccount\n    name: ci\n    namespace: build\n` },
      { path: 'k8s/rbac.yaml', text: `${BINDING}  name: cluster-admin\nsubjects:\n  - kind: User\n    name: alice@example.com\n` },
      { path: 'k8s/rbac.yaml', text: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: system:controller:x\nrules:\n  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}\n' },
    ],
  },
  reads: ['workload'],
  check(doc, ctx) {
    if (doc.objects) for (const r of rbacReports(doc.objects)) ctx.report(r);
  },
} satisfies Rule<WorkloadDoc>;
