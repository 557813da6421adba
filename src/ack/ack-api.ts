import type { Logger } from '../logger.js';
import type { AckCache, AckCacheReadOptions, AckStaleness, MaybeStale } from './ack-cache.js';
import type { AckClient } from './ack-client.js';
import { AckError } from './errors.js';
import {
  type AckClusterDetail,
  AckClusterDetailSpec,
  type AckClusterListEntry,
  AckClusterListEntrySpec,
} from './model/cluster.js';
import type { ObjectSpec, ParsedObject } from './model/dsl.js';
import { type AckNodePool, AckNodePoolSpec } from './model/node-pool.js';
import { type ParseIssue, parseObject } from './model/parse.js';

/** A node pool together with the cluster it was listed under. */
export type AckClusterNodePool = AckNodePool & { readonly clusterId: string };

/** One cluster's node pools, as one `DescribeClusterNodePools` call answered them. */
/** When ACK gave an answer (epoch ms): a stale answer keeps the time of the answer it repeats. */
export interface Observed {
  readonly observedAt: number;
}

export interface AckNodePoolList extends Observed {
  clusterId: string;
  nodePools: readonly AckClusterNodePool[];
  requestId?: string;
  /** Set when ACK failed and this older answer is served instead (stale-if-error). */
  stale?: AckStaleness;
}

/** Filters `DescribeClustersV1` applies upstream. */
export interface AckClusterListFilter {
  name?: string;
  clusterType?: string;
  regionId?: string;
}

/** One page of `DescribeClustersV1`. */
export interface AckClusterListPage extends Observed {
  clusters: readonly AckClusterListEntry[];
  pageNumber: number;
  pageSize: number;
  totalCount: number;
  requestId?: string;
  /** Set when ACK failed and this older answer is served instead (stale-if-error). */
  stale?: AckStaleness;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The ACK operations the gateway uses, each read through the process-wide cache and parsed once
 * at this edge. Callers validate ids first (`ids.ts`); nothing unchecked reaches a URL here.
 *
 * Every answer may carry `stale` (`AckStaleness`: `ageMs`, `reason`, `kind`, `upstreamCode`):
 * ACK failed transiently and a cached answer past its TTL, within the stale grace, stands in.
 * A `NOT_FOUND` failure is remembered for the cache's not-found TTL.
 */
export class AckApi {
  constructor(
    private readonly client: AckClient,
    private readonly cache: AckCache,
    private readonly logger: Logger,
  ) {}

  /** `DescribeClusterNodePools` for one cluster (GET /clusters/{ClusterId}/nodepools). */
  nodePools(clusterId: string, read?: AckCacheReadOptions): Promise<AckNodePoolList> {
    const key = `${this.client.identity}\0DescribeClusterNodePools\0${clusterId}`;
    return this.cache.get(
      key,
      async () => {
        const { body, requestId } = await this.client.get(
          'DescribeClusterNodePools',
          ['clusters', clusterId, 'nodepools'],
          {},
          { caller: read?.caller },
        );
        return {
          clusterId,
          requestId,
          observedAt: Date.now(),
          nodePools: this.parseNodePools(clusterId, body, requestId),
        };
      },
      read,
    );
  }

  /** `DescribeClusterDetail` for one cluster (GET /clusters/{ClusterId}). */
  clusterDetail(
    clusterId: string,
    read?: AckCacheReadOptions,
  ): Promise<MaybeStale<AckClusterDetail & Observed>> {
    const key = `${this.client.identity}\0DescribeClusterDetail\0${clusterId}`;
    return this.cache.get(
      key,
      async () => {
        const { body, requestId } = await this.client.get(
          'DescribeClusterDetail',
          ['clusters', clusterId],
          {},
          { caller: read?.caller },
        );
        const detail = isRecord(body)
          ? this.parseOne<AckClusterDetail>(AckClusterDetailSpec, body, { clusterId, requestId })
          : null;
        if (!detail) {
          throw new AckError('BAD_RESPONSE', 'ACK answered DescribeClusterDetail without a usable cluster.', {
            requestId,
          });
        }
        return Object.assign(detail, { observedAt: Date.now() });
      },
      read,
    );
  }

