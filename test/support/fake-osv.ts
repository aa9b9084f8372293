import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the OSV API (https://google.github.io/osv.dev/api/): `POST /v1/querybatch` answers from
 * `matches` (`ecosystem name version` → ids, as the service's own range evaluation would), `GET /v1/vulns/{id}`
 * serves `records`. `failures` makes the next answers fail (status, or 'hang' for no answer at all).
 */
export interface FakeOsv {
  url: string;
  records: Map<string, Record<string, unknown>>;
  matches: Map<string, string[]>;
  /** Answers to give before the normal ones, one per request: an HTTP status (429 with `Retry-After: 0`), 'hang', or null for the normal answer. */
  failures: (number | 'hang' | null)[];
  /** Every request: method, path, body. */
  log: { method: string; url: string; body: string }[];
  /** Most GET requests in flight at once. */
  maxInFlight: number;
  /** Records per query and page: past it an answer carries `next_page_token`, as the service does past 1,000. */
  pageSize: number;
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeOsv(): Promise<FakeOsv> {
  let inFlight = 0;
  const fake: FakeOsv = {
    url: '',
    records: new Map(),
    matches: new Map(),
    failures: [],
    log: [],
    maxInFlight: 0,
    pageSize: 1000,
    reset() {
      this.pageSize = 1000;
      this.records.clear();
      this.matches.clear();
      this.failures = [];
      this.log = [];
      this.maxInFlight = 0;
    },
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
  const server: Server = createServer((req, res) => {
    res.setHeader('connection', 'close');
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      fake.log.push({ method: req.method ?? '', url: req.url ?? '', body });
      const failure = fake.failures.shift();
      if (failure === 'hang') return;
      const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      if (failure !== undefined && failure !== null) return send(failure, { code: failure, message: 'stand-in failure' }, failure === 429 ? { 'retry-after': '0' } : {});
      if (req.method === 'POST' && req.url === '/v1/querybatch') {
        const { queries } = JSON.parse(body) as { queries: { package: { ecosystem: string; name: string }; version: string; page_token?: string }[] };
        if (queries.length > 1000) return send(400, { code: 3, message: 'too many queries' });
        const results = queries.map((q) => {
          const all = fake.matches.get(`${q.package.ecosystem} ${q.package.name} ${q.version}`) ?? [];
          const from = q.page_token ? Number(q.page_token.replace(/^page-/, '')) : 0;
          const ids = all.slice(from, from + fake.pageSize);
          const more = from + fake.pageSize < all.length ? { next_page_token: `page-${from + fake.pageSize}` } : {};
          return ids.length ? { vulns: ids.map((id) => ({ id, modified: String(fake.records.get(id)?.['modified'] ?? '2024-01-01T00:00:00Z') })), ...more } : {};
        });
        return send(200, { results });
      }
      const m = /^\/v1\/vulns\/([^/?]+)$/.exec(req.url ?? '');
      if (req.method === 'GET' && m) {
        inFlight++;
        fake.maxInFlight = Math.max(fake.maxInFlight, inFlight);
        // A little latency, so that concurrent lookups overlap and the cap is observable.
        setTimeout(() => {
          inFlight--;
          const record = fake.records.get(decodeURIComponent(m[1]!));
          if (record) send(200, record);
          else send(404, { code: 5, message: 'Bug not found.' });
        }, 15);
        return;
      }
      send(404, { code: 5, message: 'not found' });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
