// The Terraform branches of the network rules through the real engine: what is reported, at which confidence and
// severity, and the constructs that must never be (narrowed sources, 80/443, egress, deny rules, redirects).
import { beforeAll, describe, expect, it } from 'vitest';
import { initTreeSitter } from '../../src/parsers/tree-sitter.js';
import { scanFiles } from '../../src/scan.js';

beforeAll(() => initTreeSitter());

const NETWORK = ['exposed-admin-port', 'world-open-port', 'plaintext-traffic', 'public-database'];
function scan(files: Record<string, string>) {
  const r = scanFiles(files);
  return { ...r, findings: r.findings.filter((f) => NETWORK.includes(f.ruleId)) };
}
const brief = (files: Record<string, string>) => scan(files).findings.map((f) => `${f.ruleId} ${f.path}:${f.line} ${f.severity}/${f.confidence}${f.outOfScope ? ` (${f.outOfScope})` : ''}`);

const sg = (ingress: string, name = 'x') => `resource "aws_security_group" "${name}" {\n  vpc_id = "vpc-1"\n  ingress {\n${ingress}\n  }\n}\n`;
const rule = (from: number | string, to: number | string, cidr: string, protocol = 'tcp') =>
  `    from_port   = ${from}\n    to_port     = ${to}\n    protocol    = "${protocol}"\n    cidr_blocks = [${cidr}]`;

