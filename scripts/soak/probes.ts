/**
 * What the soak asks and how each answer is judged. A probe is one GraphQL request plus the
 * checks of its answer, and the slots of its answer: which cluster each top-level field (by its
 * alias) or list entry (by its index in `ids`) is about, as the probe built the query. A Judge
 * applies them against the fault schedule:
 * - every error must carry a code other than INTERNAL_SERVER_ERROR;
 * - an existing cluster answered null must carry a coded error at its path (null alone says
 *   "does not exist", a lie);
 * - a healthy cluster (no fault touching the answer, the settle margin included) must be
 *   answered with the simulator's data; an error there with a code other than the retryable ones
 *   (UPSTREAM_UNAVAILABLE/THROTTLED/TIMEOUT) is also lost;
 * - every error of the answer is attributed to the slot its path falls in: one on a slot of a
 *   healthy cluster (or of no cluster at all: the cluster list, an unknown id) is "collateral",
 *   damage some other cluster's fault (or the gateway itself) did; an error in no slot is lost;
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

/** What the part of an answer under `path` is about. */
export interface Slot {
  path: Path;
  /** The cluster id the query asked about there (may not exist), or a pseudo id like LIST_SLOT. */
  clusterId: string;
  /** An error code that is this slot's right answer, not a failure (BAD_USER_INPUT for a malformed id). */
  answer?: string;
}

/** The slot id of the cluster list (DescribeClustersV1 unfiltered: no fault ever concerns it). */
export const LIST_SLOT = '(cluster list)';
/** The slot id of a malformed id (answered BAD_USER_INPUT before anything is asked). */
export const MALFORMED_SLOT = '(malformed id)';

