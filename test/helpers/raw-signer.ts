/**
 * A tiny, independent ACS3-HMAC-SHA256 signer for raw `fetch` requests, written from the recipe
 * (not from the simulator's verifier), so tests can send requests the SDK never would: replayed
 * nonces, stale dates, tampered queries, missing headers.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from '../../src/simulator/index.js';

const enc = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

export interface RawRequest {
  endpoint: string;
  action: string;
  /** Percent-encoded path, sent as is. */
  path: string;
  query?: Record<string, string>;
  method?: string;
  accessKeyId?: string;
  accessKeySecret?: string;
  /** `x-acs-date`; @default now */
  date?: Date;
  nonce?: string;
  /** Extra headers, signed when host/content-type/x-acs-*. */
  headers?: Record<string, string>;
}

export interface SignedRaw {
  url: string;
  method: string;
  headers: Record<string, string>;
}

export function signRaw(request: RawRequest): SignedRaw {
  const method = request.method ?? 'GET';
  const query = request.query ?? {};
  const headers: Record<string, string> = {
    host: request.endpoint,
    'x-acs-action': request.action,
    'x-acs-version': '2015-12-15',
    'x-acs-date': (request.date ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': request.nonce ?? randomUUID(),
    'x-acs-content-sha256': sha256(''),
    ...request.headers,
  };
  const signedNames = Object.keys(headers)
    .map((name) => name.toLowerCase())
    .filter((name) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-'))
    .sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = signedNames.map((name) => `${name}:${(lower[name] ?? '').trim()}\n`).join('');
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((key) => `${key}=${enc(query[key] ?? '')}`)
    .join('&');
  const canonicalRequest = [
    method,
    request.path,
    canonicalQuery,
    canonicalHeaders,
    signedNames.join(';'),
    sha256(''),
  ].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${sha256(canonicalRequest)}`;
  const signature = createHmac('sha256', request.accessKeySecret ?? DEFAULT_ACCESS_KEY_SECRET)
    .update(stringToSign)
    .digest('hex');
  const queryString = Object.keys(query)
    .map((key) => `${encodeURIComponent(key)}=${enc(query[key] ?? '')}`)
    .join('&');
  return {
    url: `http://${request.endpoint}${request.path}${queryString ? `?${queryString}` : ''}`,
    method,
    headers: {
      ...headers,
      authorization: `ACS3-HMAC-SHA256 Credential=${request.accessKeyId ?? DEFAULT_ACCESS_KEY_ID},SignedHeaders=${signedNames.join(';')},Signature=${signature}`,
    },
  };
}

/** A parsed answer body: an ACK error, or the keys the tests read. */
export type JsonBody = {
  code?: string;
  message?: string;
  requestId?: string;
  nodepools?: unknown[];
} & Record<string, unknown>;

/** Sends a signed (or, after edits, tampered) request; returns status, headers and body text. */
export async function send(
  signed: SignedRaw,
): Promise<{ status: number; headers: Headers; text: string; json: () => JsonBody }> {
  const { host: _host, ...headers } = signed.headers;
  const response = await fetch(signed.url, { method: signed.method, headers });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as JsonBody,
  };
}
