import { AlibabaCloudError, ThrottlingError } from '@alicloud/openapi-core';

/**
 * What went wrong upstream, in the gateway's terms. The schema turns each kind into the
 * `extensions.code` of API.md; this layer knows nothing of GraphQL.
 */
export const ACK_ERROR_KINDS = [
  'NOT_FOUND',
  'FORBIDDEN',
  'THROTTLED',
  'TIMEOUT',
  'UNAVAILABLE',
  'BAD_RESPONSE',
] as const;
export type AckErrorKind = (typeof ACK_ERROR_KINDS)[number];

/** Whether a value read back from elsewhere (Redis, another replica) names one of the kinds. */
export const isAckErrorKind = (value: unknown): value is AckErrorKind =>
  (ACK_ERROR_KINDS as readonly unknown[]).includes(value);

export interface AckErrorDetails {
  /** ACK's own error code (`ErrorClusterNotFound`, `Throttling.User`, ...), when it sent one. */
  upstreamCode?: string;
  /** ACK's request id, for support tickets. */
  requestId?: string;
  statusCode?: number;
  /** How long ACK asked us to wait before retrying (throttling), in milliseconds. */
  retryAfterMs?: number;
  /**
   * The failure may pass by itself (throttling, 5xx, a proxy's non-JSON error page, connection
   * errors, timeouts): worth a retry, and worth answering from a recent cache entry instead.
   * Never set for 4xx answers (not found, forbidden, bad request, rejected credentials) nor for
   * a 200 whose body does not parse.
   */
  retryable?: boolean;
  /**
   * What a failure says is unwell, for the circuit breakers (resilience.ts). `endpoint`: the way
   * to ACK itself (connection refused or reset, DNS, TLS), so every call would fail alike.
   * `resource`: ACK or a proxy failed this one call (5xx, a non-JSON body, a timeout, a 200 that
   * does not parse), which says nothing about other clusters. Unset for ACK's "no" (4xx,
   * rejected credentials) and for throttling (the account's quota): no breaker counts those.
   */
  scope?: 'endpoint' | 'resource';
}

/** A failure of one upstream call, safe to show: it never carries credentials or headers. */
export class AckError extends Error {
  override readonly name = 'AckError';

  constructor(
    readonly kind: AckErrorKind,
    message: string,
    readonly details: AckErrorDetails = {},
  ) {
    super(message);
  }
}

const FORBIDDEN_CODES = new Set(['StatusForbidden', 'ErrorCheckAcl', 'Forbidden.RAM', 'Forbidden']);
const NOT_FOUND_CODES = new Set(['ErrorClusterNotFound', 'ErrorNodePoolNotFound']);
/** The gateway's own credentials or clock are wrong: ACK is unusable until an operator acts. */
const CREDENTIAL_CODE_PREFIXES = [
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'InvalidSecurityToken',
  'InvalidCredentials',
  'InvalidTimeStamp',
  'SignatureNonceUsed',
  'MissingAuthorization',
  'InvalidAuthorization',
];
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
]);
const TIMEOUT_ERROR_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);
/** Node's TLS and OpenSSL codes: the certificate or handshake of the endpoint itself is wrong. */
const TLS_ERROR_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
  'EPROTO',
]);
const isTlsErrorCode = (code: string): boolean => TLS_ERROR_CODES.has(code) || code.startsWith('ERR_SSL_');

/** The SDK writes "undefined" into absent fields; never pass that on. */
const present = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' && value !== 'undefined' ? value : undefined;

function fromCloudError(error: AlibabaCloudError): AckError {
  const upstreamCode = present(error.code);
  const details: AckErrorDetails = {
    upstreamCode,
    requestId: present(error.requestId),
    statusCode: error.statusCode,
  };
  if (error instanceof ThrottlingError || upstreamCode?.includes('Throttling')) {
    if (typeof error.retryAfter === 'number' && error.retryAfter > 0) {
      details.retryAfterMs = error.retryAfter;
    }
    return new AckError('THROTTLED', 'ACK throttled the request; retry later.', {
      ...details,
      retryable: true,
    });
  }
  if (upstreamCode && NOT_FOUND_CODES.has(upstreamCode)) {
    return new AckError('NOT_FOUND', `ACK answered ${upstreamCode}.`, details);
  }
  if (error.statusCode === 403 || (upstreamCode && FORBIDDEN_CODES.has(upstreamCode))) {
    return new AckError('FORBIDDEN', 'ACK denied access to this resource.', details);
  }
  if (upstreamCode && CREDENTIAL_CODE_PREFIXES.some((prefix) => upstreamCode.startsWith(prefix))) {
    return new AckError(
      'UNAVAILABLE',
      'ACK rejected the gateway credentials; the operator must check them.',
      details,
    );
  }
  if (error.statusCode !== undefined && error.statusCode >= 500) {
    return new AckError('UNAVAILABLE', `ACK failed with HTTP ${error.statusCode}.`, {
      ...details,
      retryable: true,
      scope: 'resource',
    });
  }
  return new AckError(
    'BAD_RESPONSE',
    `ACK refused the request (${upstreamCode ?? error.statusCode}).`,
    details,
  );
}

/**
 * Maps a failure the SDK threw to an `AckError`. Only failures known to come from the upstream
 * or the network are mapped; anything else is rethrown so the server masks it as a bug.
 */
export function toAckError(error: unknown): AckError {
  if (error instanceof AckError) return error;
  if (error instanceof AlibabaCloudError) return fromCloudError(error);
  if (error instanceof SyntaxError) {
    // The SDK parses every error body (4xx/5xx) as JSON and loses the status when that fails:
    // what ends up here is nearly always a proxy's HTML 502/503/504 page, so it counts as
    // transient. A 200 whose body is not JSON is caught in AckClient and is not retryable.
    return new AckError('BAD_RESPONSE', 'ACK answered with a body that is not JSON.', {
      retryable: true,
      scope: 'resource',
    });
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error.name === 'RequestTimeoutError' || (code && TIMEOUT_ERROR_CODES.has(code))) {
      // The SDK's socket timeout fires for a slow answer as well as a slow connect, so a timeout
      // counts against the call's cluster; only undici's explicit connect timeout is the endpoint's.
      return new AckError('TIMEOUT', 'ACK did not answer in time.', {
        retryable: true,
        scope: code === 'UND_ERR_CONNECT_TIMEOUT' ? 'endpoint' : 'resource',
      });
    }
    if (code && CONNECTION_ERROR_CODES.has(code)) {
      return new AckError('UNAVAILABLE', `Could not reach ACK (${code}).`, {
        retryable: true,
        scope: 'endpoint',
      });
    }
    if (code && isTlsErrorCode(code)) {
      // A certificate or protocol mismatch does not mend between two retries: not retried, but
      // still a stale answer's occasion (UNAVAILABLE) and the endpoint breaker's.
      return new AckError('UNAVAILABLE', `Could not reach ACK over TLS (${code}).`, { scope: 'endpoint' });
    }
  }
  throw error;
}

/** What a failure says is unwell, for the circuit breakers: see {@link AckErrorDetails.scope}. */
export const failureScope = (error: unknown): AckErrorDetails['scope'] =>
  error instanceof AckError ? error.details.scope : undefined;

/** Whether a failure may pass by itself: see {@link AckErrorDetails.retryable}. */
export const isRetryable = (error: unknown): error is AckError =>
  error instanceof AckError && error.details.retryable === true;
