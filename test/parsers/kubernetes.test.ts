import { describe, expect, it } from 'vitest';
import type { Notice } from '../../src/core/types.js';
import { makeUnit } from '../../src/parsers/index.js';
import type { WorkloadDoc } from '../../src/parsers/workload.js';
import { isHelmTemplate } from '../../src/parsers/workloads/index.js';
import { parseWorkloadFile } from '../support/workload.js';

const parse = parseWorkloadFile;

function k8s(path: string, text: string): WorkloadDoc {
  const { doc, notices } = parse(path, text);
  expect(notices).toEqual([]);
  expect(doc?.format).toBe('kubernetes');
  expect(doc?.builds).toEqual([]);
  return doc!;
}

const span = (line: number, column: number, endLine: number, endColumn: number) => ({ line, column, endLine, endColumn });

const MULTI = `apiVersion: v1
kind: ConfigMap
metadata:
  name: api-config
data:
  LOG_LEVEL: info
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: {app: api}
spec:
  replicas: 2
  template:
    metadata:
      labels: {app: api}
    spec:
      hostNetwork: true
      hostPID: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
      volumes:
        - name: docker
          hostPath:
            path: /var/run/docker.sock
        - name: tmp
          emptyDir: {}
      containers:
        - name: api
          image: ghcr.io/acme/api:1.4.2
          env:
            - name: DB_PASSWORD
              value: s3cret
            - name: TOKEN
              valueFrom:
                secretKeyRef: {name: api, key: token}
            - name: URL
              value: $(BASE_URL)
          ports:
            - containerPort: 8080
            - containerPort: 9090
              hostPort: 9090
              hostIP: 127.0.0.1
          volumeMounts:
            - name: docker
              mountPath: /var/run/docker.sock
            - name: tmp
              mountPath: /tmp
          securityContext:
            privileged: true
            allowPrivilegeEscalation: true
            runAsUser: 0
            capabilities:
              add: ["NET_ADMIN", SYS_TIME]
        - name: sidecar
          image: envoyproxy/envoy:v1.30.1
---
# empty document
`;

