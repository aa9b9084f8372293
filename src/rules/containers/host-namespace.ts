import type { Rule } from '../../core/types.js';
import type { WorkloadDoc } from '../../parsers/workload.js';

/** What sharing each host namespace exposes, for messages. */
const EXPOSES: Record<string, { compose: string; kubernetes: string; what: string }> = {
  network: {
    compose: 'network_mode: host',
    kubernetes: 'hostNetwork: true',
    what: "the host's network: it can bind any host port, reach services listening on localhost and sniff host traffic",
  },
  pid: {
    compose: 'pid: host',
    kubernetes: 'hostPID: true',
    what: "the host's processes: it can see every process, read their environment and signal or trace them",
  },
  ipc: {
    compose: 'ipc: host',
    kubernetes: 'hostIPC: true',
    what: "the host's IPC: it can read and write shared memory of host processes",
  },
  user: {
    compose: 'userns_mode: host',
    kubernetes: 'hostUsers: true',
    what: "the host's user namespace: root in the container is root on the host even where the daemon remaps users",
  },
};

export default {
  id: 'host-namespace',
  title: 'Container shares a host namespace',
  severity: 'high',
  area: 'containers',
  summary:
    'A compose service sets `network_mode`, `pid`, `ipc` or `userns_mode` to `host`, or a Kubernetes pod sets `hostNetwork`, `hostPID` or ' +
    '`hostIPC: true`. Each setting is one finding.',
  rationale:
    'Namespaces are what keeps a container from seeing the host. With the host network it reaches every service bound to the node\'s ' +
    'localhost (kubelet, cloud metadata proxies, databases) and can listen on any port; with the host PID namespace it sees and can ' +
    'signal or trace every process on the node and read their environment (secrets included); with host IPC it shares memory segments ' +
    'with them. Each removes one wall between an exploited application and the host.',
  fix:
    'Remove the setting and publish the ports the service needs (`ports:` in compose, a Service in Kubernetes). Node-level agents that ' +
    'truly need a host namespace belong in their own namespace, reviewed and exempted from the Pod Security `baseline` level explicitly.',
  references: [
    'https://docs.docker.com/reference/compose-file/services/#network_mode',
    'https://docs.docker.com/reference/compose-file/services/#pid',
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
    'CIS Docker Benchmark 5.10, 5.16, 5.17 (host network, process and IPC namespaces are not shared)',
  ],
  examples: {
    bad: [
      { path: 'docker-compose.yml', text: 'services:\n  app:\n    image: example/app:1.0\n    network_mode: host\n    pid: host\n', line: 4 },
      {
        path: 'k8s/deployment.yaml',
        text:
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      hostPID: true\n' +
          '      containers:\n        - name: api\n          image: example/api:1.0\n',
        line: 8,
      },
    ],
    good: [
      { path: 'compose.yaml', text: 'services:\n  app:\n    image: example/app:1.0\n    network_mode: bridge\n    ports:\n      - "127.0.0.1:8080:80"\n' },
      {
        path: 'k8s/deployment.yaml',
        text:
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  hostNetwork: false\n  containers:\n    - name: web\n      image: nginx:1.27\n',
      },
    ],
  },
  reads: ['workload'],
  check(doc, ctx) {
    for (const pod of doc.pods) {
      for (const ns of pod.hostNamespaces) {
        const known = EXPOSES[ns.value];
        const setting = known ? known[doc.format] : `${ns.value}: host`;
        const what = known ? known.what : `the host's ${ns.value} namespace`;
        ctx.report({ message: `${pod.label} shares ${what} (\`${setting}\`): remove it.`, at: ns.span });
      }
    }
  },
} satisfies Rule<WorkloadDoc>;
