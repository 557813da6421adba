/**
 * Who is calling. Built by the authenticator once per request and read by the policy and by
 * resolvers that guard sensitive fields; frozen so nothing downstream can widen it.
 */
export interface Principal {
  /** How the caller proved who it is: nothing (`AUTH_MODE=none`), a static API key or a JWT. */
  readonly kind: 'anonymous' | 'api-key' | 'jwt';
  /** `anonymous`, the API key's configured name, or the JWT's `sub`. */
  readonly name: string;
  /** From the API key's configuration or the JWT's groups claim; matched by `group:<name>`. */
  readonly groups: readonly string[];
  /** From the API key's configuration, the JWT's `scope`/`scp`, or `AUTH_ANONYMOUS_SCOPES`. */
  readonly scopes: readonly string[];
  /**
   * When the credential stops being accepted (epoch ms): a JWT's `exp` plus the clock
   * tolerance. Long-lived streams (subscriptions) end then. Undefined: it does not expire.
   */
  readonly expiresAt?: number;
}

export type PrincipalKind = Principal['kind'];

/**
 * The scope that unlocks node-pool fields that can hold secrets (`userData`, `preUserData`:
 * cloud-init scripts often embed tokens). Without it those fields answer null with `FORBIDDEN`.
 */
export const SENSITIVE_SCOPE = 'ack:sensitive';

export const ANONYMOUS_NAME = 'anonymous';

/** Most groups or scopes kept from one credential; the rest are ignored, bounding per-request work. */
export const MAX_PRINCIPAL_ENTRIES = 256;
/** Longest group or scope name kept; longer ones are ignored. */
export const MAX_PRINCIPAL_ENTRY_LENGTH = 256;

export function hasScope(principal: Principal, scope: string): boolean {
  return principal.scopes.includes(scope);
}

/** A frozen principal with deduplicated, bounded groups and scopes. */
export function createPrincipal(
  kind: PrincipalKind,
  name: string,
  groups: Iterable<string> = [],
  scopes: Iterable<string> = [],
  expiresAt?: number,
): Principal {
  const principal: Principal = {
    kind,
    name,
    groups: Object.freeze(boundedUnique(groups)),
    scopes: Object.freeze(boundedUnique(scopes)),
  };
  // Not enumerable: a principal is compared and printed as who it is, not as when its token ends.
  if (expiresAt !== undefined) Object.defineProperty(principal, 'expiresAt', { value: expiresAt });
  return Object.freeze(principal);
}

/** Whether the principal's credential has expired by `now` (epoch ms). */
export function hasExpired(principal: Principal, now = Date.now()): boolean {
  return principal.expiresAt !== undefined && now >= principal.expiresAt;
}

function boundedUnique(values: Iterable<string>): string[] {
  const kept = new Set<string>();
  for (const value of values) {
    if (kept.size >= MAX_PRINCIPAL_ENTRIES) break;
    if (value.length > 0 && value.length <= MAX_PRINCIPAL_ENTRY_LENGTH) kept.add(value);
  }
  return [...kept];
}
