/**
 * ACS3-HMAC-SHA256 verification, the way ACK's OpenAPI gateway checks the SDK's signature:
 *
 * ```
 * CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload
 * StringToSign     = "ACS3-HMAC-SHA256\n" + hex(sha256(CanonicalRequest))
 * Signature        = hex(hmacSha256(AccessKeySecret, StringToSign))
 * ```
 *
 * The canonical forms are rebuilt from the request as received (raw path, raw query string,
 * headers), never from what the client says it signed, so a client that signs something other
 * than what it sends is caught. Besides the signature: a stale `x-acs-date` (more than 15
 * minutes off), a reused `x-acs-signature-nonce`, an unknown key id and, when an STS token is
 * configured, a missing or different `x-acs-security-token` are rejected.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { NonceCache } from './nonce-cache.js';

export const SIGNATURE_ALGORITHM = 'ACS3-HMAC-SHA256';

/** How far `x-acs-date` may be from the server's clock. @default 15 minutes */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** hex(sha256("")): the hashed payload of every body-less request. */
export const EMPTY_PAYLOAD_SHA256 = createHash('sha256').update('').digest('hex');

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** When set, requests must carry this STS token in `x-acs-security-token`. */
  readonly securityToken?: string | undefined;
}

/** The parts of an HTTP request the signature covers, as received. */
export interface SignedRequest {
  readonly method: string;
  /** Path and query exactly as on the request line (`req.url`). */
  readonly rawUrl: string;
  /** Header name (lower case) -> every value received for it (`req.headersDistinct`). */
  readonly headers: Readonly<Record<string, readonly string[] | undefined>>;
  readonly body: Buffer;
}

export type VerificationResult =
  | { readonly ok: true; readonly accessKeyId: string }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly message: string };

export interface SignatureVerifierOptions {
  readonly credentials: SigningCredentials;
  readonly nonces: NonceCache;
  readonly now: () => number;
  /** @default DEFAULT_MAX_CLOCK_SKEW_MS */
  readonly maxClockSkewMs?: number;
}

