/**
 * What the soak asks and how each answer is judged. A probe is one GraphQL request plus the
 * checks of its answer; a Judge applies them against the fault schedule:
 * - every error must carry a code other than INTERNAL_SERVER_ERROR;
 * - an existing cluster answered null must carry a coded error at its path (null alone says
 *   "does not exist", a lie);
 * - a healthy cluster (no fault touching the answer) must be answered with the simulator's data;
 *   a retryable code there (UPSTREAM_UNAVAILABLE/THROTTLED/TIMEOUT: breaker open, queue full,
 *   deadline) is "collateral", any other code is lost;
 * - data answered for a faulted cluster (from the stale cache) must be right too.
 */
import type { AckSimulator } from '../../src/simulator/index.js';
import type { FaultSchedule } from './fault-schedule.js';

export interface GqlError {
  message?: unknown;
  path?: readonly (string | number)[];
  extensions?: { code?: unknown; upstream?: { code?: unknown } } & Record<string, unknown>;
}

export interface GqlBody {
  data?: Record<string, unknown> | null;
  errors?: GqlError[];
  extensions?: { warnings?: { code?: string; clusterId?: string }[] } & Record<string, unknown>;
}

type Path = readonly (string | number)[];
/** A reason the (non-null) value is wrong, or undefined when it is right. */
type Verify = (value: unknown) => string | undefined;

/** Codes that say "ACK (or the way to it) could not answer now; ask again later". */
export const RETRYABLE_CODES = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_THROTTLED', 'UPSTREAM_TIMEOUT']);

const codeOf = (error: GqlError): string =>
  typeof error.extensions?.code === 'string' ? error.extensions.code : '(none)';

/** `CODE` or `CODE/UpstreamCode`: how errors are counted. */
export const errorKey = (error: GqlError): string => {
  const upstream = error.extensions?.upstream?.code;
  return typeof upstream === 'string' ? `${codeOf(error)}/${upstream}` : codeOf(error);
};

