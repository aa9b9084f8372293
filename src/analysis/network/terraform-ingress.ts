import { isWorldCidr } from '../admin-ports.js';
import type { Confidence, Span } from '../../core/types.js';
import { type TerraformDoc, type TfBlock, type TfValue } from '../../parsers/terraform.js';
import { attr as get, resourceName as name, resourcesOf } from './terraform-query.js';
import { resolve, scalar, type Symbols, weaker } from './terraform-values.js';

/**
 * Firewall rules that let the whole internet in, from the five resources the clouds write them with: AWS security
 * groups (inline `ingress`, `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule`), GCP
 * `google_compute_firewall` and Azure network security rules (standalone or inline `security_rule`). Only a source
 * that is the world is kept: a rule narrowed to any other range is never reported. ICMP has no ports and is left out.
 */
export interface WorldIngress {
  /** `aws_security_group.web`. */
  resource: string;
  /** The world source as written (`0.0.0.0/0`, `::/0`, `*`, `Internet`). */
  source: string;
  /** Where the world source is written (or used, through a local or variable). */
  at: Span;
  /** The port ranges opened; `all` for every port (protocol `-1`/`all`, `*`, no ports); `unknown` when not a literal. */
  ports: { from: number; to: number }[] | 'all' | 'unknown';
  confidence: Confidence;
}

/** What a GCP ingress rule with no source admits. */
export const DEFAULT_SOURCE = 'no source';
const AZURE_WORLD = new Set(['*', 'internet', 'any']);
const ICMP = new Set(['icmp', 'icmpv6', '1', '58']);
const ALL_PROTOCOLS = new Set(['-1', 'all', '*']);

/** Every world-reachable ingress the document declares. */
export function worldIngress(doc: TerraformDoc, sym: Symbols): WorldIngress[] {
  const out: WorldIngress[] = [];
  for (const r of resourcesOf(doc, ['aws_security_group'])) {
    for (const rule of [...r.blocks.filter((b) => b.type === 'ingress'), ...listed(r, 'ingress', sym)]) {
      out.push(...aws(rule, name(r), sym, ['cidr_blocks', 'ipv6_cidr_blocks'], rule.dynamic));
    }
  }
  for (const r of resourcesOf(doc, ['aws_security_group_rule'])) {
    if (scalar(get(r, 'type'), sym)?.value.toLowerCase() === 'ingress') out.push(...aws(r, name(r), sym, ['cidr_blocks', 'ipv6_cidr_blocks'], false));
  }
  for (const r of resourcesOf(doc, ['aws_vpc_security_group_ingress_rule'])) out.push(...aws(r, name(r), sym, ['cidr_ipv4', 'cidr_ipv6'], false, 'ip_protocol'));
  for (const r of resourcesOf(doc, ['google_compute_firewall'])) out.push(...gcp(r, name(r), sym));
  for (const r of resourcesOf(doc, ['azurerm_network_security_rule'])) out.push(...azure(r, name(r), sym, false));
  for (const r of resourcesOf(doc, ['azurerm_network_security_group'])) {
    for (const rule of r.blocks.filter((b) => b.type === 'security_rule')) out.push(...azure(rule, name(r), sym, rule.dynamic));
  }
  return out;
}

/** The world items of a source list (or lone source) attribute, each with its span and confidence. */
function worldSources(v: TfValue | undefined, sym: Symbols, world: (s: string) => boolean): { source: string; at: Span; confidence: Confidence }[] {
  const r = resolve(v, sym);
  if (!r) return [];
  const items = r.value.kind === 'tuple' ? r.value.items : [r.value];
  return items.flatMap((item) => {
    const s = scalar(item, sym);
    // an item from a list variable's default has no span of its own there: point at the use
    const at = r.value.kind === 'tuple' && v?.kind !== 'tuple' ? v!.span : item.span;
    return s && world(s.value) ? [{ source: s.value, at, confidence: weaker(s.confidence, r.confidence) }] : [];
  });
}

function aws(b: TfBlock, resource: string, sym: Symbols, sources: string[], dynamic: boolean, protoAttr = 'protocol'): WorldIngress[] {
  const found = sources.flatMap((a) => worldSources(get(b, a), sym, isWorldCidr));
  if (found.length === 0) return [];
  const proto = scalar(get(b, protoAttr), sym);
  if (proto && ICMP.has(proto.value.toLowerCase())) return [];
  let ports: WorldIngress['ports'];
  let confidence: Confidence = dynamic ? 'low' : 'high';
  if (proto && ALL_PROTOCOLS.has(proto.value.toLowerCase())) ports = 'all';
  else {
    const from = scalar(get(b, 'from_port'), sym);
    const to = scalar(get(b, 'to_port'), sym) ?? from;
    const [f, t] = [Number(from?.value), Number(to?.value)];
    if (!from || !to || !Number.isInteger(f) || !Number.isInteger(t) || !proto) ports = 'unknown';
    else {
      ports = f <= 0 && t >= 65535 ? 'all' : [{ from: f, to: t }];
      confidence = weaker(confidence, weaker(from.confidence, weaker(to.confidence, proto.confidence)));
    }
  }
  if (ports === 'unknown') confidence = 'low';
  return found.map((s) => ({ resource, source: s.source, at: s.at, ports, confidence: weaker(confidence, s.confidence) }));
}

