/**
 * Counts of what the simulator served, for tests that assert how often the gateway called ACK
 * (caching, batching, retries).
 */

export interface AckSimulatorStats {
  /** Requests that passed signature verification (whatever they were answered). */
  total: number;
  /** By `x-acs-action` header, e.g. `DescribeClusterNodePools`. */
  byAction: Record<string, number>;
  /** By cluster id of the path (DescribeClustersV1 counts under its `cluster_id` filter, if any). */
  byCluster: Record<string, number>;
  /** By HTTP status answered. */
  byStatus: Record<string, number>;
  /** Requests refused before routing: missing/bad signature, unknown key, stale date, reused nonce. */
  rejectedSignatures: number;
}

export class RequestStats {
  private state: AckSimulatorStats = RequestStats.empty();

  private static empty(): AckSimulatorStats {
    return { total: 0, byAction: {}, byCluster: {}, byStatus: {}, rejectedSignatures: 0 };
  }

  accepted(action: string, clusterId: string | undefined, status: number): void {
    const s = this.state;
    s.total += 1;
    s.byAction[action] = (s.byAction[action] ?? 0) + 1;
    if (clusterId !== undefined) s.byCluster[clusterId] = (s.byCluster[clusterId] ?? 0) + 1;
    s.byStatus[status] = (s.byStatus[status] ?? 0) + 1;
  }

  rejected(): void {
    this.state.rejectedSignatures += 1;
  }

  /** A copy: later requests do not change it. */
  snapshot(): AckSimulatorStats {
    const s = this.state;
    return {
      total: s.total,
      byAction: { ...s.byAction },
      byCluster: { ...s.byCluster },
      byStatus: { ...s.byStatus },
      rejectedSignatures: s.rejectedSignatures,
    };
  }

  reset(): void {
    this.state = RequestStats.empty();
  }
}
