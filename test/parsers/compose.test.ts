import { describe, expect, it } from 'vitest';
import type { WorkloadDoc } from '../../src/parsers/workload.js';
import { isComposePath, resolveDockerfile } from '../../src/parsers/workloads/index.js';
import { parseWorkloadFile } from '../support/workload.js';

const parse = parseWorkloadFile;

function compose(path: string, text: string): WorkloadDoc {
  const { doc, notices } = parse(path, text);
  expect(notices).toEqual([]);
  expect(doc?.format).toBe('compose');
  return doc!;
}

const span = (line: number, column: number, endLine: number, endColumn: number) => ({ line, column, endLine, endColumn });

const APP = `name: shop
x-common: &common
  restart: unless-stopped
  privileged: true
  cap_add: [SYS_ADMIN]
  environment:
    LOG_LEVEL: debug

services:
  db:
    image: postgres:16.2
    environment:
      POSTGRES_PASSWORD: hunter2
      POSTGRES_USER: \${DB_USER}
      EMPTY:
    ports:
      - "127.0.0.1:5432:5432"
    volumes:
      - pgdata:/var/lib/postgresql/data
  api:
    <<: *common
    build:
      context: ./api
      dockerfile: docker/Dockerfile.prod
    user: "1000:1000"
    environment:
      - API_KEY=abc123
      - DB_URL=postgres://db:5432/\${DB_NAME}
      - HOME
    ports:
      - "8080:80"
      - 9229
      - "9000-9001:9000-9001/udp"
      - "[::1]:6060:6060"
      - target: 443
        published: "8443"
        host_ip: 0.0.0.0
        protocol: tcp
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
      - ./config:/etc/api
      - type: bind
        source: /etc/ssl
        target: /ssl
        read_only: true
      - type: volume
        source: cache
        target: /cache
    security_opt:
      - no-new-privileges:true
    network_mode: host
    pid: host
  worker:
    extends: api
    image: shop/worker:1.0
    cap_add: [NET_ADMIN]
    ipc: host
  remote:
    extends:
      file: common.yml
      service: base
    image: busybox
    build: https://github.com/acme/app.git
volumes:
  pgdata:
  cache:
`;

