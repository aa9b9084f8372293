import { describe, expect, it } from 'vitest';
import type { Finding, Report, Span } from '../../src/core/types.js';
import type { ContainerSpec, PodSpec, WorkloadDoc } from '../../src/parsers/workload.js';
import dangerousCapabilities, { DANGEROUS_CAPABILITIES } from '../../src/rules/containers/dangerous-capabilities.js';
import dockerSocketMount from '../../src/rules/containers/docker-socket-mount.js';
import hostNamespace from '../../src/rules/containers/host-namespace.js';
import latestImageTag from '../../src/rules/containers/latest-image-tag.js';
import privilegeEscalation from '../../src/rules/containers/privilege-escalation.js';
import privilegedContainer from '../../src/rules/containers/privileged-container.js';
import runsAsRoot from '../../src/rules/containers/runs-as-root.js';
import secretInEnv from '../../src/rules/containers/secret-in-env.js';
import unpinnedImage from '../../src/rules/containers/unpinned-image.js';
import { scanFiles } from '../../src/scan.js';

const RULES = [
  dangerousCapabilities,
  dockerSocketMount,
  hostNamespace,
  latestImageTag,
  privilegeEscalation,
  privilegedContainer,
  runsAsRoot,
  secretInEnv,
  unpinnedImage,
];
const DIGEST = 'sha256:' + '0123456789abcdef'.repeat(4);

function scan(path: string, text: string, only?: string): Finding[] {
  const { findings } = scanFiles({ [path]: text }, { rules: RULES });
  return only ? findings.filter((f) => f.ruleId === only) : findings;
}
const compose = (text: string, only?: string) => scan('docker-compose.yml', text, only);
const k8s = (text: string, only?: string) => scan('k8s/deployment.yaml', text, only);
const lines = (fs: Finding[]) => fs.map((f) => f.line);
const at = (f: Finding) => [f.line, f.column, f.endLine, f.endColumn];

