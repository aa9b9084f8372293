import type { Confidence, Report } from '../../core/types.js';
import type { KubeObject, ServiceObject, ServicePortSpec } from '../../parsers/workloads/kube-objects.js';
import { isWorldCidr, portClass, type PortClass } from '../admin-ports.js';

/** One port of a Service that addresses outside the cluster can reach, and what it serves. */
export interface ServiceExposure {
  port: ServicePortSpec;
  /** `admin` when `port` or the numeric `targetPort` is an admin port (the service behind it is what matters). */
  class: PortClass;
  /** The admin port and its service name, for `admin`. */
  admin?: { port: number; service: string };
  /** How it is reachable: `type LoadBalancer`, `type NodePort`, `externalIPs`. */
  how: string;
  /** NodePort and externalIPs reach only as far as the nodes' addresses do, which the manifest does not say. */
  confidence: Confidence;
}


/**
 * Annotations that make a cloud load balancer internal (an address of the VPC only): AWS (in-tree and the AWS Load Balancer
 * Controller), GKE (current and legacy), Azure, Oracle Cloud, IBM Cloud.
 */
function internalLoadBalancer(svc: ServiceObject): boolean {
  const a = (key: string) => svc.annotations.get(key)?.value.trim().toLowerCase();
  const aws = a('service.beta.kubernetes.io/aws-load-balancer-internal');
  return (
    (aws !== undefined && aws !== 'false') ||
    a('service.beta.kubernetes.io/aws-load-balancer-scheme') === 'internal' ||
    a('networking.gke.io/load-balancer-type') === 'internal' ||
    a('cloud.google.com/load-balancer-type') === 'internal' ||
    a('service.beta.kubernetes.io/azure-load-balancer-internal') === 'true' ||
    a('service.beta.kubernetes.io/oci-load-balancer-internal') === 'true' ||
    a('service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type') === 'private'
  );
}

/**
 * The ways a Service is reachable from outside the cluster. A ClusterIP (or headless, or ExternalName) Service without
 * `externalIPs` is not; a LoadBalancer made internal by annotation, or whose source ranges name no world CIDR, is not.
 */
function exposures(svc: ServiceObject): { how: string; confidence: Confidence }[] {
  const type = svc.type?.value ?? 'ClusterIP';
  const out: { how: string; confidence: Confidence }[] = [];
  const narrowed = svc.sourceRanges.length > 0 && !svc.sourceRanges.some((r) => isWorldCidr(r.value) || r.value.trim() === '*');
  if (type === 'LoadBalancer' && !internalLoadBalancer(svc) && !narrowed) out.push({ how: 'type LoadBalancer', confidence: 'high' });
  else if (type === 'NodePort') out.push({ how: 'type NodePort', confidence: 'medium' });
  if (svc.externalIPs.length > 0 && out.length === 0) out.push({ how: `externalIPs ${svc.externalIPs.map((i) => i.value).join(', ')}`, confidence: 'medium' });
  return out;
}

/** Each exposed port of a Service, classified by `portClass` against the admin list given. */
export function serviceExposures(svc: ServiceObject, list: Readonly<Record<number, string>>): ServiceExposure[] {
  const ways = exposures(svc);
  if (ways.length === 0) return [];
  const out: ServiceExposure[] = [];
  for (const port of svc.ports) {
    if (port.port === undefined) continue;
    const admin = [port.port, port.targetPort].find((p) => p !== undefined && portClass(p, list) === 'admin');
    const how = ways[0]!;
    if (admin !== undefined) out.push({ port, class: 'admin', admin: { port: admin, service: list[admin]! }, ...how });
    else out.push({ port, class: portClass(port.port, list), ...how });
  }
  return out;
}

/** `Service/db` (with its namespace when it has one), for messages. */
export function objectLabel(o: { kind: string; name?: string; namespace?: string }): string {
  return `${o.kind}/${o.namespace ? `${o.namespace}/` : ''}${o.name ?? '(unnamed)'}`;
}

/** `port 5432` or `port 5432 (node port 31432)`, as the manifest writes it. */
export function portText(e: ServiceExposure): string {
  return `port ${e.port.port}${e.port.targetPort !== undefined && e.port.targetPort !== e.port.port ? ` → ${e.port.targetPort}` : ''}${e.port.nodePort !== undefined ? ` (node port ${e.port.nodePort})` : ''}`;
}

/**
 * The findings for a manifest's Services: `admin` ports for `exposed-admin-port` (high), `other` ports (neither admin nor
 * 80/443) for `world-open-port` (medium, as the rule says). Web ports are what a public Service is for: never reported.
 */
export function serviceReports(objects: readonly KubeObject[], list: Readonly<Record<number, string>>, want: 'admin' | 'other'): Report[] {
  const out: Report[] = [];
  for (const svc of objects) {
    if (svc.object !== 'service') continue;
    for (const e of serviceExposures(svc, list)) {
      if (e.class !== want) continue;
      const what = e.admin ? `${e.admin.port} (${e.admin.service})` : `${portText(e)}`;
      const fix =
        e.how === 'type LoadBalancer'
          ? 'make it a ClusterIP Service reached through a bastion, VPN or `kubectl port-forward`, list trusted CIDRs in `loadBalancerSourceRanges`, or make the load balancer internal'
          : 'make it a ClusterIP Service and reach it from inside the cluster or through `kubectl port-forward`';
      out.push({
        message: e.admin
          ? `${objectLabel(svc)} (${e.how}) exposes ${what} on ${portText(e)} to any address that reaches it: ${fix}.`
          : `${objectLabel(svc)} (${e.how}) opens ${what} to any address that reaches it, a port other than 80/443: ${fix}, or serve it over HTTPS on 443.`,
        at: e.port.span,
        confidence: e.confidence,
        ...(want === 'admin' ? { severity: 'high' as const } : {}),
        related: svc.type ? [{ at: svc.type.span, label: 'the Service type that exposes it' }] : [],
      });
    }
  }
  return out;
}
