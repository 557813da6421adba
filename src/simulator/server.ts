/**
 * The embedded ACK simulator: a real HTTP server (node:http) that speaks the ACK OpenAPI routes
 * the gateway uses, verifies every request's ACS3-HMAC-SHA256 signature, and serves the
 * deterministic fixtures, with per-cluster faults and latency switchable at run time.
 *
 * Order of checks, as ACK's gateway does it: signature (and timestamp, key, token, nonce), then
 * route, method, action/version headers, then the cluster's fault, then the data.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type Answer, errorAnswer, jsonAnswer, newRequestId } from './answer.js';
import { accountIdFor } from './cluster-fixture.js';
import {
  DATA_FAULTS,
  DEFAULT_SLOW_MS,
  DEFAULT_THROTTLE_RETRY_AFTER_MS,
  type Fault,
  faultAnswer,
  isFault,
} from './faults.js';
import { DEFAULT_SEED, type FixtureOptions, generateClusters } from './fixtures.js';
import { DEFAULT_MAX_REMEMBERED_NONCES, NonceCache } from './nonce-cache.js';
import { type AckSimulatorStats, RequestStats } from './request-stats.js';
import { type ClusterListQuery, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, ResponseStore } from './response-store.js';
import { ACK_API_VERSION, matchRoute, type Route } from './routes.js';
import { createSignatureVerifier, DEFAULT_MAX_CLOCK_SKEW_MS } from './signature.js';
import type { SimulatedCluster } from './wire-types.js';

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
   * Cluster id -> fault. Replaced as a whole by setOptions. 'malformed' and 'future' need an
   * existing cluster; the other faults work for any id. @default {}
   */
  faults: Readonly<Record<string, Fault>>;
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
  /** The server clock for timestamp checks. @default Date.now */
  now?: () => number;
}

export interface AckSimulatorAddress {
  host: string;
  port: number;
  /** `host:port`, no scheme: what the SDK's `Config.endpoint` takes. */
  endpoint: string;
}

export interface AckSimulator {
  /** The generated clusters with their node pools, exactly what is served. */
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
  /** Sets (or with undefined, clears) one cluster's fault. */
  setFault(clusterId: string, fault: Fault | undefined): void;
}

function checkNonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative number, got ${value}`);
  return value;
}

function checkFaults(
  faults: Readonly<Record<string, Fault>>,
  clusterIds: ReadonlySet<string>,
): Record<string, Fault> {
  const checked: Record<string, Fault> = {};
  for (const [clusterId, fault] of Object.entries(faults)) {
    if (!isFault(fault))
      throw new TypeError(`unknown fault ${JSON.stringify(fault)} for cluster ${clusterId}`);
    if (DATA_FAULTS.includes(fault) && !clusterIds.has(clusterId)) {
      throw new RangeError(`fault '${fault}' needs an existing cluster; ${clusterId} is not one`);
    }
    checked[clusterId] = fault;
  }
  return checked;
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
    return Promise.resolve(Buffer.alloc(0));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseClusterListQuery(params: URLSearchParams): ClusterListQuery | string {
  const integer = (name: string, fallback: number, max: number): number | string => {
    const raw = params.get(name);
    if (raw === null || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < 1 || value > max) {
      return `${name} must be an integer between 1 and ${max}, got ${JSON.stringify(raw)}.`;
    }
    return value;
  };
  const pageNumber = integer('page_number', 1, Number.MAX_SAFE_INTEGER);
  if (typeof pageNumber === 'string') return pageNumber;
  const pageSize = integer('page_size', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  if (typeof pageSize === 'string') return pageSize;
  const text = (name: string) => params.get(name) || undefined;
  return {
    pageNumber,
    pageSize,
    name: text('name'),
    clusterType: text('cluster_type'),
    regionId: text('region_id'),
    clusterId: text('cluster_id'),
    profile: text('profile'),
    clusterSpec: text('cluster_spec'),
  };
}

export function createAckSimulator(options: AckSimulatorOptions = {}): AckSimulator {
  const clusters = generateClusters(options);
  const clusterIds = new Set(clusters.map((cluster) => cluster.id));
  const store = new ResponseStore(clusters);
  const accountId = accountIdFor(options.seed ?? DEFAULT_SEED);
  const accessKeyId = options.accessKeyId ?? DEFAULT_ACCESS_KEY_ID;
  const now = options.now ?? Date.now;
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
    faults: checkFaults(options.faults ?? {}, clusterIds),
  };
  const stats = new RequestStats();
  const sockets = new Set<Socket>();
  const pendingTimers = new Set<NodeJS.Timeout>();
  let bound: AckSimulatorAddress | undefined;
  let closing: Promise<void> | undefined;

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
    const body = await readBody(req);
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
    const queryStart = rawUrl.indexOf('?');
    const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
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
          bound = { host: address.address, port: address.port, endpoint: `${shownHost}:${address.port}` };
          resolve(bound);
        });
      });
    },

    address: () => bound,

    close() {
      closing ??= new Promise<void>((resolve) => {
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
      if (next.faults !== undefined) merged.faults = checkFaults(next.faults, clusterIds);
      Object.assign(runtime, merged);
    },

    setFault(clusterId, fault) {
      const faults = { ...runtime.faults };
      if (fault === undefined) delete faults[clusterId];
      else faults[clusterId] = fault;
      runtime.faults = checkFaults(faults, clusterIds);
    },
  };
}
