import type { Project, Report } from '../../core/types.js';
import type { HttpRouteObject, KubeObject } from '../../parsers/workloads/kube-objects.js';
import { objectLabel } from './kubernetes-exposure.js';

/** Ingress annotations that turn the HTTP-to-HTTPS redirect off when set to "false" (ingress-nginx, HAProxy's two controllers). */
const REDIRECT_ANNOTATIONS = [
  'nginx.ingress.kubernetes.io/ssl-redirect',
  'nginx.ingress.kubernetes.io/force-ssl-redirect',
  'ingress.kubernetes.io/ssl-redirect',
  'haproxy.org/ssl-redirect',
];

/**
 * Annotations by which a cloud load balancer terminates TLS for an Ingress without `tls:` (a certificate from the cloud's
 * certificate service), or by which plain HTTP is switched off: TLS is there, and whether HTTP redirects is not guessed.
 */
const CLOUD_TLS = [
  'alb.ingress.kubernetes.io/certificate-arn',
  'networking.gke.io/managed-certificates',
  'ingress.gcp.kubernetes.io/pre-shared-cert',
  'service.beta.kubernetes.io/aws-load-balancer-ssl-cert',
];

/** Mesh settings that let workloads talk without mutual TLS. */
const PLAINTEXT_MODES: Record<string, ReadonlySet<string>> = {
  peerauthentication: new Set(['PERMISSIVE', 'DISABLE']),
  destinationrule: new Set(['DISABLE']),
};

/**
 * The places in a manifest where traffic can flow unencrypted: an Ingress without TLS or with the redirect to HTTPS
 * turned off, a Gateway listener on HTTP that no HTTPRoute redirects to https (routes are looked for in the manifest and
 * the YAML files beside it, see `routes`), Istio mTLS made optional or off.
 */
export function plaintextReports(objects: readonly KubeObject[], routes: () => readonly HttpRouteObject[]): Report[] {
  const out: Report[] = [];
  for (const o of objects) {
    if (o.object === 'ingress') {
      const allowHttpOff = o.annotations.get('kubernetes.io/ingress.allow-http')?.value.trim().toLowerCase() === 'false';
      if (!o.tls && !allowHttpOff && !CLOUD_TLS.some((a) => o.annotations.has(a))) {
        out.push({ message: `${objectLabel(o)} has no \`tls:\` section: it serves HTTP only. Add \`spec.tls\` with a certificate (cert-manager can issue one).`, at: o.span, confidence: 'medium' });
      }
      for (const key of REDIRECT_ANNOTATIONS) {
        const a = o.annotations.get(key);
        if (a?.value.trim().toLowerCase() !== 'false') continue;
        out.push({ message: `${objectLabel(o)} sets \`${key}: "false"\`: HTTP requests are served without a redirect to HTTPS. Remove the annotation.`, at: a.span, confidence: 'high' });
      }
    } else if (o.object === 'gateway') {
      for (const l of o.listeners) {
        if (l.protocol !== 'HTTP') continue;
        const redirected = routes().some((r) => r.redirectsToHttps && r.parents.some((p) => p.name === o.name && (p.section === undefined || p.section === l.name)));
        if (redirected) continue;
        out.push({
          message: `${objectLabel(o)} listens on HTTP${l.port !== undefined ? ` port ${l.port}` : ''} and no HTTPRoute beside it redirects that listener to https: add an HTTPRoute with a \`RequestRedirect\` filter (\`scheme: https\`), or drop the listener.`,
          at: l.span,
          confidence: 'medium',
        });
      }
    } else if (o.object === 'peerauthentication' || o.object === 'destinationrule') {
      for (const m of o.modes) {
        if (!PLAINTEXT_MODES[o.object]!.has(m.value.trim().toUpperCase())) continue;
        const what = o.object === 'peerauthentication' ? `accepts plaintext traffic (mTLS mode ${m.value})` : 'turns TLS off for its host (`tls.mode: DISABLE`)';
        const fix = o.object === 'peerauthentication' ? 'use `mode: STRICT` once every client is in the mesh' : 'use `mode: ISTIO_MUTUAL` (or `MUTUAL`/`SIMPLE` for hosts outside the mesh)';
        out.push({ message: `${objectLabel(o)} ${what}: ${fix}.`, at: m.span, confidence: 'high' });
      }
    }
  }
  return out;
}

/**
 * The HTTPRoutes of a manifest and of the Kubernetes YAML files in its folder (a Gateway and its redirect route are often
 * split into files side by side). Files the project cannot read are skipped.
 */
export function routesBeside(path: string, own: readonly KubeObject[], project: Project, parse: (path: string, text: string) => readonly KubeObject[]): HttpRouteObject[] {
  const routes = own.filter((o): o is HttpRouteObject => o.object === 'httproute');
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  for (const p of project.list(dir)) {
    if (p === path || !/\.ya?ml$/i.test(p)) continue;
    const text = project.read(p);
    if (text === undefined || !text.includes('HTTPRoute')) continue;
    for (const o of parse(p, text)) if (o.object === 'httproute') routes.push(o);
  }
  return routes;
}
