import type { Report } from '../../core/types.js';
import type { KubeObject, PolicyRuleSpec, RoleObject } from '../../parsers/workloads/kube-objects.js';
import { objectLabel } from './kubernetes-exposure.js';

const READS = new Set(['get', 'list', 'watch', '*']);
const ESCALATING = ['escalate', 'bind', 'impersonate'];
/** Groups every user, or every anonymous request, belongs to. */
const EVERYONE = new Set(['system:authenticated', 'system:unauthenticated', 'system:anonymous']);

/** What one rule of a role grants beyond least privilege, in words; empty when nothing. */
function overreach(role: RoleObject, rule: PolicyRuleSpec): string[] {
  const verbs = rule.verbs.map((v) => v.value.trim().toLowerCase());
  const resources = rule.resources.map((r) => r.value.trim());
  if (resources.length === 0) return []; // nonResourceURLs only (`/metrics`, `/healthz`)
  const out: string[] = [];
  if (verbs.includes('*')) out.push('every verb (`*`)');
  if (resources.includes('*')) out.push(`every resource (\`*\`)${rule.apiGroups.includes('*') ? ' of every API group' : ''}`);
  if (role.clusterwide && resources.includes('secrets') && verbs.some((v) => READS.has(v))) out.push('reading Secrets');
  const escalating = ESCALATING.filter((v) => verbs.includes(v));
  if (escalating.length > 0) out.push(`\`${escalating.join('`, `')}\` (a way to gain more rights than the role holds)`);
  return out;
}

/**
 * Whether a role is what a controller shipped in the same manifest runs with: a binding there grants it to a ServiceAccount
 * that a workload there uses. An operator's install manifest needs its broad rights to work (argo-cd applies any manifest,
 * cert-manager writes Secrets), so the role is reported for review at low confidence: it never blocks on its own.
 */
function controllerGrant(role: RoleObject, objects: readonly KubeObject[]): string | undefined {
  const accounts = new Set(objects.flatMap((o) => (o.object === 'workload' && o.serviceAccount ? [o.serviceAccount] : [])));
  for (const b of objects) {
    if (b.object !== 'binding' || b.roleRef.name.value !== role.name || b.roleRef.kind !== role.kind) continue;
    const sa = b.subjects.find((s) => s.kind === 'ServiceAccount' && accounts.has(s.name));
    if (sa) return sa.name;
  }
  return undefined;
}

/**
 * Roles that grant wildcards, cluster-wide Secret reads or escalation verbs (medium), and bindings of `cluster-admin` to
 * a ServiceAccount or to every user (high). Built-in `system:` roles and aggregated roles (whose rules the control plane
 * fills in) are skipped.
 */
export function rbacReports(objects: readonly KubeObject[]): Report[] {
  const out: Report[] = [];
  for (const o of objects) {
    if (o.object === 'role') {
      if (o.aggregated || o.name?.startsWith('system:')) continue;
      const controller = controllerGrant(o, objects);
      for (const rule of o.rules) {
        const reasons = overreach(o, rule);
        if (reasons.length === 0) continue;
        const scope = o.clusterwide ? 'in every namespace' : 'in its namespace';
        const why = controller ? ` It is the role of ServiceAccount ${controller}, which a workload of this manifest runs as: check that the controller needs it.` : '';
        out.push({
          message: `${objectLabel(o)} grants ${reasons.join(', ')} ${scope}: list the verbs and resources the subject needs instead.${why}`,
          at: rule.span,
          confidence: controller ? 'low' : 'high',
        });
      }
    } else if (o.object === 'binding' && o.roleRef.kind === 'ClusterRole' && o.roleRef.name.value === 'cluster-admin') {
      for (const s of o.subjects) {
        const everyone = s.kind === 'Group' || s.kind === 'User' ? EVERYONE.has(s.name) : false;
        if (s.kind !== 'ServiceAccount' && !everyone) continue;
        const who = everyone ? `the group ${s.name} (every ${s.name === 'system:authenticated' ? 'signed-in user' : 'anonymous request'})` : `ServiceAccount ${s.namespace ? `${s.namespace}/` : ''}${s.name}`;
        out.push({
          message: `${objectLabel(o)} makes ${who} cluster-admin: anyone who controls it owns the whole cluster. Bind a ClusterRole (or a Role) that lists only what it needs.`,
          at: s.span,
          severity: 'high',
          confidence: 'high',
          related: [{ at: o.roleRef.name.span, label: 'the cluster-admin role it binds' }],
        });
      }
    }
  }
  return out;
}
