import { ADMIN_PORTS, adminPortsIn } from '../../analysis/admin-ports.js';
import { resolveIn } from '../../analysis/docker-args.js';
import { serviceReports } from '../../analysis/network/kubernetes-exposure.js';
import { s } from '../../core/schema.js';
import type { Rule, Span } from '../../core/types.js';
import type { DockerfileDoc } from '../../parsers/dockerfile.js';
import type { WorkloadDoc } from '../../parsers/workload.js';
import type { TerraformDoc } from '../../parsers/terraform.js';
import { terraformAdminExposures } from '../../analysis/network/terraform-exposure.js';

export { ADMIN_PORTS } from '../../analysis/admin-ports.js';

const SVC = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n';
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/i;
const named = (p: { port: number; service: string }): string => `${p.port} (${p.service})`;
/** The ports reported, with their service names; a configured list replaces ADMIN_PORTS. A type, to fit Rule's Record options. */
type Options = { ports: { port: number; service: string }[] };

// Terraform: firewall rules open to 0.0.0.0/0 or ::/0 (analysis/network/terraform-ingress.ts)
const TERRAFORM_BAD = [
  {
    path: 'infra/sg.tf',
    text:
      'resource "aws_security_group" "bastion" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n' +
      '    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
    line: 6,
  },
  {
    path: 'infra/fw.tf',
    text:
      'locals {\n  anywhere = "0.0.0.0/0"\n}\n\nresource "google_compute_firewall" "db" {\n  name    = "db"\n  network = "default"\n' +
      '  source_ranges = [local.anywhere]\n  allow {\n    protocol = "tcp"\n    ports    = ["5432"]\n  }\n}\n',
    line: 8,
  },
  {
    path: 'infra/nsg.tf',
    text:
      'resource "azurerm_network_security_rule" "rdp" {\n  name                        = "rdp"\n  priority                    = 100\n' +
      '  direction                   = "Inbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n' +
      '  source_port_range           = "*"\n  destination_port_range      = "3389"\n  source_address_prefix       = "*"\n' +
      '  destination_address_prefix  = "*"\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n}\n',
    line: 9,
  },
];
const TERRAFORM_GOOD = [
  {
    path: 'infra/sg.tf',
    text:
      'resource "aws_security_group" "bastion" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n' +
      '    cidr_blocks = ["10.0.0.0/8"]\n  }\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n' +
      '    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
  },
];

