import { ADMIN_PORTS } from '../../analysis/admin-ports.js';
import { serviceReports } from '../../analysis/network/kubernetes-exposure.js';
import type { Rule } from '../../core/types.js';
import type { WorkloadDoc } from '../../parsers/workload.js';

const SVC = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n';

export default {
  id: 'world-open-port',
  title: 'Port other than 80/443 open to the world',
  severity: 'medium',
  area: 'network',
  summary:
    'A Kubernetes Service of type LoadBalancer or NodePort, or with `externalIPs`, opens a port that is neither HTTP (80) nor HTTPS (443) ' +
    'nor an administration or database port (those are `exposed-admin-port`).',
  rationale:
    'Every port reachable from the internet is attack surface: scanners find it within minutes, and what listens there (a metrics endpoint, ' +
    'a debug server, a message broker, an app on 8080 without TLS) was rarely written to face the internet. Keeping only 80 and 443 open, ' +
    'behind a load balancer or ingress that terminates TLS, gives one place to enforce HTTPS, authentication and rate limits. ' +
    'A LoadBalancer narrowed by `loadBalancerSourceRanges` (or the source-ranges annotation) to CIDRs other than the world, or made internal ' +
    'by a cloud annotation, is not reported; NodePort and `externalIPs` findings are medium confidence, since how far the nodes\' addresses ' +
    'reach is not in the manifest. ClusterIP Services are never reported.',
  fix:
    'Serve the application over HTTPS on 443 through an Ingress or Gateway, and make the Service ClusterIP. When the port must be public ' +
    '(a game server, a mail relay), list the clients\' CIDRs in `loadBalancerSourceRanges`, or silence the finding with a reason.',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
    'https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/',
    'https://docs.kubelinter.io/#/generated/checks?id=exposed-services',
  ],
  examples: {
    bad: [
      // Kubernetes Services
      { path: 'k8s/api.yaml', text: `${SVC}  type: LoadBalancer\n  ports:\n    - port: 8080\n`, line: 8 },
      { path: 'k8s/api.yaml', text: `${SVC}  type: NodePort\n  ports:\n    - port: 9090\n      nodePort: 30090\n`, line: 8 },
      { path: 'k8s/api.yaml', text: `${SVC}  externalIPs: [203.0.113.10]\n  ports:\n    - port: 1883\n`, line: 8 },
    ],
    good: [
      // Kubernetes Services
      { path: 'k8s/api.yaml', text: `${SVC}  type: LoadBalancer\n  ports:\n    - port: 80\n      targetPort: 8080\n    - port: 443\n      targetPort: 8443\n` },
      { path: 'k8s/api.yaml', text: `${SVC}  ports:\n    - port: 8080\n` },
      { path: 'k8s/api.yaml', text: `${SVC}  type: LoadBalancer\n  loadBalancerSourceRanges: [198.51.100.0/24]\n  ports:\n    - port: 8080\n` },
    ],
  },
  reads: ['workload'],
  check(doc, ctx) {
    if (doc.objects) for (const r of serviceReports(doc.objects, ADMIN_PORTS, 'other')) ctx.report(r);
  },
} satisfies Rule<WorkloadDoc>;
