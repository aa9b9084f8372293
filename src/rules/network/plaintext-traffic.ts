import { kubeObjectsOf } from '../../analysis/network/kubernetes-files.js';
import { plaintextReports, routesBeside } from '../../analysis/network/kubernetes-tls.js';
import { terraformPlaintext } from '../../analysis/network/terraform-tls.js';
import type { Rule } from '../../core/types.js';
import type { TerraformDoc } from '../../parsers/terraform.js';
import type { WorkloadDoc } from '../../parsers/workload.js';

const INGRESS = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n';
const RULES = 'spec:\n  rules:\n    - host: shop.example.com\n      http:\n        paths:\n          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n';
const TLS = '  tls:\n    - hosts: [shop.example.com]\n      secretName: shop-tls\n';
const GATEWAY = 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  gatewayClassName: eg\n  listeners:\n    - {name: http, protocol: HTTP, port: 80}\n    - {name: https, protocol: HTTPS, port: 443, tls: {certificateRefs: [{name: gw-tls}]}}\n';
const REDIRECT = '---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: to-https\nspec:\n  parentRefs: [{name: gw, sectionName: http}]\n  rules:\n    - filters:\n        - type: RequestRedirect\n          requestRedirect: {scheme: https, statusCode: 301}\n';
const PEER = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls:\n';

// Terraform: load balancer listeners and CloudFront (analysis/network/terraform-tls.ts)
const TERRAFORM_BAD = [
  {
    path: 'infra/lb.tf',
    text:
      'resource "aws_lb_listener" "web" {\n  load_balancer_arn = aws_lb.web.arn\n  port              = 80\n  protocol          = "HTTP"\n\n' +
      '  default_action {\n    type             = "forward"\n    target_group_arn = aws_lb_target_group.web.arn\n  }\n}\n',
    line: 4,
  },
  {
    path: 'infra/tls.tf',
    text:
      'resource "aws_lb_listener" "api" {\n  load_balancer_arn = aws_lb.api.arn\n  port              = 443\n  protocol          = "HTTPS"\n' +
      '  ssl_policy        = "ELBSecurityPolicy-2016-08"\n  certificate_arn   = aws_acm_certificate.api.arn\n\n' +
      '  default_action {\n    type             = "forward"\n    target_group_arn = aws_lb_target_group.api.arn\n  }\n}\n',
    line: 5,
  },
  {
    path: 'infra/cdn.tf',
    text:
      'resource "aws_cloudfront_distribution" "site" {\n  enabled = true\n  default_cache_behavior {\n    target_origin_id       = "site"\n' +
      '    viewer_protocol_policy = "allow-all"\n    allowed_methods        = ["GET", "HEAD"]\n    cached_methods         = ["GET", "HEAD"]\n  }\n}\n',
    line: 5,
  },
];
const TERRAFORM_GOOD = [
  {
    path: 'infra/lb.tf',
    text:
      'resource "aws_lb_listener" "http" {\n  load_balancer_arn = aws_lb.web.arn\n  port              = 80\n  protocol          = "HTTP"\n\n' +
      '  default_action {\n    type = "redirect"\n    redirect {\n      port        = "443"\n      protocol    = "HTTPS"\n      status_code = "HTTP_301"\n    }\n  }\n}\n\n' +
      'resource "aws_lb_listener" "https" {\n  load_balancer_arn = aws_lb.web.arn\n  port              = 443\n  protocol          = "HTTPS"\n' +
      '  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"\n  certificate_arn   = aws_acm_certificate.web.arn\n\n' +
      '  default_action {\n    type             = "forward"\n    target_group_arn = aws_lb_target_group.web.arn\n  }\n}\n',
  },
];