export default {
  id: 'exposed-admin-port',
  title: 'Remote-administration or database port exposed',
  severity: 'medium',
  area: 'containers',
  summary:
    'A Dockerfile `EXPOSE`s, or a compose service publishes on all host interfaces, a remote-administration or database port ' +
    '(SSH 22, Telnet 23, Docker daemon 2375/2376, RDP 3389, VNC 5900, PostgreSQL 5432, MySQL 3306, Redis 6379, MongoDB 27017, Elasticsearch 9200, kubelet 10250…); ' +
    'or a Kubernetes Service of type LoadBalancer or NodePort, or with `externalIPs`, serves one, or a Terraform firewall rule (AWS security group, ' +
    'GCP firewall, Azure network security rule) lets `0.0.0.0/0` or `::/0` reach one (high).',
  rationale:
    'These services are the first thing scanners on the internet try: password guessing on SSH and RDP, and databases, caches and the ' +
    'Docker daemon that accept commands without authentication in their default configuration. An image that exposes SSH usually runs an ' +
    'SSH server in the container, which is a second way in next to `docker exec`. A compose `ports:` entry without a host address binds ' +
    'every interface of the host (and Docker\'s iptables rules bypass host firewalls such as ufw); `"127.0.0.1:5432:5432"` keeps it local and passes. ' +
    'Ranges (`EXPOSE 5000-6000`) and ARG/ENV-substituted ports are read. In Kubernetes `containerPort` publishes nothing, so only a `hostPort` ' +
    'on an admin port is reported (it binds the node\'s interfaces). ' +
    'A Service is reported when its `port` or numeric `targetPort` is an admin port and it is reachable from outside the cluster: a LoadBalancer ' +
    '(unless `loadBalancerSourceRanges` or the source-ranges annotation names no world CIDR, or an annotation makes it internal on AWS, GKE, Azure, ' +
    'Oracle or IBM Cloud), a NodePort or `externalIPs` (medium confidence: how far the nodes\' addresses reach is not in the manifest). ' +
    'ClusterIP Services are never reported. ' +
    'In Terraform, an ingress rule from the world whose port range ' +
    'covers an admin port, or that opens every port (protocol `-1`/`all`, `*`), is reported as high: it is reachable from the internet itself; ' +
    'a rule narrowed to another range is never reported. The `ports` option replaces the list.',
  fix:
    'Do not run SSH or other administration servers in the container: use `docker exec` / `kubectl exec`. For a database or cache, drop the ' +
    '`EXPOSE`/`ports:` entry and reach it over the compose or cluster network, or publish it on loopback only (`"127.0.0.1:5432:5432"`), ' +
    'and keep its authentication on. For a Service: make it ClusterIP and use `kubectl port-forward`, a bastion or a VPN; or list trusted CIDRs ' +
    'in `loadBalancerSourceRanges`, or make the load balancer internal. For a Terraform firewall rule: narrow the source to the CIDRs that need ' +
    'it, or reach the host through a bastion, SSM Session Manager or IAP instead of an open port.',
  references: [
    'https://docs.docker.com/engine/network/#published-ports',
    'https://docs.docker.com/engine/network/packet-filtering-firewalls/#docker-and-ufw',
    'https://github.com/docker/docker-bench-security (CIS Docker Benchmark 4.8, 5.7, 5.13)',
    'https://kubernetes.io/docs/concepts/configuration/overview/#services',
    'https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
    'https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13 (EC2.13/EC2.14: no 22 or 3389 from 0.0.0.0/0)',
  ],
  examples: {
    bad: [
      { path: 'Dockerfile', text: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y openssh-server\nEXPOSE 80 22/tcp\n', line: 3 },
      { path: 'Dockerfile', text: 'FROM postgres:16\nARG PORT=5432\nEXPOSE ${PORT}\n', line: 3 },
      {
        path: 'compose.yaml',
        text: 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n  cache:\n    image: redis:7\n    ports:\n      - target: 6379\n        published: 6380\n',
        line: 5,
      },
      {
        path: 'k8s/db.yaml',
        text:
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n    - name: db\n      image: postgres:16\n' +
          '      ports:\n        - containerPort: 5432\n          hostPort: 5432\n',
        line: 10,
      },
      // Kubernetes Services
      { path: 'k8s/db.yaml', text: `${SVC}  type: LoadBalancer\n  ports:\n    - port: 5432\n`, line: 8 },
      { path: 'k8s/ssh.yaml', text: `${SVC}  type: NodePort\n  ports:\n    - port: 2222\n      targetPort: 22\n`, line: 8 },
      ...TERRAFORM_BAD,
    ],
    good: [
      ...TERRAFORM_GOOD,
      { path: 'Dockerfile', text: 'FROM nginx:1.27\nEXPOSE 80 443/tcp 3000-3010\n' },
      {
        path: 'compose.yaml',
        text: 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "127.0.0.1:5432:5432"\n    expose:\n      - "5432"\n  web:\n    image: nginx:1.27\n    ports:\n      - "80:80"\n',
      },
      // Kubernetes Services: internal, narrowed, annotated internal, or serving the web
      { path: 'k8s/db.yaml', text: `${SVC}  ports:\n    - port: 5432\n` },
      { path: 'k8s/db.yaml', text: `${SVC}  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/8]\n  ports:\n    - port: 5432\n` },
      { path: 'k8s/db.yaml', text: SVC.replace('db\n', 'db\n  annotations:\n    networking.gke.io/load-balancer-type: Internal\n') + '  type: LoadBalancer\n  ports:\n    - port: 5432\n' },
      { path: 'k8s/web.yaml', text: `${SVC}  type: LoadBalancer\n  ports:\n    - port: 443\n      targetPort: 8443\n` },
    ],
  },
  reads: ['dockerfile', 'workload', 'terraform'],
  options: {
    schema: s.object({
      ports: s.array(
        s.object(
          { port: s.int({ min: 1, max: 65535, description: 'Port number.' }), service: s.string({ nonEmpty: true, description: 'What listens there, named in messages.' }) },
          { required: ['port', 'service'] },
        ),
        { description: 'The ports reported, each `{port, service}`. A list here replaces the default list (in the rule docs): copy the defaults to extend them.' },
      ),
    }),
    defaults: { ports: Object.entries(ADMIN_PORTS).map(([port, service]) => ({ port: Number(port), service })) },
  },
  check(doc, ctx) {
    const list: Record<number, string> = Object.fromEntries(ctx.options.ports.map((p) => [p.port, p.service]));
    if ('blocks' in doc) {
      // reachable from the internet itself, not only from the host's network: high
      for (const e of terraformAdminExposures(doc, ctx, list)) ctx.report({ ...e, severity: 'high' });
      return;
    }
    if ('stages' in doc) {
      for (const ins of doc.stages.flatMap((s) => s.instructions)) {
        if (ins.keyword.toUpperCase() !== 'EXPOSE') continue;
        for (const arg of ins.args) {
          const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(resolveIn(doc, ins, arg.value).value.trim());
          if (!m) continue;
          const hits = adminPortsIn(Number(m[1]), Number(m[2] ?? m[1]), list);
          if (hits.length === 0) continue;
          const what = m[2] === undefined ? `EXPOSE ${named(hits[0]!)}` : `EXPOSE ${m[1]}-${m[2]} includes ${hits.slice(0, 3).map(named).join(', ')}${hits.length > 3 ? '…' : ''}`;
          ctx.report({
            message: `${what}: an administration or database port that should not be reachable from outside the container. Use docker exec instead of a server in the image, or keep the port on an internal network.`,
            at: arg.span,
          });
        }
      }
      return;
    }
    if (doc.objects) for (const r of serviceReports(doc.objects, list, 'admin')) ctx.report(r);
    const reported = new Set<string>();
    const key = (s: Span) => `${s.line}:${s.column}`;
    for (const pod of doc.pods) {
      for (const c of pod.containers) {
        for (const p of c.ports) {
          if (p.host === undefined || (p.hostIp !== undefined && LOOPBACK.test(p.hostIp)) || reported.has(key(p.span))) continue;
          const hit = adminPortsIn(p.container, p.container, list)[0];
          if (!hit) continue;
          reported.add(key(p.span));
          const on = p.hostIp ? `host address ${p.hostIp}` : 'every host interface';
          const as = p.host === 0 ? 'a port Docker picks' : `port ${p.host}`;
          ctx.report({
            message:
              doc.format === 'compose'
                ? `${pod.label} publishes ${named(hit)} on ${on} as ${as}: bind it to loopback (\`"127.0.0.1:${p.host || p.container}:${p.container}"\`) or drop the \`ports:\` entry and use the compose network.`
                : `${pod.label} (container ${c.name}) binds ${named(hit)} to \`hostPort: ${p.host}\` on ${on} of the node: drop \`hostPort\` and reach it through a ClusterIP Service.`,
            at: p.span,
          });
        }
      }
    }
  },
} satisfies Rule<DockerfileDoc | WorkloadDoc | TerraformDoc, Options>;
