/**
 * The embedded ACK simulator: a real HTTP server (node:http) that speaks the ACK OpenAPI routes
 * the gateway uses, verifies every request's ACS3-HMAC-SHA256 signature, and serves the
 * deterministic fixtures, with per-cluster faults, latency and node pool scale events
 * switchable at start, from code, and through the unsigned admin API (admin.ts) on the same port.
 *
 * Order of checks, as ACK's gateway does it: signature (and timestamp, key, token, nonce), then
 * route, method, action/version headers, then the cluster's fault, then the data. Admin paths
 * (`/_simulator/...`) are answered before any of that, and never signed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { resolveCluster, resolveNodePool } from './addressing.js';
import {
  type AckSimulatorState,
  ADMIN_PREFIX,
  type AdminControl,
  handleAdmin,
  isAdminPath,
} from './admin.js';
import { type Answer, errorAnswer, jsonAnswer, newRequestId } from './answer.js';
import { accountIdFor } from './cluster-fixture.js';
import type { SimulatorScaleEvent } from './compact-specs.js';
import {
  DEFAULT_SLOW_MS,
  DEFAULT_THROTTLE_RETRY_AFTER_MS,
  FAULT_ALIASES,
  FAULT_KINDS,
  type Fault,
  faultAnswer,
} from './faults.js';
import { DEFAULT_SEED, type FixtureOptions, generateClusters } from './fixtures.js';
import { DEFAULT_MAX_REMEMBERED_NONCES, NonceCache } from './nonce-cache.js';
import {
  checkFaults,
  checkNonNegative,
  checkScaleSize,
  checkSteps,
  parseClusterListQuery,
} from './option-checks.js';
import { DEFAULT_SCALE_STEP_MS, DEFAULT_SCALE_STEPS, PoolScaler, type ScaleOptions } from './pool-scaling.js';
import { readBody } from './request-body.js';
import { type AckSimulatorStats, RequestStats } from './request-stats.js';
import { ResponseStore } from './response-store.js';
import { ACK_API_VERSION, matchRoute, type Route } from './routes.js';
import { createSignatureVerifier, DEFAULT_MAX_CLOCK_SKEW_MS } from './signature.js';
import type { SimulatedCluster, WireNodePool } from './wire-types.js';

/** The simulator's default key pair. Not a real credential: it only opens this simulator. */
export const DEFAULT_ACCESS_KEY_ID = 'LTAI5tSimulatorKeyId0001';
export const DEFAULT_ACCESS_KEY_SECRET = 'SimulatorSecret0001DoNotUseOutsideTests';
export const DEFAULT_HOST = '127.0.0.1';
/** Request bodies above this are refused (ACK's read APIs take none). */
export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Idle keep-alive connections stay open this long: longer than client agents keep idle
 * sockets, so the client (not the server) closes them and reused sockets never race a close.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** What can change while the simulator runs ({@link AckSimulator.setOptions}). */
export interface AckSimulatorRuntimeOptions {
  /** Added before every answer. @default 0 */
  latencyMs: number;
  /** How long a 'slow' cluster takes. @default DEFAULT_SLOW_MS (10 s) */
  slowMs: number;
  /** `x-acs-retry-after` of a 'throttled' answer, in ms. @default DEFAULT_THROTTLE_RETRY_AFTER_MS */
  throttleRetryAfterMs: number;
  /**
   * Cluster id or index (a key of digits only: `{ 0: 'throttled' }`) -> fault; the text form
   * `parseSimulatorFaults` reads gives this. Replaced as a whole by setOptions. 'malformed' and
   * 'future' need an existing cluster; the other faults work for any id. @default {}
   */
  faults: Readonly<Record<string, Fault>>;
  /** How long one step of a scale event takes, unless the event says. @default DEFAULT_SCALE_STEP_MS (1 s) */
  scaleStepMs: number;
}

