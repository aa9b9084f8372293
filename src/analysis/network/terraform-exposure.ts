import type { CheckContext, Confidence, Span } from '../../core/types.js';
import type { TerraformDoc } from '../../parsers/terraform.js';
import { adminPortsIn, WEB_PORTS } from '../admin-ports.js';
import { DEFAULT_SOURCE, worldIngress, type WorldIngress } from './terraform-ingress.js';
import { moduleSymbols } from './terraform-values.js';

/** What the Terraform branch of a network rule reports (the rule passes it to `ctx.report`). */
export interface Exposure {
  message: string;
  at: Span;
  confidence: Confidence;
}

const range = (p: { from: number; to: number }): string => (p.from === p.to ? `port ${p.from}` : `ports ${p.from}-${p.to}`);
const who = (w: WorldIngress): string => {
  if (w.source === DEFAULT_SOURCE) return `${w.resource} names no source, so it lets every address in (GCP's default source is 0.0.0.0/0)`;
  return `${w.resource} lets ${w.source === '*' || /internet/i.test(w.source) ? `any address (\`${w.source}\`)` : `the whole internet (\`${w.source}\`)`} in`;
};

function ingressOf(doc: TerraformDoc, ctx: CheckContext<unknown>): WorldIngress[] {
  return worldIngress(doc, moduleSymbols(doc, ctx.path, ctx.project));
}

/** World ingress that reaches an administration or database port (every port counts: it includes SSH). */
export function terraformAdminExposures(doc: TerraformDoc, ctx: CheckContext<unknown>, list: Readonly<Record<number, string>>): Exposure[] {
  return ingressOf(doc, ctx).flatMap((w) => {
    if (w.ports === 'unknown') return [];
    const hits = w.ports === 'all' ? adminPortsIn(0, 65535, list) : w.ports.flatMap((p) => adminPortsIn(p.from, p.to, list));
    if (hits.length === 0) return [];
    const named = hits.slice(0, 3).map((h) => `${h.port} (${h.service})`).join(', ') + (hits.length > 3 ? '…' : '');
    const single = w.ports !== 'all' && w.ports.every((p) => p.from === p.to);
    const what = w.ports === 'all' ? `on every port, including ${named}` : single ? `to port ${named}` : `to ${w.ports.map(range).join(', ')}, which include ${named}`;
    return [{ message: `${who(w)} ${what}. Narrow the source to the addresses that administer it, or reach it through a VPN, bastion or the cloud's session manager.`, at: w.at, confidence: w.confidence }];
  });
}

/** World ingress to any other port than 80/443 (`exposed-admin-port` takes the ones with an admin port in them). */
export function terraformOpenPorts(doc: TerraformDoc, ctx: CheckContext<unknown>): Exposure[] {
  return ingressOf(doc, ctx).flatMap((w) => {
    if (w.ports === 'unknown') {
      return [{ message: `${who(w)} on ports the gate cannot read (not a literal): make sure only 80/443 are open to the world.`, at: w.at, confidence: 'low' as const }];
    }
    const open = w.ports === 'all' ? [{ from: 0, to: 65535 }] : w.ports.filter((p) => !(p.from === p.to && WEB_PORTS.has(p.from)));
    if (open.length === 0) return [];
    const what = w.ports === 'all' ? 'on every port' : `to ${open.map(range).join(', ')}`;
    return [{ message: `${who(w)} ${what}: only 80/443 should be open to the world. Narrow the source to the networks that need it, or put the service behind a load balancer.`, at: w.at, confidence: w.confidence }];
  });
}
