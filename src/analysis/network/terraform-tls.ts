import type { CheckContext } from '../../core/types.js';
import { type TerraformDoc, type TfBlock } from '../../parsers/terraform.js';
import { attrSpan as at, referencedResource, resourceName as name, resourcesOf } from './terraform-query.js';
import type { Exposure } from './terraform-exposure.js';
import { attrScalar, moduleSymbols, type Symbols } from './terraform-values.js';

/**
 * AWS security policies that still accept TLS 1.0 or 1.1, after AWS's table of ALB/NLB policies
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html): the dated
 * policies (`ELBSecurityPolicy-2016-08`, the default when the API creates a listener, and older), `FS-2018-06`,
 * `TLS-1-0-*`, `TLS-1-1-*`, `FS-1-1-*`, and the TLS 1.3 ones whose minimum is 1.0 or 1.1 (`TLS13-1-0-*`, `TLS13-1-1-*`).
 */
const OLD_TLS_POLICY = /^ELBSecurityPolicy-(20\d\d-\d\d|FS-2018-06|TLS-1-[01]-|FS-1-1-|TLS13-1-[01]-)/i;
/** CloudFront viewer minimums below TLS 1.2 (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html). */
const OLD_VIEWER_TLS = new Set(['sslv3', 'tlsv1', 'tlsv1_2016', 'tlsv1.1_2016']);

/** Traffic a load balancer or CloudFront distribution lets flow unencrypted or over TLS 1.0/1.1. */
export function terraformPlaintext(doc: TerraformDoc, ctx: CheckContext<unknown>): Exposure[] {
  const sym = moduleSymbols(doc, ctx.path, ctx.project);
  const out: Exposure[] = [];
  for (const l of resourcesOf(doc, ['aws_lb_listener', 'aws_alb_listener'])) out.push(...listener(l, sym, doc));
  for (const d of resourcesOf(doc, ['aws_cloudfront_distribution'])) {
    for (const b of d.blocks.filter((x) => x.type === 'default_cache_behavior' || x.type === 'ordered_cache_behavior')) {
      const policy = attrScalar(b, 'viewer_protocol_policy', sym);
      if (policy?.value.toLowerCase() !== 'allow-all') continue;
      out.push({
        message: `${name(d)} serves viewers over plain HTTP (\`viewer_protocol_policy = "allow-all"\` in ${b.type}): set it to "redirect-to-https" (or "https-only").`,
        at: at(b, 'viewer_protocol_policy'),
        confidence: policy.confidence,
      });
    }
    for (const c of d.blocks.filter((x) => x.type === 'viewer_certificate')) {
      const min = attrScalar(c, 'minimum_protocol_version', sym);
      if (!min || !OLD_VIEWER_TLS.has(min.value.toLowerCase())) continue;
      out.push({ message: `${name(d)} accepts viewers on ${min.value.slice(0, 40)} (TLS 1.0/1.1 or older): set \`minimum_protocol_version = "TLSv1.2_2021"\`.`, at: at(c, 'minimum_protocol_version'), confidence: min.confidence });
    }
  }
  return out;
}


function listener(l: TfBlock, sym: Symbols, doc: TerraformDoc): Exposure[] {
  const protocol = attrScalar(l, 'protocol', sym);
  const policy = attrScalar(l, 'ssl_policy', sym);
  if (policy && OLD_TLS_POLICY.test(policy.value)) {
    return [{ message: `${name(l)} uses \`ssl_policy = "${policy.value.slice(0, 80)}"\`, which accepts TLS 1.0/1.1: use ELBSecurityPolicy-TLS13-1-2-2021-06 (TLS 1.2 and 1.3).`, at: at(l, 'ssl_policy'), confidence: policy.confidence }];
  }
  // an application load balancer's listener is HTTP when it names no protocol and has no certificate; a protocol that
  // is not a literal (a function, a ternary) may be anything
  const written = l.attributes.some((a) => a.name === 'protocol');
  if (written && !protocol) return [];
  const http = protocol ? protocol.value.toUpperCase() === 'HTTP' : !l.attributes.some((a) => a.name === 'certificate_arn');
  if (!http) return [];
  const actions = l.blocks.filter((b) => b.type === 'default_action');
  // a redirect to HTTPS, or a fixed answer (a 403, a "use HTTPS" page), serves nothing in the clear
  const safe = actions.some((a) => {
    const type = attrScalar(a, 'type', sym)?.value.toLowerCase();
    if (type === 'fixed-response') return true;
    const redirect = a.blocks.find((b) => b.type === 'redirect');
    return (type === 'redirect' || (!type && redirect)) && attrScalar(redirect ?? a, 'protocol', sym)?.value.toUpperCase() !== 'HTTP';
  });
  if (safe || actions.some((a) => a.dynamic)) return [];
  const unknownType = actions.some((a) => !attrScalar(a, 'type', sym));
  // an internal load balancer (declared in this file) is reached from inside the VPC only: reported, not blocking
  const lb = referencedResource(l, ['load_balancer_arn'], ['aws_lb', 'aws_alb'], doc);
  const internal = lb !== undefined && attrScalar(lb, 'internal', sym)?.value === 'true';
  return [{
    message:
      `${name(l)} serves plain HTTP${protocol ? '' : ' (no protocol: HTTP is the default)'}${internal ? ` on an internal load balancer (${name(lb)})` : ''} without redirecting to HTTPS: ` +
      'make its default action a redirect (`type = "redirect"`, `protocol = "HTTPS"`, `status_code = "HTTP_301"`) and serve the site on an HTTPS listener.',
    at: protocol ? at(l, 'protocol') : l.head,
    confidence: unknownType || !protocol || internal ? 'low' : protocol.confidence,
  }];
}
