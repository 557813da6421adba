import { createHash } from 'node:crypto';
import type { AckClusterListFilter, AckClusterListPage } from '../ack/ack-api.js';
import { stalenessOf } from '../ack/ack-cache.js';
import type { AckClusterListEntry } from '../ack/model/cluster.js';
import type { Context } from '../context.js';
import { builder } from './builder.js';
import { ClusterRef, type ClusterShape, type Observation } from './cluster.js';
import { badUserInput, toGraphQLError } from './errors.js';

/** Items per page when the caller names none. */
export const DEFAULT_CLUSTER_PAGE_SIZE = 20;
/** The most items one page may hold (DescribeClustersV1's own maximum page size). */
export const MAX_CLUSTER_PAGE_SIZE = 100;

const CURSOR_PREFIX = 'cl1';
const FILTER_LIMITS = { name: 128, clusterType: 64, regionId: 64 } as const;
const FILTER_PATTERNS = { clusterType: /^[A-Za-z]+$/, regionId: /^[a-z0-9-]+$/ } as const;

/**
 * A digest of the filter and of the clusters the caller may see: a cursor only continues the
 * list it came from.
 */
const filterKey = (filter: AckClusterListFilter, scope: string): string =>
  createHash('sha256')
    .update(JSON.stringify([filter.name ?? '', filter.clusterType ?? '', filter.regionId ?? '', scope]))
    .digest('base64url')
    .slice(0, 10);

/** Opaque and stable: the same cluster at the same place of the same filtered list, the same cursor. */
export const encodeCursor = (offset: number, filter: AckClusterListFilter, scope = 'all'): string =>
  Buffer.from(`${CURSOR_PREFIX}:${offset}:${filterKey(filter, scope)}`).toString('base64url');

export function decodeCursor(
  cursor: string,
  filter: AckClusterListFilter,
  argumentName: string,
  scope = 'all',
): number {
  const [prefix, offset, key, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  const value = Number(offset);
  if (
    prefix !== CURSOR_PREFIX ||
    rest.length > 0 ||
    !/^\d{1,9}$/.test(offset ?? '') ||
    !Number.isSafeInteger(value)
  ) {
    throw badUserInput(`${argumentName} is not a cursor of this list.`, argumentName);
  }
  if (key !== filterKey(filter, scope)) {
    throw badUserInput(`${argumentName} belongs to a list with another filter.`, argumentName);
  }
  return value;
}

/**
 * The one upstream page that holds items [start, start + count): the smallest page size that
 * fits them in a single page. Where none does, the page holding `start` (the caller then answers
 * fewer items, with `hasNextPage`), so a page of the connection always costs one call.
 */
export function planPage(start: number, count: number, maxPageSize = MAX_CLUSTER_PAGE_SIZE) {
  const end = start + count - 1;
  for (let pageSize = count; pageSize <= maxPageSize; pageSize++) {
    if (Math.floor(start / pageSize) === Math.floor(end / pageSize)) {
      return { pageNumber: Math.floor(start / pageSize) + 1, pageSize };
    }
  }
  return { pageNumber: Math.floor(start / maxPageSize) + 1, pageSize: maxPageSize };
}

function checkFilter(filter: AckClusterListFilter): AckClusterListFilter {
  for (const [name, limit] of Object.entries(FILTER_LIMITS) as [keyof AckClusterListFilter, number][]) {
    const value = filter[name];
    if (value === undefined) continue;
    const pattern = name === 'name' ? undefined : FILTER_PATTERNS[name];
    if (value.length === 0 || value.length > limit || (pattern && !pattern.test(value))) {
      throw badUserInput(`filter.${name} is not a valid ${name}.`, `filter.${name}`);
    }
  }
  return filter;
}

function checkCount(value: number | null | undefined, argumentName: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > MAX_CLUSTER_PAGE_SIZE) {
    throw badUserInput(`${argumentName} must be between 1 and ${MAX_CLUSTER_PAGE_SIZE}.`, argumentName);
  }
  return value;
}

interface Window {
  entries: readonly AckClusterListEntry[];
  totalCount: number;
  /** The freshness of the page(s) the entries come from: the oldest, and stale if any is. */
  observed: Observation;
}

const observationOf = (pages: readonly AckClusterListPage[]): Observation => ({
  at: Math.min(...pages.map((page) => page.observedAt)),
  stale: pages.some((page) => stalenessOf(page) !== undefined),
});

/** Items [start, start + count) of the upstream list: one call (see planPage). */
async function readWindow(
  ctx: Context,
  filter: AckClusterListFilter,
  start: number,
  count: number,
): Promise<Window> {
  if (count === 0) return { entries: [], totalCount: 0, observed: { at: Date.now(), stale: false } };
  const { pageNumber, pageSize } = planPage(start, count);
  const page = ctx.warnings.noteStale(
    'DescribeClustersV1',
    undefined,
    await ctx.ack.clusterList(pageNumber, pageSize, filter, ctx.read),
  );
  const pageStart = (pageNumber - 1) * pageSize;
  return {
    entries: page.clusters.slice(start - pageStart, start - pageStart + count),
    totalCount: page.totalCount,
    observed: observationOf([page]),
  };
}

