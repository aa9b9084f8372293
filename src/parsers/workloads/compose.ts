import { posix } from 'node:path';
import { isMap, isScalar, type Node } from 'yaml';
import type { ContainerSpec, EnvSpec, Located, PodSpec, PortSpec, WorkloadDoc } from '../workload.js';
import type { Entry, Reader } from './nodes.js';

const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** `compose.yaml`, `docker-compose.override.yml`, `compose.prod.yml` … in any directory. */
export function isComposePath(path: string): boolean {
  return /^(docker-)?compose[^/]*\.ya?ml$/i.test(base(path));
}

/** Top-level `services:` key, tested on the text before any parsing. */
export const HAS_SERVICES = /^services[ \t]*:/m;

/** Keys whose values `extends` combines with the base service's instead of replacing them. */
const COMBINED = new Set(['environment', 'ports', 'volumes', 'cap_add', 'security_opt']);
const HOST_NAMESPACES: Record<string, string> = { network_mode: 'network', pid: 'pid', ipc: 'ipc', userns_mode: 'user' };

/** A service's keys: own first, then (for `extends` within the same file) the base service's. */
type Fields = Map<string, Entry[]>;

export function composeFromYaml(r: Reader, path: string): WorkloadDoc | undefined {
  const root = r.resolve(r.doc.contents);
  if (!isMap(root)) return undefined;
  const servicesNode = r.get(root, 'services');
  const services = r.entries(servicesNode);
  const pods: PodSpec[] = [];
  const builds: WorkloadDoc['builds'] = [];
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';

  const fieldsOf = (name: string, seen: Set<string>): Fields => {
    const out: Fields = new Map();
    const entry = services.get(name);
    if (!entry || seen.has(name)) return out;
    seen.add(name);
    const own = r.entries(entry.value);
    for (const [k, e] of own) out.set(k, [e]);
    const ext = own.get('extends')?.value;
    const target = isScalar(ext) ? r.str(ext)?.value : isMap(ext) && !r.get(ext, 'file') ? r.str(r.get(ext, 'service'))?.value : undefined;
    if (target === undefined) return out;
    for (const [k, list] of fieldsOf(target, seen)) {
      if (k === 'extends') continue;
      const mine = out.get(k);
      if (!mine) out.set(k, list);
      else if (COMBINED.has(k)) mine.push(...list);
    }
    return out;
  };

  for (const [name, entry] of services) {
    if (!isMap(entry.value)) continue;
    const f = fieldsOf(name, new Set());
    const one = (k: string): Node | undefined => f.get(k)?.[0]?.value;
    const all = (k: string): Node[] => (f.get(k) ?? []).map((e) => e.value).filter((n): n is Node => n !== undefined);
    const span = r.span(entry.value);

    const hostNamespaces: Located[] = [];
    for (const [key, ns] of Object.entries(HOST_NAMESPACES)) {
      const e = f.get(key)?.[0];
      if (e && r.str(e.value)?.value === 'host') hostNamespaces.push({ value: ns, span: r.pairSpan(e) });
    }

    const c: ContainerSpec = { name, role: 'service', span, capAdd: [], env: [], ports: [], hostMounts: [], securityContextSpan: span };
    const image = r.str(one('image'));
    if (image) c.image = image;
    const privileged = r.bool(one('privileged'));
    if (privileged) c.privileged = privileged;
    const user = r.str(one('user'));
    if (user) c.user = user;
    for (const list of all('cap_add')) for (const item of r.items(list)) {
      const cap = r.str(item);
      if (cap) c.capAdd.push(cap);
    }
    for (const list of all('security_opt')) for (const item of r.items(list)) {
      const m = /^no-new-privileges(?:[:=](\S+))?$/.exec(r.str(item)?.value.trim() ?? '');
      if (m) c.allowPrivilegeEscalation = { value: m[1] !== undefined && m[1] !== 'true', span: r.span(item) };
    }
    const seenEnv = new Set<string>();
    for (const node of all('environment')) {
      for (const env of environment(r, node)) {
        if (seenEnv.has(env.name)) continue;
        seenEnv.add(env.name);
        c.env.push(env);
      }
    }
    for (const list of all('ports')) for (const item of r.items(list)) c.ports.push(...ports(r, item));
    for (const list of all('volumes')) for (const item of r.items(list)) {
      const m = mount(r, item);
      if (m) c.hostMounts.push(m);
    }
    pods.push({ label: `service ${name}`, span: r.span(entry.key), hostNamespaces, containers: [c] });

    const build = one('build');
    if (build) {
      c.build = r.span(build);
      const context = isScalar(build) ? r.str(build)?.value : r.str(r.get(build, 'context'))?.value ?? '.';
      const dockerfile = isMap(build) ? (r.str(r.get(build, 'dockerfile'))?.value ?? 'Dockerfile') : 'Dockerfile';
      const target = isMap(build) ? r.str(r.get(build, 'target'))?.value : undefined;
      const resolved = context === undefined ? undefined : resolveDockerfile(dir, context, dockerfile);
      const command = one('command') !== undefined || one('entrypoint') !== undefined;
      if (resolved) builds.push({ service: name, dockerfile: resolved, span: r.span(build), ...(target ? { target } : {}), ...(command ? { command } : {}) });
    }
  }
  // top-level `secrets:`/`configs: <name>: file: <path>`: files compose mounts into containers, so a committed secret one holds a secret
  const secretFiles: NonNullable<WorkloadDoc['secretFiles']> = [];
  for (const section of ['secrets', 'configs'] as const) {
    for (const [name, entry] of r.entries(r.get(root, section))) {
      const file = r.str(r.get(entry.value, 'file'));
      const resolved = file && !file.value.includes('$') ? resolveDockerfile(dir, '.', file.value) : undefined;
      if (file && resolved) secretFiles.push({ name, file, path: resolved, section });
    }
  }
  return { format: 'compose', path, pods, builds, ...(secretFiles.length > 0 ? { secretFiles } : {}) };
}