export interface AckSimulatorOptions extends FixtureOptions, Partial<AckSimulatorRuntimeOptions> {
  /** @default DEFAULT_ACCESS_KEY_ID */
  accessKeyId?: string;
  /** @default DEFAULT_ACCESS_KEY_SECRET */
  accessKeySecret?: string;
  /** When set, every request must carry it in `x-acs-security-token` (an STS key pair). */
  securityToken?: string;
  /** @default DEFAULT_MAX_CLOCK_SKEW_MS (15 minutes) */
  maxClockSkewMs?: number;
  /** @default DEFAULT_MAX_REMEMBERED_NONCES */
  maxRememberedNonces?: number;
  /** The server clock for timestamp checks and the `updated` time of scaled pools. @default Date.now */
  now?: () => number;
  /**
   * Scale events to run once listening, each `afterMs` after listen() (the text form
   * `parseSimulatorScaleEvents` reads gives these). Checked at creation. @default []
   */
  scaleEvents?: readonly SimulatorScaleEvent[];
  /**
   * Serve the unsigned admin API under `/_simulator/` on the simulator's port (see admin.ts).
   * @default true
   */
  admin?: boolean;
}

export interface AckSimulatorAddress {
  host: string;
  port: number;
  /** `host:port`, no scheme: what the SDK's `Config.endpoint` takes. */
  endpoint: string;
  /** `http://host:port/_simulator`, the admin API; undefined when it is off. */
  adminUrl?: string | undefined;
}

export interface AckSimulator {
  /**
   * The generated clusters with their node pools, exactly what is served until a scale event
   * changes a pool ({@link nodePools} has the pools as served now).
   */
  readonly clusters: readonly SimulatedCluster[];
  /** The key id that signs requests (the secret stays in the options). */
  readonly accessKeyId: string;
  /** Starts serving. @default port 0 (a free port), host DEFAULT_HOST */
  listen(port?: number, host?: string): Promise<AckSimulatorAddress>;
  /** Where it serves, once listening. */
  address(): AckSimulatorAddress | undefined;
  /** Stops serving: drops open connections and pending (slow) answers. Idempotent. */
  close(): Promise<void>;
  stats(): AckSimulatorStats;
  resetStats(): void;
  /** Changes latency, slowness, throttling hint or faults for the next requests. */
  setOptions(options: Partial<AckSimulatorRuntimeOptions>): void;
  /** Sets (or with undefined, clears) one cluster's fault; a key of digits only is an index. */
  setFault(clusterId: string, fault: Fault | undefined): void;
  /** A cluster's node pools as served now (by id or index); undefined for an unknown cluster. */
  nodePools(cluster: string | number): readonly WireNodePool[] | undefined;
  /**
   * Scales a node pool (cluster and pool by id or index) to `to` nodes: its state goes to
   * `scaling`, its counts step from the current total to `to` (`steps` steps of `stepMs`), then
   * it is `active` again; every answer in between shows the step it was made at. A scale
   * already running on that pool is superseded (both promises wait for the new one).
   * Resolves when the pool is active again; rejects at once for an unknown cluster or pool
   * (SimulatorNotFoundError, a RangeError) or a bad size (RangeError), and when the simulator closes first.
   */
  scaleNodePool(
    cluster: string | number,
    nodePool: string | number,
    to: number,
    options?: ScaleOptions,
  ): Promise<void>;
  /** Faults, latency, clusters with their pools' current state, stats: GET /_simulator/state. */
  state(): AckSimulatorState;
}