/**
 * For a caller who may see only some clusters: the whole filtered list (pages of 100; one call
 * for accounts of up to 100 clusters, cached like any answer), kept to the permitted clusters,
 * then paged here, so `totalCount` and positions count permitted clusters only.
 */
async function readPermitted(
  ctx: Context,
  filter: AckClusterListFilter,
  start: number,
  count: number,
): Promise<Window> {
  const first = ctx.warnings.noteStale(
    'DescribeClustersV1',
    undefined,
    await ctx.ack.clusterList(1, MAX_CLUSTER_PAGE_SIZE, filter, ctx.read),
  );
  const pageCount = Math.ceil(first.totalCount / MAX_CLUSTER_PAGE_SIZE);
  const rest = await Promise.all(
    Array.from({ length: Math.max(0, pageCount - 1) }, (_, index) =>
      ctx.ack
        .clusterList(index + 2, MAX_CLUSTER_PAGE_SIZE, filter, ctx.read)
        .then((page) => ctx.warnings.noteStale('DescribeClustersV1', undefined, page)),
    ),
  );
  const pages = [first, ...rest];
  const permitted = pages
    .flatMap((page) => page.clusters)
    .filter((entry) => ctx.policy.isAllowed(ctx.caller, entry.cluster_id));
  return {
    entries: permitted.slice(start, start + count),
    totalCount: permitted.length,
    observed: observationOf(pages),
  };
}

const ClusterFilter = builder.inputType('ClusterFilter', {
  description: 'Filters DescribeClustersV1 applies upstream.',
  fields: (t) => ({
    name: t.string({ description: 'Clusters whose name contains this text.' }),
    clusterType: t.string({ description: 'Only clusters of this type, e.g. `ManagedKubernetes`.' }),
    regionId: t.string({ description: 'Only clusters in this region, e.g. `cn-hangzhou`.' }),
  }),
});

builder.queryField('clusterList', (t) =>
  t.connection(
    {
      type: ClusterRef,
      // Non-null as the contract (API.md) has it: a failure here answers `data: null`.
      nullable: false,
      description:
        `The account's clusters (DescribeClustersV1), a page at a time: ${DEFAULT_CLUSTER_PAGE_SIZE} by default, ` +
        `at most ${MAX_CLUSTER_PAGE_SIZE}. Each page costs one upstream call, and the fields the list ` +
        'carries (name, state, version, ...) cost no further call.',
      args: { filter: t.arg({ type: ClusterFilter, description: 'Filters applied upstream.' }) },
      resolve: async (_root, args, ctx) => {
        const filter = checkFilter({
          name: args.filter?.name ?? undefined,
          clusterType: args.filter?.clusterType ?? undefined,
          regionId: args.filter?.regionId ?? undefined,
        });
        const scope = ctx.policy.allowsAll(ctx.caller) ? 'all' : ctx.policy.scopeKey(ctx.caller);
        const first = checkCount(args.first, 'first');
        const last = checkCount(args.last, 'last');
        if (first !== undefined && last !== undefined)
          throw badUserInput('Pass first or last, not both.', 'last');
        let start: number;
        let count: number;
        if (last !== undefined) {
          if (!args.before) throw badUserInput('last needs before: page backwards from a cursor.', 'last');
          const end = decodeCursor(args.before, filter, 'before', scope);
          start = Math.max(0, end - last);
          count = end - start;
        } else {
          start = args.after ? decodeCursor(args.after, filter, 'after', scope) + 1 : 0;
          count = first ?? DEFAULT_CLUSTER_PAGE_SIZE;
        }
        const { entries, totalCount, observed } = await ctx.deadline
          .race(
            scope === 'all'
              ? readWindow(ctx, filter, start, count)
              : readPermitted(ctx, filter, start, count),
          )
          .catch((error: unknown) => {
            throw toGraphQLError(error);
          });
        const edges = entries.map((entry, index) => ({
          cursor: encodeCursor(start + index, filter, scope),
          node: { id: entry.cluster_id, listEntry: entry, observed } satisfies ClusterShape,
        }));
        return {
          edges,
          totalCount,
          pageInfo: {
            hasPreviousPage: start > 0,
            hasNextPage: start + entries.length < totalCount,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
        };
      },
    },
    {
      name: 'ClusterConnection',
      description: 'A page of clusters.',
      fields: (c) => ({
        totalCount: c.int({
          nullable: false,
          description: 'How many clusters match the filter, across all pages.',
          resolve: (connection) => connection.totalCount,
        }),
      }),
    },
    { name: 'ClusterEdge', description: 'A cluster in a page, with its cursor.' },
  ),
);
