import type { Logger } from '../logger.js';
import type { AckCache } from './ack-cache.js';
import type { AckClient } from './ack-client.js';
import { AckError } from './errors.js';
import { type AckNodePool, AckNodePoolSpec } from './model/node-pool.js';
import { type ParseIssue, parseObject } from './model/parse.js';

/** A node pool together with the cluster it was listed under. */
export type AckClusterNodePool = AckNodePool & { readonly clusterId: string };

/** One cluster's node pools, as one `DescribeClusterNodePools` call answered them. */
export interface AckNodePoolList {
  clusterId: string;
  nodePools: readonly AckClusterNodePool[];
  requestId?: string;
}

/**
 * The ACK operations the gateway uses, each read through the process-wide cache and parsed once
 * at this edge. Callers validate ids first (`ids.ts`); nothing unchecked reaches a URL here.
 */
export class AckApi {
  constructor(
    private readonly client: AckClient,
    private readonly cache: AckCache,
    private readonly logger: Logger,
  ) {}

  /** `DescribeClusterNodePools` for one cluster (GET /clusters/{ClusterId}/nodepools). */
  nodePools(clusterId: string): Promise<AckNodePoolList> {
    const key = `${this.client.identity}\0DescribeClusterNodePools\0${clusterId}`;
    return this.cache.get(key, async () => {
      const { body, requestId } = await this.client.get('DescribeClusterNodePools', [
        'clusters',
        clusterId,
        'nodepools',
      ]);
      return { clusterId, requestId, nodePools: this.parseNodePools(clusterId, body, requestId) };
    });
  }

  /**
   * Whether ACK answers with the configured credentials: one uncached, minimal
   * `DescribeClustersV1` page. Throttling and RAM denials still prove both, so they count as up.
   */
  async ping(): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      await this.client.get('DescribeClustersV1', ['api', 'v1', 'clusters'], {
        page_number: 1,
        page_size: 1,
      });
      return { ok: true };
    } catch (error) {
      if (error instanceof AckError) {
        if (error.kind === 'THROTTLED' || error.kind === 'FORBIDDEN') return { ok: true };
        return { ok: false, reason: error.message };
      }
      throw error;
    }
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
      const issues: ParseIssue[] = [];
      const pool =
        typeof item === 'object' && item !== null && !Array.isArray(item)
          ? parseObject<AckNodePool>(AckNodePoolSpec, item as Record<string, unknown>, '', issues)
          : null;
      if (issues.length > 0 || pool === null) {
        // Paths and expected types only: values may hold secrets (user data, passwords).
        this.logger.warn(
          { clusterId, requestId, index, nodePoolId: pool?.nodepool_id, issues, dropped: pool === null },
          pool === null
            ? 'ACK node pool without a usable id was left out of the answer'
            : 'ACK node pool fields did not match their documented types and are answered with errors',
        );
      }
      if (pool !== null) nodePools.push(Object.assign(pool, { clusterId }));
    });
    return nodePools;
  }
}
