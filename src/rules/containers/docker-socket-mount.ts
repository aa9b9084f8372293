import { workloadContainers } from '../../analysis/workloads.js';
import type { Confidence, Rule } from '../../core/types.js';
import type { WorkloadDoc } from '../../parsers/workload.js';

/** Host paths of container runtime sockets, and directories that hold them. */
export const RUNTIME_SOCKETS: readonly string[] = [
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/run/docker',
  '/run/docker',
  '/run/containerd/containerd.sock',
  '/var/run/containerd/containerd.sock',
  '/run/containerd',
  '/var/run/containerd',
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
  '/var/run/crio',
  '/run/crio',
  '/run/podman/podman.sock',
  '/var/run/podman/podman.sock',
  '/var/run/cri-dockerd.sock',
  '/run/cri-dockerd.sock',
];
/** The whole run directory holds every socket above: reported with medium confidence. */
const RUN_DIRS = new Set(['/var/run', '/run']);

/** The host path without a trailing slash, `//` or a compose `${VAR:-default}` wrapper (the default is the path). */
function hostPath(source: string): { path: string; viaVariable: boolean } {
  const def = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-(.+)\}$/.exec(source.trim());
  const raw = def ? def[1]! : source.trim();
  return { path: raw.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1'), viaVariable: def !== null };
}

export default {
  id: 'docker-socket-mount',
  title: 'Container runtime socket mounted into a container',
  severity: 'high',
  area: 'containers',
  summary:
    'A compose volume or a Kubernetes `hostPath` mounts the Docker socket (`/var/run/docker.sock`) or another container runtime socket ' +
    '(containerd, CRI-O, Podman) into a container.',
  rationale:
    'Whoever can talk to the runtime socket can start a privileged container with the host filesystem mounted: the socket is root on the ' +
    'host, whatever user, capabilities or read-only flag (`:ro` does not stop API calls) the container has. A compromised process in the ' +
    'container, or in a CI job that runs there, takes the host and every other container on it. Mounting all of `/var/run` or `/run` ' +
    'exposes the same sockets and is reported with medium confidence.',
  fix:
    'Remove the mount. For builds, use rootless BuildKit, Kaniko or the CI runner\'s own Docker service; for monitoring, an agent that ' +
    'reads the runtime API through a filtering proxy (e.g. docker-socket-proxy allowing only GET on containers); for Kubernetes, the API ' +
    'server with a narrowly scoped ServiceAccount instead of the node\'s runtime.',
  references: [
    'https://docs.docker.com/engine/security/#docker-daemon-attack-surface',
    'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
    'https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html#rule-1-do-not-expose-the-docker-daemon-socket-even-to-the-containers',
    'CIS Docker Benchmark 5.32 (ensure that the Docker socket is not mounted inside any containers)',
  ],
  examples: {
    bad: [
      {
        path: 'docker-compose.yml',
        text: 'services:\n  watchtower:\n    image: containrrr/watchtower:1.7.1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n',
        line: 5,
      },
      {
        path: 'k8s/deployment.yaml',
        text:
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: builder\nspec:\n  containers:\n    - name: dind\n      image: docker:27\n' +
          '      volumeMounts:\n        - name: sock\n          mountPath: /var/run/docker.sock\n  volumes:\n    - name: sock\n' +
          '      hostPath:\n        path: /var/run/docker.sock\n        type: Socket\n',
        line: 15,
      },
    ],
    good: [
      {
        path: 'compose.yaml',
        text: 'services:\n  app:\n    image: example/app:1.0\n    volumes:\n      - ./data:/data\n      - cache:/var/cache\nvolumes:\n  cache: {}\n',
      },
      {
        path: 'k8s/deployment.yaml',
        text:
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: logs\nspec:\n  containers:\n    - name: shipper\n      image: fluent/fluent-bit:3.1\n' +
          '      volumeMounts:\n        - name: logs\n          mountPath: /var/log\n  volumes:\n    - name: logs\n      hostPath:\n        path: /var/log\n',
      },
    ],
  },
  reads: ['workload'],
  check(doc, ctx) {
    const seen = new Set<string>();
    for (const { container, where } of workloadContainers(doc)) {
      for (const mount of container.hostMounts) {
        const { path, viaVariable } = hostPath(mount.source);
        const socket = RUNTIME_SOCKETS.includes(path);
        if (!socket && !RUN_DIRS.has(path)) continue;
        const key = `${where}\0${mount.span.line}:${mount.span.column}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const confidence: Confidence = socket && !viaVariable ? 'high' : 'medium';
        const what = socket ? `the container runtime socket ${path}` : `${path}, which holds the container runtime sockets`;
        ctx.report({
          message: `${where} mounts ${what} from the host${mount.target ? ` at ${mount.target}` : ''}: that gives root on the host; remove ${doc.format === 'compose' ? 'the `volumes:` entry' : 'the `hostPath` volume'} or use a filtering proxy.`,
          at: mount.span,
          confidence,
        });
      }
    }
  },
} satisfies Rule<WorkloadDoc>;
