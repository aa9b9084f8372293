import { workloadContainers } from '../../analysis/workloads.js';
import type { Rule } from '../../core/types.js';
import type { WorkloadDoc } from '../../parsers/workload.js';

export default {
  id: 'privileged-container',
  title: 'Container runs privileged',
  severity: 'high',
  area: 'containers',
  summary:
    'A compose service sets `privileged: true`, or a Kubernetes container or init container sets `securityContext.privileged: true`.',
  rationale:
    'A privileged container gets every capability, every host device and no seccomp or AppArmor confinement: root in it is root on the ' +
    'node. Loading a kernel module, mounting the host disk or writing to `/sys` are one command away, so any bug in the application ' +
    'or its dependencies becomes a host compromise. A Dockerfile cannot ask for privileges, so this rule reads compose files and manifests only.',
  fix:
    'Remove `privileged: true`. Grant only the capability the workload needs (`cap_add: [NET_BIND_SERVICE]`, ' +
    '`securityContext.capabilities.add`), pass the one device it uses (`devices:`), and keep tools that really need the host ' +
    '(CNI, storage or monitoring agents) in their own reviewed namespace with a Pod Security admission exemption.',
  references: [
    'https://docs.docker.com/reference/compose-file/services/#privileged',
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
    'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
    'CIS Docker Benchmark 5.4 (ensure that privileged containers are not used)',
  ],
  examples: {
    bad: [
      { path: 'docker-compose.yml', text: 'services:\n  agent:\n    image: portainer/agent:2.21\n    privileged: true\n', line: 4 },
      {
        path: 'k8s/deployment.yaml',
        text:
          'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: node-agent\nspec:\n  template:\n    spec:\n      initContainers:\n' +
          '        - name: setup\n          image: busybox:1.36\n          securityContext:\n            privileged: true\n' +
          '      containers:\n        - name: agent\n          image: example/agent:1.0\n',
        line: 12,
      },
    ],
    good: [
      {
        path: 'compose.yaml',
        text: 'services:\n  web:\n    image: nginx:1.27\n    privileged: false\n    cap_add: [NET_BIND_SERVICE]\n',
      },
      {
        path: 'k8s/deployment.yaml',
        text:
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n' +
          '      securityContext:\n        privileged: false\n        allowPrivilegeEscalation: false\n',
      },
    ],
  },
  reads: ['workload'],
  check(doc, ctx) {
    for (const { container, where } of workloadContainers(doc)) {
      if (container.privileged?.value !== true) continue;
      const [key, add] = doc.format === 'compose' ? ['privileged: true', 'cap_add:'] : ['securityContext.privileged: true', 'securityContext.capabilities.add'];
      ctx.report({
        message: `${where} runs privileged (\`${key}\`), with every capability and device of the host: remove it and add only the capabilities it needs under \`${add}\`.`,
        at: container.privileged.span,
      });
    }
  },
} satisfies Rule<WorkloadDoc>;