const startsWith = (path: Path | undefined, prefix: Path): boolean =>
  path !== undefined && prefix.length <= path.length && prefix.every((part, index) => path[index] === part);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class Judge {
  readonly lost: string[] = [];
  readonly collateral: string[] = [];
  /** Slots of faulted clusters answered with a coded error (the expected outcome). */
  faultedErrors = 0;
  /** Slots of faulted clusters answered with (right) data: stale cache or a recovered call. */
  faultedAnswered = 0;
  /** STALE_DATA warnings about healthy clusters / about faulted ones. */
  staleHealthy = 0;
  staleFaulted = 0;
  private readonly errors: GqlError[];

  constructor(
    readonly body: GqlBody,
    private readonly faults: FaultSchedule,
    private readonly start: number,
    private readonly end: number,
    /** Request errors (a documented 4xx) need no code; execution errors always do. */
    requestError = false,
  ) {
    this.errors = Array.isArray(body.errors) ? body.errors : [];
    for (const error of requestError ? [] : this.errors) {
      const code = codeOf(error);
      if (code === '(none)' || code === 'INTERNAL_SERVER_ERROR') {
        this.lose(`error ${code} at ${(error.path ?? []).join('.') || '(root)'}: ${String(error.message)}`);
      }
    }
    for (const warning of body.extensions?.warnings ?? []) {
      if (warning.code !== 'STALE_DATA') continue;
      if (warning.clusterId && !this.faults.healthy(warning.clusterId, start, end)) this.staleFaulted += 1;
      else this.staleHealthy += 1;
    }
  }

  lose(reason: string): void {
    this.lost.push(reason);
  }

  private under(path: Path): GqlError[] {
    return this.errors.filter((error) => startsWith(error.path, path));
  }

  value(path: Path): unknown {
    let value: unknown = this.body.data;
    for (const part of path) {
      if (value === null || value === undefined) return value;
      value = (value as Record<string | number, unknown>)[part];
    }
    return value;
  }

  /** A null answer with errors for a cluster (or the list) that could not be asked. */
  private failed(where: string, errors: GqlError[], healthy: boolean): void {
    if (!healthy) {
      this.faultedErrors += 1;
      return;
    }
    const wrong = errors.filter((error) => !RETRYABLE_CODES.has(codeOf(error)));
    if (wrong.length > 0) {
      this.lose(`${where}: healthy, answered ${wrong.map(errorKey).join(', ')}`);
      return;
    }
    const spike = this.faults.spikeDuring(this.start, this.end) ? ' (latency spike)' : '';
    for (const error of errors) this.collateral.push(`${errorKey(error)}${spike}`);
  }

  /**
   * A field about an existing cluster: right data, or null with a coded error. With
   * `nullIsAnswer` (a node pool that does not exist), null without an error is right too.
   */
  cluster(path: Path, clusterId: string, verify: Verify, nullIsAnswer = false): void {
    const where = path.join('.');
    const value = this.value(path);
    const healthy = this.faults.healthy(clusterId, this.start, this.end);
    const errors = this.under(path);
    if (value === null || value === undefined) {
      if (errors.length > 0) this.failed(where, errors, healthy);
      else if (!nullIsAnswer) this.lose(`${where}: null without an error for existing cluster ${clusterId}`);
      return;
    }
    const reason = verify(value);
    if (reason) this.lose(`${where}: ${reason}`);
    else if (!healthy && path.length === 1) this.faultedAnswered += 1;
  }

  /** A field whose id does not exist: null; an error only when ACK could not be asked. */
  unknown(path: Path): void {
    const where = path.join('.');
    const value = this.value(path);
    if (value !== null && value !== undefined) {
      this.lose(`${where}: answered data for an id that does not exist`);
      return;
    }
    const errors = this.under(path);
    if (errors.length > 0) this.failed(where, errors, true);
  }

  /** A field with a malformed id: null with BAD_USER_INPUT. */
  malformed(path: Path): void {
    const where = path.join('.');
    if (this.value(path) !== null) this.lose(`${where}: a malformed id was not answered null`);
    const errors = this.under(path);
    if (!errors.some((error) => codeOf(error) === 'BAD_USER_INPUT'))
      this.lose(
        `${where}: a malformed id was answered ${errors.map(errorKey).join(', ') || 'without an error'}`,
      );
  }

  /** A field that no cluster's fault concerns (the cluster list). */
  healthyField(path: Path, verify: Verify): void {
    const where = path.join('.');
    const value = this.value(path);
    const errors = this.under(path);
    if (value === null || value === undefined) {
      if (errors.length > 0) this.failed(where, errors, true);
      else this.lose(`${where}: null without an error`);
      return;
    }
    const reason = verify(value);
    if (reason) this.lose(`${where}: ${reason}`);
  }
}

export interface Probe {
  kind: string;
  query: string;
  variables?: Record<string, unknown>;
  /** A 4xx that is the documented answer of this request. */
  expectStatus?: number;
  check(judge: Judge): void;
  /** Runs after a correct answer (cursor walks). */
  after?(judge: Judge): void;
}

const MALFORMED_IDS = [
  'bad/id',
  '../etc/passwd',
  'has space',
  '%2e%2e',
  '-leading',
  'x'.repeat(129),
  '',
  'c1.2',
];

const sameList = (actual: unknown, expected: readonly string[]): string | undefined => {
  if (!Array.isArray(actual)) return 'no list';
  const ids = actual.map((item) => (isRecord(item) ? item.id : undefined));
  return ids.length === expected.length && ids.every((id, index) => id === expected[index])
    ? undefined
    : `node pools [${ids.join(',')}] are not the simulator's [${expected.join(',')}]`;
};

/** Per worker: where its walk through the cluster list stands. */
interface ListWalk {
  after: string | null;
  offset: number;
  first: number;
}