/** `enc` of the recipe: encodeURIComponent plus ! ' ( ) * percent-encoded. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Form-style decoding of one query component ('+' is a space). Throws URIError when malformed. */
function decodeQueryComponent(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** The canonical URI: the raw path, with the SDK's own three substitutions. */
export function canonicalUri(rawPath: string): string {
  return (rawPath || '/').replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
}

/**
 * The canonical query from the raw query string: keys decoded and sorted (not re-encoded, as
 * the SDK signs them), each value decoded then re-encoded with {@link percentEncode}.
 * Throws URIError on malformed percent-encoding.
 */
export function canonicalQuery(rawQuery: string): string {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeQueryComponent(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decodeQueryComponent(part.slice(eq + 1));
    pairs.push([key, value]);
  }
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  return pairs.map(([key, value]) => `${key}=${percentEncode(value)}`).join('&');
}

function isSignedHeader(name: string): boolean {
  return name === 'host' || name === 'content-type' || name.startsWith('x-acs-');
}

/** Canonical headers and the signed header names, from every host/content-type/x-acs-* header received. */
export function canonicalHeaders(headers: SignedRequest['headers']): {
  canonical: string;
  signedHeaders: string;
} {
  const names = Object.keys(headers)
    .map((name) => name.toLowerCase())
    .filter(isSignedHeader)
    .sort();
  let canonical = '';
  for (const name of names) {
    const values = (headers[name] ?? []).map((value) => value.trim()).sort();
    canonical += `${name}:${values.join(',')}\n`;
  }
  return { canonical, signedHeaders: names.join(';') };
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function stringToSign(canonicalRequest: string): string {
  return `${SIGNATURE_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

export function sign(secret: string, toSign: string): string {
  return createHmac('sha256', secret).update(toSign).digest('hex');
}

interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly signedHeaders: string;
  readonly signature: string;
}

/** `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<64 hex>` */
function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const space = value.indexOf(' ');
  if (space === -1 || value.slice(0, space) !== SIGNATURE_ALGORITHM) return undefined;
  const fields = new Map<string, string>();
  for (const item of value.slice(space + 1).split(',')) {
    const eq = item.indexOf('=');
    if (eq === -1) return undefined;
    fields.set(item.slice(0, eq).trim(), item.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || signedHeaders === undefined || !signature || !/^[0-9a-fA-F]{64}$/.test(signature)) {
    return undefined;
  }
  return { accessKeyId, signedHeaders, signature: signature.toLowerCase() };
}

/** `2025-04-15T08:33:29Z` (the SDK's format; fractional seconds tolerated). */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function single(headers: SignedRequest['headers'], name: string): string | undefined {
  const values = headers[name];
  return values && values.length > 0 ? values.join(',') : undefined;
}

function reject(status: number, code: string, message: string): VerificationResult {
  return { ok: false, status, code, message };
}

export type SignatureVerifier = (request: SignedRequest) => VerificationResult;

export function createSignatureVerifier(options: SignatureVerifierOptions): SignatureVerifier {
  const maxSkewMs = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  const { credentials, nonces, now } = options;

  return (request) => {
    const authorization = single(request.headers, 'authorization');
    if (authorization === undefined || authorization.trim() === '') {
      return reject(400, 'MissingAuthorization', 'The Authorization header is required.');
    }
    const parsed = parseAuthorization(authorization.trim());
    if (!parsed) {
      return reject(
        400,
        'InvalidAuthorization',
        `The Authorization header is malformed; expected "${SIGNATURE_ALGORITHM} Credential=<AccessKeyId>,SignedHeaders=<headers>,Signature=<hex>".`,
      );
    }

    const date = single(request.headers, 'x-acs-date');
    const dateMs = date !== undefined && ISO_UTC.test(date) ? Date.parse(date) : Number.NaN;
    if (Number.isNaN(dateMs)) {
      return reject(
        400,
        'InvalidTimeStamp.Format',
        'Specified time stamp (x-acs-date) is missing or not in the format yyyy-MM-ddTHH:mm:ssZ (UTC).',
      );
    }
    const nowMs = now();
    if (Math.abs(nowMs - dateMs) > maxSkewMs) {
      return reject(
        400,
        'InvalidTimeStamp.Expired',
        `Specified time stamp or date header is expired: ${date} is more than ${maxSkewMs / 60_000} minutes from the server time ${new Date(nowMs).toISOString()}.`,
      );
    }

    const nonce = single(request.headers, 'x-acs-signature-nonce');
    if (nonce === undefined || nonce === '') {
      return reject(400, 'MissingSignatureNonce', 'The x-acs-signature-nonce header is required.');
    }

    if (!safeEqual(parsed.accessKeyId, credentials.accessKeyId)) {
      return reject(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    }

    const token = single(request.headers, 'x-acs-security-token');
    if (credentials.securityToken !== undefined) {
      if (token === undefined) {
        return reject(
          400,
          'MissingSecurityToken',
          'This access key is an STS key: x-acs-security-token is required.',
        );
      }
      if (!safeEqual(token, credentials.securityToken)) {
        return reject(
          400,
          'InvalidSecurityToken.Mismatch',
          'The security token does not match the access key.',
        );
      }
    }
    const keyIdHeader = single(request.headers, 'x-acs-accesskey-id');
    if (keyIdHeader !== undefined && keyIdHeader !== parsed.accessKeyId) {
      return reject(
        400,
        'InvalidSecurityToken.MismatchWithAccessKey',
        'x-acs-accesskey-id does not match the Credential of the Authorization header.',
      );
    }

    const queryStart = request.rawUrl.indexOf('?');
    const rawPath = queryStart === -1 ? request.rawUrl : request.rawUrl.slice(0, queryStart);
    const rawQuery = queryStart === -1 ? '' : request.rawUrl.slice(queryStart + 1);
    let query: string;
    try {
      query = canonicalQuery(rawQuery);
    } catch {
      return reject(400, 'InvalidParameter', 'The query string has malformed percent-encoding.');
    }

    const headers = canonicalHeaders(request.headers);
    if (headers.signedHeaders !== parsed.signedHeaders.toLowerCase()) {
      return reject(
        400,
        'SignatureDoesNotMatch',
        `The request signature does not conform to Aliyun standards. SignedHeaders "${parsed.signedHeaders}" differ from the headers sent: "${headers.signedHeaders}".`,
      );
    }

    const payloadHash = request.body.length === 0 ? EMPTY_PAYLOAD_SHA256 : sha256Hex(request.body);
    const declaredHash = single(request.headers, 'x-acs-content-sha256');
    if (declaredHash !== undefined && declaredHash.toLowerCase() !== payloadHash) {
      return reject(
        400,
        'SignatureDoesNotMatch',
        'The request signature does not conform to Aliyun standards. x-acs-content-sha256 is not the SHA-256 of the body.',
      );
    }

    const canonicalRequest = [
      request.method.toUpperCase(),
      canonicalUri(rawPath),
      query,
      headers.canonical,
      headers.signedHeaders,
      payloadHash,
    ].join('\n');
    const toSign = stringToSign(canonicalRequest);
    if (!safeEqual(sign(credentials.accessKeySecret, toSign), parsed.signature)) {
      return reject(
        400,
        'SignatureDoesNotMatch',
        `The request signature does not conform to Aliyun standards. server string to sign is:${toSign}`,
      );
    }

    // Only a correctly signed request may claim a nonce, so forged requests cannot burn them.
    if (!nonces.remember(nonce, dateMs + maxSkewMs, nowMs)) {
      return reject(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    }
    return { ok: true, accessKeyId: parsed.accessKeyId };
  };
}