/** One error on a part of an answer that no fault concerned. */
export interface CollateralError {
  path: string;
  code: string;
  clusterId: string;
  /** A latency spike (every cluster slower) touched the answer. */
  spike: boolean;
  /** What the cluster last went through (FaultSchedule.lastFault). */
  lastFault: string;
  /** When the request was sent, in ms since the faults started. */
  at: number;
}
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
  readonly collateral: CollateralError[] = [];
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
    private readonly requestError = false,
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

  /**
   * A null answer with errors for a cluster (or the list) that could not be asked. On a healthy
   * one, a retryable code may be true (and is collateral: see attribute); any other is a lie.
   */
  private failed(where: string, errors: GqlError[], healthy: boolean): void {
    if (!healthy) {
      this.faultedErrors += 1;
      return;
    }
    const wrong = errors.filter((error) => !RETRYABLE_CODES.has(codeOf(error)));
    if (wrong.length > 0) this.lose(`${where}: healthy, answered ${wrong.map(errorKey).join(', ')}`);
  }

  /**
   * Attributes every error of the answer to the slot (the longest path prefix) it falls in, or,
   * when it sits above slots (a whole list failed), to every slot under it. An error on a slot no
   * fault touched is collateral; an error without a path, or in no slot at all, is lost (the
   * probe did not ask there).
   */
  attribute(slots: readonly Slot[]): void {
    if (this.requestError) return;
    for (const error of this.errors) {
      const path = error.path;
      const where = path?.join('.') || '(root)';
      if (!path || path.length === 0) {
        this.lose(`error ${errorKey(error)} without a field path`);
        continue;
      }
      let slot: Slot | undefined;
      for (const candidate of slots) {
        if (startsWith(path, candidate.path) && candidate.path.length > (slot?.path.length ?? -1))
          slot = candidate;
      }
      const owners = slot ? [slot] : slots.filter((candidate) => startsWith(candidate.path, path));
      if (owners.length === 0) {
        this.lose(`error ${errorKey(error)} at ${where}, a path the query did not ask about`);
        continue;
      }
      for (const owner of owners) {
        if (owner.answer !== undefined && codeOf(error) === owner.answer) continue;
        if (!this.faults.healthy(owner.clusterId, this.start, this.end)) continue;
        this.collateral.push({
          path: slot ? where : `${where} (over ${owner.path.join('.')})`,
          code: errorKey(error),
          clusterId: owner.clusterId,
          spike: this.faults.spikeDuring(this.start, this.end),
          lastFault: this.faults.lastFault(owner.clusterId, this.start),
          at: this.start - this.faults.origin,
        });
      }
    }
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
  /** The variables sent; a flood probe's padding is left out (see `body`). */
  variables?: Record<string, unknown>;
  /** Which cluster each part of the answer is about (empty for request errors). */
  slots: Slot[];
  /** The request body, when it is not `{query, variables}` (the flood's padded bodies). */
  body?: () => string;
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
      [10, () => this.aliased()],
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
      slots: [{ path: ['nodePools'], clusterId: c }],
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
      slots: [{ path: ['nodePools'], clusterId: c }],
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
      slots: [{ path: ['cluster'], clusterId: c }],
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
      slots: entries.map((entry, index) =>
        entry.kind === 'malformed'
          ? { path: ['clusters', index], clusterId: MALFORMED_SLOT, answer: 'BAD_USER_INPUT' }
          : { path: ['clusters', index], clusterId: entry.id },
      ),
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
      slots: [{ path: ['nodePool'], clusterId: c }],
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
      slots: [{ path: ['clusterList'], clusterId: LIST_SLOT }],
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
      slots: [{ path: ['cluster'], clusterId: c }],
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

  /**
   * Two to five aliased top-level fields, each about a cluster of its own (repeats allowed):
   * one request mixing faulted and healthy clusters, attributed field by field by alias.
   */
  private aliased(): Probe {
    const count = 2 + Math.floor(this.random() * 4);
    const fields: string[] = [];
    const declarations: string[] = [];
    const variables: Record<string, unknown> = {};
    const slots: Slot[] = [];
    const checks: ((judge: Judge) => void)[] = [];
    for (let i = 0; i < count; i++) {
      const alias = `a${i}`;
      const c = this.pickCluster();
      const pools = this.pools.get(c) ?? [];
      declarations.push(`$c${i}: ID!`);
      variables[`c${i}`] = c;
      slots.push({ path: [alias], clusterId: c });
      const shape = Math.floor(this.random() * 3);
      if (shape === 0) {
        fields.push(`${alias}: nodePools(clusterId: $c${i}) { id }`);
        checks.push((judge) => judge.cluster([alias], c, (list) => sameList(list, pools)));
      } else if (shape === 1) {
        fields.push(`${alias}: cluster(id: $c${i}) { id name nodePools { id } }`);
        checks.push((judge) =>
          judge.cluster([alias], c, (cluster) => {
            if (!isRecord(cluster) || cluster.id !== c) return `not cluster ${c}`;
            judge.cluster([alias, 'name'], c, (name) =>
              name === this.names.get(c) ? undefined : `named ${String(name)}`,
            );
            judge.cluster([alias, 'nodePools'], c, (list) => sameList(list, pools));
            return undefined;
          }),
        );
      } else {
        const p = pools[Math.floor(this.random() * pools.length)] ?? '';
        declarations.push(`$p${i}: ID!`);
        variables[`p${i}`] = p;
        fields.push(`${alias}: nodePool(clusterId: $c${i}, id: $p${i}) { id clusterId }`);
        checks.push((judge) =>
          judge.cluster([alias], c, (pool) =>
            isRecord(pool) && pool.id === p && pool.clusterId === c ? undefined : `not pool ${p} of ${c}`,
          ),
        );
      }
    }
    return {
      kind: 'aliases',
      query: `query SoakAliases(${declarations.join(', ')}) { ${fields.join(' ')} }`,
      variables,
      slots,
      check: (judge) => {
        for (const check of checks) check(judge);
      },
    };
  }

  /**
   * The flood's request: a small cacheable question (a healthy cluster's id and name) in a body
   * of exactly `bodyBytes` bytes, made distinct by `serial` and padded with an unused variable
   * (graphql-js ignores variables the operation does not declare) or a comment in the document.
   * Every body is a new response-cache key the size of the body; with a comment, also a new
   * document for the parser's cache.
   */
  floodProbe(serial: string, bodyBytes: number, pad: 'variable' | 'comment'): Probe {
    const c = this.pickCluster();
    const query = 'query SoakFlood($c: ID!) { cluster(id: $c) { id name } }';
    const make = (filler: string) =>
      pad === 'variable'
        ? JSON.stringify({ query, variables: { c, pad: `${serial}:${filler}` } })
        : JSON.stringify({ query: `# ${serial}:${filler}\n${query}`, variables: { c } });
    return {
      kind: `flood (${pad})`,
      query,
      variables: { c, serial },
      slots: [{ path: ['cluster'], clusterId: c }],
      body: () => {
        const bare = make('');
        return make('x'.repeat(Math.max(0, bodyBytes - Buffer.byteLength(bare))));
      },
      check: (judge) =>
        judge.cluster(['cluster'], c, (cluster) =>
          isRecord(cluster) && cluster.id === c && cluster.name === this.names.get(c)
            ? undefined
            : `not cluster ${c} named ${this.names.get(c)}`,
        ),
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
    // A malformed pool id of an existing cluster: other errors there are that cluster's.
    const clusterId = path[0] === 'nodePool' ? c : MALFORMED_SLOT;
    return {
      kind: 'malformed id',
      query,
      variables,
      slots: [{ path, clusterId, answer: 'BAD_USER_INPUT' }],
      check: (judge) => judge.malformed(path),
    };
  }

  private unknownCluster(): Probe {
    const u = this.pickUnknown();
    const asCluster = this.random() < 0.5;
    return asCluster
      ? {
          kind: 'unknown cluster',
          query: 'query SoakUnknown($u: ID!) { cluster(id: $u) { id nodePools { id } } }',
          variables: { u },
          slots: [{ path: ['cluster'], clusterId: u }],
          check: (judge) => judge.unknown(['cluster']),
        }
      : {
          kind: 'unknown cluster',
          query: 'query SoakUnknownPools($u: ID!) { nodePools(clusterId: $u) { id } }',
          variables: { u },
          slots: [{ path: ['nodePools'], clusterId: u }],
          check: (judge) => judge.unknown(['nodePools']),
        };
  }

  /** A document that fails validation: GraphQL over HTTP answers 400 (application/graphql-response+json). */
  private invalidDocument(): Probe {
    return {
      kind: 'invalid document',
      query: 'query SoakInvalid { cluster(id: "c1") { noSuchField } }',
      expectStatus: 400,
      slots: [],
      check: (judge) => {
        if (judge.body.data !== undefined && judge.body.data !== null)
          judge.lose('invalid document answered data');
        if (!Array.isArray(judge.body.errors) || judge.body.errors.length === 0)
          judge.lose('invalid document answered without errors');
      },
    };
  }
}