describe('Kubernetes manifests', () => {
  it('are not parsed without apiVersion and kind', () => {
    expect(parse('k8s/notes.yaml', 'kind: x\nfoo: bar\n')).toEqual({ doc: undefined, notices: [], parsed: false });
    expect(parse('mkdocs.yml', 'site_name: Docs\nnav:\n  - Home: index.md\ntheme:\n  name: material\n')).toEqual({ doc: undefined, notices: [], parsed: false });
  });

  it('are undefined, with no notice, when no document is a workload nor a network or RBAC object', () => {
    const r = parse('k8s/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: y}\n');
    expect(r.doc).toBeUndefined();
    expect(r.notices).toEqual([]);
    const service = parse('k8s/svc.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\napiVersion: v1\nkind: Service\nspec:\n  ports: [{port: 80}]\n');
    expect(service.doc?.pods).toEqual([]);
    expect(service.doc?.objects?.map((o) => o.object)).toEqual(['service']);
    const issue = parse('.github/ISSUE_TEMPLATE/bug.yml', 'name: Bug\ndescription: File a bug\nbody:\n  - type: input\n    attributes:\n      label: kind\n');
    expect(issue).toEqual({ doc: undefined, notices: [], parsed: false });
  });

  const doc = k8s('k8s/api.yaml', MULTI);
  const pod = doc.pods[0]!;
  const [api, sidecar] = pod.containers;

  it('reads each workload of a multi-document file, labelled kind/name, at its kind line', () => {
    expect(doc.pods).toHaveLength(1);
    expect(pod.label).toBe('Deployment/api');
    expect(pod.span).toEqual(span(9, 1, 9, 17));
    expect(pod.hostNamespaces).toEqual([{ value: 'network', span: span(19, 7, 19, 24) }]);
    expect(pod.containers.map((c) => [c.name, c.role])).toEqual([['api', 'container'], ['sidecar', 'container']]);
  });

  it('reads the container and its security context, the container overriding the pod', () => {
    expect(api!.span).toEqual(span(31, 11, 56, 43));
    expect(api!.image).toEqual({ value: 'ghcr.io/acme/api:1.4.2', span: span(32, 18, 32, 40) });
    expect(api!.securityContextSpan).toEqual(span(52, 13, 56, 43));
    expect(api!.privileged).toEqual({ value: true, span: span(52, 25, 52, 29) });
    expect(api!.allowPrivilegeEscalation).toEqual({ value: true, span: span(53, 39, 53, 43) });
    expect(api!.user).toEqual({ value: '0', span: span(54, 24, 54, 25) });
    expect(api!.runAsNonRoot).toEqual({ value: true, span: span(22, 23, 22, 27) });
    expect(api!.capAdd).toEqual([
      { value: 'NET_ADMIN', span: span(56, 21, 56, 32) },
      { value: 'SYS_TIME', span: span(56, 34, 56, 42) },
    ]);
  });

  it('gives containers without a security context the pod defaults and their own span as fix location', () => {
    expect(sidecar!.user).toEqual({ value: '1000', span: span(23, 20, 23, 24) });
    expect(sidecar!.runAsNonRoot?.value).toBe(true);
    expect(sidecar!.privileged).toBeUndefined();
    expect(sidecar!.securityContextSpan).toEqual(span(57, 11, 58, 42));
  });

  it('reads env literals and references', () => {
    expect(api!.env).toEqual([
      { name: 'DB_PASSWORD', value: 's3cret', span: span(34, 15, 35, 28), valueSpan: span(35, 22, 35, 28) },
      { name: 'TOKEN', span: span(36, 15, 38, 54) },
      { name: 'URL', span: span(39, 15, 40, 33), valueSpan: span(40, 22, 40, 33) },
    ]);
  });

  it('reads container and host ports', () => {
    expect(api!.ports).toEqual([
      { container: 8080, span: span(42, 15, 42, 34) },
      { container: 9090, host: 9090, hostIp: '127.0.0.1', span: span(43, 15, 45, 32) },
    ]);
  });

  it('joins hostPath volumes with the mounts of each container', () => {
    expect(api!.hostMounts).toEqual([{ source: '/var/run/docker.sock', target: '/var/run/docker.sock', span: span(27, 19, 27, 39) }]);
    expect(sidecar!.hostMounts).toEqual([]);
  });

  it('finds the pod spec of every workload kind, init and ephemeral containers included', () => {
    const text = `apiVersion: v1
kind: List
items:
  - apiVersion: batch/v1
    kind: CronJob
    metadata: {name: backup}
    spec:
      schedule: "0 3 * * *"
      jobTemplate:
        spec:
          template:
            spec:
              hostIPC: true
              containers:
                - name: backup
                  image: restic/restic:0.16.4
  - apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: db}
    spec:
      template:
        spec:
          initContainers:
            - name: chown
              image: busybox:1.36
              securityContext: {runAsUser: 0}
          containers:
            - name: db
              image: postgres:16
  - apiVersion: v1
    kind: Pod
    metadata: {name: debug}
    spec:
      containers: [{name: main, image: alpine}]
      ephemeralContainers: [{name: dbg, image: busybox}]
  - apiVersion: v1
    kind: Service
    metadata: {name: db}
`;
    const d = k8s('deploy/all.yml', text);
    expect(d.pods.map((p) => [p.label, p.span])).toEqual([
      ['CronJob/backup', span(5, 5, 5, 18)],
      ['StatefulSet/db', span(18, 5, 18, 22)],
      ['Pod/debug', span(31, 5, 31, 14)],
    ]);
    expect(d.pods[0]!.hostNamespaces).toEqual([{ value: 'ipc', span: span(13, 15, 13, 28) }]);
    expect(d.pods[1]!.containers.map((c) => [c.name, c.role, c.user?.value])).toEqual([['chown', 'initContainer', '0'], ['db', 'container', undefined]]);
    expect(d.pods[2]!.containers.map((c) => [c.name, c.role])).toEqual([['main', 'container'], ['dbg', 'ephemeralContainer']]);
  });

  it('reads DaemonSet, Job, ReplicaSet, ReplicationController and PodTemplate', () => {
    const kinds = ['DaemonSet', 'Job', 'ReplicaSet', 'ReplicationController'];
    const text = kinds.map((k) => `apiVersion: v1\nkind: ${k}\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: i}]\n`).join('---\n')
      + '---\napiVersion: v1\nkind: PodTemplate\ntemplate:\n  spec:\n    containers: [{name: c, image: i}]\n';
    expect(k8s('k.yaml', text).pods.map((p) => p.label)).toEqual([...kinds.map((k) => `${k}/x`), 'PodTemplate']);
  });

  it('resolves anchors and merge keys', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - &base\n      name: a\n      image: nginx:1.25\n      securityContext: {privileged: true}\n    - <<: *base\n      name: b\n';
    const d = k8s('pod.yaml', text);
    expect(d.pods[0]!.containers.map((c) => [c.name, c.image?.value, c.privileged?.value])).toEqual([['a', 'nginx:1.25', true], ['b', 'nginx:1.25', true]]);
  });
});

describe('Helm templates', () => {
  const tpl = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
spec:
  template:
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          {{- with .Values.securityContext }}
          securityContext: {{- toYaml . | nindent 12 }}
          {{- end }}
`;

  it('are not parsed, with one short notice per file', () => {
    const r = parse('charts/app/templates/deployment.yaml', tpl);
    expect(r.doc).toBeUndefined();
    expect(r.parsed).toBe(false);
    expect(r.notices).toEqual([{ path: 'charts/app/templates/deployment.yaml', message: expect.stringMatching(/^Helm template not scanned: /) }]);
  });

  it('are recognised by Helm actions anywhere, or any {{ under templates/', () => {
    expect(isHelmTemplate('deploy/x.yaml', tpl)).toBe(true);
    expect(isHelmTemplate('templates/pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: "{{ name }}"}\n')).toBe(true);
    expect(isHelmTemplate('k8s/pod.yaml', 'apiVersion: v1\nkind: Pod\n')).toBe(false);
  });

  it('leave a non-workload file under templates/ without notice', () => {
    expect(parse('charts/app/templates/NOTES.txt.yaml', 'Visit {{ .Values.url }}\n')).toEqual({ doc: undefined, notices: [], parsed: false });
  });
});

describe('through the parser registry', () => {
  it('every YAML file that is not a workflow gets a workload document when it is one', () => {
    const notices: Notice[] = [];
    const unit = makeUnit('deploy/k8s/pod.yml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: alpine}]\n', notices);
    expect(unit.kinds).toContain('workload');
    expect((unit.document('workload') as WorkloadDoc).pods[0]!.label).toBe('Pod/p');
    expect(makeUnit('mkdocs.yml', 'site_name: x\n', notices).document('workload')).toBeUndefined();
    expect(notices).toEqual([]);
  });
});
