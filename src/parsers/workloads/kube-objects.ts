import { isMap, type Node } from 'yaml';
import type { Located } from '../workload.js';
import { POD_SPEC_PATH } from './kubernetes.js';
import type { Reader } from './nodes.js';
import type { KubeObject, PolicyRuleSpec, ServiceObject } from './object-types.js';

export type * from './object-types.js';

/** The kinds read here (workloads aside), for the cheap text tests that decide which documents to parse. */
export const OBJECT_KINDS = [
  'Service', 'Ingress', 'Gateway', 'HTTPRoute', 'NetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy',
  'GlobalNetworkPolicy', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'PeerAuthentication', 'DestinationRule',
] as const;

type Parse = (r: Reader, node: Node, base: Base) => KubeObject | undefined;
type Base = Pick<KubeObject, 'kind' | 'name' | 'namespace' | 'span' | 'annotations'>;

/** Every object of a kind read here in one YAML document, `List` items included, in document order. */
export function kubeObjects(r: Reader): KubeObject[] {
  const out: KubeObject[] = [];
  // An explicit stack, not recursion: a hostile `List` may nest deeply (only 4 levels are read, as for pods).
  const stack: [Node | undefined, number][] = [[r.resolve(r.doc.contents), 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    const obj = r.entries(node);
    const kindEntry = obj.get('kind');
    const kind = r.str(kindEntry?.value)?.value;
    const apiVersion = r.str(obj.get('apiVersion')?.value)?.value;
    if (!node || !kindEntry || kind === undefined || apiVersion === undefined) continue;
    if (/List$/.test(kind)) {
      if (depth < 4) stack.push(...r.items(obj.get('items')?.value).map((i): [Node, number] => [i, depth + 1]).reverse());
      continue;
    }
    const parse = POD_SPEC_PATH[kind] ? workload : PARSERS[kind];
    if (!parse || !apiOf(kind, apiVersion)) continue;
    const annotations = new Map<string, Located>();
    for (const [k, e] of r.entries(r.get(node, 'metadata', 'annotations'))) {
      const v = r.str(e.value);
      if (v) annotations.set(k, v);
    }
    const base: Base = { kind, span: r.pairSpan(kindEntry), annotations };
    const name = r.str(r.get(node, 'metadata', 'name'))?.value;
    if (name !== undefined) base.name = name;
    const namespace = r.str(r.get(node, 'metadata', 'namespace'))?.value;
    if (namespace !== undefined) base.namespace = namespace;
    const parsed = parse(r, node, base);
    if (parsed) out.push(parsed);
  }
  return out;
}

/** Kinds whose name other projects reuse: only the API groups that define them here are read. */
function apiOf(kind: string, apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  switch (kind) {
    case 'Service':
      return group === '';
    case 'Gateway':
    case 'HTTPRoute':
      return group === 'gateway.networking.k8s.io';
    case 'NetworkPolicy':
      return ['networking.k8s.io', 'extensions', 'projectcalico.org', 'crd.projectcalico.org'].includes(group);
    case 'PeerAuthentication':
    case 'DestinationRule':
      return group.endsWith('istio.io');
    default:
      return true;
  }
}

const strings = (r: Reader, node: Node | undefined): Located[] => r.items(node).flatMap((i) => r.str(i) ?? []);

function labels(r: Reader, node: Node | undefined): Record<string, string> | undefined {
  if (!isMap(node)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, e] of r.entries(node)) {
    const v = r.str(e.value);
    if (v) out[k] = v.value;
  }
  return out;
}

const service: Parse = (r, node, base) => {
  const spec = r.get(node, 'spec');
  const svc: ServiceObject = { ...base, object: 'service', ports: [], externalIPs: strings(r, r.get(spec, 'externalIPs')), sourceRanges: strings(r, r.get(spec, 'loadBalancerSourceRanges')) };
  const type = r.str(r.get(spec, 'type'));
  if (type) svc.type = type;
  const annotated = base.annotations.get('service.beta.kubernetes.io/load-balancer-source-ranges');
  if (annotated) for (const cidr of annotated.value.split(',')) if (cidr.trim()) svc.sourceRanges.push({ value: cidr.trim(), span: annotated.span });
  for (const p of r.items(r.get(spec, 'ports'))) {
    const port: ServiceObject['ports'][number] = { span: r.span(p) };
    const n = r.num(r.get(p, 'port'));
    if (n !== undefined) port.port = n;
    const target = r.num(r.get(p, 'targetPort'));
    if (target !== undefined) port.targetPort = target;
    const nodePort = r.num(r.get(p, 'nodePort'));
    if (nodePort !== undefined) port.nodePort = nodePort;
    svc.ports.push(port);
  }
  return svc;
};

const ingress: Parse = (r, node, base) => ({ ...base, object: 'ingress', tls: r.items(r.get(node, 'spec', 'tls')).length > 0 });

const gateway: Parse = (r, node, base) => ({
  ...base,
  object: 'gateway',
  listeners: r.items(r.get(node, 'spec', 'listeners')).map((l) => {
    const listener: { name?: string; protocol: string; port?: number; span: ReturnType<Reader['span']> } = {
      protocol: (r.str(r.get(l, 'protocol'))?.value ?? '').toUpperCase(),
      span: r.span(l),
    };
    const name = r.str(r.get(l, 'name'))?.value;
    if (name !== undefined) listener.name = name;
    const port = r.num(r.get(l, 'port'));
    if (port !== undefined) listener.port = port;
    return listener;
  }),
});