describe('world ingress in Terraform', () => {
  it('reports an admin port from the world as exposed-admin-port (high), another port as world-open-port (medium)', () => {
    expect(brief({ 'a.tf': sg(rule(22, 22, '"0.0.0.0/0"')), 'b.tf': sg(rule(8080, 8080, '"0.0.0.0/0"')) })).toEqual([
      'exposed-admin-port a.tf:7 high/high',
      'world-open-port b.tf:7 medium/high',
    ]);
  });

  it('reads ranges, all protocols and IPv6: a range covering 3306 and protocol -1 are admin findings', () => {
    const files = {
      'range.tf': sg(rule(3000, 4000, '"::/0"')),
      'all.tf': sg(rule(0, 0, '"0.0.0.0/0"', '-1')),
      'full.tf': sg(rule(0, 65535, '"0.0.0.0/0"')),
    };
    const found = scan(files).findings;
    expect(found.map((f) => `${f.ruleId} ${f.path}`).sort()).toEqual(['exposed-admin-port all.tf', 'exposed-admin-port full.tf', 'exposed-admin-port range.tf']);
    expect(found.find((f) => f.path === 'range.tf')!.message).toMatch(/ports 3000-4000, which include 3306 \(MySQL\), 3389 \(RDP\)/);
    expect(found.find((f) => f.path === 'all.tf')!.message).toMatch(/every port, including 21 \(FTP\), 22 \(SSH\)/);
  });

  it('never reports 80/443 from the world, a narrowed source, egress, ICMP or a rule switched to deny', () => {
    const files = {
      'web.tf': sg(rule(443, 443, '"0.0.0.0/0"')) + sg(rule(80, 80, '"0.0.0.0/0", "::/0"'), 'y'),
      'narrow.tf': sg(rule(22, 22, '"10.0.0.0/8", "203.0.113.7/32"')),
      'icmp.tf': sg(rule(-1, -1, '"0.0.0.0/0"', 'icmp')),
      'egress.tf':
        'resource "aws_security_group_rule" "out" {\n  type = "egress"\n  from_port = 0\n  to_port = 0\n  protocol = "-1"\n  cidr_blocks = ["0.0.0.0/0"]\n}\n',
      'gcp.tf':
        'resource "google_compute_firewall" "out" {\n  direction = "EGRESS"\n  source_ranges = ["0.0.0.0/0"]\n  allow {\n    protocol = "tcp"\n  }\n}\n' +
        'resource "google_compute_firewall" "deny" {\n  source_ranges = ["0.0.0.0/0"]\n  deny {\n    protocol = "tcp"\n  }\n}\n',
      'azure.tf':
        'resource "azurerm_network_security_rule" "deny" {\n  direction = "Inbound"\n  access = "Deny"\n  protocol = "Tcp"\n' +
        '  destination_port_range = "22"\n  source_address_prefix = "*"\n}\n',
    };
    expect(brief(files)).toEqual([]);
  });

  it('follows locals and variable defaults across the module folder; a default is medium, an unknown port low', () => {
    const files = {
      'infra/vars.tf': 'variable "admin_cidrs" {\n  default = ["0.0.0.0/0"]\n}\nlocals {\n  ssh = 22\n}\n',
      'infra/sg.tf': sg('    from_port = local.ssh\n    to_port = local.ssh\n    protocol = "tcp"\n    cidr_blocks = var.admin_cidrs'),
      'infra/app.tf': sg('    from_port = var.app_port\n    to_port = var.app_port\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]'),
      'other/sg.tf': sg('    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = var.admin_cidrs'),
    };
    expect(brief(files)).toEqual(['world-open-port infra/app.tf:7 medium/low (confidence)', 'exposed-admin-port infra/sg.tf:7 high/medium']);
  });

  it('reads GCP firewalls (INGRESS by default, no ports = all, no source = 0.0.0.0/0) and Azure rules (standalone and inline)', () => {
    const files: Record<string, string> = {
      'gcp.tf':
        'resource "google_compute_firewall" "all" {\n  network = "n"\n  source_ranges = ["0.0.0.0/0"]\n  allow {\n    protocol = "tcp"\n  }\n}\n' +
        'resource "google_compute_firewall" "web" {\n  network = "n"\n  source_ranges = ["0.0.0.0/0"]\n  allow {\n    protocol = "tcp"\n    ports = ["80", "443"]\n  }\n}\n',
      'azure.tf':
        'resource "azurerm_network_security_group" "nsg" {\n  name = "nsg"\n  security_rule {\n    name = "app"\n    direction = "Inbound"\n    access = "Allow"\n' +
        '    protocol = "Tcp"\n    destination_port_ranges = ["8000-8050"]\n    source_address_prefix = "Internet"\n  }\n}\n',
    };
    files['gcp-default.tf'] =
      'resource "google_compute_firewall" "nosource" {\n  network = "n"\n  allow {\n    protocol = "tcp"\n    ports = ["8443"]\n  }\n}\n' +
      'resource "google_compute_firewall" "tagged" {\n  network = "n"\n  source_tags = ["web"]\n  allow {\n    protocol = "tcp"\n    ports = ["22"]\n  }\n}\n';
    expect(brief(files)).toEqual(['world-open-port azure.tf:9 medium/high', 'world-open-port gcp-default.tf:1 medium/high', 'exposed-admin-port gcp.tf:3 high/high']);
  });

  it('reads the list form of ingress (`ingress = [{ … }]`)', () => {
    const text =
      'resource "aws_security_group" "l" {\n  ingress = [\n    {\n      from_port   = 443\n      to_port     = 443\n      protocol    = "tcp"\n      cidr_blocks = ["0.0.0.0/0"]\n    },\n' +
      '    {\n      from_port   = 6379\n      to_port     = 6379\n      protocol    = "tcp"\n      cidr_blocks = ["0.0.0.0/0"]\n    },\n  ]\n}\n';
    expect(brief({ 'list.tf': text })).toEqual(['exposed-admin-port list.tf:13 high/high']);
  });

  it('a dynamic block is uncertain: low confidence, never blocking', () => {
    const text =
      'resource "aws_security_group" "d" {\n  dynamic "ingress" {\n    for_each = var.enabled ? [1] : []\n    content {\n' +
      '      from_port = 5432\n      to_port = 5432\n      protocol = "tcp"\n      cidr_blocks = ["0.0.0.0/0"]\n    }\n  }\n}\n';
    expect(brief({ 'db.tf': text })).toEqual(['exposed-admin-port db.tf:8 high/low (confidence)']);
  });

  it('examples/ and test/ folders report without blocking', () => {
    const text = sg(rule(22, 22, '"0.0.0.0/0"'));
    expect(brief({ 'examples/basic/main.tf': text, 'test/fixtures/main.tf': text })).toEqual([
      'exposed-admin-port examples/basic/main.tf:7 high/high (context)',
      'exposed-admin-port test/fixtures/main.tf:7 high/high (context)',
    ]);
  });
});

