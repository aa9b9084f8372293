/**
 * Terraform network checks of checkov, Trivy (tfsec) and KICS, as their documentation describes them: one failing and
 * one passing snippet per check, written here from each check's description (not copied from their test files), and
 * the Portcullis rule that answers it. `difference` marks a case where Portcullis decides otherwise on purpose; it is
 * kept out of the recall and clean figures and explained in DIFFERENCES.md (the test checks both lists agree).
 */
export interface Case {
  peer: 'checkov' | 'trivy' | 'kics';
  /** The peer's check id (checkov CKV_*, Trivy AVD-* or its long id, KICS query name). */
  check: string;
  /** The rule that must report a `finding` case (any of these). */
  rules: readonly string[];
  expect: 'finding' | 'clean';
  text: string;
  difference?: true;
}

const sg = (from: number, to: number, cidr: string, protocol = 'tcp') =>
  `resource "aws_security_group" "s" {\n  name = "s"\n  ingress {\n    from_port   = ${from}\n    to_port     = ${to}\n    protocol    = "${protocol}"\n    cidr_blocks = ["${cidr}"]\n  }\n}\n`;
const sgRule = (from: number, to: number, cidr: string, protocol = 'tcp') =>
  `resource "aws_security_group_rule" "r" {\n  type              = "ingress"\n  from_port         = ${from}\n  to_port           = ${to}\n  protocol          = "${protocol}"\n  cidr_blocks       = ["${cidr}"]\n  security_group_id = "sg-1"\n}\n`;
const vpcRule = (port: number, cidr: string) =>
  `resource "aws_vpc_security_group_ingress_rule" "r" {\n  security_group_id = "sg-1"\n  cidr_ipv4         = "${cidr}"\n  from_port         = ${port}\n  to_port           = ${port}\n  ip_protocol       = "tcp"\n}\n`;
const gcp = (ports: string, ranges: string, protocol = 'tcp') =>
  `resource "google_compute_firewall" "f" {\n  name          = "f"\n  network       = "default"\n  source_ranges = [${ranges}]\n  allow {\n    protocol = "${protocol}"\n${ports ? `    ports    = [${ports}]\n` : ''}  }\n}\n`;
const nsr = (port: string, source: string, access = 'Allow') =>
  `resource "azurerm_network_security_rule" "r" {\n  name                        = "r"\n  priority                    = 100\n  direction                   = "Inbound"\n  access                      = "${access}"\n  protocol                    = "Tcp"\n  source_port_range           = "*"\n  destination_port_range      = "${port}"\n  source_address_prefix       = "${source}"\n  destination_address_prefix  = "*"\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n}\n`;
const listener = (protocol: string, action: string, extra = '') =>
  `resource "aws_lb_listener" "l" {\n  load_balancer_arn = "arn"\n  port              = 80\n  protocol          = "${protocol}"\n${extra}  default_action {\n${action}  }\n}\n`;
const FORWARD = '    type             = "forward"\n    target_group_arn = "arn"\n';
const REDIRECT = '    type = "redirect"\n    redirect {\n      port        = "443"\n      protocol    = "HTTPS"\n      status_code = "HTTP_301"\n    }\n';
const cloudfront = (policy: string, min = 'TLSv1.2_2021') =>
  `resource "aws_cloudfront_distribution" "d" {\n  enabled = true\n  default_cache_behavior {\n    target_origin_id       = "o"\n    viewer_protocol_policy = "${policy}"\n  }\n  viewer_certificate {\n    acm_certificate_arn      = "arn"\n    minimum_protocol_version = "${min}"\n  }\n}\n`;
const rds = (type: string, value: string) => `resource "${type}" "db" {\n  instance_class      = "db.t3.micro"\n  publicly_accessible = ${value}\n}\n`;
const cloudSql = (value: string) =>
  `resource "google_sql_database_instance" "db" {\n  database_version = "POSTGRES_16"\n  settings {\n    tier = "db-f1-micro"\n    ip_configuration {\n      ipv4_enabled = true\n      authorized_networks {\n        name  = "n"\n        value = "${value}"\n      }\n    }\n  }\n}\n`;
const azureFw = (type: string, end: string) =>
  `resource "${type}" "fw" {\n  name             = "fw"\n  server_id        = "id"\n  start_ip_address = "0.0.0.0"\n  end_ip_address   = "${end}"\n}\n`;