/** Repo-relative POSIX path of the Dockerfile a build uses; undefined for remote contexts and paths outside the repo. */
export function resolveDockerfile(dir: string, context: string, dockerfile: string): string | undefined {
  if (/^[a-z][\w+.-]*:\/\/|^git@|\$/i.test(context) || dockerfile.includes('$')) return undefined;
  if (context.startsWith('/') || dockerfile.startsWith('/')) return undefined;
  const joined = posix.normalize(posix.join(dir || '.', context, dockerfile));
  if (joined.startsWith('../') || joined === '..') return undefined;
  return joined.replace(/^\.\//, '');
}

/** A value that is an interpolation (`${VAR}`, `$VAR`, anywhere in it; `$$` is a literal dollar). */
const INTERPOLATED = /\$(\{|[A-Za-z_])/;
const literalOrRef = (v: string): string | undefined => (INTERPOLATED.test(v.replace(/\$\$/g, '')) ? undefined : v);

function environment(r: Reader, node: Node): EnvSpec[] {
  const out: EnvSpec[] = [];
  if (isMap(node)) {
    for (const [name, e] of r.entries(node)) {
      const v = r.str(e.value);
      const env: EnvSpec = { name, span: r.pairSpan(e) };
      if (v) {
        const value = literalOrRef(v.value);
        if (value !== undefined) env.value = value;
        env.valueSpan = v.span;
      }
      out.push(env);
    }
    return out;
  }
  for (const item of r.items(node)) {
    const s = r.str(item);
    if (!s) continue;
    const eq = s.value.indexOf('=');
    if (eq < 0) {
      out.push({ name: s.value.trim(), span: s.span });
      continue;
    }
    const env: EnvSpec = { name: s.value.slice(0, eq).trim(), span: s.span, valueSpan: r.within(item, eq + 1, s.value.length) };
    const value = literalOrRef(s.value.slice(eq + 1));
    if (value !== undefined) env.value = value;
    out.push(env);
  }
  return out;
}

const MAX_RANGE = 64;

function range(text: string): number[] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (to < from) return undefined;
  const out: number[] = [];
  for (let p = from; p <= to && out.length < MAX_RANGE; p++) out.push(p);
  return out;
}

/** Short (`"127.0.0.1:8080:80/tcp"`) and long (`{target, published, host_ip}`) port syntax. A port without a host port is published on a random one (host 0). */
function ports(r: Reader, item: Node): PortSpec[] {
  const span = r.span(item);
  if (isMap(item)) {
    const target = r.str(r.get(item, 'target'))?.value;
    const published = r.str(r.get(item, 'published'))?.value;
    const hostIp = r.str(r.get(item, 'host_ip'))?.value;
    return pair(published, target, hostIp, span);
  }
  const s = r.str(item)?.value;
  if (s === undefined) return [];
  const text = s.trim().replace(/\/(tcp|udp|sctp)$/i, '');
  let hostIp: string | undefined;
  let rest = text;
  const v6 = /^\[([^\]]*)\]:(.*)$/.exec(text);
  if (v6) {
    hostIp = v6[1];
    rest = v6[2]!;
  } else {
    const parts = text.split(':');
    if (parts.length === 3) {
      hostIp = parts[0];
      rest = `${parts[1]}:${parts[2]}`;
    } else if (parts.length > 3) {
      // Unbracketed IPv6 address: the last two parts are the ports.
      hostIp = parts.slice(0, -2).join(':');
      rest = parts.slice(-2).join(':');
    }
  }
  const colon = rest.lastIndexOf(':');
  const host = colon < 0 ? undefined : rest.slice(0, colon);
  return pair(host, colon < 0 ? rest : rest.slice(colon + 1), hostIp, span);
}

function pair(host: string | undefined, container: string | undefined, hostIp: string | undefined, span: PortSpec['span']): PortSpec[] {
  const cs = container === undefined ? undefined : range(container);
  if (!cs) return [];
  const hs = host === undefined || host === '' ? undefined : range(host);
  const ip = hostIp === undefined || hostIp === '' || hostIp === '0.0.0.0' || hostIp === '::' ? undefined : hostIp;
  return cs.map((port, i) => {
    const p: PortSpec = { container: port, host: hs ? (hs.length === cs.length ? hs[i]! : hs[0]!) : 0, span };
    if (ip !== undefined) p.hostIp = ip;
    return p;
  });
}

/** A bind mount (short `./src:/app:ro` or long `{type: bind, source, target}`); named volumes are not host mounts. */
function mount(r: Reader, item: Node): ContainerSpec['hostMounts'][number] | undefined {
  const span = r.span(item);
  if (isMap(item)) {
    if (r.str(r.get(item, 'type'))?.value !== 'bind') return undefined;
    const source = r.str(r.get(item, 'source'))?.value;
    if (source === undefined) return undefined;
    const target = r.str(r.get(item, 'target'))?.value;
    return target === undefined ? { source, span } : { source, target, span };
  }
  const s = r.str(item)?.value.trim();
  if (!s) return undefined;
  // A Windows drive letter (C:\…) is part of the source.
  const drive = /^[A-Za-z]:[\\/]/.test(s) ? 2 : 0;
  const colon = s.indexOf(':', drive);
  if (colon < 0) return undefined;
  const source = s.slice(0, colon);
  if (!/^(\/|\.|~|\$|[A-Za-z]:[\\/])/.test(source)) return undefined;
  const target = s.slice(colon + 1).split(':')[0];
  return target ? { source, target, span } : { source, span };
}
