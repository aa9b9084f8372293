import { isMap, type Node } from 'yaml';
import type { ContainerSpec, EnvSpec, Located, PodSpec, PortSpec } from '../workload.js';
import type { Reader } from './nodes.js';

/** Both keys at the start of a line somewhere in the text: the cheap test before parsing. */
export const LOOKS_LIKE_KUBERNETES = /^[ \t-]*apiVersion[ \t]*:/m;
export const HAS_KIND = /^[ \t-]*kind[ \t]*:/m;

/** Where the pod spec sits in each workload kind. */
export const POD_SPEC_PATH: Readonly<Record<string, string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  PodTemplate: ['template', 'spec'],
};

const ROLES: [string, ContainerSpec['role']][] = [
  ['initContainers', 'initContainer'],
  ['containers', 'container'],
  ['ephemeralContainers', 'ephemeralContainer'],
];

const HOST_NAMESPACES: Record<string, string> = { hostNetwork: 'network', hostPID: 'pid', hostIPC: 'ipc' };

/** The pods of every workload object in one YAML document (a `List`'s items included). */
export function kubernetesPods(r: Reader): PodSpec[] {
  const out: PodSpec[] = [];
  const visit = (node: Node | undefined, depth: number) => {
    const obj = r.entries(node);
    const kind = obj.get('kind');
    const kindName = r.str(kind?.value)?.value;
    if (!kind || kindName === undefined || !obj.has('apiVersion')) return;
    if (/List$/.test(kindName) && depth < 4) {
      for (const item of r.items(obj.get('items')?.value)) visit(item, depth + 1);
      return;
    }
    const path = POD_SPEC_PATH[kindName];
    if (!path) return;
    const spec = r.get(node, ...path);
    if (!isMap(spec)) return;
    const name = r.str(r.get(node, 'metadata', 'name'))?.value;
    out.push(pod(r, spec, name ? `${kindName}/${name}` : kindName, r.pairSpan(kind)));
  };
  visit(r.resolve(r.doc.contents), 0);
  return out;
}

function pod(r: Reader, spec: Node, label: string, span: PodSpec['span']): PodSpec {
  const fields = r.entries(spec);
  const hostNamespaces: Located[] = [];
  for (const [key, ns] of Object.entries(HOST_NAMESPACES)) {
    const e = fields.get(key);
    if (e && r.bool(e.value)?.value === true) hostNamespaces.push({ value: ns, span: r.pairSpan(e) });
  }
  const podSc = fields.get('securityContext')?.value;
  const podNonRoot = r.bool(r.get(podSc, 'runAsNonRoot'));
  const podUser = r.str(r.get(podSc, 'runAsUser'));
  const podHardened = hardens(r, podSc);

  const hostPaths = new Map<string, Located>();
  for (const v of r.items(fields.get('volumes')?.value)) {
    const name = r.str(r.get(v, 'name'))?.value;
    const path = r.str(r.get(v, 'hostPath', 'path'));
    if (name !== undefined && path) hostPaths.set(name, path);
  }

  const containers: ContainerSpec[] = [];
  for (const [key, role] of ROLES) {
    for (const item of r.items(fields.get(key)?.value)) {
      if (!isMap(item)) continue;
      const itemSpan = r.span(item);
      const scNode = r.get(item, 'securityContext');
      const c: ContainerSpec = {
        name: r.str(r.get(item, 'name'))?.value ?? '',
        role,
        span: itemSpan,
        capAdd: [],
        env: [],
        ports: [],
        hostMounts: [],
        securityContextSpan: scNode ? r.span(scNode) : itemSpan,
      };
      const image = r.str(r.get(item, 'image'));
      if (image) c.image = image;
      if (podHardened || hardens(r, scNode)) c.hardened = true;
      const privileged = r.bool(r.get(scNode, 'privileged'));
      if (privileged) c.privileged = privileged;
      const ape = r.bool(r.get(scNode, 'allowPrivilegeEscalation'));
      if (ape) c.allowPrivilegeEscalation = ape;
      const nonRoot = r.bool(r.get(scNode, 'runAsNonRoot')) ?? podNonRoot;
      if (nonRoot) c.runAsNonRoot = nonRoot;
      const user = r.str(r.get(scNode, 'runAsUser')) ?? podUser;
      if (user) c.user = user;
      for (const cap of r.items(r.get(scNode, 'capabilities', 'add'))) {
        const s = r.str(cap);
        if (s) c.capAdd.push(s);
      }
      for (const e of r.items(r.get(item, 'env'))) {
        const name = r.str(r.get(e, 'name'))?.value;
        if (name === undefined) continue;
        const env: EnvSpec = { name, span: r.span(e) };
        const valueNode = r.get(e, 'value');
        const value = r.str(valueNode);
        if (value) {
          env.valueSpan = value.span;
          // `$(OTHER)` alone refers to another variable of the container.
          if (!/^\$\([A-Za-z_][\w.-]*\)$/.test(value.value)) env.value = value.value;
        }
        c.env.push(env);
      }
      for (const p of r.items(r.get(item, 'ports'))) {
        const container = r.num(r.get(p, 'containerPort'));
        if (container === undefined) continue;
        const port: PortSpec = { container, span: r.span(p) };
        const host = r.num(r.get(p, 'hostPort'));
        if (host !== undefined) port.host = host;
        const hostIp = r.str(r.get(p, 'hostIP'))?.value;
        if (hostIp !== undefined && hostIp !== '0.0.0.0' && hostIp !== '::') port.hostIp = hostIp;
        c.ports.push(port);
      }
      for (const m of r.items(r.get(item, 'volumeMounts'))) {
        const hp = hostPaths.get(r.str(r.get(m, 'name'))?.value ?? '');
        if (!hp) continue;
        const target = r.str(r.get(m, 'mountPath'))?.value;
        c.hostMounts.push(target === undefined ? { source: hp.value, span: hp.span } : { source: hp.value, target, span: hp.span });
      }
      containers.push(c);
    }
  }
  return { label, span, hostNamespaces, containers };
}

/** True when a pod or container securityContext sets any hardening (see ContainerSpec.hardened). */
function hardens(r: Reader, sc: Node | undefined): boolean {
  if (!isMap(sc)) return false;
  const user = r.str(r.get(sc, 'runAsUser'))?.value.trim();
  return (
    r.bool(r.get(sc, 'runAsNonRoot'))?.value === true ||
    (user !== undefined && /^\d+$/.test(user) && Number(user) !== 0) ||
    r.bool(r.get(sc, 'readOnlyRootFilesystem'))?.value === true ||
    r.bool(r.get(sc, 'allowPrivilegeEscalation'))?.value === false ||
    r.items(r.get(sc, 'capabilities', 'drop')).length > 0 ||
    ['seccompProfile', 'appArmorProfile', 'seLinuxOptions'].some((k) => r.get(sc, k) !== undefined)
  );
}
