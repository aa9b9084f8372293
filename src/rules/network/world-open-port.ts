import { terraformOpenPorts } from '../../analysis/network/terraform-exposure.js';
import type { Rule } from '../../core/types.js';
import type { TerraformDoc } from '../../parsers/terraform.js';

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
  title: 'Port other than 80/443 open to the whole internet',
  severity: 'medium',
  area: 'network',
  summary:
    'A firewall rule lets `0.0.0.0/0` or `::/0` (Azure: `*`, `Internet`) reach another port than 80 or 443: Terraform `aws_security_group` ' +
    'ingress, `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule`, `google_compute_firewall`, `azurerm_network_security_rule` and inline `security_rule`.',
  rationale:
    'A service on the internet should answer on HTTP and HTTPS only; every other open port is attack surface that scanners find within minutes, ' +
    'often a service never meant to be public (an application port behind the load balancer, a metrics or debug endpoint). ' +
    'Administration and database ports are reported as `exposed-admin-port` instead (high). A rule narrowed to any other range is never ' +
    'reported; a GCP ingress rule that names no source at all admits 0.0.0.0/0 (GCP\'s default) and is reported. `local.x` and variable defaults are followed across the module\'s files (a default can be overridden, so that finding is less certain); ' +
    'ports that are not literals give a low-confidence finding that does not block.',
  fix:
    'Narrow the source (`cidr_blocks`, `source_ranges`, `source_address_prefix`) to the networks that need the port, or put the service behind a ' +
    'load balancer that listens on 443 and reaches it over the private network.',
  references: [
    'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
    'https://cloud.google.com/firewall/docs/firewalls',
    'https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18 (EC2.18: only authorized ports open to the world)',
  ],
  examples: { bad: [...TERRAFORM_BAD], good: [...TERRAFORM_GOOD] },
  yieldsTo: ['exposed-admin-port'],
  reads: ['terraform'],
  check(doc, ctx) {
    if (doc.format === 'terraform') for (const e of terraformOpenPorts(doc, ctx)) ctx.report(e);
  },
} satisfies Rule<TerraformDoc>;
