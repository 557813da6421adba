import { type ApiKeyConfig, createApiKeyMatcher } from './api-key.js';
import { AuthenticationError } from './authentication-error.js';
import { createJwtVerifier, type JwtConfig } from './jwt.js';
import { ANONYMOUS_NAME, createPrincipal, type Principal } from './principal.js';

export type AuthMode = 'none' | 'api-key' | 'jwt';

/** How callers prove who they are; one mode per gateway. */
export type AuthenticationConfig =
  /** Local development: every caller is the anonymous principal; credentials sent are ignored. */
  | {
      mode: 'none' /** Scopes the anonymous principal holds. @default [] */;
      anonymousScopes?: readonly string[];
    }
  /** `Authorization: Bearer <key>` or `x-api-key: <key>`, checked against configured hashes. */
  | { mode: 'api-key'; keys: readonly ApiKeyConfig[] }
  /** `Authorization: Bearer <jwt>`, verified against a JWKS URL or one public key. */
  | { mode: 'jwt'; jwt: JwtConfig };

/** Just what authentication reads of a request (a fetch `Request` fits). */
export interface CredentialSource {
  readonly headers: Pick<Headers, 'get'>;
}

/**
 * Resolves the request's caller or throws an AuthenticationError (safe to show). Never throws
 * in mode `none`. Does no I/O except, in JWT mode with a JWKS URL, fetching the keys (cached).
 */
export type Authenticator = (request: CredentialSource) => Promise<Principal>;

/** Longest credential read from a header; anything longer is refused before any parsing. */
export const MAX_CREDENTIAL_LENGTH = 8_192;
const CREDENTIAL_PATTERN = /^[\x21-\x7e]+$/;
const BEARER_PATTERN = /^Bearer +(\S+) *$/i;

export function createAuthenticator(config: AuthenticationConfig): Authenticator {
  switch (config.mode) {
    case 'none': {
      const anonymous = createPrincipal('anonymous', ANONYMOUS_NAME, [], config.anonymousScopes ?? []);
      return async () => anonymous;
    }
    case 'api-key': {
      if (config.keys.length === 0) throw new Error('AUTH_MODE=api-key needs at least one key');
      const match = createApiKeyMatcher(config.keys);
      // Built once: the same frozen principal serves every request with that key.
      const principals = new Map(
        config.keys.map((key) => [key, createPrincipal('api-key', key.name, key.groups, key.scopes)]),
      );
      return async (request) => {
        const presented = readCredential(request, true);
        const key = match(presented);
        if (!key) throw new AuthenticationError('invalid', 'The API key is not valid');
        return principals.get(key)!;
      };
    }
    case 'jwt': {
      const verify = createJwtVerifier(config.jwt);
      return async (request) => verify(readCredential(request, false));
    }
  }
}

/** The credential of a request: the Bearer token, or (API keys only) the `x-api-key` header. */
function readCredential(request: CredentialSource, acceptApiKeyHeader: boolean): string {
  const authorization = request.headers.get('authorization');
  const apiKey = acceptApiKeyHeader ? request.headers.get('x-api-key') : null;
  const how = acceptApiKeyHeader
    ? '"Authorization: Bearer <key>" or "x-api-key: <key>"'
    : '"Authorization: Bearer <token>"';
  if (authorization === null && apiKey === null) {
    throw new AuthenticationError('missing', `Authentication required: send ${how}`);
  }
  let bearer: string | undefined;
  if (authorization !== null) {
    if (authorization.length > MAX_CREDENTIAL_LENGTH) throw tooLong();
    bearer = BEARER_PATTERN.exec(authorization)?.[1];
    if (bearer === undefined) {
      throw new AuthenticationError('malformed', 'The Authorization header must be "Bearer <credential>"');
    }
  }
  if (apiKey !== null) {
    if (apiKey.length > MAX_CREDENTIAL_LENGTH) throw tooLong();
    if (bearer !== undefined && bearer !== apiKey.trim()) {
      throw new AuthenticationError('malformed', 'Send the API key in one header only');
    }
  }
  const credential = bearer ?? apiKey?.trim() ?? '';
  if (!CREDENTIAL_PATTERN.test(credential)) {
    throw new AuthenticationError('malformed', 'The credential must be printable ASCII without spaces');
  }
  return credential;
}

const tooLong = () =>
  new AuthenticationError('malformed', `The credential is longer than ${MAX_CREDENTIAL_LENGTH} characters`);
