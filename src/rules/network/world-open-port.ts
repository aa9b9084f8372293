import { ADMIN_PORTS } from '../../analysis/admin-ports.js';
import { serviceReports } from '../../analysis/network/kubernetes-exposure.js';
import { terraformOpenPorts } from '../../analysis/network/terraform-exposure.js';
import type { Rule } from '../../core/types.js';
import type { TerraformDoc } from '../../parsers/terraform.js';
import type { WorkloadDoc } from '../../parsers/workload.js';

const SVC = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n';

// Terraform: firewall rules open to 0.0.0.0/0 or ::/0 on another port than 80/443 (analysis/network/terraform-ingress.ts)
const TERRAFORM_BAD = [
  {
    path: 'infra/sg.tf',
    text:
      'resource "aws_security_group_rule" "app" {\n  type              = "ingress"\n  from_port         = 8080\n  to_port           = 8080\n' +
      '  protocol          = "tcp"\n  cidr_blocks       = ["0.0.0.0/0"]\n  security_group_id = aws_security_group.app.id\n}\n',
    line: 6,
  },
  {
    path: 'infra/fw.tf',
    text:
      'resource "google_compute_firewall" "game" {\n  name          = "game"\n  network       = "default"\n  source_ranges = ["0.0.0.0/0"]\n' +
      '  allow {\n    protocol = "udp"\n    ports    = ["27015-27030"]\n  }\n}\n',
    line: 4,
  },
];
const TERRAFORM_GOOD = [
  {
    path: 'infra/sg.tf',
    text:
      'resource "aws_vpc_security_group_ingress_rule" "https" {\n  security_group_id = aws_security_group.web.id\n  cidr_ipv4         = "0.0.0.0/0"\n' +
      '  from_port         = 443\n  to_port           = 443\n  ip_protocol       = "tcp"\n}\n\n' +
      'resource "aws_vpc_security_group_ingress_rule" "app" {\n  security_group_id = aws_security_group.web.id\n  cidr_ipv4         = "10.20.0.0/16"\n' +
      '  from_port         = 8080\n  to_port           = 8080\n  ip_protocol       = "tcp"\n}\n',
  },
];

export default {
  id: 'world-open-port',
  title: 'Port other than 80/443 open to the world',
  severity: 'medium',
  area: 'network',
  summary:
    'A port that is neither HTTP (80) nor HTTPS (443) nor an administration or database port (those are `exposed-admin-port`) is reachable ' +
    'from anywhere: a Kubernetes Service of type LoadBalancer or NodePort, or with `externalIPs`; or a Terraform firewall rule that lets ' +
    '`0.0.0.0/0` or `::/0` (Azure: `*`, `Internet`) in (`aws_security_group` ingress, `aws_security_group_rule`, ' +
    '`aws_vpc_security_group_ingress_rule`, `google_compute_firewall`, `azurerm_network_security_rule` and inline `security_rule`).',
  rationale:
    'Every port reachable from the internet is attack surface: scanners find it within minutes, and what listens there (a metrics endpoint, ' +
    'a debug server, a message broker, an app on 8080 without TLS) was rarely written to face the internet. Keeping only 80 and 443 open, ' +
    'behind a load balancer or ingress that terminates TLS, gives one place to enforce HTTPS, authentication and rate limits. ' +
    'A LoadBalancer narrowed by `loadBalancerSourceRanges` (or the source-ranges annotation) to CIDRs other than the world, or made internal ' +
    'by a cloud annotation, is not reported; NodePort and `externalIPs` findings are medium confidence, since how far the nodes\' addresses ' +
    'reach is not in the manifest. ClusterIP Services are never reported. In Terraform a rule narrowed to any other range is never ' +
    'reported; a GCP ingress rule that names no source at all admits 0.0.0.0/0 (GCP\'s default) and is reported. `local.x` and variable ' +
    'defaults are followed across the module\'s files (a default can be overridden, so that finding is less certain); ports that are not ' +
    'literals give a low-confidence finding that does not block.',
  fix:
    'Serve the application over HTTPS on 443 through an Ingress, Gateway or load balancer, and keep the rest private (a ClusterIP Service; ' +
    'a firewall source narrowed to the networks that need the port: `cidr_blocks`, `source_ranges`, `source_address_prefix`). When the ' +
    'port must be public (a game server, a mail relay), list the clients\' CIDRs (`loadBalancerSourceRanges`), or silence the finding with a reason.',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
    'https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/',
    'https://docs.kubelinter.io/#/generated/checks?id=exposed-services',
    'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
    'https://cloud.google.com/firewall/docs/firewalls',
    'https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18 (EC2.18: only authorized ports open to the world)',
  ],
  examples: {
    bad: [
      // Kubernetes Services
      { path: 'k8s/api.yaml', text: `${SVC}  type: LoadBalancer\n  ports:\n    - port: 8080\n`, line: 8 },
      { path: 'k8s/api.yaml', text: `${SVC}  type: NodePort\n  ports:\n    - port: 9090\n      nodePort: 30090\n`, line: 8 },
      { path: 'k8s/api.yaml', text: `${SVC}  externalIPs: [203.0.113.10]\n  ports:\n    - port: 1883\n`, line: 8 },
      ...TERRAFORM_BAD,
    ],
    good: [
      // Kubernetes Services
      { path: 'k8s/api.yaml', text: `${SVC}  type: LoadBalancer\n  ports:\n    - port: 80\n      targetPort: 8080\n    - port: 443\n      targetPort: 8443\n` },
      { path: 'k8s/api.yaml', text: `${SVC}  ports:\n    - port: 8080\n` },
      { path: 'k8s/api.yaml', text: `${SVC}  type: LoadBalancer\n  loadBalancerSourceRanges: [198.51.100.0/24]\n  ports:\n    - port: 8080\n` },
      ...TERRAFORM_GOOD,
    ],
  },
  yieldsTo: ['exposed-admin-port'],
  reads: ['workload', 'terraform'],
  check(doc, ctx) {
    if ('blocks' in doc) for (const e of terraformOpenPorts(doc, ctx)) ctx.report(e);
    else if (doc.objects) for (const r of serviceReports(doc.objects, ADMIN_PORTS, 'other')) ctx.report(r);
  },
} satisfies Rule<WorkloadDoc | TerraformDoc>;