export default {
  id: 'plaintext-traffic',
  title: 'Traffic allowed without TLS',
  severity: 'medium',
  area: 'network',
  summary:
    'Traffic can flow unencrypted where HTTPS or mTLS should be forced: a Kubernetes Ingress without `tls:` or with the HTTPS redirect turned off ' +
    '(`ssl-redirect`/`force-ssl-redirect: "false"`), a Gateway API listener on HTTP that no HTTPRoute redirects to https, an Istio ' +
    '`PeerAuthentication` in `PERMISSIVE` or `DISABLE` mode, a `DestinationRule` with `tls.mode: DISABLE`; in Terraform an ' +
    '`aws_lb_listener`/`aws_alb_listener` on HTTP without a redirect to HTTPS, a listener `ssl_policy` that accepts TLS 1.0/1.1, or a ' +
    'CloudFront distribution that allows plain HTTP (`viewer_protocol_policy = "allow-all"`) or viewers below TLS 1.2.',
  rationale:
    'Plain HTTP can be read and changed by anyone on the path (public Wi-Fi, a compromised router, a cloud neighbour): session cookies and ' +
    'tokens are stolen, pages and downloads are rewritten. Serving HTTPS alone is not enough while HTTP still answers, since the first request ' +
    'of a bookmark or a typed address goes out in clear: HTTP must redirect. Inside the cluster, mutual TLS authenticates each workload and ' +
    'encrypts pod-to-pod traffic; `PERMISSIVE` accepts plaintext from anything that reaches the pod, so it is a migration step, not a state. ' +
    'An Ingress whose TLS a cloud load balancer terminates with its own certificate (ALB `certificate-arn`, GKE managed or pre-shared ' +
    'certificates) or that turns HTTP off (`kubernetes.io/ingress.allow-http: "false"`) is not reported. A Gateway\'s redirect route is looked for ' +
    'in the same file and the YAML files of its folder. TLS 1.0 and 1.1 are deprecated (RFC 8996); AWS\'s `ELBSecurityPolicy-2016-08`, the ' +
    'default when Terraform creates a listener, still accepts both, but only a policy that is written out is reported. An HTTP listener whose ' +
    'default action is a fixed response serves nothing in the clear and passes; one on an internal load balancer (`internal = true`, declared ' +
    'in the same file) is reached from inside the network only and is reported at low confidence. Whether a path carries credentials is not ' +
    'guessed: findings stay medium.',
  fix:
    'Add `spec.tls` to the Ingress (cert-manager can issue the certificate) and drop annotations that turn the redirect off. For a Gateway, add an ' +
    'HTTPRoute on the HTTP listener with a `RequestRedirect` filter to `scheme: https`. For Istio, use `mtls.mode: STRICT` and `tls.mode: ISTIO_MUTUAL`. ' +
    'In Terraform, make the HTTP listener\'s default action a redirect to HTTPS, set `ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"`, and use ' +
    '`viewer_protocol_policy = "redirect-to-https"` with `minimum_protocol_version = "TLSv1.2_2021"` in CloudFront.',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/ingress/#tls',
    'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#server-side-https-enforcement-through-redirect',
    'https://gateway-api.sigs.k8s.io/guides/http-redirect-rewrite/',
    'https://istio.io/latest/docs/reference/config/security/peer_authentication/',
    'https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings-TLSmode',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html',
    'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html',
    'https://www.rfc-editor.org/rfc/rfc8996 (TLS 1.0 and 1.1 deprecated)',
  ],
  examples: {
    bad: [
      // Kubernetes
      { path: 'k8s/ingress.yaml', text: INGRESS + RULES, line: 2 },
      { path: 'k8s/ingress.yaml', text: `${INGRESS}  annotations:\n    nginx.ingress.kubernetes.io/ssl-redirect: "false"\n${RULES}${TLS}`, line: 6 },
      { path: 'k8s/gateway.yaml', text: GATEWAY, line: 8 },
      { path: 'k8s/mesh.yaml', text: `${PEER}    mode: PERMISSIVE\n`, line: 8 },
      ...TERRAFORM_BAD,
      { path: 'k8s/mesh.yaml', text: 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: db\nspec:\n  host: db.data.svc.cluster.local\n  trafficPolicy:\n    tls:\n      mode: DISABLE\n', line: 9 },
    ],
    good: [
      // Kubernetes
      { path: 'k8s/ingress.yaml', text: INGRESS + RULES + TLS },
      { path: 'k8s/ingress.yaml', text: `${INGRESS}  annotations:\n    networking.gke.io/managed-certificates: shop-cert\n    kubernetes.io/ingress.allow-http: "false"\n${RULES}` },
      { path: 'k8s/gateway.yaml', text: GATEWAY + REDIRECT },
      { path: 'k8s/gateway.yaml', text: GATEWAY, files: { 'k8s/redirect.yaml': REDIRECT.slice(4) } },
      { path: 'k8s/mesh.yaml', text: `${PEER}    mode: STRICT\n` },
      ...TERRAFORM_GOOD,
    ],
  },
  reads: ['workload', 'terraform'],
  check(doc, ctx) {
    if ('blocks' in doc) {
      for (const e of terraformPlaintext(doc, ctx)) ctx.report(e);
      return;
    }
    if (!doc.objects) return;
    const objects = doc.objects;
    let routes: ReturnType<typeof routesBeside> | undefined;
    for (const r of plaintextReports(objects, () => (routes ??= routesBeside(doc.path, objects, ctx.project, kubeObjectsOf)))) ctx.report(r);
  },
} satisfies Rule<WorkloadDoc | TerraformDoc>;
