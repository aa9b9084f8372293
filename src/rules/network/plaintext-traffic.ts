import { terraformPlaintext } from '../../analysis/network/terraform-tls.js';
import type { Rule } from '../../core/types.js';
import type { TerraformDoc } from '../../parsers/terraform.js';

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
  title: 'Traffic can flow unencrypted',
  severity: 'medium',
  area: 'network',
  summary:
    'Terraform: an `aws_lb_listener`/`aws_alb_listener` serves HTTP without redirecting to HTTPS, a listener `ssl_policy` accepts TLS 1.0/1.1, ' +
    'or a CloudFront distribution allows plain HTTP (`viewer_protocol_policy = "allow-all"`) or viewers below TLS 1.2.',
  rationale:
    'Plain HTTP can be read and changed by anyone on the path (a café network, a compromised router): sessions and credentials are taken, pages are ' +
    'rewritten. HTTPS must be forced, not offered: a listener that forwards HTTP to the application serves every page in the clear to whoever types ' +
    'the address without `https://`. TLS 1.0 and 1.1 are deprecated (RFC 8996). AWS\'s `ELBSecurityPolicy-2016-08`, the default when Terraform ' +
    'creates a listener, still accepts both; only a policy that is written out is reported. An HTTP listener whose default action is a fixed ' +
    'response serves nothing in the clear and passes; one on an internal load balancer (`internal = true`, declared in the same file) ' +
    'is reached from inside the network only and is reported at low confidence, without blocking.',
  fix:
    'Make the HTTP listener\'s default action a redirect to HTTPS (`status_code = "HTTP_301"`), set `ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"`, ' +
    'and use `viewer_protocol_policy = "redirect-to-https"` with `minimum_protocol_version = "TLSv1.2_2021"` in CloudFront.',
  references: [
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html',
    'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html',
    'https://www.rfc-editor.org/rfc/rfc8996 (TLS 1.0 and 1.1 deprecated)',
  ],
  examples: { bad: [...TERRAFORM_BAD], good: [...TERRAFORM_GOOD] },
  reads: ['terraform'],
  check(doc, ctx) {
    if (doc.format === 'terraform') for (const e of terraformPlaintext(doc, ctx)) ctx.report(e);
  },
} satisfies Rule<TerraformDoc>;
