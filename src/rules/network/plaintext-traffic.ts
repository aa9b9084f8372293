import { kubeObjectsOf } from '../../analysis/network/kubernetes-files.js';
import { plaintextReports, routesBeside } from '../../analysis/network/kubernetes-tls.js';
import type { Rule } from '../../core/types.js';
import type { WorkloadDoc } from '../../parsers/workload.js';

const INGRESS = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n';
const RULES = 'spec:\n  rules:\n    - host: shop.example.com\n      http:\n        paths:\n          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n';
const TLS = '  tls:\n    - hosts: [shop.example.com]\n      secretName: shop-tls\n';
const GATEWAY = 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  gatewayClassName: eg\n  listeners:\n    - {name: http, protocol: HTTP, port: 80}\n    - {name: https, protocol: HTTPS, port: 443, tls: {certificateRefs: [{name: gw-tls}]}}\n';
const REDIRECT = '---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: to-https\nspec:\n  parentRefs: [{name: gw, sectionName: http}]\n  rules:\n    - filters:\n        - type: RequestRedirect\n          requestRedirect: {scheme: https, statusCode: 301}\n';
const PEER = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls:\n';

export default {
  id: 'plaintext-traffic',
  title: 'Traffic allowed without TLS',
  severity: 'medium',
  area: 'network',
  summary:
    'Traffic can flow unencrypted where HTTPS or mTLS should be forced: a Kubernetes Ingress without `tls:` or with the HTTPS redirect turned off ' +
    '(`ssl-redirect`/`force-ssl-redirect: "false"`), a Gateway API listener on HTTP that no HTTPRoute redirects to https, an Istio ' +
    '`PeerAuthentication` in `PERMISSIVE` or `DISABLE` mode, a `DestinationRule` with `tls.mode: DISABLE`.',
  rationale:
    'Plain HTTP can be read and changed by anyone on the path (public Wi-Fi, a compromised router, a cloud neighbour): session cookies and ' +
    'tokens are stolen, pages and downloads are rewritten. Serving HTTPS alone is not enough while HTTP still answers, since the first request ' +
    'of a bookmark or a typed address goes out in clear: HTTP must redirect. Inside the cluster, mutual TLS authenticates each workload and ' +
    'encrypts pod-to-pod traffic; `PERMISSIVE` accepts plaintext from anything that reaches the pod, so it is a migration step, not a state. ' +
    'An Ingress whose TLS a cloud load balancer terminates with its own certificate (ALB `certificate-arn`, GKE managed or pre-shared ' +
    'certificates) or that turns HTTP off (`kubernetes.io/ingress.allow-http: "false"`) is not reported. A Gateway\'s redirect route is looked for ' +
    'in the same file and the YAML files of its folder. Whether a path carries credentials is not guessed: findings stay medium.',
  fix:
    'Add `spec.tls` to the Ingress (cert-manager can issue the certificate) and drop annotations that turn the redirect off. For a Gateway, add an ' +
    'HTTPRoute on the HTTP listener with a `RequestRedirect` filter to `scheme: https`. For Istio, use `mtls.mode: STRICT` and `tls.mode: ISTIO_MUTUAL`.',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/ingress/#tls',
    'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#server-side-https-enforcement-through-redirect',
    'https://gateway-api.sigs.k8s.io/guides/http-redirect-rewrite/',
    'https://istio.io/latest/docs/reference/config/security/peer_authentication/',
    'https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings-TLSmode',
  ],
  examples: {
    bad: [
      // Kubernetes
      { path: 'k8s/ingress.yaml', text: INGRESS + RULES, line: 2 },
      { path: 'k8s/ingress.yaml', text: `${INGRESS}  annotations:\n    nginx.ingress.kubernetes.io/ssl-redirect: "false"\n${RULES}${TLS}`, line: 6 },
      { path: 'k8s/gateway.yaml', text: GATEWAY, line: 8 },
      { path: 'k8s/mesh.yaml', text: `${PEER}    mode: PERMISSIVE\n`, line: 8 },
      { path: 'k8s/mesh.yaml', text: 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: db\nspec:\n  host: db.data.svc.cluster.local\n  trafficPolicy:\n    tls:\n      mode: DISABLE\n', line: 9 },
    ],
    good: [
      // Kubernetes
      { path: 'k8s/ingress.yaml', text: INGRESS + RULES + TLS },
      { path: 'k8s/ingress.yaml', text: `${INGRESS}  annotations:\n    networking.gke.io/managed-certificates: shop-cert\n    kubernetes.io/ingress.allow-http: "false"\n${RULES}` },
      { path: 'k8s/gateway.yaml', text: GATEWAY + REDIRECT },
      { path: 'k8s/gateway.yaml', text: GATEWAY, files: { 'k8s/redirect.yaml': REDIRECT.slice(4) } },
      { path: 'k8s/mesh.yaml', text: `${PEER}    mode: STRICT\n` },
    ],
  },
  reads: ['workload'],
  check(doc, ctx) {
    if (!doc.objects) return;
    const objects = doc.objects;
    let routes: ReturnType<typeof routesBeside> | undefined;
    for (const r of plaintextReports(objects, () => (routes ??= routesBeside(doc.path, objects, ctx.project, kubeObjectsOf)))) ctx.report(r);
  },
} satisfies Rule<WorkloadDoc>;