const ADMIN = ['exposed-admin-port'];
const OPEN = ['world-open-port'];
const PLAIN = ['plaintext-traffic'];
const DB = ['public-database'];

export const CASES: readonly Case[] = [
  // checkov (https://www.checkov.io/5.Policy%20Index/terraform.html)
  { peer: 'checkov', check: 'CKV_AWS_24', rules: ADMIN, expect: 'finding', text: sg(22, 22, '0.0.0.0/0') },
  { peer: 'checkov', check: 'CKV_AWS_24', rules: ADMIN, expect: 'finding', text: sgRule(0, 1024, '0.0.0.0/0') },
  { peer: 'checkov', check: 'CKV_AWS_24', rules: ADMIN, expect: 'finding', text: vpcRule(22, '0.0.0.0/0') },
  { peer: 'checkov', check: 'CKV_AWS_24', rules: ADMIN, expect: 'clean', text: sg(22, 22, '192.168.0.0/16') },
  { peer: 'checkov', check: 'CKV_AWS_25', rules: ADMIN, expect: 'finding', text: sg(3389, 3389, '0.0.0.0/0') },
  { peer: 'checkov', check: 'CKV_AWS_25', rules: ADMIN, expect: 'clean', text: sg(3389, 3389, '10.0.0.0/8') },
  { peer: 'checkov', check: 'CKV_AWS_277', rules: ADMIN, expect: 'finding', text: sg(0, 0, '0.0.0.0/0', '-1') },
  { peer: 'checkov', check: 'CKV_AWS_277', rules: ADMIN, expect: 'clean', text: sg(0, 0, '10.0.0.0/16', '-1') },
  { peer: 'checkov', check: 'CKV_AWS_260', rules: OPEN, expect: 'finding', text: sg(80, 80, '0.0.0.0/0'), difference: true },
  { peer: 'checkov', check: 'CKV_AWS_260', rules: OPEN, expect: 'clean', text: sg(80, 80, '10.0.0.0/8') },
  { peer: 'checkov', check: 'CKV_GCP_2', rules: ADMIN, expect: 'finding', text: gcp('"22"', '"0.0.0.0/0"') },
  { peer: 'checkov', check: 'CKV_GCP_2', rules: ADMIN, expect: 'finding', text: gcp('"20-30"', '"0.0.0.0/0"') },
  { peer: 'checkov', check: 'CKV_GCP_2', rules: ADMIN, expect: 'clean', text: gcp('"22"', '"172.16.0.0/12"') },
  { peer: 'checkov', check: 'CKV_GCP_3', rules: ADMIN, expect: 'finding', text: gcp('"3389"', '"0.0.0.0/0"') },
  { peer: 'checkov', check: 'CKV_GCP_3', rules: ADMIN, expect: 'clean', text: gcp('"443"', '"0.0.0.0/0"') },
  { peer: 'checkov', check: 'CKV_GCP_106', rules: OPEN, expect: 'finding', text: gcp('"80"', '"0.0.0.0/0"'), difference: true },
  { peer: 'checkov', check: 'CKV_AZURE_9', rules: ADMIN, expect: 'finding', text: nsr('3389', '*') },
  { peer: 'checkov', check: 'CKV_AZURE_9', rules: ADMIN, expect: 'finding', text: nsr('3000-4000', 'Internet') },
  { peer: 'checkov', check: 'CKV_AZURE_9', rules: ADMIN, expect: 'clean', text: nsr('3389', '10.0.0.0/24') },
  { peer: 'checkov', check: 'CKV_AZURE_10', rules: ADMIN, expect: 'finding', text: nsr('22', '0.0.0.0/0') },
  { peer: 'checkov', check: 'CKV_AZURE_10', rules: ADMIN, expect: 'clean', text: nsr('22', '*', 'Deny') },
  { peer: 'checkov', check: 'CKV_AWS_2', rules: PLAIN, expect: 'finding', text: listener('HTTP', FORWARD) },
  { peer: 'checkov', check: 'CKV_AWS_2', rules: PLAIN, expect: 'clean', text: listener('HTTP', REDIRECT) },
  { peer: 'checkov', check: 'CKV_AWS_2', rules: PLAIN, expect: 'clean', text: listener('HTTPS', FORWARD, '  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"\n  certificate_arn   = "arn"\n') },
  { peer: 'checkov', check: 'CKV_AWS_103', rules: PLAIN, expect: 'finding', text: listener('HTTPS', FORWARD, '  ssl_policy        = "ELBSecurityPolicy-2016-08"\n  certificate_arn   = "arn"\n') },
  { peer: 'checkov', check: 'CKV_AWS_103', rules: PLAIN, expect: 'finding', text: listener('TLS', FORWARD, '  ssl_policy        = "ELBSecurityPolicy-TLS-1-1-2017-01"\n  certificate_arn   = "arn"\n') },
  { peer: 'checkov', check: 'CKV_AWS_103', rules: PLAIN, expect: 'clean', text: listener('HTTPS', FORWARD, '  ssl_policy        = "ELBSecurityPolicy-FS-1-2-Res-2020-10"\n  certificate_arn   = "arn"\n') },
  { peer: 'checkov', check: 'CKV_AWS_34', rules: PLAIN, expect: 'finding', text: cloudfront('allow-all') },
  { peer: 'checkov', check: 'CKV_AWS_34', rules: PLAIN, expect: 'clean', text: cloudfront('redirect-to-https') },
  { peer: 'checkov', check: 'CKV_AWS_174', rules: PLAIN, expect: 'finding', text: cloudfront('https-only', 'TLSv1.1_2016') },
  { peer: 'checkov', check: 'CKV_AWS_174', rules: PLAIN, expect: 'clean', text: cloudfront('https-only', 'TLSv1.2_2019') },
  { peer: 'checkov', check: 'CKV_AWS_17', rules: DB, expect: 'finding', text: rds('aws_db_instance', 'true') },
  { peer: 'checkov', check: 'CKV_AWS_17', rules: DB, expect: 'finding', text: rds('aws_rds_cluster_instance', 'true') },
  { peer: 'checkov', check: 'CKV_AWS_17', rules: DB, expect: 'clean', text: rds('aws_db_instance', 'false') },
  { peer: 'checkov', check: 'CKV_GCP_11', rules: DB, expect: 'finding', text: cloudSql('0.0.0.0/0') },
  { peer: 'checkov', check: 'CKV_GCP_11', rules: DB, expect: 'clean', text: cloudSql('203.0.113.0/24') },
  { peer: 'checkov', check: 'CKV_AZURE_11', rules: DB, expect: 'finding', text: azureFw('azurerm_mssql_firewall_rule', '255.255.255.255') },
  { peer: 'checkov', check: 'CKV_AZURE_11', rules: DB, expect: 'clean', text: azureFw('azurerm_mssql_firewall_rule', '0.0.0.0') },
  // Trivy / tfsec (https://avd.aquasec.com/misconfig/, https://aquasecurity.github.io/tfsec/)
  { peer: 'trivy', check: 'AVD-AWS-0107 aws-ec2-no-public-ingress-sgr', rules: [...ADMIN, ...OPEN], expect: 'finding', text: sgRule(22, 22, '0.0.0.0/0') },
  { peer: 'trivy', check: 'AVD-AWS-0107 aws-ec2-no-public-ingress-sgr', rules: [...ADMIN, ...OPEN], expect: 'finding', text: sg(8000, 8000, '::/0') },
  { peer: 'trivy', check: 'AVD-AWS-0107 aws-ec2-no-public-ingress-sgr', rules: [...ADMIN, ...OPEN], expect: 'finding', text: sg(443, 443, '0.0.0.0/0'), difference: true },
  { peer: 'trivy', check: 'AVD-AWS-0107 aws-ec2-no-public-ingress-sgr', rules: [...ADMIN, ...OPEN], expect: 'clean', text: sgRule(22, 22, '10.0.0.0/16') },
  { peer: 'trivy', check: 'AVD-AWS-0054 aws-elb-http-not-used', rules: PLAIN, expect: 'finding', text: listener('HTTP', FORWARD) },
  { peer: 'trivy', check: 'AVD-AWS-0054 aws-elb-http-not-used', rules: PLAIN, expect: 'clean', text: listener('HTTP', REDIRECT) },
  { peer: 'trivy', check: 'aws-elb-use-secure-tls-policy', rules: PLAIN, expect: 'finding', text: listener('HTTPS', FORWARD, '  ssl_policy        = "ELBSecurityPolicy-TLS-1-0-2015-04"\n') },
  { peer: 'trivy', check: 'aws-elb-use-secure-tls-policy', rules: PLAIN, expect: 'clean', text: listener('HTTPS', FORWARD, '  ssl_policy        = "ELBSecurityPolicy-TLS-1-2-2017-01"\n') },
  { peer: 'trivy', check: 'aws-cloudfront-enforce-https', rules: PLAIN, expect: 'finding', text: cloudfront('allow-all') },
  { peer: 'trivy', check: 'aws-cloudfront-enforce-https', rules: PLAIN, expect: 'clean', text: cloudfront('https-only') },
  { peer: 'trivy', check: 'aws-cloudfront-use-secure-tls-policy', rules: PLAIN, expect: 'finding', text: cloudfront('https-only', 'TLSv1_2016') },
  { peer: 'trivy', check: 'aws-rds-no-public-db-access', rules: DB, expect: 'finding', text: rds('aws_db_instance', 'true') },
  { peer: 'trivy', check: 'aws-rds-no-public-db-access', rules: DB, expect: 'clean', text: rds('aws_db_instance', 'false') },
  { peer: 'trivy', check: 'google-compute-no-public-ingress', rules: [...ADMIN, ...OPEN], expect: 'finding', text: gcp('"8080"', '"0.0.0.0/0"') },
  { peer: 'trivy', check: 'google-compute-no-public-ingress', rules: [...ADMIN, ...OPEN], expect: 'finding', text: gcp('', '"0.0.0.0/0"', 'icmp'), difference: true },
  { peer: 'trivy', check: 'google-compute-no-public-ingress', rules: [...ADMIN, ...OPEN], expect: 'clean', text: gcp('"8080"', '"1.2.3.4/32"') },
  { peer: 'trivy', check: 'azure-network-no-public-ingress', rules: [...ADMIN, ...OPEN], expect: 'finding', text: nsr('5432', '*') },
  { peer: 'trivy', check: 'azure-network-no-public-ingress', rules: [...ADMIN, ...OPEN], expect: 'clean', text: nsr('5432', '10.0.0.0/16') },
  { peer: 'trivy', check: 'google-sql-no-public-access', rules: DB, expect: 'finding', text: cloudSql('0.0.0.0/0') },
  { peer: 'trivy', check: 'google-sql-no-public-access', rules: DB, expect: 'clean', text: cloudSql('10.0.0.0/8') },
  // KICS (https://docs.kics.io/latest/queries/terraform-queries/)
  { peer: 'kics', check: 'Sensitive Port Is Exposed To Entire Network', rules: ADMIN, expect: 'finding', text: sg(6379, 6379, '0.0.0.0/0') },
  { peer: 'kics', check: 'Sensitive Port Is Exposed To Entire Network', rules: ADMIN, expect: 'finding', text: sgRule(27000, 28000, '0.0.0.0/0') },
  { peer: 'kics', check: 'Sensitive Port Is Exposed To Entire Network', rules: ADMIN, expect: 'clean', text: sg(6379, 6379, '10.1.0.0/16') },
  { peer: 'kics', check: 'Unrestricted Security Group Ingress', rules: [...ADMIN, ...OPEN], expect: 'finding', text: sg(9000, 9100, '0.0.0.0/0') },
  { peer: 'kics', check: 'Unrestricted Security Group Ingress', rules: [...ADMIN, ...OPEN], expect: 'clean', text: sg(9000, 9100, '10.0.0.0/8') },
  { peer: 'kics', check: 'RDS DB Instance Publicly Accessible', rules: DB, expect: 'finding', text: rds('aws_db_instance', 'true') },
  { peer: 'kics', check: 'RDS DB Instance Publicly Accessible', rules: DB, expect: 'clean', text: rds('aws_db_instance', 'false') },
  { peer: 'kics', check: 'ALB Listening on HTTP', rules: PLAIN, expect: 'finding', text: listener('HTTP', FORWARD) },
  { peer: 'kics', check: 'ALB Listening on HTTP', rules: PLAIN, expect: 'clean', text: listener('HTTP', REDIRECT) },
  { peer: 'kics', check: 'CloudFront Without Minimum Protocol TLS 1.2', rules: PLAIN, expect: 'finding', text: cloudfront('https-only', 'TLSv1') },
  { peer: 'kics', check: 'Google Compute Network Using Firewall Rule that Allows All Ports', rules: ADMIN, expect: 'finding', text: gcp('"0-65535"', '"0.0.0.0/0"') },
];
