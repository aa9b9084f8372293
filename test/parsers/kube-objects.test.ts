import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/parsers/workloads/kube-objects.js';
import { parseWorkloadFile } from '../support/workload.js';

function objects(text: string): KubeObject[] {
  const { doc, notices } = parseWorkloadFile('k8s/net.yaml', text);
  expect(notices).toEqual([]);
  return doc?.objects ?? [];
}

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: data
  annotations:
    service.beta.kubernetes.io/load-balancer-source-ranges: "10.0.0.0/8, 192.168.0.0/16"
spec:
  type: LoadBalancer
  externalIPs: [203.0.113.7]
  loadBalancerSourceRanges: [172.16.0.0/12]
  ports:
    - port: 5432
      targetPort: 5432
      nodePort: 31432
    - name: web
      port: 80
      targetPort: http
`;

describe('Kubernetes network and RBAC objects', () => {
  it('reads a Service: type, ports with spans, external IPs and both spellings of source ranges', () => {
    const [svc] = objects(SERVICE);
    expect(svc).toMatchObject({ object: 'service', kind: 'Service', name: 'db', namespace: 'data', span: { line: 2, column: 1, endLine: 2, endColumn: 14 } });
    if (svc?.object !== 'service') throw new Error('not a service');
    expect(svc.type?.value).toBe('LoadBalancer');
    expect(svc.ports.map(({ port, targetPort, nodePort }) => ({ port, targetPort, nodePort }))).toEqual([
      { port: 5432, targetPort: 5432, nodePort: 31432 },
      { port: 80, targetPort: undefined, nodePort: undefined },
    ]);
    expect(svc.ports[0]!.span.line).toBe(13);
    expect(svc.externalIPs.map((i) => i.value)).toEqual(['203.0.113.7']);
    expect(svc.sourceRanges.map((i) => i.value)).toEqual(['172.16.0.0/12', '10.0.0.0/8', '192.168.0.0/16']);
  });

  it('reads every document and List items, and skips kinds of other API groups', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: networking.k8s.io/v1\n    kind: Ingress\n    metadata: {name: web}\n    spec:\n      tls: [{hosts: [a.example]}]\n' +
      '---\napiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: fn}\n' +
      '---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old}\nspec: {rules: []}\n';
    const got = objects(text);
    expect(got.map((o) => [o.kind, o.name, o.object === 'ingress' && o.tls])).toEqual([
      ['Ingress', 'web', true],
      ['Ingress', 'old', false],
    ]);
  });

  it('reads Gateway listeners and HTTPRoutes that redirect to https', () => {
    const text =
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw}\nspec:\n  listeners:\n    - {name: http, protocol: HTTP, port: 80}\n    - {name: https, protocol: HTTPS, port: 443}\n' +
      '---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: redirect}\nspec:\n  parentRefs: [{name: gw, sectionName: http}]\n' +
      '  rules:\n    - filters:\n        - type: RequestRedirect\n          requestRedirect: {scheme: https, statusCode: 301}\n';
    const [gw, route] = objects(text);
    expect(gw).toMatchObject({ object: 'gateway', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }, { name: 'https', protocol: 'HTTPS', port: 443 }] });
    expect(route).toMatchObject({ object: 'httproute', parents: [{ name: 'gw', section: 'http' }], redirectsToHttps: true });
  });

  it('reads policies: matchLabels when that is all the selector says, otherwise selects everything', () => {
    const text =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: a, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n' +
      '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: b}\nspec:\n  podSelector: {}\n' +
      '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: c}\nspec:\n  podSelector: {matchExpressions: [{key: app, operator: Exists}]}\n' +
      '---\napiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: d}\nspec:\n  endpointSelector: {}\n' +
      '---\napiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: e}\nspec:\n  selector: role == "db"\n';
    const got = objects(text).map((o) => (o.object === 'networkpolicy' ? [o.name, o.clusterwide, o.matchLabels] : []));
    expect(got).toEqual([
      ['a', false, { app: 'api' }],
      ['b', false, {}],
      ['c', false, undefined],
      ['d', true, {}],
      ['e', false, undefined],
    ]);
  });

  it('reads roles, bindings, Istio modes and the identity of workloads', () => {
    const text =
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules:\n  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [get, list]\n' +
      '---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n' +
      'subjects:\n  - {kind: ServiceAccount, name: ci, namespace: build}\n' +
      '---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p}\nspec:\n  mtls: {mode: STRICT}\n  portLevelMtls:\n    "8080": {mode: DISABLE}\n' +
      '---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: d}\nspec:\n  host: x\n  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}\n  subsets:\n    - name: v1\n      trafficPolicy: {tls: {mode: DISABLE}}\n' +
      '---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      serviceAccountName: api\n      containers: [{name: a, image: x}]\n';
    const [role, binding, peer, dest, workload] = objects(text);
    expect(role).toMatchObject({ object: 'role', clusterwide: true, aggregated: false, rules: [{ apiGroups: [''], resources: [{ value: 'secrets' }], verbs: [{ value: 'get' }, { value: 'list' }] }] });
    expect(binding).toMatchObject({ object: 'binding', clusterwide: true, roleRef: { kind: 'ClusterRole', name: { value: 'cluster-admin' } }, subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'build' }] });
    expect(peer?.object === 'peerauthentication' && peer.modes.map((m) => m.value)).toEqual(['STRICT', 'DISABLE']);
    expect(dest?.object === 'destinationrule' && dest.modes.map((m) => m.value)).toEqual(['ISTIO_MUTUAL', 'DISABLE']);
    expect(workload).toMatchObject({ object: 'workload', kind: 'Deployment', namespace: 'shop', labels: { app: 'api' }, serviceAccount: 'api' });
  });

  it('reads Lists nested up to four levels', () => {
    const nest = (levels: number) => {
      let text = 'apiVersion: v1\nkind: Service\nmetadata: {name: deep}\n';
      for (let i = 0; i < levels; i++) text = `apiVersion: v1\nkind: List\nitems:\n${text.replace(/^/gm, '  ').replace(/^ {2}/, '- ')}`;
      return text;
    };
    expect(objects(nest(4)).map((o) => o.name)).toEqual(['deep']);
    expect(objects(nest(5))).toEqual([]);
  });
});