  /** One page of `DescribeClustersV1` (GET /api/v1/clusters), filtered upstream. */
  clusterList(
    pageNumber: number,
    pageSize: number,
    filter: AckClusterListFilter = {},
    read?: AckCacheReadOptions,
  ): Promise<AckClusterListPage> {
    const query = {
      page_number: pageNumber,
      page_size: pageSize,
      name: filter.name,
      cluster_type: filter.clusterType,
      region_id: filter.regionId,
    };
    const key = `${this.client.identity}\0DescribeClustersV1\0${JSON.stringify(query)}`;
    return this.cache.get(
      key,
      async () => {
        const { body, requestId } = await this.client.get(
          'DescribeClustersV1',
          ['api', 'v1', 'clusters'],
          query,
          {
            caller: read?.caller,
          },
        );
        const items = isRecord(body) ? body.clusters : undefined;
        const pageInfo = isRecord(body) && isRecord(body.page_info) ? body.page_info : {};
        const totalCount = Number(pageInfo.total_count);
        if (!Array.isArray(items ?? []) || !Number.isSafeInteger(totalCount) || totalCount < 0) {
          throw new AckError('BAD_RESPONSE', 'ACK answered DescribeClustersV1 without a cluster page.', {
            requestId,
          });
        }
        const clusters = ((items ?? []) as unknown[]).flatMap((item, index) => {
          const entry = isRecord(item)
            ? this.parseOne<AckClusterListEntry>(AckClusterListEntrySpec, item, { requestId, index })
            : null;
          return entry ? [entry] : [];
        });
        return { clusters, pageNumber, pageSize, totalCount, requestId, observedAt: Date.now() };
      },
      read,
    );
  }

  /**
   * Whether ACK answers with the configured credentials: one uncached, minimal
   * `DescribeClustersV1` page, one attempt, past the circuit breaker (a probe reports ACK as
   * it is). Throttling and RAM denials still prove both, so they count as up.
   */
  async ping(): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      await this.client.get(
        'DescribeClustersV1',
        ['api', 'v1', 'clusters'],
        { page_number: 1, page_size: 1 },
        { probe: true },
      );
      return { ok: true };
    } catch (error) {
      if (error instanceof AckError) {
        if (error.kind === 'THROTTLED' || error.kind === 'FORBIDDEN') return { ok: true };
        return { ok: false, reason: error.message };
      }
      throw error;
    }
  }

  /** Parses one upstream object, logging (paths only, never values) what did not fit. */
  private parseOne<T extends ParsedObject>(
    spec: ObjectSpec,
    source: Record<string, unknown>,
    logContext: Record<string, unknown>,
  ): T | null {
    const issues: ParseIssue[] = [];
    const parsed = parseObject<T>(spec, source, '', issues);
    if (issues.length > 0 || parsed === null) {
      this.logger.warn(
        { ...logContext, object: spec.name, issues, dropped: parsed === null },
        parsed === null
          ? `ACK ${spec.name} without a usable id was left out of the answer`
          : `ACK ${spec.name} fields did not match their documented types and are answered with errors`,
      );
    }
    return parsed;
  }

  private parseNodePools(clusterId: string, body: unknown, requestId?: string): AckClusterNodePool[] {
    const items =
      typeof body === 'object' && body !== null ? (body as { nodepools?: unknown }).nodepools : undefined;
    if (items === undefined || items === null) return [];
    if (!Array.isArray(items)) {
      throw new AckError('BAD_RESPONSE', 'ACK answered DescribeClusterNodePools without a node pool list.', {
        requestId,
      });
    }
    const nodePools: AckClusterNodePool[] = [];
    items.forEach((item, index) => {
      if (!isRecord(item)) {
        this.logger.warn({ clusterId, requestId, index }, 'ACK node pool that is not an object was left out');
        return;
      }
      const pool = this.parseOne<AckNodePool>(AckNodePoolSpec, item, { clusterId, requestId, index });
      if (pool !== null) nodePools.push(Object.assign(pool, { clusterId }));
    });
    return nodePools;
  }
}
