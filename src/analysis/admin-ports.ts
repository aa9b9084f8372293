/**
 * Ports of remote-administration services and databases: reachable from outside, they invite password guessing and
 * unauthenticated access (many of these services have no authentication by default). The default list of the
 * `exposed-admin-port` rule, with the service name each port is known for; the rule's `ports` option replaces it.
 */
export const ADMIN_PORTS: Readonly<Record<number, string>> = {
  22: 'SSH',
  23: 'Telnet',
  445: 'SMB',
  1433: 'SQL Server',
  1521: 'Oracle Database',
  2375: 'Docker daemon (unencrypted)',
  2376: 'Docker daemon',
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