describe('compose files', () => {
  it('are recognised by name in any directory', () => {
    for (const p of ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'deploy/docker-compose.prod.yaml', 'x/compose.override.yml', 'Docker-Compose.YML'])
      expect(isComposePath(p)).toBe(true);
    for (const p of ['composer.json', 'my-compose.yml', 'compose/app.yml', 'docker-compose.yml.bak']) expect(isComposePath(p)).toBe(false);
  });

  it('are not parsed without a top-level services key', () => {
    const r = parse('docker-compose.yml', 'version: "3"\nvolumes:\n  data:\n');
    expect(r).toEqual({ doc: undefined, notices: [], parsed: false });
  });

  const doc = compose('deploy/docker-compose.yml', APP);
  const pod = (name: string) => doc.pods.find((p) => p.label === `service ${name}`)!;
  const svc = (name: string) => pod(name).containers[0]!;

  it('has one pod with one container per service, labelled by service', () => {
    expect(doc.path).toBe('deploy/docker-compose.yml');
    expect(doc.pods.map((p) => p.label)).toEqual(['service db', 'service api', 'service worker', 'service remote']);
    expect(pod('db').span).toEqual(span(10, 3, 10, 5));
    expect(svc('db')).toMatchObject({ name: 'db', role: 'service', span: span(11, 5, 19, 40), securityContextSpan: span(11, 5, 19, 40) });
    expect(svc('db').image).toEqual({ value: 'postgres:16.2', span: span(11, 12, 11, 25) });
  });

  it('reads environment maps: literals, interpolations and empty values as references', () => {
    expect(svc('db').env).toEqual([
      { name: 'POSTGRES_PASSWORD', value: 'hunter2', span: span(13, 7, 13, 33), valueSpan: span(13, 26, 13, 33) },
      { name: 'POSTGRES_USER', span: span(14, 7, 14, 32), valueSpan: span(14, 22, 14, 32) },
      { name: 'EMPTY', span: span(15, 7, 15, 13) },
    ]);
  });

  it('reads environment lists, pointing at the value inside the item', () => {
    expect(svc('api').env).toEqual([
      { name: 'API_KEY', value: 'abc123', span: span(27, 9, 27, 23), valueSpan: span(27, 17, 27, 23) },
      { name: 'DB_URL', span: span(28, 9, 28, 45), valueSpan: span(28, 16, 28, 45) },
      { name: 'HOME', span: span(29, 9, 29, 13) },
    ]);
  });

  it('applies merge keys, the service own keys winning', () => {
    const api = svc('api');
    expect(api.privileged).toEqual({ value: true, span: span(4, 15, 4, 19) });
    expect(api.capAdd).toEqual([{ value: 'SYS_ADMIN', span: span(5, 13, 5, 22) }]);
    expect(api.env.map((e) => e.name)).not.toContain('LOG_LEVEL');
    expect(api.user).toEqual({ value: '1000:1000', span: span(25, 11, 25, 22) });
  });

  it('reads short and long port syntax', () => {
    expect(svc('db').ports).toEqual([{ container: 5432, host: 5432, hostIp: '127.0.0.1', span: span(17, 9, 17, 30) }]);
    expect(svc('api').ports).toEqual([
      { container: 80, host: 8080, span: span(31, 9, 31, 18) },
      { container: 9229, host: 0, span: span(32, 9, 32, 13) },
      { container: 9000, host: 9000, span: span(33, 9, 33, 34) },
      { container: 9001, host: 9001, span: span(33, 9, 33, 34) },
      { container: 6060, host: 6060, hostIp: '::1', span: span(34, 9, 34, 26) },
      { container: 443, host: 8443, span: span(35, 9, 38, 22) },
    ]);
  });

  it('keeps bind mounts and drops named volumes', () => {
    expect(svc('db').hostMounts).toEqual([]);
    expect(svc('api').hostMounts).toEqual([
      { source: '/var/run/docker.sock', target: '/var/run/docker.sock', span: span(40, 9, 40, 53) },
      { source: './config', target: '/etc/api', span: span(41, 9, 41, 26) },
      { source: '/etc/ssl', target: '/ssl', span: span(42, 9, 45, 24) },
    ]);
  });

  it('reads no-new-privileges and host namespaces', () => {
    expect(svc('api').allowPrivilegeEscalation).toEqual({ value: false, span: span(50, 9, 50, 31) });
    expect(svc('db').allowPrivilegeEscalation).toBeUndefined();
    expect(pod('api').hostNamespaces).toEqual([
      { value: 'network', span: span(51, 5, 51, 23) },
      { value: 'pid', span: span(52, 5, 52, 14) },
    ]);
  });

  it('merges the base service of extends in the same file: own keys win, lists combine', () => {
    const w = svc('worker');
    expect(w.image).toEqual({ value: 'shop/worker:1.0', span: span(55, 12, 55, 27) });
    expect(w.privileged?.value).toBe(true);
    expect(w.capAdd.map((c) => c.value)).toEqual(['NET_ADMIN', 'SYS_ADMIN']);
    expect(w.ports).toHaveLength(6);
    expect(w.env.map((e) => e.name)).toEqual(['API_KEY', 'DB_URL', 'HOME']);
    expect(pod('worker').hostNamespaces.map((n) => n.value)).toEqual(['network', 'pid', 'ipc']);
  });

  it('skips extends from another file without error', () => {
    expect(svc('remote')).toMatchObject({ image: { value: 'busybox' }, capAdd: [], env: [], ports: [] });
    expect(svc('remote').privileged).toBeUndefined();
  });

  it('resolves build contexts to repo-relative Dockerfiles, skipping remote contexts', () => {
    expect(doc.builds).toEqual([
      { service: 'api', dockerfile: 'deploy/api/docker/Dockerfile.prod', span: span(23, 7, 24, 41) },
      // worker inherits api's build through extends
      { service: 'worker', dockerfile: 'deploy/api/docker/Dockerfile.prod', span: span(23, 7, 24, 41) },
    ]);
  });

  it('resolves string build contexts and normalises paths', () => {
    const d = compose('compose.yaml', 'services:\n  web:\n    build: .\n  app:\n    build: ../outside\n  b:\n    build:\n      dockerfile: Containerfile\n');
    expect(d.builds).toEqual([
      { service: 'web', dockerfile: 'Dockerfile', span: span(3, 12, 3, 13) },
      { service: 'b', dockerfile: 'Containerfile', span: span(8, 7, 8, 32) },
    ]);
    expect(resolveDockerfile('a/b', '../c/./d', 'Dockerfile')).toBe('a/c/d/Dockerfile');
    expect(resolveDockerfile('', '${CTX}', 'Dockerfile')).toBeUndefined();
    expect(resolveDockerfile('', 'git@github.com:a/b.git', 'Dockerfile')).toBeUndefined();
  });

  it('reads security_opt variants and privileged: false', () => {
    const d = compose('compose.yml', 'services:\n  a:\n    privileged: false\n    security_opt: ["no-new-privileges"]\n  b:\n    security_opt: ["no-new-privileges=false", "seccomp:unconfined"]\n');
    expect(d.pods[0]!.containers[0]).toMatchObject({ privileged: { value: false }, allowPrivilegeEscalation: { value: false } });
    expect(d.pods[1]!.containers[0]!.allowPrivilegeEscalation?.value).toBe(true);
  });

  it('does not loop on extends cycles and treats $$ as a literal dollar', () => {
    const d = compose('compose.yml', 'services:\n  a:\n    extends: b\n    environment: {P: "pa$$word"}\n  b:\n    extends: a\n');
    expect(d.pods[0]!.containers[0]!.env[0]).toMatchObject({ name: 'P', value: 'pa$$word' });
  });

  it('leaves invalid YAML to the YAML parser notice', () => {
    const r = parse('compose.yml', 'services:\n  a: [\n');
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0]!.message).toMatch(/^invalid YAML/);
  });
});
