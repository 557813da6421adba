/**
 * Messages between the bench and the processes it forks (simulator, floor server) over Node's
 * IPC channel. Kept tiny and checked on arrival: a child's message is data, not trusted shape.
 */
import type { AckSimulatorStats } from '../../src/simulator/index.js';

export interface ReadySimulator {
  type: 'ready';
  endpoint: string;
  clusters: { id: string; nodePoolNames: string[] }[];
}

export interface ReadyFloor {
  type: 'ready';
  port: number;
}

/** One canned answer: a request body the floor recognises and the exact bytes it returns. */
export interface FloorRoute {
  requestBody: string;
  contentType: string;
  responseBase64: string;
}

export type SimulatorRequest =
  | { id: number; op: 'stats' }
  | { id: number; op: 'resetStats' }
  | { id: number; op: 'setLatency'; latencyMs: number };

export type FloorRequest = { id: number; op: 'setRoutes'; routes: FloorRoute[] };

export interface Reply {
  type: 'reply';
  id: number;
  stats?: AckSimulatorStats;
  error?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

export const isReply = (value: unknown): value is Reply =>
  isObject(value) && value.type === 'reply' && typeof value.id === 'number';

export const isReadySimulator = (value: unknown): value is ReadySimulator =>
  isObject(value) &&
  value.type === 'ready' &&
  typeof value.endpoint === 'string' &&
  Array.isArray(value.clusters);

export const isReadyFloor = (value: unknown): value is ReadyFloor =>
  isObject(value) && value.type === 'ready' && typeof value.port === 'number';

export const isSimulatorRequest = (value: unknown): value is SimulatorRequest =>
  isObject(value) &&
  typeof value.id === 'number' &&
  (value.op === 'stats' ||
    value.op === 'resetStats' ||
    (value.op === 'setLatency' && typeof value.latencyMs === 'number'));

export const isFloorRequest = (value: unknown): value is FloorRequest =>
  isObject(value) && typeof value.id === 'number' && value.op === 'setRoutes' && Array.isArray(value.routes);
