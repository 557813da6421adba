/**
 * The simulator's admin API: its control plane, so a person (curl) or a test can see and drive
 * what the simulator does while it runs. JSON in and out, on the simulator's own port, under
 * {@link ADMIN_PREFIX} (ACK's paths start with `/clusters` or `/api`, so none can collide).
 *
 * It is NOT signed and has no authentication: it belongs to a test stand-in, which binds to
 * loopback (127.0.0.1) by default. Whoever can reach the port can change faults and data, so
 * bind the simulator elsewhere only on a trusted network, or switch the API off
 * (`admin: false`). Bodies must be `application/json` (so a web page cannot post to it without
 * a CORS preflight, which it never answers) and at most {@link ADMIN_MAX_BODY_BYTES}.
 *
 * ```
 * GET    /_simulator/state                                          clusters, faults, latency, pools, stats
 * PUT    /_simulator/clusters/{cluster}/fault                {"fault":"throttled"}
 * DELETE /_simulator/clusters/{cluster}/fault
 * PUT    /_simulator/latency                                 {"ms":200}
 * POST   /_simulator/clusters/{cluster}/nodepools/{pool}/scale   {"to":8,"stepMs":1000,"steps":3}
 * ```
 *
 * `{cluster}` and `{pool}` are ids or indices (`0` is the first). Bad input answers 400 with
 * `{"error": "..."}` naming the problem; an unknown cluster or pool 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SimulatorNotFoundError } from './addressing.js';
import { allowedFaultKinds, type Fault, faultFromText } from './faults.js';
import {
  MAX_SCALE_NODES,
  MAX_SCALE_STEP_MS,
  MAX_SCALE_STEPS,
  type ScaleOptions,
  type ScaleProgress,
} from './pool-scaling.js';
import { readBody } from './request-body.js';
import type { AckSimulatorStats } from './request-stats.js';

export const ADMIN_PREFIX = '/_simulator';
export const ADMIN_MAX_BODY_BYTES = 16 * 1024;
/** The largest latency the admin API sets (code may set any). */
export const MAX_ADMIN_LATENCY_MS = 60_000;

/** One node pool in GET /_simulator/state: its identity and current status. */
export interface AdminNodePoolState {
  index: number;
  id: string;
  name: string;
  state: string;
  desiredSize: number;
  totalNodes: number;
  servingNodes: number;
  healthyNodes: number;
  initialNodes: number;
  failedNodes: number;
  offlineNodes: number;
  removingNodes: number;
  /** The running scale event, or null. */
  scaling: ScaleProgress | null;
}

/** What GET /_simulator/state answers (and {@link AckSimulator.state} returns). */
export interface AckSimulatorState {
  latencyMs: number;
  slowMs: number;
  throttleRetryAfterMs: number;
  scaleStepMs: number;
  /** The fault kinds and aliases PUT .../fault accepts. */
  faultKinds: string[];
  /** Every fault set, by cluster id (set from code, an id need not be a simulated cluster). */
  faults: Record<string, Fault>;
  clusters: {
    index: number;
    id: string;
    name: string;
    fault: Fault | null;
    nodePools: AdminNodePoolState[];
  }[];
  stats: AckSimulatorStats;
}

export interface ScaleStarted extends ScaleProgress {
  clusterId: string;
  nodePoolId: string;
}

/** What the admin API may do to its simulator. Lookups throw SimulatorNotFoundError. */
export interface AdminControl {
  state(): AckSimulatorState;
  /** Sets or (undefined) clears the fault of a cluster given by id or index; returns its id. */
  setClusterFault(cluster: string, fault: Fault | undefined): string;
  setLatency(ms: number): void;
  startScale(cluster: string, nodePool: string, to: number, options: ScaleOptions): ScaleStarted;
}

/** True when the path belongs to the admin API (whatever the method). */
export function isAdminPath(rawPath: string): boolean {
  return rawPath === ADMIN_PREFIX || rawPath.startsWith(`${ADMIN_PREFIX}/`);
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const badRequest = (message: string) => new AdminError(400, message);

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.destroyed || res.writableEnded) return;
  const bytes = Buffer.from(`${JSON.stringify(body, null, 2)}\n`);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': String(bytes.length),
    ...headers,
  });
  res.end(bytes);
}

