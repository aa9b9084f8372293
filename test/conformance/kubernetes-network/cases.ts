// Conformance table for the Kubernetes network rules: each case is a snippet written here from a peer's documentation
// of one check (kube-linter, checkov, Trivy, KICS), never copied from their test files. `expect` is the peer's verdict
// on it; `rule` is the Portcullis rule that must (or must not) report it. A case with `difference` is a deliberate policy
// difference (README.md): it is listed, and left out of the recall and false-finding figures.

export interface Case {
  peer: 'kube-linter' | 'checkov' | 'trivy' | 'kics';
  check: string;
  rule: 'exposed-admin-port' | 'world-open-port' | 'plaintext-traffic' | 'no-network-policy' | 'rbac-overreach';
  expect: 'finding' | 'clean';
  text: string;
  difference?: string;
}

const role = (kind: string, rules: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: r\n  namespace: app\nrules:\n${rules}`;
const rule = (groups: string, resources: string, verbs: string) => `  - apiGroups: [${groups}]\n    resources: [${resources}]\n    verbs: [${verbs}]\n`;
const binding = (kind: string, roleName: string, subject: string) =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: b\n  namespace: app\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: ${roleName}\nsubjects:\n${subject}`;
const sa = '  - kind: ServiceAccount\n    name: app\n    namespace: app\n';
const service = (type: string, ports: string, extra = '') => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n${type ? `  type: ${type}\n` : ''}${extra}  ports:\n${ports}`;
const deployment = (labels: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: app\nspec:\n  selector: {matchLabels: {${labels}}}\n  template:\n    metadata: {labels: {${labels}}}\n    spec:\n      containers: [{name: web, image: "nginx:1.27"}]\n`;
const policy = (selector: string) => `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: app\nspec:\n  podSelector: ${selector}\n  policyTypes: [Ingress]\n`;
const ingress = (annotations: string, tls: boolean) =>
  `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n${annotations ? `  annotations:\n${annotations}` : ''}spec:\n${tls ? '  tls:\n    - hosts: [web.example.com]\n      secretName: web-tls\n' : ''}  rules:\n    - host: web.example.com\n      http:\n        paths:\n          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n`;

export const CASES: Case[] = [
  // kube-linter access-to-secrets: roles and bindings that can read Secrets (get/list/watch).
  { peer: 'kube-linter', check: 'access-to-secrets', rule: 'rbac-overreach', expect: 'finding', text: role('ClusterRole', rule('""', 'secrets', 'get, list')) },
  { peer: 'kube-linter', check: 'access-to-secrets', rule: 'rbac-overreach', expect: 'finding', text: role('ClusterRole', rule('""', 'secrets', 'watch')) },
  {
    peer: 'kube-linter', check: 'access-to-secrets', rule: 'rbac-overreach', expect: 'finding', text: role('Role', rule('""', 'secrets', 'get')),
    difference: 'A namespaced Role reading Secrets of its own namespace is how an app reads its credentials; only cluster-wide Secret reads are reported.',
  },
  { peer: 'kube-linter', check: 'access-to-secrets', rule: 'rbac-overreach', expect: 'clean', text: role('ClusterRole', rule('""', 'configmaps', 'get, list, watch')) },
  // kube-linter cluster-admin-role-binding: any binding of the cluster-admin ClusterRole.
  { peer: 'kube-linter', check: 'cluster-admin-role-binding', rule: 'rbac-overreach', expect: 'finding', text: binding('ClusterRoleBinding', 'cluster-admin', sa) },
  { peer: 'kube-linter', check: 'cluster-admin-role-binding', rule: 'rbac-overreach', expect: 'finding', text: binding('RoleBinding', 'cluster-admin', sa) },
  { peer: 'kube-linter', check: 'cluster-admin-role-binding', rule: 'rbac-overreach', expect: 'finding', text: binding('ClusterRoleBinding', 'cluster-admin', '  - kind: Group\n    name: system:authenticated\n    apiGroup: rbac.authorization.k8s.io\n') },
  {
    peer: 'kube-linter', check: 'cluster-admin-role-binding', rule: 'rbac-overreach', expect: 'finding',
    text: binding('ClusterRoleBinding', 'cluster-admin', '  - kind: User\n    name: alice@example.com\n    apiGroup: rbac.authorization.k8s.io\n'),
    difference: 'A named human administrator bound to cluster-admin is how clusters are run; only ServiceAccounts (a pod token) and the everyone groups are reported.',
  },
  { peer: 'kube-linter', check: 'cluster-admin-role-binding', rule: 'rbac-overreach', expect: 'clean', text: binding('ClusterRoleBinding', 'view', sa) },
  // kube-linter wildcard-in-rules; checkov CKV_K8S_49; Trivy KSV044 (`*` verb on `*` resource), KSV045 (`*` verb).
  { peer: 'kube-linter', check: 'wildcard-in-rules', rule: 'rbac-overreach', expect: 'finding', text: role('Role', rule('apps', 'deployments', '"*"')) },
  { peer: 'kube-linter', check: 'wildcard-in-rules', rule: 'rbac-overreach', expect: 'finding', text: role('ClusterRole', rule('""', '"*"', 'get')) },
  { peer: 'kube-linter', check: 'wildcard-in-rules', rule: 'rbac-overreach', expect: 'clean', text: role('Role', rule('apps', 'deployments', 'get, list, update')) },
  { peer: 'checkov', check: 'CKV_K8S_49', rule: 'rbac-overreach', expect: 'finding', text: role('ClusterRole', rule('"*"', '"*"', '"*"')) },
  { peer: 'checkov', check: 'CKV_K8S_49', rule: 'rbac-overreach', expect: 'finding', text: role('Role', rule('""', 'pods', '"*"')) },
  { peer: 'checkov', check: 'CKV_K8S_49', rule: 'rbac-overreach', expect: 'clean', text: role('Role', rule('""', 'pods', 'get, list')) },
  { peer: 'trivy', check: 'KSV044', rule: 'rbac-overreach', expect: 'finding', text: role('ClusterRole', rule('"*"', '"*"', '"*"')) },
  { peer: 'trivy', check: 'KSV045', rule: 'rbac-overreach', expect: 'finding', text: role('Role', rule('batch', 'jobs', '"*"')) },
  { peer: 'trivy', check: 'KSV045', rule: 'rbac-overreach', expect: 'clean', text: role('Role', rule('batch', 'jobs', 'create, delete')) },
  // Trivy KSV041 (manage secrets).
  { peer: 'trivy', check: 'KSV041', rule: 'rbac-overreach', expect: 'finding', text: role('ClusterRole', rule('""', 'secrets', 'get, list, watch')) },
  { peer: 'trivy', check: 'KSV041', rule: 'rbac-overreach', expect: 'clean', text: role('ClusterRole', rule('""', 'services', 'get, list, watch')) },
  // checkov CKV_K8S_157 (bind), CKV_K8S_158 (escalate); KICS "RBAC Roles Allow Privilege Escalation" (8320826e-7a9c-4b0b-9535-578333193432).
  { peer: 'checkov', check: 'CKV_K8S_157', rule: 'rbac-overreach', expect: 'finding', text: role('ClusterRole', rule('rbac.authorization.k8s.io', 'clusterroles', 'bind')) },
  { peer: 'checkov', check: 'CKV_K8S_157', rule: 'rbac-overreach', expect: 'clean', text: role('ClusterRole', rule('rbac.authorization.k8s.io', 'clusterrolebindings', 'get, list')) },
  { peer: 'checkov', check: 'CKV_K8S_158', rule: 'rbac-overreach', expect: 'finding', text: role('ClusterRole', rule('rbac.authorization.k8s.io', 'roles, clusterroles', 'escalate')) },
  { peer: 'kics', check: 'RBAC Roles Allow Privilege Escalation', rule: 'rbac-overreach', expect: 'finding', text: role('ClusterRole', rule('rbac.authorization.k8s.io', 'clusterroles', 'bind') + rule('rbac.authorization.k8s.io', 'clusterrolebindings', 'create')) },
  { peer: 'kics', check: 'RBAC Roles Allow Privilege Escalation', rule: 'rbac-overreach', expect: 'clean', text: role('ClusterRole', rule('rbac.authorization.k8s.io', 'clusterrolebindings', 'create')) },
  // KICS "Cluster Admin Rolebinding With Superuser Permissions".
  { peer: 'kics', check: 'Cluster Admin Rolebinding With Superuser Permissions', rule: 'rbac-overreach', expect: 'finding', text: binding('ClusterRoleBinding', 'cluster-admin', sa) },
  // kube-linter exposed-services (forbidden service types NodePort/LoadBalancer): admin ports → exposed-admin-port, others → world-open-port.
  { peer: 'kube-linter', check: 'exposed-services', rule: 'world-open-port', expect: 'finding', text: service('NodePort', '    - port: 8080\n      nodePort: 30080\n') },
  { peer: 'kube-linter', check: 'exposed-services', rule: 'world-open-port', expect: 'finding', text: service('LoadBalancer', '    - port: 9000\n') },
  { peer: 'kube-linter', check: 'exposed-services', rule: 'exposed-admin-port', expect: 'finding', text: service('LoadBalancer', '    - port: 5432\n') },
  {
    peer: 'kube-linter', check: 'exposed-services', rule: 'world-open-port', expect: 'finding', text: service('LoadBalancer', '    - port: 443\n      targetPort: 8443\n'),
    difference: 'A public Service on 80/443 is what a website is: the mission keeps exactly those two open, so they are not reported.',
  },
  { peer: 'kube-linter', check: 'exposed-services', rule: 'world-open-port', expect: 'clean', text: service('', '    - port: 8080\n') },
  { peer: 'kube-linter', check: 'exposed-services', rule: 'world-open-port', expect: 'clean', text: service('ClusterIP', '    - port: 9000\n') },
  // KICS "Service Type is NodePort".
  { peer: 'kics', check: 'Service Type is NodePort', rule: 'world-open-port', expect: 'finding', text: service('NodePort', '    - port: 3000\n') },
  { peer: 'kics', check: 'Service Type is NodePort', rule: 'world-open-port', expect: 'clean', text: service('ClusterIP', '    - port: 3000\n') },
  // kube-linter ssh-port: port 22 exposed.
  { peer: 'kube-linter', check: 'ssh-port', rule: 'exposed-admin-port', expect: 'finding', text: service('LoadBalancer', '    - port: 2222\n      targetPort: 22\n') },
  { peer: 'kube-linter', check: 'ssh-port', rule: 'exposed-admin-port', expect: 'finding', text: service('NodePort', '    - port: 22\n') },
  {
    peer: 'kube-linter', check: 'ssh-port', rule: 'exposed-admin-port', expect: 'finding',
    text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: "sshd:1"\n      ports:\n        - containerPort: 22\n',
    difference: '`containerPort` publishes nothing (it is informational): SSH inside a pod reachable only from the cluster network is not an exposure; a hostPort or a Service on 22 is.',
  },
  { peer: 'kube-linter', check: 'ssh-port', rule: 'exposed-admin-port', expect: 'clean', text: service('LoadBalancer', '    - port: 22\n', '  loadBalancerSourceRanges: [10.0.0.0/8]\n') },
  // kube-linter non-isolated-pod; KICS "Network Policy Is Not Targeting Any Pod" (the pod side of it).
  { peer: 'kube-linter', check: 'non-isolated-pod', rule: 'no-network-policy', expect: 'finding', text: deployment('app: web') },
  { peer: 'kube-linter', check: 'non-isolated-pod', rule: 'no-network-policy', expect: 'finding', text: deployment('app: web') + policy('{matchLabels: {app: api}}') },
  { peer: 'kube-linter', check: 'non-isolated-pod', rule: 'no-network-policy', expect: 'clean', text: deployment('app: web') + policy('{matchLabels: {app: web}}') },
  { peer: 'kube-linter', check: 'non-isolated-pod', rule: 'no-network-policy', expect: 'clean', text: deployment('app: web') + policy('{}') },
  // checkov CKV_K8S_... has no Ingress TLS check; KICS "Ingress Controller Exposes Workload" is about any Ingress. Trivy/KICS have none for
  // ssl-redirect: these are written from ingress-nginx's documentation of the annotations, scored against plaintext-traffic.
  { peer: 'kics', check: 'Ingress Controller Exposes Workload', rule: 'plaintext-traffic', expect: 'finding', text: ingress('', false) },
  {
    peer: 'kics', check: 'Ingress Controller Exposes Workload', rule: 'plaintext-traffic', expect: 'finding', text: ingress('', true),
    difference: 'An Ingress is how workloads are meant to be published; one that serves TLS (and redirects HTTP, the ingress-nginx default) is not reported.',
  },
  { peer: 'kics', check: 'Ingress Controller Exposes Workload', rule: 'plaintext-traffic', expect: 'finding', text: ingress('    nginx.ingress.kubernetes.io/ssl-redirect: "false"\n', true) },
];
