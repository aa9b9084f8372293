// The Kubernetes network rules beyond their examples: what silences a Service, where routes and policies are looked for,
// how a controller's own RBAC is weighed, and that test and example manifests never block.
import { describe, expect, it } from 'vitest';
import { findRule } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const scan = (ids: string[], files: Record<string, string>) =>
  scanFiles(files, { rules: ids.map((id) => findRule(id)!), repository: true }).findings.map((f) => ({
    rule: f.ruleId, path: f.path, line: f.line, severity: f.severity, confidence: f.confidence, blocking: f.outOfScope === undefined && (f.severity === 'high' || f.severity === 'critical'), message: f.message,
  }));

const svc = (spec: string, annotations = '') =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: db\n${annotations ? `  annotations:\n${annotations}` : ''}spec:\n${spec}  ports:\n    - port: 5432\n`;
const PORTS = ['exposed-admin-port', 'world-open-port'];

describe('Services', () => {
  it('reports an admin port on a public load balancer as high and blocking, at the port, in production only', () => {
    const files = { 'deploy/db.yaml': svc('  type: LoadBalancer\n'), 'examples/db.yaml': svc('  type: LoadBalancer\n'), 'test/db.yaml': svc('  type: LoadBalancer\n') };
    const got = scan(PORTS, files);
    expect(got.map((f) => [f.path, f.line, f.severity, f.blocking])).toEqual([
      ['deploy/db.yaml', 8, 'high', true],
      ['examples/db.yaml', 8, 'high', false],
      ['test/db.yaml', 8, 'high', false],
    ]);
    expect(got[0]!.message).toContain('5432 (PostgreSQL)');
  });

  it('is silenced by internal-load-balancer annotations and non-world source ranges, not by a world range', () => {
    for (const a of [
      '    service.beta.kubernetes.io/aws-load-balancer-internal: "true"\n',
      '    service.beta.kubernetes.io/aws-load-balancer-scheme: internal\n',
      '    service.beta.kubernetes.io/azure-load-balancer-internal: "true"\n',
      '    networking.gke.io/load-balancer-type: Internal\n',
      '    service.beta.kubernetes.io/load-balancer-source-ranges: 10.0.0.0/8,192.168.0.0/16\n',
    ]) expect(scan(PORTS, { 'k8s/db.yaml': svc('  type: LoadBalancer\n', a) }), a).toEqual([]);
    expect(scan(PORTS, { 'k8s/db.yaml': svc('  type: LoadBalancer\n', '    service.beta.kubernetes.io/aws-load-balancer-internal: "false"\n') })).toHaveLength(1);
    expect(scan(PORTS, { 'k8s/db.yaml': svc('  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/8, 0.0.0.0/0]\n') })).toHaveLength(1);
  });

  it('never reports ClusterIP, headless or ExternalName Services; reports externalIPs at medium confidence', () => {
    for (const spec of ['', '  type: ClusterIP\n', '  clusterIP: None\n', '  type: ExternalName\n  externalName: db.example.com\n']) expect(scan(PORTS, { 'k8s/db.yaml': svc(spec) })).toEqual([]);
    expect(scan(PORTS, { 'k8s/db.yaml': svc('  externalIPs: [203.0.113.9]\n') }).map((f) => [f.rule, f.confidence])).toEqual([['exposed-admin-port', 'medium']]);
  });
});

const GATEWAY = 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  listeners:\n    - {name: web, protocol: HTTP, port: 80}\n';
const route = (parent: string, scheme: string) =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\nspec:\n  parentRefs: [{name: ${parent}}]\n  rules:\n    - filters: [{type: RequestRedirect, requestRedirect: {scheme: ${scheme}}}]\n`;

