/**
 * Ports of remote-administration services and databases: reachable from outside, they invite password guessing and
 * unauthenticated access (many of these services have no authentication by default). The default list of the
 * `exposed-admin-port` rule, with the service name each port is known for; the rule's `ports` option replaces it.
 */
export const ADMIN_PORTS: Readonly<Record<number, string>> = {
  21: 'FTP',
  22: 'SSH',
  23: 'Telnet',
  135: 'Microsoft RPC',
  139: 'NetBIOS',
  445: 'SMB',
  1433: 'SQL Server',
  1521: 'Oracle Database',
  2375: 'Docker daemon (unencrypted)',
  2376: 'Docker daemon',
  2049: 'NFS',
  2379: 'etcd',
  2380: 'etcd peer',
  3306: 'MySQL',
  3389: 'RDP',
  5432: 'PostgreSQL',
  5900: 'VNC',
  5984: 'CouchDB',
  5985: 'WinRM',
  5986: 'WinRM (HTTPS)',
  6379: 'Redis',
  6443: 'Kubernetes API server',
  7474: 'Neo4j',
  8086: 'InfluxDB',
  9042: 'Cassandra',
  9200: 'Elasticsearch',
  9300: 'Elasticsearch transport',
  10250: 'kubelet',
  10255: 'kubelet (read-only)',
  11211: 'Memcached',
  15672: 'RabbitMQ management',
  27017: 'MongoDB',
};

/** The admin ports inside `from..to` (inclusive), in order, with their service names. */
export function adminPortsIn(from: number, to: number, list: Readonly<Record<number, string>> = ADMIN_PORTS): { port: number; service: string }[] {
  return Object.entries(list)
    .map(([port, service]) => ({ port: Number(port), service }))
    .filter((p) => p.port >= from && p.port <= to)
    .sort((a, b) => a.port - b.port);
}

/** Whether a source range admits every address: `0.0.0.0/0` or `::/0` (firewall rules, load balancer source ranges). */
export function isWorldCidr(range: string): boolean {
  const r = range.trim();
  return r === '0.0.0.0/0' || r === '::/0';
}

/** The ports plain web traffic is served on: the only ones the mission keeps open to the world. */
export const WEB_PORTS: ReadonlySet<number> = new Set([80, 443]);

/** What opening a port to the world means: an admin or data service (`exposed-admin-port`), the web, or anything else (`world-open-port`). */
export type PortClass = 'admin' | 'web' | 'other';

export function portClass(port: number, list: Readonly<Record<number, string>> = ADMIN_PORTS): PortClass {
  if (list[port] !== undefined) return 'admin';
  return WEB_PORTS.has(port) ? 'web' : 'other';
}

/**
 * A port range `from..to` (inclusive) opened to the world, classified: the admin ports in it, and whether it also holds a
 * port that is neither admin nor web (a `0-65535` rule holds both; `80-80` neither).
 */
export function rangeExposure(
  from: number,
  to: number,
  list: Readonly<Record<number, string>> = ADMIN_PORTS,
): { admin: { port: number; service: string }[]; other: boolean } {
  const admin = adminPortsIn(from, to, list);
  const web = [...WEB_PORTS].filter((p) => p >= from && p <= to).length;
  return { admin, other: to - from + 1 > admin.length + web };
}
