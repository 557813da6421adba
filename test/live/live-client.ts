/**
 * Test clients of the `nodePools` subscription: GraphQL over SSE (the graphql-sse protocol's
 * distinct-connections mode that yoga speaks: `event: next` / `event: complete`) over any fetch,
 * and GraphQL over WebSocket through the graphql-ws client. Both collect what arrives in order
 * and let a test wait for the next one.
 */
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { GraphQLErrorJson } from '../helpers/gateway.js';

export const NODE_POOLS_SUBSCRIPTION = /* GraphQL */ `
  subscription WatchNodePools($clusterId: ID!, $state: NodePoolState, $name: String) {
    nodePools(clusterId: $clusterId, state: $state, name: $name) {
      clusterId
      changed
      removed
      observedAt
      nodePools {
        id
        name
        observedAt
        stale
        status {
          state
          totalNodes
        }
      }
    }
  }
`;

export interface LiveUpdate {
  clusterId: string;
  changed: string[];
  removed: string[];
  observedAt: string;
  nodePools:
    | {
        id: string;
        name: string;
        observedAt: string;
        stale: boolean;
        status: { state: string; totalNodes: number };
      }[]
    | null;
}

export interface LivePayload {
  data?: { nodePools: LiveUpdate | null } | null;
  errors?: GraphQLErrorJson[];
}

/** What a subscription has received so far, and a way to wait for more. */
export class Received {
  readonly payloads: LivePayload[] = [];
  completed = false;
  /** Comment lines (`:`) seen: SSE keep-alive pings. */
  pings = 0;
  private waiters: (() => void)[] = [];

  push(payload: LivePayload): void {
    this.payloads.push(payload);
    this.wake();
  }

  complete(): void {
    this.completed = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  /** Waits until `count` payloads have arrived (or the stream completed); throws after `timeoutMs`. */
  async atLeast(count: number, timeoutMs = 10_000): Promise<LivePayload[]> {
    const until = Date.now() + timeoutMs;
    while (this.payloads.length < count && !this.completed) {
      const left = until - Date.now();
      if (left <= 0)
        throw new Error(`waited ${timeoutMs} ms for ${count} events, got ${this.payloads.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.payloads;
  }

  /** Waits for completion; throws after `timeoutMs`. */
  async done(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.completed) {
      const left = until - Date.now();
      if (left <= 0) throw new Error(`the stream did not complete in ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  updates(): LiveUpdate[] {
    return this.payloads.flatMap((payload) => (payload.data?.nodePools ? [payload.data.nodePools] : []));
  }
}

export interface LiveSubscription {
  received: Received;
  /** The HTTP status and content type of the SSE answer (undefined over WebSocket). */
  status?: number;
  contentType?: string | null;
  close: () => Promise<void>;
}

type Fetch = (input: string, init: RequestInit) => Promise<Response> | Response;

/** A subscription over SSE: POSTs the operation with `Accept: text/event-stream` and parses the stream. */
export async function subscribeSse(
  fetcher: Fetch,
  url: string,
  variables: Record<string, unknown>,
  options: { headers?: Record<string, string>; query?: string } = {},
): Promise<LiveSubscription> {
  const controller = new AbortController();
  const received = new Received();
  const response = await fetcher(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...options.headers },
    body: JSON.stringify({ query: options.query ?? NODE_POOLS_SUBSCRIPTION, variables }),
    signal: controller.signal,
  });
  const contentType = response.headers.get('content-type');
  if (!contentType?.startsWith('text/event-stream')) {
    received.push((await response.json()) as LivePayload);
    received.complete();
    return { received, status: response.status, contentType, close: async () => {} };
  }
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const pump = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          const lines = message.split('\n');
          if (lines.every((line) => line.startsWith(':'))) {
            received.pings += 1;
            continue;
          }
          const event = lines
            .find((line) => line.startsWith('event:'))
            ?.slice(6)
            .trim();
          const data = lines
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('\n');
          if (event === 'complete') received.complete();
          else if (data) received.push(JSON.parse(data) as LivePayload);
        }
      }
    } catch {
      // aborted
    }
    received.complete();
  })();
  return {
    received,
    status: response.status,
    contentType,
    close: async () => {
      controller.abort();
      await reader.cancel().catch(() => {});
      await pump;
    },
  };
}

/** A graphql-ws client on `wsUrl` (lazy: it connects on the first subscription). */
export function wsClient(
  wsUrl: string,
  options: {
    connectionParams?: Record<string, unknown>;
    headers?: Record<string, string>;
    lazy?: boolean;
  } = {},
): Client & { closeEvents: { code: number; reason: string }[] } {
  const closeEvents: { code: number; reason: string }[] = [];
  const client = createClient({
    url: wsUrl,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: options.headers });
      }
    },
    connectionParams: options.connectionParams,
    retryAttempts: 0,
    lazy: options.lazy ?? true,
    // A non-lazy client reports its socket closing here; tests read `closeEvents` instead.
    onNonLazyError: () => {},
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closeEvents.push({ code, reason: String(reason) });
      },
    },
  });
  return Object.assign(client, { closeEvents });
}

/** A subscription over WebSocket through `client`. */
export function subscribeWs(
  client: Client,
  variables: Record<string, unknown>,
  query = NODE_POOLS_SUBSCRIPTION,
): LiveSubscription {
  const received = new Received();
  const unsubscribe = client.subscribe<LivePayload['data']>(
    { query, variables },
    {
      next: (value) => received.push(value as LivePayload),
      error: (error) => {
        received.push({
          errors: Array.isArray(error)
            ? (error as GraphQLErrorJson[])
            : [
                {
                  message: String((error as { reason?: string }).reason ?? error),
                  extensions: { closed: true },
                },
              ],
        });
        received.complete();
      },
      complete: () => received.complete(),
    },
  );
  return {
    received,
    close: async () => {
      unsubscribe();
    },
  };
}

/** Waits `ms`. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** DescribeClusterNodePools calls the simulator answered for `clusterId` (or all). */
export function nodePoolCalls(stats: { byAction: Record<string, number> }): number {
  return stats.byAction.DescribeClusterNodePools ?? 0;
}