describe('plaintext-traffic', () => {
  it('finds the redirect route in a file beside the Gateway, not one for another Gateway, nor one in another folder', () => {
    expect(scan(['plaintext-traffic'], { 'gw/gateway.yaml': GATEWAY, 'gw/redirect.yaml': route('gw', 'https') })).toEqual([]);
    expect(scan(['plaintext-traffic'], { 'gw/gateway.yaml': GATEWAY, 'gw/redirect.yaml': route('other', 'https') })).toHaveLength(1);
    expect(scan(['plaintext-traffic'], { 'gw/gateway.yaml': GATEWAY, 'gw/redirect.yaml': route('gw', 'http') })).toHaveLength(1);
    expect(scan(['plaintext-traffic'], { 'gw/gateway.yaml': GATEWAY, 'routes/redirect.yaml': route('gw', 'https') })).toHaveLength(1);
  });

  it('leaves Istio Gateways (networking.istio.io) and STRICT or ISTIO_MUTUAL settings alone', () => {
    const istio = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  servers:\n    - port: {number: 80, name: http, protocol: HTTP}\n';
    const dr = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: d\nspec:\n  host: x\n  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}\n';
    expect(scan(['plaintext-traffic'], { 'k8s/gw.yaml': istio, 'k8s/dr.yaml': dr })).toEqual([]);
  });
});

describe('rbac-overreach', () => {
  const role = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ctl\nrules:\n  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}\n';
  const bind = '---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ctl\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ctl}\nsubjects: [{kind: ServiceAccount, name: ctl, namespace: ops}]\n';
  const deploy = '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ctl\nspec:\n  template:\n    spec:\n      serviceAccountName: ctl\n      containers: [{name: c, image: x}]\n';

  it('weighs a controller\'s own role (bound to the ServiceAccount a workload of the manifest runs as) at low confidence', () => {
    expect(scan(['rbac-overreach'], { 'k8s/ctl.yaml': role }).map((f) => f.confidence)).toEqual(['high']);
    expect(scan(['rbac-overreach'], { 'k8s/ctl.yaml': role + bind }).map((f) => f.confidence)).toEqual(['high']);
    const own = scan(['rbac-overreach'], { 'k8s/ctl.yaml': role + bind + deploy });
    expect(own.map((f) => [f.confidence, f.severity])).toEqual([['low', 'medium']]);
    expect(own[0]!.message).toContain('ServiceAccount ctl');
  });

  it('skips aggregated roles and rules on non-resource URLs', () => {
    const aggregated = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: agg\naggregationRule:\n  clusterRoleSelectors: [{matchLabels: {x: "true"}}]\nrules: []\n';
    const urls = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: m\nrules:\n  - {nonResourceURLs: ["/metrics"], verbs: ["*"]}\n';
    expect(scan(['rbac-overreach'], { 'k8s/a.yaml': aggregated, 'k8s/m.yaml': urls })).toEqual([]);
  });
});

