import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isAckId } from '../ack/ids.js';
import { API_KEY_NAME_PATTERN } from './api-key.js';
import { ANONYMOUS_NAME, type Principal } from './principal.js';
import {
  compileWildcard,
  type Hole,
  hole,
  subjectTokens,
  UNKNOWN_VALUE,
  WildcardError,
  type WildcardPattern,
  wildcardsOverlap,
} from './wildcard.js';

/**
 * Which clusters a caller may see, in the terms of Alibaba Cloud RAM: statements grant (Allow)
 * or refuse (Deny) principals the clusters whose ARN `acs:cs:{region}:{account}:cluster/{id}`
 * matches one of their resource patterns. A cluster is visible when some Allow statement for
 * the principal matches it and no Deny statement for the principal does (Deny wins; nothing
 * matching is an implicit deny). Without any policy configured, every caller sees everything.
 *
 * The gateway builds a cluster's ARN from its configured account id and region. When one of
 * them is unknown, the policy fails closed: an Allow statement counts only if it matches
 * whatever the unknown value is (its pattern has a `*` there), and a Deny statement counts if
 * it could match some value.
 */

export const MAX_STATEMENTS = 1_000;
export const MAX_ENTRIES_PER_STATEMENT = 100;
const MAX_PRINCIPAL_LENGTH = 256;

/** The principal forms a statement may name; all are exact and case-sensitive. */
export const PRINCIPAL_FORMS = ['key:<api key name>', 'sub:<jwt subject>', 'group:<group>', 'anonymous', '*'];

const ACCOUNT_ID_PATTERN = /^[0-9]{1,32}$/;
const REGION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** The alphabets of the ARN's parts, for the values the gateway does not know. */
const SOME_REGION = hole(/[a-z0-9-]/);
const SOME_ACCOUNT = hole(/[0-9]/);
const SOME_CLUSTER = hole(/[A-Za-z0-9_-]/);
/** Every ACK cluster ARN, as a pattern: a resource that cannot overlap it is a mistake. */
const ANY_CLUSTER = subjectTokens(['acs:cs:', SOME_REGION, ':', SOME_ACCOUNT, ':cluster/', SOME_CLUSTER]);
const FREE_TEXT = /^[^\p{Cc}]+$/u;

function isPrincipalReference(value: string): boolean {
  if (value === '*' || value === ANONYMOUS_NAME) return true;
  if (value.length > MAX_PRINCIPAL_LENGTH) return false;
  if (value.startsWith('key:')) return API_KEY_NAME_PATTERN.test(value.slice(4));
  const rest = value.startsWith('sub:') ? value.slice(4) : value.startsWith('group:') ? value.slice(6) : '';
  return FREE_TEXT.test(rest);
}