/** Makes the soak's requests, with their expected answers taken from the simulator. */
export class ProbeFactory {
  private readonly ids: string[];
  private readonly pools = new Map<string, string[]>();
  private readonly defaultPools = new Map<string, string[]>();
  private readonly names = new Map<string, string>();
  private readonly regions = new Map<string, string>();
  private readonly listNames = new Map<string, string>();
  private readonly knownUnknown: string[];
  private readonly weighted: [number, (walk: ListWalk) => Probe][];
  private readonly totalWeight: number;

  constructor(
    simulator: AckSimulator,
    private readonly random: () => number,
  ) {
    this.ids = simulator.clusters.map((cluster) => cluster.id);
    for (const cluster of simulator.clusters) {
      this.pools.set(
        cluster.id,
        cluster.nodePools.map((pool) => pool.nodepool_info.nodepool_id),
      );
      this.defaultPools.set(
        cluster.id,
        cluster.nodePools
          .filter((pool) => pool.nodepool_info.is_default)
          .map((pool) => pool.nodepool_info.nodepool_id),
      );
      this.names.set(cluster.id, cluster.detail.name);
      this.regions.set(cluster.id, cluster.detail.region_id);
      this.listNames.set(cluster.id, cluster.listEntry.name);
    }
    this.knownUnknown = Array.from({ length: 8 }, () => this.unknownId('c'));
    this.weighted = [
      [22, () => this.nodePools()],
      [6, () => this.defaultNodePools()],
      [10, () => this.clusterNodePools()],
      [18, () => this.clusters()],
      [14, () => this.nodePool()],
      [10, (walk) => this.clusterList(walk)],
      [10, () => this.clusterDetail()],
      [4, () => this.malformedId()],
      [4, () => this.unknownCluster()],
      [2, () => this.invalidDocument()],
    ];
    this.totalWeight = this.weighted.reduce((sum, [weight]) => sum + weight, 0);
  }

  newWalk(): ListWalk {
    return { after: null, offset: 0, first: 5 };
  }

  next(walk: ListWalk): Probe {
    let pick = this.random() * this.totalWeight;
    for (const [weight, make] of this.weighted) {
      pick -= weight;
      if (pick < 0) return make(walk);
    }
    return this.nodePools();
  }

  private pickCluster(): string {
    return this.ids[Math.floor(this.random() * this.ids.length)] ?? '';
  }

  private unknownId(prefix: string): string {
    let hex = '';
    while (hex.length < 32) hex += Math.floor(this.random() * 16).toString(16);
    return `${prefix}${hex}`;
  }

  /** Half the time one of a few fixed ids (the not-found cache), else a fresh one. */
  private pickUnknown(): string {
    return this.random() < 0.5
      ? (this.knownUnknown[Math.floor(this.random() * this.knownUnknown.length)] ?? '')
      : this.unknownId('c');
  }

  private pickMalformed(): string {
    return MALFORMED_IDS[Math.floor(this.random() * MALFORMED_IDS.length)] ?? 'bad/id';
  }

  private nodePools(): Probe {
    const c = this.pickCluster();
    return {
      kind: 'nodePools',
      query: 'query SoakNodePools($c: ID!) { nodePools(clusterId: $c) { id clusterId name } }',
      variables: { c },
      check: (judge) =>
        judge.cluster(['nodePools'], c, () => sameList(judge.value(['nodePools']), this.pools.get(c) ?? [])),
    };
  }

  private defaultNodePools(): Probe {
    const c = this.pickCluster();
    return {
      kind: 'nodePools(isDefault)',
      query: 'query SoakDefaultPools($c: ID!) { nodePools(clusterId: $c, isDefault: true) { id isDefault } }',
      variables: { c },
      check: (judge) =>
        judge.cluster(['nodePools'], c, () =>
          sameList(judge.value(['nodePools']), this.defaultPools.get(c) ?? []),
        ),
    };
  }

  private clusterNodePools(): Probe {
    const c = this.pickCluster();
    return {
      kind: 'cluster.nodePools',
      query: 'query SoakCluster($c: ID!) { cluster(id: $c) { id nodePools { id } } }',
      variables: { c },
      check: (judge) =>
        judge.cluster(['cluster'], c, (cluster) => {
          if (!isRecord(cluster) || cluster.id !== c) return `not cluster ${c}`;
          judge.cluster(['cluster', 'nodePools'], c, () =>
            sameList(judge.value(['cluster', 'nodePools']), this.pools.get(c) ?? []),
          );
          return undefined;
        }),
    };
  }