/** A pod whose spec lines are given (indented for `spec:`), as a Deployment. */
const deployment = (name: string, podSpec: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n${podSpec}`;

const SECURE = `      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
      containers:
        - name: app
          image: example/app:1.0@${DIGEST}
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
`;

describe('workload rules on a hardened manifest and compose file', () => {
  it('stay silent', () => {
    expect(k8s(deployment('api', SECURE))).toEqual([]);
    expect(compose(`services:\n  app:\n    image: example/app:1.0@${DIGEST}\n    user: "10001"\n    cap_drop: [ALL]\n`)).toEqual([]);
  });
});

describe('privileged-container', () => {
  it('reports compose privileged: true on the value', () => {
    const [f] = compose('services:\n  agent:\n    image: a/b:1\n    privileged: true\n', 'privileged-container');
    expect(at(f!)).toEqual([4, 17, 4, 21]);
    expect(f!.message).toContain('service agent');
  });

  it('reports Kubernetes containers and init containers, not privileged: false', () => {
    const text = deployment(
      'agent',
      '      initContainers:\n        - name: setup\n          image: a/b:1\n          securityContext: {privileged: true}\n' +
        '      containers:\n        - name: main\n          image: a/c:1\n          securityContext:\n            privileged: false\n',
    );
    const fs = k8s(text, 'privileged-container');
    expect(lines(fs)).toEqual([11]);
    expect(fs[0]!.message).toContain('Deployment/agent init container setup');
  });
});

describe('docker-socket-mount', () => {
  it('reports compose short and long syntax, docker and containerd sockets, and /var/run as medium', () => {
    const text =
      'services:\n  ci:\n    image: a/b:1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n' +
      '      - type: bind\n        source: /run/containerd/containerd.sock/\n        target: /c.sock\n' +
      '      - /var/run:/host/run\n      - ./data:/data\n      - named:/cache\n';
    const fs = compose(text, 'docker-socket-mount');
    expect(fs.map((f) => [f.line, f.confidence])).toEqual([
      [5, 'high'],
      [6, 'high'],
      [9, 'medium'],
    ]);
  });

  it('reports a Kubernetes hostPath of the socket on the volume path, once per container', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  containers:\n    - name: one\n      image: a/b:1\n' +
      '      volumeMounts: [{name: sock, mountPath: /var/run/docker.sock}]\n    - name: two\n      image: a/c:1\n' +
      '      volumeMounts: [{name: sock, mountPath: /s}, {name: logs, mountPath: /l}]\n  volumes:\n' +
      '    - name: sock\n      hostPath: {path: /var/run/crio/crio.sock}\n    - name: logs\n      hostPath: {path: /var/log}\n';
    const fs = k8s(text, 'docker-socket-mount');
    expect(lines(fs)).toEqual([15, 15]);
    expect(fs.map((f) => f.message.split(' mounts')[0])).toEqual(['Pod/b container one', 'Pod/b container two']);
  });
});

describe('host-namespace', () => {
  it('reports each compose namespace setting set to host, on the setting', () => {
    const text = 'services:\n  a:\n    image: a/b:1\n    network_mode: host\n    pid: host\n    ipc: shareable\n    userns_mode: host\n';
    const fs = compose(text, 'host-namespace');
    expect(fs.map((f) => at(f))).toEqual([
      [4, 5, 4, 23],
      [5, 5, 5, 14],
      [7, 5, 7, 22],
    ]);
    expect(fs[0]!.message).toContain('network_mode: host');
  });

  it('reports hostNetwork, hostPID and hostIPC: true in Kubernetes, not false', () => {
    const text = deployment('n', '      hostNetwork: true\n      hostPID: false\n      hostIPC: true\n      containers:\n        - name: a\n          image: a/b:1\n');
    const fs = k8s(text, 'host-namespace');
    expect(lines(fs)).toEqual([8, 10]);
    expect(fs.map((f) => f.message)).toEqual([expect.stringContaining('hostNetwork: true'), expect.stringContaining('hostIPC: true')]);
  });
});

describe('dangerous-capabilities', () => {
  it('matches the default list in any case, with or without CAP_, and only those', () => {
    const text = 'services:\n  a:\n    image: a/b:1\n    cap_add: [cap_sys_admin, NET_BIND_SERVICE, SYS_PTRACE, all, CHOWN]\n';
    const fs = compose(text, 'dangerous-capabilities');
    expect(fs.map((f) => f.message.split(' (')[0])).toEqual([
      'service a adds the SYS_ADMIN capability',
      'service a adds the SYS_PTRACE capability',
      'service a adds the ALL capability',
    ]);
    expect(Object.keys(DANGEROUS_CAPABILITIES)).toEqual(['ALL', 'SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE', 'SYS_MODULE', 'DAC_READ_SEARCH']);
  });

  it('reads Kubernetes capabilities.add of init containers', () => {
    const text = deployment(
      'c',
      '      initContainers:\n        - name: i\n          image: a/b:1\n          securityContext:\n            capabilities:\n              add: [SYS_MODULE]\n' +
        '      containers:\n        - name: a\n          image: a/b:1\n          securityContext: {capabilities: {add: [DAC_READ_SEARCH], drop: [SYS_ADMIN]}}\n',
    );
    expect(lines(k8s(text, 'dangerous-capabilities'))).toEqual([13, 17]);
  });
});

describe('privilege-escalation', () => {
  it('reports a Kubernetes container that does not set it false and hardens nothing, once, on the best span', () => {
    const text = deployment(
      'p',
      '      containers:\n        - name: unset\n          image: a/b:1\n' +
        '        - name: no-context\n          image: a/b:1\n          securityContext: {runAsNonRoot: true}\n' +
        '        - name: explicit\n          image: a/b:1\n          securityContext:\n            allowPrivilegeEscalation: true\n            privileged: true\n' +
        '        - name: fine\n          image: a/b:1\n          securityContext: {allowPrivilegeEscalation: false}\n',
    );
    const fs = k8s(text, 'privilege-escalation');
    // `no-context` runs as non-root: written with security in mind, it is not reported for leaving the flag unset
    expect(lines(fs)).toEqual([9, 17]);
    expect(at(fs[1]!)).toEqual([17, 39, 17, 43]);
    expect(fs[1]!.message).toContain('is privileged, which always allows escalation');
  });

  it('reports allowPrivilegeEscalation: false that SYS_ADMIN overrides, on the capability', () => {
    const text = deployment(
      'p',
      '      containers:\n        - name: a\n          image: a/b:1\n          securityContext:\n            allowPrivilegeEscalation: false\n' +
        '            capabilities: {add: [CAP_SYS_ADMIN]}\n',
    );
    const fs = k8s(text, 'privilege-escalation');
    expect(lines(fs)).toEqual([13]);
    expect(fs[0]!.message).toContain('adds SYS_ADMIN');
  });

  it('does not read compose files', () => {
    expect(compose('services:\n  a:\n    image: a/b:1\n    privileged: true\n', 'privilege-escalation')).toEqual([]);
  });
});

describe('unpinned-image and latest-image-tag on workloads', () => {
  it('raise at most one of the two per compose image, and skip what a service builds', () => {
    const text =
      `services:\n  a:\n    image: redis\n  b:\n    image: redis:latest\n  c:\n    image: redis:7.4\n  d:\n    image: redis:7.4@${DIGEST}\n` +
      '  e:\n    build: .\n    image: example/e\n  f:\n    image: ${F_IMAGE}\n  g:\n    image: ${G_IMAGE:-nginx:1.27}\n  h:\n    image: app:${TAG}\n';
    const fs = compose(text).filter((f) => f.ruleId === 'latest-image-tag' || f.ruleId === 'unpinned-image');
    expect(fs.map((f) => [f.line, f.ruleId, f.confidence])).toEqual([
      [3, 'latest-image-tag', 'high'],
      [5, 'latest-image-tag', 'high'],
      [7, 'unpinned-image', 'high'],
      [16, 'unpinned-image', 'low'],
      [18, 'unpinned-image', 'medium'],
    ]);
    expect(fs[2]!.message).toBe(
      'service c image: redis:7.4 is not pinned by digest: write `image: redis:7.4@sha256:<digest>` (the tag kept for readability, the digest makes it immutable)',
    );
  });

  it('read Kubernetes containers and init containers, spanning the image value', () => {
    const text = deployment(
      'w',
      '      initContainers:\n        - name: migrate\n          image: example/migrate\n' +
        '      containers:\n        - name: api\n          image: "ghcr.io/org/api:2.1"\n',
    );
    const fs = k8s(text).filter((f) => f.ruleId === 'latest-image-tag' || f.ruleId === 'unpinned-image');
    expect(fs.map((f) => [f.ruleId, ...at(f)])).toEqual([
      ['latest-image-tag', 10, 18, 10, 33],
      ['unpinned-image', 13, 18, 13, 39],
    ]);
    expect(fs[0]!.message).toContain('Deployment/w init container migrate image: example/migrate has no tag');
  });
});

describe('runs-as-root on workloads', () => {
  it('reports compose user root or 0 only, never a missing user', () => {
    const text =
      'services:\n  a:\n    image: a/b:1\n    user: root\n  b:\n    image: a/b:1\n    user: "0:0"\n  c:\n    image: a/b:1\n' +
      '    user: root:wheel\n  d:\n    image: a/b:1\n    user: "1000"\n  e:\n    image: a/b:1\n';
    const fs = compose(text, 'runs-as-root');
    expect(fs.map((f) => [f.line, f.confidence])).toEqual([
      [4, 'high'],
      [7, 'high'],
      [10, 'high'],
    ]);
  });

  it('applies pod-level defaults and container overrides', () => {
    const text = deployment(
      'r',
      '      securityContext:\n        runAsUser: 0\n      initContainers:\n        - name: init\n          image: a/b:1\n' +
        '      containers:\n        - name: own-user\n          image: a/b:1\n          securityContext: {runAsUser: 1000}\n' +
        '        - name: non-root\n          image: a/b:1\n          securityContext: {runAsNonRoot: true}\n' +
        '        - name: not-non-root\n          image: a/b:1\n          securityContext: {runAsNonRoot: false}\n',
    );
    const fs = k8s(text, 'runs-as-root');
    expect(fs.map((f) => [f.line, f.confidence, f.message.split(' runs')[0]!.split(' allows')[0]])).toEqual([
      [9, 'high', 'Deployment/r init container init'],
      [9, 'high', 'Deployment/r container not-non-root'],
    ]);
  });

  it('reports an unset user with medium confidence on the securityContext, except for known non-root images', () => {
    const text = deployment(
      'm',
      '      containers:\n        - name: a\n          image: a/b:1\n          securityContext:\n            readOnlyRootFilesystem: true\n' +
        '        - name: b\n          image: gcr.io/distroless/static-debian12:nonroot\n' +
        '        - name: c\n          image: a/b:1\n          securityContext: {runAsNonRoot: false, runAsUser: 1000}\n',
    );
    const fs = k8s(text, 'runs-as-root');
    expect(fs.map((f) => [f.line, f.confidence])).toEqual([[12, 'medium']]);
  });
});

describe('secret-in-env on workloads', () => {
  const TOKEN = 'ghp_' + 'Zx9Yw8Vu7T'.repeat(3) + 'Zx9Yw8';
  const PASSWORD = 'hunter2-Correct-Horse';

  it('reports compose map and list forms, skips references, placeholders, settings and bare names', () => {
    const text =
      'services:\n  a:\n    image: a/b:1\n    environment:\n' +
      `      DB_PASSWORD: ${PASSWORD}\n      API_TOKEN: \${API_TOKEN}\n      AUTH_ENABLED: "true"\n      SECRET_KEY: changeme\n` +
      `      GITHUB: ${TOKEN}\n` +
      '  b:\n    image: a/b:1\n    environment:\n' +
      `      - CLIENT_SECRET=${PASSWORD}\n      - SESSION_SECRET\n      - PASSWORD_FILE=/run/secrets/pw\n      - POSTGRES_PASSWORD=postgres\n`;
    const fs = compose(text, 'secret-in-env');
    expect(fs.map((f) => [f.line, f.severity])).toEqual([
      [5, 'critical'],
      [9, 'critical'],
      [13, 'critical'],
      [16, 'medium'],
    ]);
    expect(fs[1]!.message).toContain('GitHub token');
  });

  it('reports Kubernetes env[].value of init containers, not valueFrom or $(VAR)', () => {
    const text = deployment(
      's',
      '      initContainers:\n        - name: init\n          image: a/b:1\n          env:\n' +
        `            - name: DB_PASSWORD\n              value: "${PASSWORD}"\n` +
        '      containers:\n        - name: a\n          image: a/b:1\n          env:\n' +
        '            - name: DB_PASSWORD\n              valueFrom: {secretKeyRef: {name: db, key: pw}}\n' +
        '            - name: API_TOKEN\n              value: $(DB_PASSWORD)\n' +
        `            - name: NOTES\n              value: ${TOKEN}\n`,
    );
    const fs = k8s(text, 'secret-in-env');
    expect(fs.map((f) => f.line)).toEqual([12, 22]);
  });

  it('never lets a value substring longer than 4 characters into the findings', () => {
    const text =
      `services:\n  a:\n    image: a/b:1\n    environment:\n      DB_PASSWORD: ${PASSWORD}\n      X: ${TOKEN}\n---\n` +
      deployment('x', `      containers:\n        - name: a\n          image: a/b:1\n          env: [{name: API_KEY, value: ${PASSWORD}}]\n`);
    const both = [
      ...compose(text.split('---\n')[0]!, 'secret-in-env'),
      ...k8s(text.split('---\n')[1]!, 'secret-in-env'),
    ];
    expect(both).toHaveLength(3);
    const json = JSON.stringify(both);
    for (const secret of [PASSWORD, TOKEN])
      for (let i = 0; i + 5 <= secret.length; i++) expect(json).not.toContain(secret.slice(i, i + 5));
  });
});

describe('file shapes', () => {
  it('reads every workload of a multi-document file and of a List', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n---\n' +
      'apiVersion: v1\nkind: Pod\nmetadata: {name: one}\nspec:\n  hostPID: true\n  containers: [{name: a, image: "a/b:1"}]\n---\n' +
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: batch/v1\n    kind: CronJob\n    metadata: {name: two}\n' +
      '    spec:\n      schedule: "@daily"\n      jobTemplate:\n        spec:\n          template:\n            spec:\n' +
      '              containers:\n                - name: b\n                  image: a/b:1\n                  securityContext: {privileged: true}\n';
    const fs = k8s(text).filter((f) => f.ruleId === 'host-namespace' || f.ruleId === 'privileged-container');
    expect(fs.map((f) => [f.ruleId, f.line])).toEqual([
      ['host-namespace', 10],
      ['privileged-container', 28],
    ]);
    expect(fs[1]!.message).toContain('CronJob/two container b');
  });

  it('follows compose anchors and merge keys', () => {
    const text =
      'x-base: &base\n  image: example/app:1.0\n  privileged: true\n  cap_add: [SYS_ADMIN]\n  environment: &env\n    DB_PASSWORD: s3cr3t-value-1234\n' +
      'services:\n  web:\n    <<: *base\n  worker:\n    <<: *base\n    privileged: false\n    environment: *env\n';
    const fs = compose(text).filter((f) => ['privileged-container', 'dangerous-capabilities', 'secret-in-env'].includes(f.ruleId));
    expect(fs.map((f) => [f.ruleId, f.line, f.message.split(' ')[1]])).toEqual([
      ['privileged-container', 3, 'web'],
      ['dangerous-capabilities', 4, 'web'],
      ['dangerous-capabilities', 4, 'worker'],
      ['secret-in-env', 6, 'web'],
      ['secret-in-env', 6, 'worker'],
    ]);
    expect(new Set(fs.map((f) => f.fingerprint)).size).toBe(fs.length);
  });
});

describe('rule logic on a hand-built WorkloadDoc', () => {
  const span = (line: number): Span => ({ line, column: 1, endLine: line, endColumn: 10 });
  const container = (over: Partial<ContainerSpec>): ContainerSpec => ({
    name: 'c',
    role: 'container',
    span: span(1),
    capAdd: [],
    env: [],
    ports: [],
    hostMounts: [],
    ...over,
  });
  const doc = (format: WorkloadDoc['format'], c: ContainerSpec, pod: Partial<PodSpec> = {}): WorkloadDoc => ({
    format,
    path: 'x.yaml',
    pods: [{ label: 'Pod/p', span: span(1), hostNamespaces: [], containers: [c], ...pod }],
    builds: [],
  });
  const run = (rule: { check(d: WorkloadDoc, ctx: never): void; options?: { defaults: unknown } }, d: WorkloadDoc): Report[] => {
    const out: Report[] = [];
    const project = { has: () => false, read: () => undefined, list: () => [] };
    const ctx = { path: d.path, project, report: (r: Report) => out.push(r), options: rule.options?.defaults ?? {} };
    rule.check(d, ctx as never);
    return out;
  };

  it('socket paths: trailing slashes, doubled slashes and a ${VAR:-default} source', () => {
    const mounts = ['//var/run//docker.sock', '${SOCK:-/var/run/docker.sock}', '/var/run/docker.sock.bak', '/run/podman/podman.sock'];
    const reports = run(dockerSocketMount, doc('compose', container({ hostMounts: mounts.map((source, i) => ({ source, span: span(i + 2) })) })));
    expect(reports.map((r) => [r.at.line, r.confidence])).toEqual([
      [2, 'high'],
      [3, 'medium'],
      [5, 'high'],
    ]);
  });

  it('host-namespace names the setting of each format', () => {
    const ns = { hostNamespaces: [{ value: 'pid', span: span(3) }] };
    expect(run(hostNamespace, doc('kubernetes', container({}), ns))[0]!.message).toContain('hostPID: true');
    expect(run(hostNamespace, doc('compose', container({}), ns))[0]!.message).toContain('pid: host');
  });

  it('runs-as-root: a non-numeric runAsUser is low confidence', () => {
    const reports = run(runsAsRoot, doc('kubernetes', container({ user: { value: 'app', span: span(4) } })));
    expect(reports.map((r) => [r.at.line, r.confidence])).toEqual([[4, 'low']]);
  });
});
