import { capabilityName, workloadContainers } from '../../analysis/workloads.js';
import type { Rule } from '../../core/types.js';
import type { WorkloadDoc } from '../../parsers/workload.js';

/**
 * Capabilities reported when added, written without `CAP_` (matched in any case, with or without the prefix),
 * and what each gives. Others that deserve review (`SYS_RAWIO`, `SYS_BOOT`, `BPF`, `PERFMON`) are not in the default list.
 */
export const DANGEROUS_CAPABILITIES: Readonly<Record<string, string>> = {
  ALL: 'every capability, as good as privileged',
  SYS_ADMIN: 'mount filesystems, use namespaces and much more: the usual path out of a container',
  NET_ADMIN: 'reconfigure interfaces, routes and firewall rules of the network namespace',
  SYS_PTRACE: 'trace and inject code into other processes it can see',
  SYS_MODULE: 'load kernel modules: kernel code execution on the host',
  DAC_READ_SEARCH: 'read any file by handle, bypassing permissions (the "shocker" escape)',
};

export default {
  id: 'dangerous-capabilities',
  title: 'Container adds a dangerous Linux capability',
  severity: 'high',
  area: 'containers',
  summary:
    'A compose `cap_add` or a Kubernetes `securityContext.capabilities.add` grants `ALL`, `SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE`, ' +
    '`SYS_MODULE` or `DAC_READ_SEARCH` (with or without the `CAP_` prefix, in any case).',
  rationale:
    'Capabilities split root\'s power into pieces; these pieces are the ones that let a process leave the container or take over the ' +
    'host: `SYS_ADMIN` allows mounts and most known container escapes, `SYS_MODULE` loads kernel code, `DAC_READ_SEARCH` reads host files ' +
    'by handle, `SYS_PTRACE` injects into other processes, `NET_ADMIN` rewrites the network, and `ALL` is all of them.',
  fix:
    'Drop the capability. Start from `cap_drop: [ALL]` in compose or `securityContext.capabilities.drop: ["ALL"]` in Kubernetes, and add back only narrow ones the process ' +
    'needs, such as `NET_BIND_SERVICE`; for what needs `SYS_ADMIN` (FUSE, nested containers), look for a rootless alternative or a ' +
    'dedicated, reviewed node.',
  references: [
    'https://man7.org/linux/man-pages/man7/capabilities.7.html',
    'https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities',
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
    'CIS Docker Benchmark 5.3 (ensure that Linux kernel capabilities are restricted within containers)',
  ],
  examples: {
    bad: [
      { path: 'docker-compose.yml', text: 'services:\n  vpn:\n    image: example/vpn:1.0\n    cap_add:\n      - NET_ADMIN\n', line: 5 },
      {
        path: 'k8s/deployment.yaml',
        text:
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  containers:\n    - name: debug\n      image: busybox:1.36\n' +
          '      securityContext:\n        capabilities:\n          add: ["cap_sys_admin"]\n',
        line: 11,
      },
    ],
    good: [
      {
        path: 'compose.yaml',
        text: 'services:\n  web:\n    image: nginx:1.27\n    cap_drop: [ALL]\n    cap_add: [NET_BIND_SERVICE, CHOWN]\n',
      },
      {
        path: 'k8s/deployment.yaml',
        text:
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n' +
          '      securityContext:\n        capabilities:\n          drop: ["ALL"]\n          add: ["NET_BIND_SERVICE"]\n',
      },
    ],
  },
  reads: ['workload'],
  check(doc, ctx) {
    for (const { container, where } of workloadContainers(doc)) {
      for (const cap of container.capAdd) {
        const name = capabilityName(cap.value);
        const gives = DANGEROUS_CAPABILITIES[name];
        if (gives === undefined) continue;
        ctx.report({
          message:
            doc.format === 'compose'
              ? `${where} adds the ${name} capability (${gives}): remove it from \`cap_add:\`, start from \`cap_drop: [ALL]\` and add back only narrow capabilities.`
              : `${where} adds the ${name} capability (${gives}): remove it from \`securityContext.capabilities.add\`, start from \`capabilities.drop: ["ALL"]\` and add back only narrow capabilities.`,
          at: cap.span,
        });
      }
    }
  },
} satisfies Rule<WorkloadDoc>;
