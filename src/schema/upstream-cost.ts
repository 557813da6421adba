import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getOperationAST,
  Kind,
  type SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';
import { AckClusterListEntrySpec } from '../ack/model/cluster.js';
import { fieldsOf } from '../ack/model/walk.js';
import { MAX_CLUSTER_IDS } from './cluster.js';
import { DEFAULT_CLUSTER_PAGE_SIZE, MAX_CLUSTER_PAGE_SIZE } from './cluster-list.js';

/** Cluster fields a `clusterList` entry answers itself, without a DescribeClusterDetail call. */
const LIST_ENTRY_FIELDS = new Set([
  ...fieldsOf(AckClusterListEntrySpec).map((field) => field.name),
  // Freshness of a listed cluster is the page's.
  'observedAt',
  'stale',
]);
/** Cluster fields that cost no call of their own: the id, and those that read the node-pool list. */
const CLUSTER_FREE_FIELDS = new Set(['id', '__typename']);
const NODE_POOL_FIELDS = new Set(['nodePools', 'nodePool']);

/**
 * The most upstream calls a GraphQL operation can cost, judged on the parsed document and its
 * variables before anything is asked: one DescribeClusterNodePools per distinct cluster whose
 * node pools (or existence) are read, one DescribeClusterDetail per distinct cluster whose
 * detail fields are read, one DescribeClustersV1 per `clusterList` field, and, for clusters
 * whose ids are only known once a page arrives, the page's size in calls. List arguments count
 * per item (`ids`, `representations`), so aliases multiplying a long list are seen for what
 * they cost. The same cluster asked twice counts once, as the per-request loaders make it.
 */
export function estimateUpstreamCalls(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const known = new Set<string>();
  let unknown = 0;
  const vars = variables ?? {};

  /** The fields of a selection set, fragments flattened; `typeName` keeps only fragments on it. */
  const fieldsOf = (selectionSet: SelectionSetNode | undefined, typeName?: string): FieldNode[] => {
    const fields: FieldNode[] = [];
    const seen = new Set<string>();
    const walk = (set: SelectionSetNode | undefined) => {
      for (const selection of set?.selections ?? []) {
        if (selection.kind === Kind.FIELD) fields.push(selection);
        else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const on = selection.typeCondition?.name.value;
          if (!typeName || !on || on === typeName) walk(selection.selectionSet);
        } else {
          const fragment = fragments.get(selection.name.value);
          if (!fragment || seen.has(fragment.name.value)) continue;
          seen.add(fragment.name.value);
          if (!typeName || fragment.typeCondition.name.value === typeName) walk(fragment.selectionSet);
        }
      }
    };
    walk(selectionSet);
    return fields;
  };
  const arg = (field: FieldNode, name: string): unknown => {
    const node = field.arguments?.find((argument) => argument.name.value === name);
    return node ? valueFromASTUntyped(node.value, vars) : undefined;
  };
  /** One call about `clusterId`, or `times` calls about clusters not known yet. */
  const spend = (kind: string, clusterId: unknown, times = 1) => {
    if (typeof clusterId === 'string') known.add(`${kind}\0${clusterId}`);
    else unknown += times;
  };
  const asList = (value: unknown, max: number): unknown[] =>
    Array.isArray(value) ? value.slice(0, max) : [value];

  function cluster(selectionSet: SelectionSetNode | undefined, id: unknown, times: number, listed: boolean) {
    for (const field of fieldsOf(selectionSet, 'Cluster')) {
      const name = field.name.value;
      if (NODE_POOL_FIELDS.has(name)) {
        spend('pools', id, times);
        nodePool(field.selectionSet, id, times);
      } else if (!CLUSTER_FREE_FIELDS.has(name) && !(listed && LIST_ENTRY_FIELDS.has(name))) {
        spend('detail', id, times);
      }
    }
  }
  function nodePool(selectionSet: SelectionSetNode | undefined, clusterId: unknown, times: number) {
    for (const field of fieldsOf(selectionSet, 'NodePool')) {
      if (field.name.value === 'cluster') cluster(field.selectionSet, clusterId, times, false);
    }
  }
  function connection(field: FieldNode) {
    const first = arg(field, 'first');
    const items = Math.min(
      MAX_CLUSTER_PAGE_SIZE,
      typeof first === 'number' && first >= 0 ? first : DEFAULT_CLUSTER_PAGE_SIZE,
    );
    unknown += 1;
    for (const part of fieldsOf(field.selectionSet)) {
      if (part.name.value === 'nodes') cluster(part.selectionSet, undefined, items, true);
      if (part.name.value === 'edges') {
        for (const edge of fieldsOf(part.selectionSet)) {
          if (edge.name.value === 'node') cluster(edge.selectionSet, undefined, items, true);
        }
      }
    }
  }

  for (const field of fieldsOf(operation.selectionSet)) {
    switch (field.name.value) {
      case 'cluster': {
        const id = arg(field, 'id');
        spend('pools', id);
        cluster(field.selectionSet, id, 1, false);
        break;
      }
      case 'clusters':
        for (const id of asList(arg(field, 'ids'), MAX_CLUSTER_IDS)) {
          spend('pools', id);
          cluster(field.selectionSet, id, 1, false);
        }
        break;
      case 'nodePools':
      case 'nodePool': {
        const clusterId = arg(field, 'clusterId');
        spend('pools', clusterId);
        nodePool(field.selectionSet, clusterId, 1);
        break;
      }
      case 'clusterList':
        connection(field);
        break;
      case '_entities':
        for (const representation of asList(arg(field, 'representations'), Number.POSITIVE_INFINITY)) {
          const { __typename, id, clusterId } = (representation ?? {}) as Record<string, unknown>;
          if (__typename === 'Cluster') {
            spend('pools', id);
            cluster(field.selectionSet, id, 1, false);
          } else if (__typename === 'NodePool') {
            spend('pools', clusterId);
            nodePool(field.selectionSet, clusterId, 1);
          }
        }
        break;
    }
  }
  return known.size + unknown;
}
