/** Why a request was not authenticated. Only `unavailable` is the gateway's fault. */
export type AuthenticationFailure =
  /** No credential was sent. */
  | 'missing'
  /** A credential was sent in a form the gateway does not accept (scheme, size, two headers). */
  | 'malformed'
  /** The credential is wrong: unknown key, bad signature, algorithm, issuer or audience. */
  | 'invalid'
  /** The token was valid once but has expired (or is not valid yet). */
  | 'expired'
  /** The keys needed to verify the token could not be fetched (JWKS down, slow or broken). */
  | 'unavailable';

/** The realm named in `WWW-Authenticate`. */
export const AUTH_REALM = 'ack-gateway';

/**
 * A request the gateway refuses to serve because it cannot tell who sent it. The message is
 * fixed per failure and safe to show to the caller: it never contains the credential, a claim
 * or the verifier's own error text. No `cause` is attached, so logging it never logs claims.
 *
 * To answer it from yoga's context factory:
 * `throw new GraphQLError(error.message, { extensions: error.extensions })`.
 */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';

  constructor(
    readonly reason: AuthenticationFailure,
    message: string,
  ) {
    super(message);
  }

  /** `UNAUTHENTICATED`, or `AUTHENTICATION_UNAVAILABLE` when the gateway could not verify. */
  get code(): 'UNAUTHENTICATED' | 'AUTHENTICATION_UNAVAILABLE' {
    return this.reason === 'unavailable' ? 'AUTHENTICATION_UNAVAILABLE' : 'UNAUTHENTICATED';
  }

  /** 401 for the caller's mistakes, 503 when the verification keys are unreachable. */
  get httpStatus(): 401 | 503 {
    return this.reason === 'unavailable' ? 503 : 401;
  }

  /** RFC 6750 challenge for a 401; nothing for a 503. */
  get httpHeaders(): Record<string, string> {
    if (this.reason === 'unavailable') return {};
    const error =
      this.reason === 'missing'
        ? ''
        : this.reason === 'malformed'
          ? ', error="invalid_request"'
          : ', error="invalid_token"';
    return { 'WWW-Authenticate': `Bearer realm="${AUTH_REALM}"${error}` };
  }

  /** GraphQL error extensions, in the shape yoga reads the HTTP status and headers from. */
  get extensions(): { code: string; http: { status: number; headers: Record<string, string> } } {
    return { code: this.code, http: { status: this.httpStatus, headers: this.httpHeaders } };
  }
}
