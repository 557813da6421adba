/**
 * Per-cluster faults: the failures and odd answers a gateway must survive, switched on by
 * cluster id or index (`faults: { [clusterId]: 'throttled', 2: 'server-error' }`), at start
 * or at run time.
 *
 * Error faults answer every route of that cluster id (which need not exist), and a
 * DescribeClustersV1 call filtered by it. Data faults ('malformed', 'future') change the node
 * pool answers (list and detail) of an existing cluster; its cluster detail stays as it is.
 */
import { type Answer, errorAnswer, newRequestId } from './answer.js';
import type { WireNodePool } from './wire-types.js';

export const FAULT_KINDS = [
  'forbidden',
  'throttled',
  'server-error',
  'unavailable',
  'non-json',
  'slow',
  'malformed',
  'future',
] as const;

export type Fault = (typeof FAULT_KINDS)[number];

/** Faults that change the data and need the cluster to exist. */
export const DATA_FAULTS: readonly Fault[] = ['malformed', 'future'];

/** How long a 'slow' cluster takes to answer. @default 10 s */
export const DEFAULT_SLOW_MS = 10_000;

/**
 * The `x-acs-retry-after` (milliseconds) sent with `Throttling.User`.
 * @default 1000
 */
export const DEFAULT_THROTTLE_RETRY_AFTER_MS = 1_000;

/**
 * ACK's OpenAPI gateway answers flow control with HTTP 400 and `Throttling.User` (the POP
 * convention); the SDK classifies by the code, so it throws a ThrottlingError either way.
 */
export const THROTTLING_STATUS = 400;

/** The body a broken proxy in front of ACK sends: Alibaba's front ends run Tengine. */
export const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n';

export function isFault(value: unknown): value is Fault {
  return typeof value === 'string' && (FAULT_KINDS as readonly string[]).includes(value);
}

/**
 * Other spellings a person may type for a kind: `html-502` is what 'non-json' looks like on
 * the wire (a proxy's 502 page).
 */
export const FAULT_ALIASES: Readonly<Record<string, Fault>> = { 'html-502': 'non-json' };

/** The kinds and aliases, as an error message lists them. */
export function allowedFaultKinds(): string {
  const aliases = Object.entries(FAULT_ALIASES).map(([alias, kind]) => `${alias} (= ${kind})`);
  return [...FAULT_KINDS, ...aliases].join(', ');
}

/** A kind or alias as typed (surrounding spaces ignored), or undefined when it is neither. */
export function faultFromText(text: string): Fault | undefined {
  const trimmed = text.trim();
  if (isFault(trimmed)) return trimmed;
  return Object.hasOwn(FAULT_ALIASES, trimmed) ? FAULT_ALIASES[trimmed] : undefined;
}

/** The answer of an error fault, or undefined for faults that answer normally ('slow', data faults). */
export function faultAnswer(
  fault: Fault,
  context: { action: string; clusterId: string; accountId: string; retryAfterMs: number },
): Answer | undefined {
  switch (fault) {
    case 'forbidden':
      return errorAnswer(
        403,
        'StatusForbidden',
        `Forbidden: the RAM user is not authorized to perform cs:${context.action} on cluster ${context.clusterId}.`,
        {
          extraBody: {
            accessDeniedDetail: {
              AuthAction: `cs:${context.action}`,
              AuthPrincipalDisplayName: 'simulator-readonly-user',
              AuthPrincipalOwnerId: context.accountId,
              AuthPrincipalType: 'SubUser',
              EncodedDiagnosticMessage: Buffer.from(
                JSON.stringify({ action: `cs:${context.action}`, resource: `cluster/${context.clusterId}` }),
              ).toString('base64'),
              NoPermissionType: 'ImplicitDeny',
              PolicyType: 'AccountLevelIdentityBasedPolicy',
            },
          },
        },
      );
    case 'throttled':
      return errorAnswer(
        THROTTLING_STATUS,
        'Throttling.User',
        'Request was denied due to user flow control.',
        {
          headers: { 'x-acs-retry-after': String(context.retryAfterMs) },
        },
      );
    case 'server-error':
      return errorAnswer(
        500,
        'InternalError',
        'The request processing has failed due to some unknown error, exception or failure.',
      );
    case 'unavailable':
      return errorAnswer(
        503,
        'ServiceUnavailable',
        'The request has failed due to a temporary failure of the server.',
      );
    case 'non-json': {
      const requestId = newRequestId();
      return {
        status: 502,
        headers: { 'content-type': 'text/html', 'x-acs-request-id': requestId },
        body: Buffer.from(BAD_GATEWAY_HTML),
      };
    }
    case 'slow':
    case 'malformed':
    case 'future':
      return undefined;
  }
}