/** The JSON object of a PUT/POST, with only the `allowed` keys. */
async function jsonObject(
  req: IncomingMessage,
  allowed: readonly string[],
): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new AdminError(
      415,
      `the body must be JSON with content-type: application/json (got ${type ? JSON.stringify(type) : 'none'}); with curl: -H 'content-type: application/json' or --json`,
    );
  }
  const body = await readBody(req, ADMIN_MAX_BODY_BYTES);
  if (body === 'too-large') {
    throw new AdminError(413, `admin request bodies are limited to ${ADMIN_MAX_BODY_BYTES} bytes`, {
      connection: 'close',
    });
  }
  if (body.length === 0) throw badRequest(`a JSON object body is required, e.g. {"${allowed[0]}": ...}`);
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw badRequest(`the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest(`the body must be a JSON object, e.g. {"${allowed[0]}": ...}`);
  }
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw badRequest(
      `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => JSON.stringify(key)).join(', ')}; expected: ${allowed.join(', ')}`,
    );
  }
  return value as Record<string, unknown>;
}

function integer(body: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`"${key}" must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function required<T>(value: T | undefined, key: string, example: string): T {
  if (value === undefined) throw badRequest(`"${key}" is required, e.g. ${example}`);
  return value;
}

function decodeSegments(rest: string): string[] {
  try {
    return rest.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    throw badRequest('a path segment has malformed percent-encoding');
  }
}

const ROUTES = [
  'GET    /_simulator/state',
  'PUT    /_simulator/clusters/{cluster}/fault  {"fault":"throttled"}',
  'DELETE /_simulator/clusters/{cluster}/fault',
  'PUT    /_simulator/latency  {"ms":200}',
  'POST   /_simulator/clusters/{cluster}/nodepools/{pool}/scale  {"to":8,"stepMs":1000,"steps":3}',
];

function allow(method: string | undefined, allowed: readonly string[]): void {
  if (!allowed.includes(method ?? '')) {
    throw new AdminError(405, `${method} is not allowed here; use ${allowed.join(' or ')}`, {
      allow: allowed.join(', '),
    });
  }
}

async function route(
  req: IncomingMessage,
  rawPath: string,
  control: AdminControl,
): Promise<[number, unknown]> {
  const rest = rawPath.slice(ADMIN_PREFIX.length).replace(/^\/+/, '').replace(/\/+$/, '');
  const parts = rest === '' ? [] : decodeSegments(rest);
  const method = req.method;

  if (parts.length === 0) {
    allow(method, ['GET']);
    return [200, { about: 'ACK simulator admin API (unsigned; loopback by default)', routes: ROUTES }];
  }
  if (parts.length === 1 && parts[0] === 'state') {
    allow(method, ['GET']);
    return [200, control.state()];
  }
  if (parts.length === 1 && parts[0] === 'latency') {
    allow(method, ['PUT']);
    const body = await jsonObject(req, ['ms']);
    const ms = required(integer(body, 'ms', 0, MAX_ADMIN_LATENCY_MS), 'ms', '{"ms": 200}');
    control.setLatency(ms);
    return [200, { latencyMs: ms }];
  }
  if (parts.length === 3 && parts[0] === 'clusters' && parts[2] === 'fault') {
    allow(method, ['PUT', 'DELETE']);
    const cluster = parts[1]!;
    if (method === 'DELETE')
      return [200, { clusterId: control.setClusterFault(cluster, undefined), fault: null }];
    const body = await jsonObject(req, ['fault']);
    const text = body.fault;
    const fault = typeof text === 'string' ? faultFromText(text) : undefined;
    if (!fault) {
      throw badRequest(
        `"fault" must be one of ${allowedFaultKinds()}, got ${JSON.stringify(text ?? null)}; DELETE clears a fault`,
      );
    }
    return [200, { clusterId: control.setClusterFault(cluster, fault), fault }];
  }
  if (parts.length === 5 && parts[0] === 'clusters' && parts[2] === 'nodepools' && parts[4] === 'scale') {
    allow(method, ['POST']);
    const body = await jsonObject(req, ['to', 'stepMs', 'steps']);
    const to = required(integer(body, 'to', 0, MAX_SCALE_NODES), 'to', '{"to": 8}');
    const stepMs = integer(body, 'stepMs', 0, MAX_SCALE_STEP_MS);
    const steps = integer(body, 'steps', 1, MAX_SCALE_STEPS);
    return [202, control.startScale(parts[1]!, parts[3]!, to, { stepMs, steps })];
  }
  const routes = ROUTES.map((line) => line.replace(/\s+/g, ' ')).join(' | ');
  throw new AdminError(404, `no admin route ${method} ${rawPath}; the routes: ${routes}`);
}

/** Answers one admin request (never signed, never delayed by the simulated latency). */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  rawPath: string,
  control: AdminControl,
): Promise<void> {
  try {
    const [status, body] = await route(req, rawPath, control);
    reply(res, status, body);
  } catch (error) {
    // An answer before the body was read (405, 404, 415): drop the rest of it.
    if (!req.complete) req.resume();
    if (error instanceof AdminError) reply(res, error.status, { error: error.message }, error.headers);
    else if (error instanceof SimulatorNotFoundError) reply(res, 404, { error: error.message });
    else if (error instanceof RangeError || error instanceof TypeError)
      reply(res, 400, { error: error.message });
    else throw error;
  }
}
