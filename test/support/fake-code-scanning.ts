/**
 * The code scanning part of the fake GitHub (test/support/fake-github.ts routes to it): `POST
 * /repos/{owner}/{repo}/code-scanning/sarifs` and `GET …/sarifs/{sarif_id}`, shaped by GitHub's documented
 * answers (the request schema itself is checked by the fake, from GitHub's OpenAPI description):
 *
 * - 202 `{ id, url }` for an accepted upload; 413 when the gzipped log is over 10 MB; 400 when the `sarif`
 *   field is not base64 of a gzipped SARIF 2.1.0 log; 403 "Advanced Security must be enabled for this
 *   repository to use code scanning." when code scanning is off (a private repository without it);
 * - 200 `{ processing_status, analyses_url, errors }`, `pending` for the first `pendingPolls` requests, then
 *   `complete` or `failed`; a log over the per-run limits (25,000 results, 20 runs) fails processing, as GitHub
 *   rejects such an analysis; 404 for an id that names no upload.
 *
 * Wording of the 400 and of the processing errors is not GitHub's verbatim (not observed); statuses are.
 */
import { gunzipSync } from 'node:zlib';

export const MAX_GZIP_BYTES = 10 * 1024 * 1024;

export interface CodeScanningBehaviour {
  /** False: the repository has no code scanning (a private repository without GitHub Code Security). */
  enabled: boolean;
  /** Status requests answered `pending` before the final status. */
  pendingPolls: number;
  /** How processing ends. */
  outcome: 'complete' | 'failed';
  /** The errors a failed processing lists. */
  errors: string[];
}

export interface SarifUploadRecord {
  id: string;
  commit_sha: string;
  ref: string;
  tool_name?: string;
  started_at?: string;
  /** The uploaded log, decoded. */
  log: { version?: string; runs?: { automationDetails?: { id?: string }; results?: unknown[]; tool?: { driver?: { rules?: unknown[] } } }[] };
  gzipBytes: number;
  /** Status requests answered so far. */
  polls: number;
  /** Set when the log breaks a per-run limit: processing then fails with these errors. */
  overLimits?: string[];
}

export type Answer = { status: number; payload: unknown };

export class FakeCodeScanning {
  behaviour: CodeScanningBehaviour = { enabled: true, pendingPolls: 1, outcome: 'complete', errors: [] };
  readonly uploads: SarifUploadRecord[] = [];
  private next = 1;

  constructor(
    private readonly repository: string,
    private readonly apiUrl: () => string,
  ) {}

  /** An accepted upload or the error answer; `fail` turns an answer into the fake's HTTP error. */
  upload(body: Record<string, unknown>, doc: string, fail: (a: Answer) => never): Answer {
    if (!this.behaviour.enabled)
      fail({ status: 403, payload: { message: 'Advanced Security must be enabled for this repository to use code scanning.', documentation_url: doc, status: '403' } });
    const gz = Buffer.from(String(body['sarif']), 'base64');
    if (gz.length > MAX_GZIP_BYTES) fail({ status: 413, payload: { message: 'Payload Too Large', documentation_url: doc, status: '413' } });
    let log: SarifUploadRecord['log'];
    try {
      log = JSON.parse(gunzipSync(gz).toString('utf8')) as SarifUploadRecord['log'];
    } catch {
      return fail({ status: 400, payload: { message: 'Bad Request: the sarif field is not a gzipped, base64-encoded SARIF log', documentation_url: doc, status: '400' } });
    }
    if (log?.version !== '2.1.0' || !Array.isArray(log.runs))
      fail({ status: 400, payload: { message: 'Bad Request: only SARIF 2.1.0 is supported', documentation_url: doc, status: '400' } });
    const id = `${String(this.next++).padStart(8, '0')}-5596-11eb-80a1-c1e54ef945c6`;
    const record: SarifUploadRecord = { id, commit_sha: String(body['commit_sha']), ref: String(body['ref']), log, gzipBytes: gz.length, polls: 0 };
    if (typeof body['tool_name'] === 'string') record.tool_name = body['tool_name'];
    if (typeof body['started_at'] === 'string') record.started_at = body['started_at'];
    const over = [
      ...(log.runs!.length > 20 ? [`${log.runs!.length} runs, over the limit of 20`] : []),
      ...log.runs!.flatMap((r, i) => ((r.results?.length ?? 0) > 25_000 ? [`run ${i}: ${r.results!.length} results, over the limit of 25000`] : [])),
    ];
    if (over.length) record.overLimits = over;
    this.uploads.push(record);
    return { status: 202, payload: { id, url: `${this.apiUrl()}/repos/${this.repository}/code-scanning/sarifs/${id}` } };
  }

  status(id: string, doc: string, fail: (a: Answer) => never): Answer {
    const u = this.uploads.find((x) => x.id === id);
    if (!u) return fail({ status: 404, payload: { message: 'Not Found', documentation_url: doc, status: '404' } });
    u.polls++;
    if (u.polls <= this.behaviour.pendingPolls) return { status: 200, payload: { processing_status: 'pending', analyses_url: null, errors: null } };
    const failed = u.overLimits ?? (this.behaviour.outcome === 'failed' ? this.behaviour.errors : undefined);
    if (failed) return { status: 200, payload: { processing_status: 'failed', analyses_url: null, errors: failed } };
    return { status: 200, payload: { processing_status: 'complete', analyses_url: `${this.apiUrl()}/repos/${this.repository}/code-scanning/analyses?sarif_id=${id}`, errors: null } };
  }
}