  private clusters(): Probe {
    const entries: { id: string; kind: 'existing' | 'unknown' | 'malformed' }[] = [];
    const count = 2 + Math.floor(this.random() * 5);
    for (let i = 0; i < count; i++) entries.push({ id: this.pickCluster(), kind: 'existing' });
    if (this.random() < 0.3) entries.push({ id: this.pickUnknown(), kind: 'unknown' });
    if (this.random() < 0.15) entries.push({ id: this.pickMalformed(), kind: 'malformed' });
    entries.sort(() => this.random() - 0.5);
    return {
      kind: 'clusters(ids)',
      query: 'query SoakClusters($ids: [ID!]!) { clusters(ids: $ids) { id nodePools { id } } }',
      variables: { ids: entries.map((entry) => entry.id) },
      check: (judge) => {
        const list = judge.value(['clusters']);
        if (!Array.isArray(list) || list.length !== entries.length) {
          judge.lose(
            `clusters: ${Array.isArray(list) ? list.length : 'no'} entries for ${entries.length} ids`,
          );
          return;
        }
        entries.forEach((entry, index) => {
          const path = ['clusters', index];
          if (entry.kind === 'unknown') judge.unknown(path);
          else if (entry.kind === 'malformed') judge.malformed(path);
          else
            judge.cluster(path, entry.id, (cluster) => {
              if (!isRecord(cluster) || cluster.id !== entry.id) return `not cluster ${entry.id}`;
              judge.cluster([...path, 'nodePools'], entry.id, () =>
                sameList(judge.value([...path, 'nodePools']), this.pools.get(entry.id) ?? []),
              );
              return undefined;
            });
        });
      },
    };
  }

  private nodePool(): Probe {
    const c = this.pickCluster();
    const pools = this.pools.get(c) ?? [];
    const exists = this.random() < 0.8 && pools.length > 0;
    const p = exists ? (pools[Math.floor(this.random() * pools.length)] ?? '') : this.unknownId('np');
    return {
      kind: exists ? 'nodePool' : 'nodePool(unknown pool)',
      query: 'query SoakNodePool($c: ID!, $p: ID!) { nodePool(clusterId: $c, id: $p) { id clusterId name } }',
      variables: { c, p },
      check: (judge) =>
        judge.cluster(
          ['nodePool'],
          c,
          (pool) =>
            !exists
              ? 'a node pool that does not exist was answered'
              : isRecord(pool) && pool.id === p && pool.clusterId === c
                ? undefined
                : `not pool ${p} of ${c}`,
          !exists,
        ),
    };
  }

  private clusterList(walk: ListWalk): Probe {
    const { after, offset, first } = walk;
    const expected = this.ids.slice(offset, offset + first);
    return {
      kind: 'clusterList',
      query:
        'query SoakClusterList($first: Int, $after: String) { clusterList(first: $first, after: $after) ' +
        '{ totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }',
      variables: { first, after },
      check: (judge) =>
        judge.healthyField(['clusterList'], (connection) => {
          if (!isRecord(connection)) return 'not an object';
          if (connection.totalCount !== this.ids.length) return `totalCount ${String(connection.totalCount)}`;
          const edges = Array.isArray(connection.edges) ? connection.edges : [];
          const nodes = edges.map((edge) => (isRecord(edge) && isRecord(edge.node) ? edge.node : {}));
          const ids = nodes.map((node) => node.id);
          if (ids.length !== expected.length || ids.some((id, index) => id !== expected[index]))
            return `page at ${offset} (first ${first}) holds [${ids.join(',')}], expected [${expected.join(',')}]`;
          const wrongName = nodes.find((node) => node.name !== this.listNames.get(String(node.id)));
          if (wrongName) return `cluster ${String(wrongName.id)} named ${String(wrongName.name)}`;
          const pageInfo = isRecord(connection.pageInfo) ? connection.pageInfo : {};
          if (pageInfo.hasNextPage !== offset + first < this.ids.length)
            return `hasNextPage ${String(pageInfo.hasNextPage)} at ${offset}+${first}`;
          return undefined;
        }),
      after: (judge) => {
        const connection = judge.value(['clusterList']);
        const pageInfo = isRecord(connection) && isRecord(connection.pageInfo) ? connection.pageInfo : {};
        if (pageInfo.hasNextPage === true && typeof pageInfo.endCursor === 'string') {
          walk.after = pageInfo.endCursor;
          walk.offset += first;
        } else {
          walk.after = null;
          walk.offset = 0;
          walk.first = [3, 5, 7, 12, 20][Math.floor(this.random() * 5)] ?? 5;
        }
      },
    };
  }

