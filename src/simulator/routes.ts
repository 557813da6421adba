/**
 * The ACK OpenAPI routes the simulator answers (all ROA, GET, JSON), matched on the raw path.
 */

export const ACK_API_VERSION = '2015-12-15';

export type Route =
  | { readonly action: 'DescribeClusterNodePools'; readonly clusterId: string }
  | {
      readonly action: 'DescribeClusterNodePoolDetail';
      readonly clusterId: string;
      readonly nodepoolId: string;
    }
  | { readonly action: 'DescribeClusterDetail'; readonly clusterId: string }
  | { readonly action: 'DescribeClustersV1' };

export type RouteAction = Route['action'];

export type RouteMatch =
  | { readonly kind: 'route'; readonly route: Route }
  | { readonly kind: 'not-found' }
  /** A path segment with broken percent-encoding (e.g. `%E0%A4%A`). */
  | { readonly kind: 'bad-segment'; readonly segment: string };

class BadSegment extends Error {}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadSegment(segment);
  }
}

/**
 * Matches `/clusters/{ClusterId}`, `/clusters/{ClusterId}/nodepools`,
 * `/clusters/{ClusterId}/nodepools/{NodepoolId}` and `/api/v1/clusters`. Ids arrive
 * percent-encoded (the SDK encodes `/` as `%2F`), so segments are split first, decoded after.
 */
export function matchRoute(rawPath: string): RouteMatch {
  const segments = rawPath.split('/');
  // A path starts with '/', so segments[0] is ''.
  if (segments[0] !== '' || segments.length < 2) return { kind: 'not-found' };
  const parts = segments.slice(1);
  if (parts.some((part) => part === '')) return { kind: 'not-found' };
  try {
    if (parts.length === 3 && parts[0] === 'api' && parts[1] === 'v1' && parts[2] === 'clusters') {
      return { kind: 'route', route: { action: 'DescribeClustersV1' } };
    }
    if (parts[0] !== 'clusters' || parts.length < 2) return { kind: 'not-found' };
    const clusterId = decodeSegment(parts[1]!);
    if (parts.length === 2) return { kind: 'route', route: { action: 'DescribeClusterDetail', clusterId } };
    if (parts[2] !== 'nodepools') return { kind: 'not-found' };
    if (parts.length === 3)
      return { kind: 'route', route: { action: 'DescribeClusterNodePools', clusterId } };
    if (parts.length === 4) {
      const nodepoolId = decodeSegment(parts[3]!);
      return { kind: 'route', route: { action: 'DescribeClusterNodePoolDetail', clusterId, nodepoolId } };
    }
    return { kind: 'not-found' };
  } catch (error) {
    if (error instanceof BadSegment) return { kind: 'bad-segment', segment: error.message };
    throw error;
  }
}