export function createAckSimulator(options: AckSimulatorOptions = {}): AckSimulator {
  const clusters = generateClusters(options);
  const clusterIds = new Set(clusters.map((cluster) => cluster.id));
  const store = new ResponseStore(clusters);
  const accountId = accountIdFor(options.seed ?? DEFAULT_SEED);
  const accessKeyId = options.accessKeyId ?? DEFAULT_ACCESS_KEY_ID;
  const now = options.now ?? Date.now;
  const adminEnabled = options.admin ?? true;
  const scaler = new PoolScaler(store, now);
  const verify = createSignatureVerifier({
    credentials: {
      accessKeyId,
      accessKeySecret: options.accessKeySecret ?? DEFAULT_ACCESS_KEY_SECRET,
      securityToken: options.securityToken,
    },
    nonces: new NonceCache(options.maxRememberedNonces ?? DEFAULT_MAX_REMEMBERED_NONCES),
    now,
    maxClockSkewMs: options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS,
  });

  const runtime: AckSimulatorRuntimeOptions = {
    latencyMs: checkNonNegative('latencyMs', options.latencyMs ?? 0),
    slowMs: checkNonNegative('slowMs', options.slowMs ?? DEFAULT_SLOW_MS),
    throttleRetryAfterMs: checkNonNegative(
      'throttleRetryAfterMs',
      options.throttleRetryAfterMs ?? DEFAULT_THROTTLE_RETRY_AFTER_MS,
    ),
    faults: checkFaults(options.faults ?? {}, clusters, clusterIds),
    scaleStepMs: checkNonNegative('scaleStepMs', options.scaleStepMs ?? DEFAULT_SCALE_STEP_MS),
  };
  const stats = new RequestStats();
  const sockets = new Set<Socket>();
  const pendingTimers = new Set<NodeJS.Timeout>();
  let bound: AckSimulatorAddress | undefined;
  let closing: Promise<void> | undefined;

  /** Resolves a scale request (by id or index) and starts it; throws on bad input. */
  function startScale(
    clusterKey: string | number,
    poolKey: string | number,
    to: number,
    scaleOptions: ScaleOptions,
    waiter?: { resolve: () => void; reject: (error: Error) => void },
  ) {
    const { cluster } = resolveCluster(clusters, clusterKey);
    const { pool, index } = resolveNodePool(cluster, store.currentNodePools(cluster.id) ?? [], poolKey);
    const progress = scaler.start(
      cluster.id,
      index,
      checkScaleSize(to),
      {
        stepMs: checkNonNegative('stepMs', scaleOptions.stepMs ?? runtime.scaleStepMs),
        steps: checkSteps(scaleOptions.steps ?? DEFAULT_SCALE_STEPS),
      },
      waiter,
    );
    return { clusterId: cluster.id, nodePoolId: pool.nodepool_info.nodepool_id, ...progress };
  }

  // Start-up events are checked now, so a typo fails createAckSimulator, not a timer later.
  const scaleEvents = (options.scaleEvents ?? []).map((event) => {
    const { cluster } = resolveCluster(clusters, event.cluster);
    resolveNodePool(cluster, cluster.nodePools, event.nodePool);
    checkScaleSize(event.to);
    if (event.steps !== undefined) checkSteps(event.steps);
    if (event.stepMs !== undefined) checkNonNegative('stepMs', event.stepMs);
    return { ...event, afterMs: checkNonNegative('afterMs', event.afterMs ?? 0) };
  });

  function scheduleScaleEvents(): void {
    for (const event of scaleEvents) {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        startScale(event.cluster, event.nodePool, event.to, { stepMs: event.stepMs, steps: event.steps });
      }, event.afterMs);
      pendingTimers.add(timer);
    }
  }

  function state(): AckSimulatorState {
    return {
      latencyMs: runtime.latencyMs,
      slowMs: runtime.slowMs,
      throttleRetryAfterMs: runtime.throttleRetryAfterMs,
      scaleStepMs: runtime.scaleStepMs,
      faultKinds: [...FAULT_KINDS, ...Object.keys(FAULT_ALIASES)],
      faults: { ...runtime.faults },
      clusters: clusters.map((cluster, index) => ({
        index,
        id: cluster.id,
        name: cluster.detail.name,
        fault: runtime.faults[cluster.id] ?? null,
        nodePools: (store.currentNodePools(cluster.id) ?? []).map((pool, poolIndex) => ({
          index: poolIndex,
          id: pool.nodepool_info.nodepool_id,
          name: pool.nodepool_info.name,
          state: pool.status.state,
          desiredSize: pool.scaling_group.desired_size,
          totalNodes: pool.status.total_nodes,
          servingNodes: pool.status.serving_nodes,
          healthyNodes: pool.status.healthy_nodes,
          initialNodes: pool.status.initial_nodes,
          failedNodes: pool.status.failed_nodes,
          offlineNodes: pool.status.offline_nodes,
          removingNodes: pool.status.removing_nodes,
          scaling: scaler.progress(cluster.id, poolIndex) ?? null,
        })),
      })),
      stats: stats.snapshot(),
    };
  }

  function setFault(clusterId: string, fault: Fault | undefined): void {
    const faults = { ...runtime.faults };
    const id = /^\d+$/.test(clusterId) ? resolveCluster(clusters, clusterId).cluster.id : clusterId;
    if (fault === undefined) delete faults[id];
    else faults[id] = fault;
    runtime.faults = checkFaults(faults, clusters, clusterIds);
  }

  const admin: AdminControl = {
    state,
    setClusterFault(clusterKey, fault) {
      // Clearing also works for an id that is not simulated but has a fault set from code.
      const known =
        fault === undefined && !/^\d+$/.test(clusterKey) && Object.hasOwn(runtime.faults, clusterKey);
      const id = known ? clusterKey : resolveCluster(clusters, clusterKey).cluster.id;
      setFault(id, fault);
      return id;
    },
    setLatency(ms) {
      runtime.latencyMs = checkNonNegative('latencyMs', ms);
    },
    startScale: (clusterKey, poolKey, to, scaleOptions) => startScale(clusterKey, poolKey, to, scaleOptions),
  };

  /** The answer of a correctly signed request, and the cluster it concerns (for stats and faults). */
  function route(
    req: IncomingMessage,
    rawPath: string,
    rawQuery: string,
  ): { answer: Answer; clusterId?: string; fault?: Fault } {
    const match = matchRoute(rawPath);
    if (match.kind === 'bad-segment') {
      return {
        answer: errorAnswer(400, 'InvalidParameter', 'A path segment has malformed percent-encoding.'),
      };
    }
    if (match.kind === 'not-found') {
      return {
        answer: errorAnswer(
          404,
          'InvalidAction.NotFound',
          'Specified api is not found, please check your url and method.',
        ),
      };
    }
    const r: Route = match.route;
    if (req.method !== 'GET') {
      return {
        answer: errorAnswer(
          405,
          'MethodNotAllowed',
          `${req.method} is not allowed here; ${r.action} is GET.`,
          {
            headers: { allow: 'GET' },
          },
        ),
      };
    }
    const action = req.headers['x-acs-action'];
    if (action !== r.action) {
      return {
        answer: errorAnswer(
          404,
          'InvalidAction.NotFound',
          `Specified api is not found, please check your url and method: x-acs-action ${JSON.stringify(action ?? '')} does not serve GET ${rawPath} (${r.action} does).`,
        ),
      };
    }
    const version = req.headers['x-acs-version'];
    if (version !== ACK_API_VERSION) {
      return {
        answer: errorAnswer(
          400,
          'InvalidVersion',
          `Specified parameter Version ${JSON.stringify(version ?? '')} is not valid; use ${ACK_API_VERSION}.`,
        ),
      };
    }

    const params = new URLSearchParams(rawQuery);
    const clusterId = r.action === 'DescribeClustersV1' ? params.get('cluster_id') || undefined : r.clusterId;
    const fault = clusterId === undefined ? undefined : runtime.faults[clusterId];
    if (fault) {
      const failed = faultAnswer(fault, {
        action: r.action,
        clusterId: clusterId ?? '',
        accountId,
        retryAfterMs: runtime.throttleRetryAfterMs,
      });
      if (failed) return { answer: failed, clusterId, fault };
    }
    const dataFault = fault === 'malformed' || fault === 'future' ? fault : undefined;
    const clusterNotFound = (id: string) =>
      errorAnswer(404, 'ErrorClusterNotFound', `The specified cluster ${id} does not exist.`);

    switch (r.action) {
      case 'DescribeClusterNodePools': {
        const body = store.nodePools(r.clusterId, params.get('NodepoolName') || undefined, dataFault);
        return {
          answer: body ? jsonAnswer(200, body, newRequestId()) : clusterNotFound(r.clusterId),
          clusterId,
          fault,
        };
      }
      case 'DescribeClusterNodePoolDetail': {
        const body = store.nodePoolDetail(r.clusterId, r.nodepoolId, dataFault);
        const answer =
          body === 'no-cluster'
            ? clusterNotFound(r.clusterId)
            : body === 'no-pool'
              ? errorAnswer(
                  404,
                  'ErrorNodePoolNotFound',
                  `The specified node pool ${r.nodepoolId} does not exist in cluster ${r.clusterId}.`,
                )
              : jsonAnswer(200, body, newRequestId());
        return { answer, clusterId, fault };
      }
      case 'DescribeClusterDetail': {
        const body = store.clusterDetail(r.clusterId);
        return {
          answer: body ? jsonAnswer(200, body, newRequestId()) : clusterNotFound(r.clusterId),
          clusterId,
          fault,
        };
      }
      case 'DescribeClustersV1': {
        const query = parseClusterListQuery(params);
        const answer =
          typeof query === 'string'
            ? errorAnswer(400, 'InvalidParameter', query)
            : jsonAnswer(200, store.clusterPage(query), newRequestId());
        return { answer, clusterId, fault };
      }
    }
  }

  function send(res: ServerResponse, answer: Answer, delayMs: number): void {
    const write = () => {
      if (res.destroyed || res.writableEnded) return;
      res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
      res.end(answer.body);
    };
    if (delayMs <= 0) {
      write();
      return;
    }
    const timer = setTimeout(() => {
      pendingTimers.delete(timer);
      write();
    }, delayMs);
    pendingTimers.add(timer);
    res.once('close', () => {
      clearTimeout(timer);
      pendingTimers.delete(timer);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    if (adminEnabled && isAdminPath(rawPath)) {
      await handleAdmin(req, res, rawPath, admin);
      return;
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === 'too-large') {
      const answer = errorAnswer(
        413,
        'RequestEntityTooLarge',
        `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`,
        {
          headers: { connection: 'close' },
        },
      );
      send(res, answer, 0);
      return;
    }
    const verdict = verify({ method: req.method ?? 'GET', rawUrl, headers: req.headersDistinct, body });
    if (!verdict.ok) {
      stats.rejected();
      send(res, errorAnswer(verdict.status, verdict.code, verdict.message), runtime.latencyMs);
      return;
    }
    const rawQuery = queryStart === -1 ? '' : rawUrl.slice(queryStart + 1);
    const { answer, clusterId, fault } = route(req, rawPath, rawQuery);
    const action = req.headers['x-acs-action'];
    stats.accepted(typeof action === 'string' ? action : '(none)', clusterId, answer.status);
    send(res, answer, runtime.latencyMs + (fault === 'slow' ? runtime.slowMs : 0));
  }

  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) send(res, errorAnswer(500, 'InternalError', `Simulator failure: ${message}`), 0);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });

  return {
    clusters,
    accessKeyId,

    listen(port = 0, host = DEFAULT_HOST) {
      if (bound || server.listening)
        return Promise.reject(new Error('the ACK simulator is already listening'));
      if (closing) return Promise.reject(new Error('the ACK simulator is closed'));
      return new Promise((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          const address = server.address();
          if (address === null || typeof address === 'string') {
            reject(new Error('the ACK simulator has no TCP address'));
            return;
          }
          const shownHost = address.address.includes(':') ? `[${address.address}]` : address.address;
          const endpoint = `${shownHost}:${address.port}`;
          bound = {
            host: address.address,
            port: address.port,
            endpoint,
            adminUrl: adminEnabled ? `http://${endpoint}${ADMIN_PREFIX}` : undefined,
          };
          scheduleScaleEvents();
          resolve(bound);
        });
      });
    },

    address: () => bound,

    close() {
      closing ??= new Promise<void>((resolve) => {
        scaler.stop(new Error('the ACK simulator closed before the node pool was active again'));
        for (const timer of pendingTimers) clearTimeout(timer);
        pendingTimers.clear();
        for (const socket of sockets) socket.destroy();
        sockets.clear();
        if (!server.listening) {
          resolve();
          return;
        }
        server.close(() => resolve());
      });
      return closing;
    },

    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),

    setOptions(next) {
      const merged: AckSimulatorRuntimeOptions = { ...runtime };
      if (next.latencyMs !== undefined) merged.latencyMs = checkNonNegative('latencyMs', next.latencyMs);
      if (next.slowMs !== undefined) merged.slowMs = checkNonNegative('slowMs', next.slowMs);
      if (next.throttleRetryAfterMs !== undefined) {
        merged.throttleRetryAfterMs = checkNonNegative('throttleRetryAfterMs', next.throttleRetryAfterMs);
      }
      if (next.faults !== undefined) merged.faults = checkFaults(next.faults, clusters, clusterIds);
      if (next.scaleStepMs !== undefined)
        merged.scaleStepMs = checkNonNegative('scaleStepMs', next.scaleStepMs);
      Object.assign(runtime, merged);
    },

    setFault,

    nodePools(cluster) {
      try {
        return store.currentNodePools(resolveCluster(clusters, cluster).cluster.id);
      } catch (error) {
        if (error instanceof RangeError) return undefined; // unknown, out of range, or `01`
        throw error;
      }
    },

    scaleNodePool(cluster, nodePool, to, scaleOptions = {}) {
      return new Promise<void>((resolve, reject) => {
        startScale(cluster, nodePool, to, scaleOptions, { resolve, reject });
      });
    },

    state,
  };
}