/** The pool a 'malformed' or 'future' fault changes: the last one. */
export function faultedPoolIndex(pools: readonly WireNodePool[]): number {
  return pools.length - 1;
}

/** Name of the extra, id-less pool that 'malformed' appends. */
export const MALFORMED_EXTRA_POOL_NAME = 'orphan-nodepool';

/**
 * 'malformed': the last pool carries values the SDK's typed model cannot coerce
 * (`status.total_nodes: "many"`, `nodepool_info.is_default: "TRUE"`,
 * `scaling_group.instance_types: "ecs.g7.large"`), and one extra pool has no
 * `nodepool_info.nodepool_id` at all. The other pools are untouched.
 */
export function malformNodePools(pools: readonly WireNodePool[]): unknown[] {
  const target = faultedPoolIndex(pools);
  const out: unknown[] = pools.map((pool, index) => {
    if (index !== target) return pool;
    const copy = structuredClone(pool) as unknown as Record<string, Record<string, unknown>>;
    copy.status!.total_nodes = 'many';
    copy.nodepool_info!.is_default = 'TRUE';
    copy.scaling_group!.instance_types = 'ecs.g7.large';
    return copy;
  });
  const template = pools[0];
  if (template) {
    const orphan = structuredClone(template) as unknown as Record<string, Record<string, unknown>>;
    delete orphan.nodepool_info!.nodepool_id;
    orphan.nodepool_info!.name = MALFORMED_EXTRA_POOL_NAME;
    orphan.nodepool_info!.is_default = false;
    out.push(orphan);
  } else {
    out.push({ nodepool_info: { name: MALFORMED_EXTRA_POOL_NAME, type: 'ess', is_default: false } });
  }
  return out;
}

/**
 * 'future': what ACK may send after a release the gateway has not seen. The last pool gets
 * type `hybrid`, state `upgrading`, `multi_az_policy: "NEW_POLICY"` and an empty
 * `spot_strategy`; every pool gets unknown fields in known blocks and unknown blocks.
 * All of it is valid for the SDK (unknown keys are dropped), so calls succeed.
 */
export function futurizeNodePools(pools: readonly WireNodePool[]): unknown[] {
  const target = faultedPoolIndex(pools);
  return pools.map((pool, index) => {
    const copy = structuredClone(pool) as unknown as Record<string, Record<string, unknown>>;
    copy.nodepool_info!.lifecycle_stage = 'general-availability';
    copy.status!.hibernated_nodes = 0;
    copy.scaling_group!.future_placement = { strategy: 'topology-aware', weight: 3 };
    copy.ai_profile = { enabled: true, accelerator: 'npu', driver_version: '25.1.0' };
    copy.observability = { log_collection: { enabled: true, projects: ['k8s-log'] } };
    if (index === target) {
      copy.nodepool_info!.type = 'hybrid';
      copy.status!.state = 'upgrading';
      copy.scaling_group!.multi_az_policy = 'NEW_POLICY';
      copy.scaling_group!.spot_strategy = '';
    }
    return copy;
  });
}