const httpRoute: Parse = (r, node, base) => {
  const spec = r.get(node, 'spec');
  const parents = r.items(r.get(spec, 'parentRefs')).flatMap((p) => {
    const name = r.str(r.get(p, 'name'))?.value;
    if (name === undefined) return [];
    const section = r.str(r.get(p, 'sectionName'))?.value;
    const namespace = r.str(r.get(p, 'namespace'))?.value;
    return [{ name, ...(section !== undefined ? { section } : {}), ...(namespace !== undefined ? { namespace } : {}) }];
  });
  const redirectsToHttps = r
    .items(r.get(spec, 'rules'))
    .some((rule) => r.items(r.get(rule, 'filters')).some((f) => r.str(r.get(f, 'requestRedirect', 'scheme'))?.value.toLowerCase() === 'https'));
  return { ...base, object: 'httproute', parents, redirectsToHttps };
};

const networkPolicy: Parse = (r, node, base) => {
  const clusterwide = base.kind === 'CiliumClusterwideNetworkPolicy' || base.kind === 'GlobalNetworkPolicy';
  const selector = base.kind.startsWith('Cilium') ? r.get(node, 'spec', 'endpointSelector') : base.kind === 'NetworkPolicy' ? r.get(node, 'spec', 'podSelector') : undefined;
  // Only a plain matchLabels selector is evaluated (anything else counts as selecting every pod, see NetworkPolicyObject).
  const keys = [...r.entries(selector).keys()];
  const matchLabels = isMap(selector) && keys.every((k) => k === 'matchLabels') ? labels(r, r.get(selector, 'matchLabels')) ?? {} : undefined;
  // Calico's NetworkPolicy has a `selector` string instead: no matchLabels, so it selects every pod of its namespace here.
  return { ...base, object: 'networkpolicy', clusterwide, ...(matchLabels ? { matchLabels } : {}) };
};

const role: Parse = (r, node, base) => ({
  ...base,
  object: 'role',
  clusterwide: base.kind === 'ClusterRole',
  aggregated: r.get(node, 'aggregationRule') !== undefined,
  rules: r.items(r.get(node, 'rules')).map(
    (rule): PolicyRuleSpec => ({
      verbs: strings(r, r.get(rule, 'verbs')),
      resources: strings(r, r.get(rule, 'resources')),
      apiGroups: strings(r, r.get(rule, 'apiGroups')).map((g) => g.value),
      span: r.span(rule),
    }),
  ),
});

const binding: Parse = (r, node, base) => {
  const name = r.str(r.get(node, 'roleRef', 'name'));
  if (!name) return undefined;
  const subjects = r.items(r.get(node, 'subjects')).flatMap((s) => {
    const subjectName = r.str(r.get(s, 'name'))?.value;
    if (subjectName === undefined) return [];
    const namespace = r.str(r.get(s, 'namespace'))?.value;
    return [{ kind: r.str(r.get(s, 'kind'))?.value ?? '', name: subjectName, span: r.span(s), ...(namespace !== undefined ? { namespace } : {}) }];
  });
  return { ...base, object: 'binding', clusterwide: base.kind === 'ClusterRoleBinding', roleRef: { kind: r.str(r.get(node, 'roleRef', 'kind'))?.value ?? '', name }, subjects };
};

const peerAuthentication: Parse = (r, node, base) => {
  const spec = r.get(node, 'spec');
  const modes = [r.str(r.get(spec, 'mtls', 'mode')), ...[...r.entries(r.get(spec, 'portLevelMtls')).values()].map((e) => r.str(r.get(e.value, 'mode')))];
  return { ...base, object: 'peerauthentication', modes: modes.filter((m): m is Located => m !== undefined) };
};

const destinationRule: Parse = (r, node, base) => {
  const spec = r.get(node, 'spec');
  const policies = [r.get(spec, 'trafficPolicy'), ...r.items(r.get(spec, 'subsets')).map((s) => r.get(s, 'trafficPolicy'))];
  const modes: Located[] = [];
  for (const policy of policies) {
    for (const tls of [r.get(policy, 'tls'), ...r.items(r.get(policy, 'portLevelSettings')).map((s) => r.get(s, 'tls'))]) {
      const mode = r.str(r.get(tls, 'mode'));
      if (mode) modes.push(mode);
    }
  }
  return { ...base, object: 'destinationrule', modes };
};

const workload: Parse = (r, node, base) => {
  const spec = r.get(node, ...POD_SPEC_PATH[base.kind]!);
  if (!isMap(spec)) return undefined;
  const path = POD_SPEC_PATH[base.kind]!;
  const podMeta = path.length > 1 ? r.get(node, ...path.slice(0, -1), 'metadata') : r.get(node, 'metadata');
  const serviceAccount = r.str(r.get(spec, 'serviceAccountName'))?.value ?? r.str(r.get(spec, 'serviceAccount'))?.value;
  return { ...base, object: 'workload', labels: labels(r, r.get(podMeta, 'labels')) ?? {}, ...(serviceAccount !== undefined ? { serviceAccount } : {}) };
};

const PARSERS: Record<string, Parse> = {
  Service: service,
  Ingress: ingress,
  Gateway: gateway,
  HTTPRoute: httpRoute,
  NetworkPolicy: networkPolicy,
  CiliumNetworkPolicy: networkPolicy,
  CiliumClusterwideNetworkPolicy: networkPolicy,
  GlobalNetworkPolicy: networkPolicy,
  Role: role,
  ClusterRole: role,
  RoleBinding: binding,
  ClusterRoleBinding: binding,
  PeerAuthentication: peerAuthentication,
  DestinationRule: destinationRule,
};