/** `"22"`, `"1000-2000"`, `22`; `*` is every port. */
function portRange(s: string): { from: number; to: number } | 'all' | undefined {
  if (s.trim() === '*') return 'all';
  const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(s);
  return m ? { from: Number(m[1]), to: Number(m[2] ?? m[1]) } : undefined;
}

/** Port strings to ranges; `unknown` when one is not a literal. */
function ranges(values: TfValue[], sym: Symbols): WorldIngress['ports'] {
  const out: { from: number; to: number }[] = [];
  for (const v of values) {
    const s = scalar(v, sym);
    const r = s ? portRange(s.value) : undefined;
    if (r === 'all') return 'all';
    if (!r) return 'unknown';
    out.push(r);
  }
  return out;
}

function gcp(r: TfBlock, resource: string, sym: Symbols): WorldIngress[] {
  const direction = scalar(get(r, 'direction'), sym)?.value.toUpperCase() ?? 'INGRESS';
  if (direction !== 'INGRESS' || scalar(get(r, 'disabled'), sym)?.value === 'true') return [];
  let found = worldSources(get(r, 'source_ranges'), sym, isWorldCidr);
  // an ingress rule that names no source at all applies to every IPv4 address (GCP's default source is 0.0.0.0/0)
  const sources = ['source_ranges', 'source_tags', 'source_service_accounts'];
  if (!r.attributes.some((a) => sources.includes(a.name)) && !r.blocks.some((b) => b.dynamic)) found = [{ source: DEFAULT_SOURCE, at: r.head, confidence: 'high' }];
  if (found.length === 0) return [];
  const out: WorldIngress[] = [];
  for (const allow of r.blocks.filter((b) => b.type === 'allow')) {
    const proto = scalar(get(allow, 'protocol'), sym)?.value.toLowerCase();
    if (proto && ICMP.has(proto)) continue;
    const list = resolve(get(allow, 'ports'), sym)?.value;
    // no ports: every port of the protocol
    let ports: WorldIngress['ports'] = proto === 'all' || !list ? 'all' : list.kind === 'tuple' ? ranges(list.items, sym) : 'unknown';
    if (!proto) ports = 'unknown';
    const confidence: Confidence = allow.dynamic || ports === 'unknown' ? 'low' : 'high';
    out.push(...found.map((s) => ({ resource, source: s.source, at: s.at, ports, confidence: weaker(confidence, s.confidence) })));
  }
  return out;
}

function azure(b: TfBlock, resource: string, sym: Symbols, dynamic: boolean): WorldIngress[] {
  if (scalar(get(b, 'direction'), sym)?.value.toLowerCase() !== 'inbound' || scalar(get(b, 'access'), sym)?.value.toLowerCase() !== 'allow') return [];
  const world = (s: string) => isWorldCidr(s) || AZURE_WORLD.has(s.toLowerCase());
  const found = [...worldSources(get(b, 'source_address_prefix'), sym, world), ...worldSources(get(b, 'source_address_prefixes'), sym, world)];
  if (found.length === 0) return [];
  const proto = scalar(get(b, 'protocol'), sym)?.value.toLowerCase();
  if (proto === 'icmp') return [];
  const single = get(b, 'destination_port_range');
  const many = resolve(get(b, 'destination_port_ranges'), sym)?.value;
  const values = single ? [single] : many?.kind === 'tuple' ? many.items : [];
  const ports: WorldIngress['ports'] = values.length === 0 ? 'unknown' : ranges(values, sym);
  const confidence: Confidence = dynamic || ports === 'unknown' ? 'low' : 'high';
  return found.map((s) => ({ resource, source: s.source, at: s.at, ports, confidence: weaker(confidence, s.confidence) }));
}

/** `ingress = [{ … }, …]`: the list form of the nested blocks (Terraform's "attributes as blocks"), one block per object. */
function listed(r: TfBlock, attribute: string, sym: Symbols): TfBlock[] {
  const list = resolve(get(r, attribute), sym)?.value;
  if (list?.kind !== 'tuple') return [];
  return list.items.flatMap((item) =>
    item.kind === 'object'
      ? [{ type: attribute, labels: [], attributes: item.entries.map((e) => ({ name: e.key, value: e.value, span: e.value.span })), blocks: [], dynamic: false, head: item.span, span: item.span }]
      : [],
  );
}