describe('plaintext-traffic and public-database in Terraform', () => {
  it('passes an HTTP listener that redirects or answers a fixed response, and a modern TLS policy', () => {
    const listener = (action: string, protocol = 'HTTP') => `resource "aws_lb_listener" "l${Math.random().toString(36).slice(2, 6)}" {\n  port = 80\n  protocol = "${protocol}"\n  default_action {\n${action}\n  }\n}\n`;
    const files = {
      'redirect.tf': listener('    type = "redirect"\n    redirect {\n      protocol = "HTTPS"\n      port = "443"\n      status_code = "HTTP_301"\n    }'),
      'fixed.tf': listener('    type = "fixed-response"\n    fixed_response {\n      content_type = "text/plain"\n      status_code = "403"\n    }'),
      'tcp.tf': listener('    type = "forward"', 'TCP'),
      'computed.tf': 'resource "aws_lb_listener" "c" {\n  protocol = lookup(var.p, "x")\n  default_action {\n    type = "forward"\n  }\n}\n',
    };
    expect(brief(files)).toEqual([]);
  });

  it('reports an HTTP listener forwarding, TLS 1.0 policies and CloudFront allow-all / old viewer TLS', () => {
    const files: Record<string, string> = {
      'lb.tf': 'resource "aws_alb_listener" "http" {\n  port = 80\n  protocol = "HTTP"\n  default_action {\n    type = "forward"\n  }\n}\n',
      'tls.tf': 'resource "aws_lb_listener" "https" {\n  protocol = "HTTPS"\n  ssl_policy = "ELBSecurityPolicy-TLS13-1-1-2021-06"\n}\n' +
        'resource "aws_lb_listener" "ok" {\n  protocol = "HTTPS"\n  ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"\n}\n',
      'cdn.tf': 'resource "aws_cloudfront_distribution" "d" {\n  ordered_cache_behavior {\n    viewer_protocol_policy = "allow-all"\n  }\n  viewer_certificate {\n    minimum_protocol_version = "TLSv1"\n  }\n}\n',
    };
    files['internal.tf'] =
      'resource "aws_lb" "private" {\n  internal = true\n}\nresource "aws_lb_listener" "svc" {\n  load_balancer_arn = aws_lb.private.arn\n  protocol = "HTTP"\n  default_action {\n    type = "forward"\n  }\n}\n';
    expect(brief(files)).toEqual([
      'plaintext-traffic cdn.tf:3 medium/high',
      'plaintext-traffic cdn.tf:6 medium/high',
      'plaintext-traffic internal.tf:6 medium/low (confidence)',
      'plaintext-traffic lb.tf:3 medium/high',
      'plaintext-traffic tls.tf:3 medium/high',
    ]);
  });

  it('reports public databases, and not Azure-services-only rules or a server with public access off', () => {
    const files = {
      'rds.tf': 'locals {\n  public = true\n}\nresource "aws_rds_cluster_instance" "a" {\n  publicly_accessible = local.public\n}\n',
      'sql.tf':
        'resource "google_sql_database_instance" "private" {\n  settings {\n    ip_configuration {\n      ipv4_enabled = false\n' +
        '      authorized_networks {\n        value = "0.0.0.0/0"\n      }\n    }\n  }\n}\n',
      'azure.tf':
        'resource "azurerm_mssql_server" "s" {\n  public_network_access_enabled = false\n}\n' +
        'resource "azurerm_mssql_firewall_rule" "all" {\n  server_id = azurerm_mssql_server.s.id\n  start_ip_address = "0.0.0.0"\n  end_ip_address = "255.255.255.255"\n}\n',
    };
    expect(brief(files)).toEqual(['public-database rds.tf:5 high/high']);
  });
});

describe('parsing failures are notices', () => {
  it('a file with syntax errors keeps what parsed, with a notice', () => {
    const r = scan({ 'broken.tf': 'resource "aws_db_instance" "a" {\n  publicly_accessible = true\n}\nresource {{{\n' });
    expect(r.findings.map((f) => f.ruleId)).toEqual(['public-database']);
    expect(r.notices.map((n) => n.message)).toContainEqual(expect.stringMatching(/Terraform syntax errors/));
  });
});
