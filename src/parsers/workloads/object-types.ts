import type { Span } from '../../core/types.js';
import type { Located } from '../workload.js';

/**
 * Kubernetes objects beyond pods that say who can reach what and who may do what: Services, Ingresses, Gateway API
 * routes, network policies (Kubernetes, Cilium, Calico), RBAC, Istio mTLS settings. Parsed from every document of a
 * manifest (and `List` items) with spans; `span` is the object's `kind:` line.
 */
interface ObjectBase {
  /** The object's `kind`. */
  kind: string;
  name?: string;
  namespace?: string;
  span: Span;
  /** `metadata.annotations`, values as text. */
  annotations: ReadonlyMap<string, Located>;
}

export interface ServicePortSpec {
  port?: number;
  /** Numeric targetPort (a named one is left out). */
  targetPort?: number;
  nodePort?: number;
  span: Span;
}

export interface ServiceObject extends ObjectBase {
  object: 'service';
  /** `spec.type`; absent means ClusterIP. */
  type?: Located;
  ports: ServicePortSpec[];
  externalIPs: Located[];
  /** `spec.loadBalancerSourceRanges`, and the `service.beta.kubernetes.io/load-balancer-source-ranges` annotation split on commas. */
  sourceRanges: Located[];
}

export interface IngressObject extends ObjectBase {
  object: 'ingress';
  /** `spec.tls` holds at least one entry. */
  tls: boolean;
}

export interface GatewayObject extends ObjectBase {
  object: 'gateway';
  listeners: { name?: string; protocol: string; port?: number; span: Span }[];
}

export interface HttpRouteObject extends ObjectBase {
  object: 'httproute';
  /** The Gateways it attaches to (`parentRefs[].name`, with the listener `sectionName` when given). */
  parents: { name: string; section?: string; namespace?: string }[];
  /** A rule of the route redirects to `https` (`RequestRedirect` filter with `scheme: https`). */
  redirectsToHttps: boolean;
}

export interface NetworkPolicyObject extends ObjectBase {
  object: 'networkpolicy';
  /** Applies in every namespace (Cilium's and Calico's cluster-wide kinds). */
  clusterwide: boolean;
  /**
   * The labels a pod must carry to be selected (Kubernetes `podSelector.matchLabels`, Cilium `endpointSelector.matchLabels`):
   * empty selects every pod; undefined when the selector is one the gate does not evaluate (expressions, Calico's selector
   * language), which is read as selecting every pod so that a policy the gate cannot read never causes a finding.
   */
  matchLabels?: Readonly<Record<string, string>>;
}

export interface PolicyRuleSpec {
  verbs: Located[];
  resources: Located[];
  apiGroups: string[];
  span: Span;
}

export interface RoleObject extends ObjectBase {
  object: 'role';
  clusterwide: boolean;
  /** `aggregationRule` set: its rules are filled in by the control plane from other roles. */
  aggregated: boolean;
  rules: PolicyRuleSpec[];
}

export interface BindingObject extends ObjectBase {
  object: 'binding';
  clusterwide: boolean;
  roleRef: { kind: string; name: Located };
  subjects: { kind: string; name: string; namespace?: string; span: Span }[];
}

/** Istio `PeerAuthentication` (`spec.mtls.mode`, `spec.portLevelMtls.*.mode`) and `DestinationRule` (`tls.mode` anywhere in its traffic policies). */
export interface MeshTlsObject extends ObjectBase {
  object: 'peerauthentication' | 'destinationrule';
  modes: Located[];
}

/** A workload (Deployment, Pod, …): where it runs and with which identity, for the repository-wide rules. */
export interface WorkloadObject extends ObjectBase {
  object: 'workload';
  /** The pod template's labels. */
  labels: Readonly<Record<string, string>>;
  serviceAccount?: string;
}

export type KubeObject =
  | ServiceObject
  | IngressObject
  | GatewayObject
  | HttpRouteObject
  | NetworkPolicyObject
  | RoleObject
  | BindingObject
  | MeshTlsObject
  | WorkloadObject;
