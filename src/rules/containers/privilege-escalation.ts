import { isKustomizePatch } from '../../analysis/kustomize.js';
import { capabilityName, workloadContainers } from '../../analysis/workloads.js';
import type { Rule } from '../../core/types.js';
import type { WorkloadDoc } from '../../parsers/workload.js';

export default {
  id: 'privilege-escalation',
  title: 'Kubernetes container allows privilege escalation',
  severity: 'medium',
  area: 'containers',
  summary:
    'A Kubernetes container or init container sets `securityContext.allowPrivilegeEscalation: true`, or sets it to `false` while privileged ' +
    'or adding `SYS_ADMIN` (which always allows escalation), or leaves it unset with no securityContext hardening at all. One finding per container.',
  rationale:
    'Unless `allowPrivilegeEscalation` is `false`, Kubernetes leaves the `no_new_privs` flag off, so a setuid binary in the image ' +
    '(`su`, `sudo`, `ping` on older images) or file capabilities can give a compromised process more privileges than the container ' +
    'started with. The default is to allow it, so a container that says nothing and hardens nothing else (no runAsNonRoot, non-zero ' +
    'runAsUser, readOnlyRootFilesystem, dropped capabilities or seccomp/AppArmor/SELinux profile, at pod or container level) is reported; ' +
    'one that hardens something was written with security in mind and is not. A Kustomize patch (listed by a kustomization beside or ' +
    'above it) and a container without an image (a fragment) hold only what they change, so what they leave out is not reported. A ' +
    'privileged container or one with `SYS_ADMIN` always allows escalation. The severity is medium at most. Compose services are not reported: `security_opt: [no-new-privileges:true]` is rarely set ' +
    'and the daemon can enforce it for all containers (`"no-new-privileges": true` in daemon.json), so its absence says little.',
  fix:
    'Set `allowPrivilegeEscalation: false` in each container\'s `securityContext` (it has no pod-level form), together with ' +
    '`capabilities: {drop: ["ALL"]}` and `runAsNonRoot: true`, as the Pod Security `restricted` level requires.',
  references: [
    'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
    'https://www.kernel.org/doc/html/latest/userspace-api/no_new_privs.html',
  ],
  examples: {
    bad: [
      {
        path: 'k8s/deployment.yaml',
        text:
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n' +
          '        - name: api\n          image: example/api:1.0\n          securityContext:\n            allowPrivilegeEscalation: true\n',
        line: 12,
      },
      {
        path: 'k8s/deployment.yaml',
        text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n',
        line: 7,
      },
    ],
    good: [
      {
        path: 'k8s/deployment.yaml',
        text:
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  initContainers:\n    - name: init\n      image: busybox:1.36\n' +
          '      securityContext: {allowPrivilegeEscalation: false}\n  containers:\n    - name: web\n      image: nginx:1.27\n' +
          '      securityContext:\n        allowPrivilegeEscalation: false\n        capabilities: {drop: ["ALL"]}\n',
      },
      { path: 'docker-compose.yml', text: 'services:\n  web:\n    image: nginx:1.27\n' },
    ],
  },
  reads: ['workload'],
  check(doc, ctx) {
    if (doc.format !== 'kubernetes') return;
    // a Kustomize patch holds only what it changes: what it leaves out is its base's
    const patch = isKustomizePatch(ctx.project, ctx.path);
    for (const { container, where } of workloadContainers(doc)) {
      const ape = container.allowPrivilegeEscalation;
      const sysAdmin = container.capAdd.find((c) => ['SYS_ADMIN', 'ALL'].includes(capabilityName(c.value)));
      const forced = container.privileged?.value === true ? container.privileged : sysAdmin;
      const cause = container.privileged?.value === true ? 'is privileged' : `adds ${sysAdmin ? capabilityName(sysAdmin.value) : ''}`;
      if (ape?.value === false) {
        if (forced)
          ctx.report({
            message: `${where} sets \`allowPrivilegeEscalation: false\` but ${cause}, which always allows escalation (Kubernetes rejects the combination): remove it.`,
            at: forced.span,
          });
        continue;
      }
      const why = forced ? ` and ${cause}, which always allows escalation` : '';
      if (ape) {
        ctx.report({ message: `${where} sets \`allowPrivilegeEscalation: true\`${why}: set it to \`false\` so setuid binaries cannot raise privileges.`, at: ape.span });
        continue;
      }
      // Unset is reported only for a whole container (with an image, not a patch) whose securityContext hardens nothing.
      if (container.hardened || patch || !container.image) continue;
      ctx.report({
        message: `${where} has no \`securityContext\` hardening at all, and \`allowPrivilegeEscalation\` is not \`false\` (the default allows escalation)${why}: add \`allowPrivilegeEscalation: false\` to the container's \`securityContext\`.`,
        at: container.securityContextSpan ?? container.span,
      });
    }
  },
} satisfies Rule<WorkloadDoc>;
