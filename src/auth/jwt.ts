import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import {
  createRemoteJWKSet,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  jwtVerify,
} from 'jose';
import { AuthenticationError } from './authentication-error.js';
import { createPrincipal, type Principal } from './principal.js';

/** Asymmetric signature algorithms only: a symmetric (`HS*`) or `none` token is never accepted. */
export const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

export const DEFAULT_JWT_ALGORITHMS: readonly JwtAlgorithm[] = ['RS256', 'ES256'];
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
export const DEFAULT_GROUPS_CLAIM = 'groups';
/** How long one JWKS fetch may take before verification fails with 503. */
export const DEFAULT_JWKS_TIMEOUT_MS = 5_000;
/** Least time between two JWKS fetches triggered by an unknown `kid` (jose's own default). */
export const DEFAULT_JWKS_COOLDOWN_MS = 30_000;
/** How long fetched keys are used before the JWKS is fetched again (jose's own default). */
export const DEFAULT_JWKS_CACHE_MAX_AGE_MS = 600_000;

export interface JwtConfig {
  /** Where the issuer publishes its keys. Exactly one of `jwksUrl` and `publicKey`. */
  jwksUrl?: string;
  /** One public key: SPKI PEM (`-----BEGIN PUBLIC KEY-----`) or a public JWK as JSON. */
  publicKey?: string;
  /** Accepted `iss` values (one of them must match). */
  issuer: readonly string[];
  /** Accepted `aud` values (the token must carry one of them). */
  audience: readonly string[];
  /** @default ['RS256', 'ES256'] */
  algorithms?: readonly JwtAlgorithm[];
  /** Claim holding the caller's groups: a name, or a dotted path (`realm_access.roles`). @default 'groups' */
  groupsClaim?: string;
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. @default 30 */
  clockToleranceSeconds?: number;
  /** @default 5_000 */
  jwksTimeoutMs?: number;
  /** @default 30_000 */
  jwksCooldownMs?: number;
  /** @default 600_000 */
  jwksCacheMaxAgeMs?: number;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A JWKS URL must be https, except on the loopback interface (local issuers, tests). */
export function checkJwksUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return 'must be an https URL (http only on localhost)';
}

/**
 * Reads `AUTH_JWT_PUBLIC_KEY`: SPKI PEM (literal `\n` accepted, as env files often hold one line)
 * or a public JWK. Throws with a message that never contains the value, and refuses private
 * and symmetric keys, which do not belong in a verifier's configuration.
 */
export function parseJwtPublicKey(value: string): KeyObject {
  const text = value.trim().replaceAll('\\n', '\n');
  if (/PRIVATE KEY-----/.test(text)) throw new Error('must be a public key, not a private key');
  let key: KeyObject;
  try {
    if (text.startsWith('{')) {
      const jwk: unknown = JSON.parse(text);
      if (typeof jwk !== 'object' || jwk === null) throw new Error();
      if ('d' in jwk || 'k' in jwk) throw new Error('private');
      key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    } else {
      key = createPublicKey({ key: text, format: 'pem' });
    }
  } catch (error) {
    if (error instanceof Error && error.message === 'private') {
      throw new Error('must be a public JWK (no "d" or "k" member)');
    }
    throw new Error('must be a public key as SPKI PEM or a public JWK');
  }
  if (key.type !== 'public') throw new Error('must be a public key');
  return key;
}

/** Verifies a bearer JWT and turns its claims into a principal; throws AuthenticationError. */
export type JwtVerifier = (token: string) => Promise<Principal>;

export function createJwtVerifier(config: JwtConfig): JwtVerifier {
  if (Boolean(config.jwksUrl) === Boolean(config.publicKey)) {
    throw new Error('JWT verification needs exactly one of a JWKS URL and a public key');
  }
  if (config.issuer.length === 0 || config.audience.length === 0) {
    throw new Error('JWT verification needs an issuer and an audience');
  }
  const algorithms = [...(config.algorithms ?? DEFAULT_JWT_ALGORITHMS)];
  for (const algorithm of algorithms) {
    if (!(JWT_ALGORITHMS as readonly string[]).includes(algorithm)) {
      throw new Error(`JWT algorithm ${algorithm} is not an accepted asymmetric algorithm`);
    }
  }
  const groupsClaim = config.groupsClaim ?? DEFAULT_GROUPS_CLAIM;
  const clockToleranceSeconds = config.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const options: JWTVerifyOptions = {
    issuer: [...config.issuer],
    audience: [...config.audience],
    algorithms,
    clockTolerance: clockToleranceSeconds,
    requiredClaims: ['sub', 'exp'],
  };
  const viaJwks = config.jwksUrl !== undefined;
  const key: JWTVerifyGetKey | KeyObject = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl), {
        timeoutDuration: config.jwksTimeoutMs ?? DEFAULT_JWKS_TIMEOUT_MS,
        cooldownDuration: config.jwksCooldownMs ?? DEFAULT_JWKS_COOLDOWN_MS,
        cacheMaxAge: config.jwksCacheMaxAgeMs ?? DEFAULT_JWKS_CACHE_MAX_AGE_MS,
      })
    : parseJwtPublicKey(config.publicKey!);

  return async (token) => {
    let payload: JWTPayload;
    try {
      // Both overloads, narrowed at run time; TypeScript cannot pick one for the union.
      payload =
        typeof key === 'function'
          ? (await jwtVerify(token, key, options)).payload
          : (await jwtVerify(token, key, options)).payload;
    } catch (error) {
      throw toAuthenticationError(error, viaJwks);
    }
    const subject = payload.sub;
    if (typeof subject !== 'string' || subject.length === 0) {
      throw new AuthenticationError('invalid', 'The token has no subject');
    }
    // `exp` is required above; the verifier accepts the token until `exp` plus the tolerance.
    const expiresAt =
      typeof payload.exp === 'number' ? (payload.exp + clockToleranceSeconds) * 1000 : undefined;
    return createPrincipal(
      'jwt',
      subject,
      groupsOf(claimAt(payload, groupsClaim)),
      scopesOf(payload),
      expiresAt,
    );
  };
}

/** Maps jose's failures to fixed, safe messages; jose's own text and the claims stay out. */
function toAuthenticationError(error: unknown, viaJwks: boolean): AuthenticationError {
  if (error instanceof errors.JWTExpired) {
    return new AuthenticationError('expired', 'The token has expired');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new AuthenticationError(
      'invalid',
      'The token was not accepted: issuer, audience, subject or validity period does not match',
    );
  }
  if (viaJwks) {
    const keysUnreachable =
      !(error instanceof errors.JOSEError) ||
      error instanceof errors.JWKSTimeout ||
      error instanceof errors.JWKSInvalid ||
      error.code === errors.JOSEError.code;
    if (keysUnreachable) {
      return new AuthenticationError('unavailable', 'The token could not be verified now; try again later');
    }
  }
  return new AuthenticationError('invalid', 'The token is not valid');
}

function claimAt(payload: JWTPayload, claim: string): unknown {
  if (Object.hasOwn(payload, claim)) return payload[claim];
  let value: unknown = payload;
  for (const part of claim.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Groups: an array of strings (other items ignored) or a single group name. */
function groupsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** Scopes: an array of strings or one space-separated string. */
function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** OAuth 2 `scope` (space-separated, RFC 8693) and Azure/Okta-style `scp` (array or string). */
function scopesOf(payload: JWTPayload): string[] {
  return [...stringList(payload.scope), ...stringList(payload.scp)];
}