  private clusterDetail(): Probe {
    const c = this.pickCluster();
    return {
      kind: 'cluster detail',
      query:
        'query SoakDetail($c: ID!) { cluster(id: $c) { id name regionId clusterType state currentVersion ' +
        'nodePools { id } } }',
      variables: { c },
      check: (judge) =>
        judge.cluster(['cluster'], c, (cluster) => {
          if (!isRecord(cluster) || cluster.id !== c) return `not cluster ${c}`;
          const field = (name: string, expected: string | undefined) =>
            judge.cluster(['cluster', name], c, (value) =>
              value === expected ? undefined : `${String(value)}, expected ${expected}`,
            );
          field('name', this.names.get(c));
          field('regionId', this.regions.get(c));
          judge.cluster(['cluster', 'nodePools'], c, () =>
            sameList(judge.value(['cluster', 'nodePools']), this.pools.get(c) ?? []),
          );
          return undefined;
        }),
    };
  }

  private malformedId(): Probe {
    const bad = this.pickMalformed();
    const c = this.pickCluster();
    const shapes: [string, Path, Record<string, unknown>][] = [
      ['query SoakBadCluster($x: ID!) { cluster(id: $x) { id } }', ['cluster'], { x: bad }],
      ['query SoakBadPools($x: ID!) { nodePools(clusterId: $x) { id } }', ['nodePools'], { x: bad }],
      [
        'query SoakBadPool($c: ID!, $x: ID!) { nodePool(clusterId: $c, id: $x) { id } }',
        ['nodePool'],
        { c, x: bad },
      ],
      ['query SoakBadIds($x: ID!) { clusters(ids: [$x]) { id } }', ['clusters', 0], { x: bad }],
    ];
    const [query, path, variables] = shapes[Math.floor(this.random() * shapes.length)] ?? shapes[0]!;
    return { kind: 'malformed id', query, variables, check: (judge) => judge.malformed(path) };
  }

  private unknownCluster(): Probe {
    const u = this.pickUnknown();
    const asCluster = this.random() < 0.5;
    return asCluster
      ? {
          kind: 'unknown cluster',
          query: 'query SoakUnknown($u: ID!) { cluster(id: $u) { id nodePools { id } } }',
          variables: { u },
          check: (judge) => judge.unknown(['cluster']),
        }
      : {
          kind: 'unknown cluster',
          query: 'query SoakUnknownPools($u: ID!) { nodePools(clusterId: $u) { id } }',
          variables: { u },
          check: (judge) => judge.unknown(['nodePools']),
        };
  }

  /** A document that fails validation: GraphQL over HTTP answers 400 (application/graphql-response+json). */
  private invalidDocument(): Probe {
    return {
      kind: 'invalid document',
      query: 'query SoakInvalid { cluster(id: "c1") { noSuchField } }',
      expectStatus: 400,
      check: (judge) => {
        if (judge.body.data !== undefined && judge.body.data !== null)
          judge.lose('invalid document answered data');
        if (!Array.isArray(judge.body.errors) || judge.body.errors.length === 0)
          judge.lose('invalid document answered without errors');
      },
    };
  }
}
