/**
 * Sending hand-made requests to a sandbox: signed with SigV4 (the sandbox's own signer,
 * cross-checked against the SDK's in sigv4.test.ts) or not, with any body and headers,
 * so tests can probe protocol edges and fuzz what the SDK would never send.
 */
import { request as httpRequest } from 'node:http';
import { computeSignature, sha256Hex } from '../../src/sigv4.js';
import type { CredentialLike } from './sandbox-server.js';

export interface RawRequest {
  endpoint: string;
  method?: string;
  path?: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Sign with these keys for `service` in `region`; unsigned when absent. */
  sign?: { credential: CredentialLike; service: string; region?: string; date?: Date };
  /** Give up after this many ms (the request is then reported as status 0). */
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Adds SigV4 headers (host, x-amz-date, token, Authorization) to `headers`. */
export function signHeaders(req: RawRequest & { sign: NonNullable<RawRequest['sign']> }): Record<string, string> {
  const url = new URL(req.endpoint);
  const body = typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : (req.body ?? Buffer.alloc(0));
  const amzDate = (req.sign.date ?? new Date()).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const region = req.sign.region ?? 'us-east-1';
  const headers: Record<string, string> = { ...req.headers, host: url.host, 'x-amz-date': amzDate };
  if (req.sign.credential.sessionToken) headers['x-amz-security-token'] = req.sign.credential.sessionToken;
  const names = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const rawHeaders = Object.entries(headers).flat();
  const parsed = {
    accessKeyId: req.sign.credential.accessKeyId,
    date: amzDate.slice(0, 8),
    region,
    service: req.sign.service,
    signedHeaders: names,
    signature: '',
    amzDate,
    sessionToken: req.sign.credential.sessionToken,
    presigned: false,
  };
  const parts = { method: req.method ?? 'POST', path: req.path ?? '/', query: req.query ?? '', rawHeaders, body };
  const signature = computeSignature(parts, parsed, req.sign.credential.secretAccessKey);
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${parsed.accessKeyId}/${parsed.date}/${region}/${req.sign.service}/aws4_request, ` +
    `SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return headers;
}

/** Sends one request and collects the whole response. */
export function sendRaw(req: RawRequest): Promise<RawResponse> {
  const url = new URL(req.endpoint);
  const body = typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : (req.body ?? Buffer.alloc(0));
  const headers = req.sign ? signHeaders({ ...req, sign: req.sign }) : { ...req.headers };
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: req.method ?? 'POST',
        path: `${req.path ?? '/'}${req.query ? `?${req.query}` : ''}`,
        headers: { ...headers, 'content-length': String(body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    if (req.timeoutMs !== undefined) {
      r.setTimeout(req.timeoutMs, () => {
        r.destroy();
        resolve({ status: 0, headers: {}, body: '' });
      });
    }
    r.on('error', reject);
    r.end(body);
  });
}

/** A form-encoded Query body. */
export function formBody(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

export { sha256Hex };