describe('no-network-policy', () => {
  const deploy = (name: string, ns: string | undefined, app: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}spec:\n  template:\n    metadata: {labels: {app: ${app}}}\n    spec:\n      containers: [{name: c, image: x}]\n`;
  const policy = (ns: string | undefined, kind = 'NetworkPolicy', api = 'networking.k8s.io/v1', spec = 'podSelector: {}') =>
    `apiVersion: ${api}\nkind: ${kind}\nmetadata:\n  name: p\n${ns ? `  namespace: ${ns}\n` : ''}spec:\n  ${spec}\n`;

  it('reports one low finding per namespace, at its first workload, counting the others', () => {
    const got = scan(['no-network-policy'], { 'k8s/a.yaml': deploy('a', 'shop', 'a'), 'k8s/b.yaml': deploy('b', 'shop', 'b'), 'k8s/c.yaml': deploy('c', 'ops', 'c') });
    expect(got.map((f) => [f.path, f.line, f.confidence, f.severity])).toEqual([
      ['k8s/a.yaml', 2, 'low', 'low'],
      ['k8s/c.yaml', 2, 'low', 'low'],
    ]);
    expect(got[0]!.message).toContain('Deployment/a and 1 more workload(s) run in namespace shop');
  });

  it('counts policies of the namespace, cluster-wide Cilium and Calico ones, and policies without a namespace', () => {
    const files = { 'k8s/a.yaml': deploy('a', 'shop', 'a') };
    expect(scan(['no-network-policy'], { ...files, 'k8s/p.yaml': policy('shop') })).toEqual([]);
    expect(scan(['no-network-policy'], { ...files, 'k8s/p.yaml': policy('ops') })).toHaveLength(1);
    expect(scan(['no-network-policy'], { ...files, 'k8s/p.yaml': policy(undefined) })).toEqual([]);
    expect(scan(['no-network-policy'], { ...files, 'k8s/p.yaml': policy(undefined, 'CiliumClusterwideNetworkPolicy', 'cilium.io/v2', 'endpointSelector: {}') })).toEqual([]);
    expect(scan(['no-network-policy'], { ...files, 'k8s/p.yaml': policy(undefined, 'GlobalNetworkPolicy', 'projectcalico.org/v3', 'selector: all()') })).toEqual([]);
    // a policy in a test folder still counts; a workload there does not
    expect(scan(['no-network-policy'], { ...files, 'test/p.yaml': policy('shop') })).toEqual([]);
    expect(scan(['no-network-policy'], { 'test/a.yaml': deploy('a', 'shop', 'a') })).toEqual([]);
  });

  it('does not read Helm templates, and does not run on a scan of named files', () => {
    expect(scan(['no-network-policy'], { 'chart/templates/a.yaml': deploy('a', '{{ .Release.Namespace }}', 'a') })).toEqual([]);
    expect(scanFiles({ 'k8s/a.yaml': deploy('a', 'shop', 'a') }, { rules: [findRule('no-network-policy')!] }).findings).toEqual([]);
  });
});

describe('odd shapes', () => {
  it('reads objects whose fields have the wrong types without a rule error', () => {
    const odd = [
      'apiVersion: v1\nkind: Service\nmetadata: [x]\nspec:\n  type: [LoadBalancer]\n  ports: 5\n  externalIPs: {a: b}\n',
      'apiVersion: v1\nkind: Service\nmetadata: {name: 7, annotations: [a, b]}\nspec:\n  type: LoadBalancer\n  ports: [22, {port: "x"}, {port: 22.5}, {port: 3389}]\n',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nrules: {verbs: ["*"]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nrules: [{verbs: "*", resources: 3}, null]\n',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nroleRef: cluster-admin\nsubjects: system:authenticated\n',
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {annotations: {nginx.ingress.kubernetes.io/ssl-redirect: false}}\nspec: {tls: true}\n',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nspec: {listeners: [{protocol: 80}, HTTP]}\n',
      'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nspec: {mtls: DISABLE, portLevelMtls: [1, 2]}\n',
    ];
    const files = Object.fromEntries(odd.map((t, i) => [`k8s/odd-${i}.yaml`, t]));
    const result = scanFiles(files, { rules: ['exposed-admin-port', 'world-open-port', 'plaintext-traffic', 'rbac-overreach', 'no-network-policy'].map((id) => findRule(id)!), repository: true });
    expect(result.notices.filter((n) => /could not check/.test(n.message))).toEqual([]);
    // what is still readable is still read: port 3389 of a LoadBalancer; `tls: true` (not a list) is no TLS; the unquoted `false`
    // of the redirect annotation. Verbs or subjects that are not lists grant nothing Kubernetes would accept.
    expect(result.findings.map((f) => [f.ruleId, f.path, f.line])).toEqual([
      ['exposed-admin-port', 'k8s/odd-1.yaml', 6],
      ['plaintext-traffic', 'k8s/odd-4.yaml', 2],
      ['plaintext-traffic', 'k8s/odd-4.yaml', 3],
    ]);
  });
});