const ResourceSchema = z.string({ message: 'must be a string' }).superRefine((value, ctx) => {
  try {
    const pattern = compileWildcard(value);
    if (!wildcardsOverlap(pattern.tokens, ANY_CLUSTER)) {
      ctx.addIssue({
        code: 'custom',
        message: 'never matches an ACK cluster ARN (acs:cs:<region>:<account>:cluster/<clusterId>)',
      });
    }
  } catch (error) {
    if (!(error instanceof WildcardError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
});

const StatementSchema = z
  .object(
    {
      sid: z
        .string({ message: 'must be a string' })
        .max(128, { message: 'must be at most 128 characters' })
        .optional(),
      effect: z
        .enum(['Allow', 'Deny'], { errorMap: () => ({ message: 'must be "Allow" or "Deny"' }) })
        .default('Allow'),
      principals: z
        .array(
          z.string({ message: 'must be a string' }).refine(isPrincipalReference, {
            message: `must be one of ${PRINCIPAL_FORMS.join(', ')}`,
          }),
          { message: 'must be an array of strings' },
        )
        .min(1, { message: 'must name at least one principal' })
        .max(MAX_ENTRIES_PER_STATEMENT, {
          message: `must name at most ${MAX_ENTRIES_PER_STATEMENT} principals`,
        }),
      resources: z
        .array(ResourceSchema, { message: 'must be an array of strings' })
        .min(1, { message: 'must name at least one resource' })
        .max(MAX_ENTRIES_PER_STATEMENT, {
          message: `must name at most ${MAX_ENTRIES_PER_STATEMENT} resources`,
        }),
    },
    { message: 'must be an object {"principals", "resources", "effect"?, "sid"?}' },
  )
  .strict();

/** A policy document: a JSON array of statements. */
export const PolicySchema = z
  .array(StatementSchema, { message: 'must be a JSON array of statements' })
  .max(MAX_STATEMENTS, { message: `must hold at most ${MAX_STATEMENTS} statements` });

export type PolicyStatementInput = z.input<typeof StatementSchema>;
export type PolicyStatement = z.output<typeof StatementSchema>;

export class PolicyError extends Error {
  override readonly name = 'PolicyError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid authorization policy:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  }
}

/** Validates a parsed policy document; throws PolicyError listing every problem at once. */
export function parsePolicy(value: unknown): PolicyStatement[] {
  const parsed = PolicySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new PolicyError(parsed.error.issues.map((issue) => `${describePath(issue.path)}: ${issue.message}`));
}

/** `[2, 'resources', 0]` -> `statement 2, resources[0]`. */
export function describePath(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'policy';
  const [statement, ...rest] = path;
  const field = rest.map((part, index) =>
    typeof part === 'number' ? `[${part}]` : `${index ? '.' : ''}${part}`,
  );
  return `statement ${statement}${field.length ? `, ${field.join('')}` : ''}`;
}

export interface PolicyOptions {
  /** The Alibaba Cloud account (UID) owning the clusters; `*` or absent: unknown (fail closed). */
  accountId?: string;
  /** The region of the clusters (the gateway's region); `*` or absent: unknown (fail closed). */
  regionId?: string;
}

export interface Policy {
  /** Whether a policy was configured; without one every authenticated caller sees every cluster. */
  readonly configured: boolean;
  /** Whether the principal may see the cluster. No I/O. False for a string that is not an ACK id. */
  isAllowed(principal: Principal, clusterId: string): boolean;
  /**
   * True when the principal sees every cluster (an Allow statement matches any cluster id and
   * no Deny statement of theirs can match one): a cluster list can then skip filtering.
   */
  allowsAll(principal: Principal): boolean;
  /**
   * Names the set of clusters the principal may see, for cache keys: `all`, `none`, or
   * `policy:<digest of the principal's statements>`. Principals with different permissions
   * never share a key; principals holding the same statements do. It says nothing about
   * scopes: a cache of answers with sensitive fields must key on those too.
   */
  scopeKey(principal: Principal): string;
}

/** The RAM ARN of an ACK cluster. */
export function clusterArn(regionId: string, accountId: string, clusterId: string): string {
  return `acs:cs:${regionId}:${accountId}:cluster/${clusterId}`;
}

interface Grant {
  allow: readonly WildcardPattern[];
  deny: readonly WildcardPattern[];
  allowsAll: boolean;
  scopeKey: string;
}

/**
 * Compiles a policy once: patterns are parsed and statements indexed by principal. With
 * `statements` undefined (no policy configured) everything is allowed; an empty array denies
 * everything, as in RAM. Throws PolicyError on a malformed statement or option.
 */
export function createPolicy(
  statements: readonly PolicyStatementInput[] | undefined,
  options: PolicyOptions = {},
): Policy {
  const accountId = knownOrUndefined(
    options.accountId,
    ACCOUNT_ID_PATTERN,
    'accountId must be digits or "*"',
  );
  const regionId = knownOrUndefined(
    options.regionId,
    REGION_ID_PATTERN,
    'regionId must be a region id or "*"',
  );
  if (statements === undefined) {
    return {
      configured: false,
      isAllowed: (_principal, clusterId) => isAckId(clusterId),
      allowsAll: () => true,
      scopeKey: () => 'all',
    };
  }

  const compiled = parsePolicy(statements).map((statement) => ({
    effect: statement.effect,
    principals: statement.principals,
    patterns: statement.resources.map(compileWildcard),
  }));
  const byPrincipal = new Map<string, number[]>();
  compiled.forEach((statement, index) => {
    for (const principal of new Set(statement.principals)) {
      byPrincipal.set(principal, [...(byPrincipal.get(principal) ?? []), index]);
    }
  });

  const region = regionId ?? UNKNOWN_VALUE;
  const account = accountId ?? UNKNOWN_VALUE;
  const fullyKnown = regionId !== undefined && accountId !== undefined;
  /** Does the pattern match the cluster for every value of what the gateway does not know? */
  const surelyMatches = (pattern: WildcardPattern, clusterId: string) =>
    pattern.matches(clusterArn(region, account, clusterId));
  /** Could the pattern match the cluster for some value of what the gateway does not know? */
  const mayMatch = (pattern: WildcardPattern, clusterId: string | Hole) =>
    fullyKnown && typeof clusterId === 'string'
      ? pattern.matches(clusterArn(region, account, clusterId))
      : wildcardsOverlap(
          pattern.tokens,
          subjectTokens([
            'acs:cs:',
            regionId ?? SOME_REGION,
            ':',
            accountId ?? SOME_ACCOUNT,
            ':cluster/',
            clusterId,
          ]),
        );

  const grants = new WeakMap<Principal, Grant>();
  const grantOf = (principal: Principal): Grant => {
    let grant = grants.get(principal);
    if (!grant) {
      const indices = new Set<number>();
      for (const reference of principalReferences(principal)) {
        for (const index of byPrincipal.get(reference) ?? []) indices.add(index);
      }
      const mine = [...indices].sort((a, b) => a - b).map((index) => compiled[index]!);
      const allow = mine.filter((s) => s.effect === 'Allow').flatMap((s) => s.patterns);
      const deny = mine.filter((s) => s.effect === 'Deny').flatMap((s) => s.patterns);
      const allowsAll =
        allow.some((pattern) => surelyMatches(pattern, UNKNOWN_VALUE)) &&
        !deny.some((pattern) => mayMatch(pattern, SOME_CLUSTER));
      grant = { allow, deny, allowsAll, scopeKey: allowsAll ? 'all' : digestOf(allow, deny) };
      grants.set(principal, grant);
    }
    return grant;
  };

  return {
    configured: true,
    isAllowed(principal, clusterId) {
      if (!isAckId(clusterId)) return false;
      const grant = grantOf(principal);
      if (grant.allowsAll) return true;
      return (
        grant.allow.some((pattern) => surelyMatches(pattern, clusterId)) &&
        !grant.deny.some((pattern) => mayMatch(pattern, clusterId))
      );
    },
    allowsAll: (principal) => grantOf(principal).allowsAll,
    scopeKey: (principal) => grantOf(principal).scopeKey,
  };
}

/** The statement principals that name this caller. */
function principalReferences(principal: Principal): string[] {
  const own =
    principal.kind === 'anonymous'
      ? ANONYMOUS_NAME
      : principal.kind === 'api-key'
        ? `key:${principal.name}`
        : `sub:${principal.name}`;
  return ['*', own, ...principal.groups.map((group) => `group:${group}`)];
}

function digestOf(allow: readonly WildcardPattern[], deny: readonly WildcardPattern[]): string {
  if (allow.length === 0) return 'none';
  const canonical = (patterns: readonly WildcardPattern[]) =>
    [...new Set(patterns.map((p) => p.source))].sort();
  const digest = createHash('sha256')
    .update(JSON.stringify({ allow: canonical(allow), deny: canonical(deny) }))
    .digest('hex');
  return `policy:${digest.slice(0, 32)}`;
}

function knownOrUndefined(value: string | undefined, pattern: RegExp, message: string): string | undefined {
  if (value === undefined || value === '' || value === '*') return undefined;
  if (!pattern.test(value)) throw new PolicyError([message]);
  return value;
}
