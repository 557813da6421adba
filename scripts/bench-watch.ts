/**
 * `npm run bench:watch`: the `nodePools` subscription held open by many subscribers.
 *
 * The gateway (with its ACK simulator: 20 clusters x 5 pools) runs in a child process of its own,
 * with `--expose-gc`, so its heap is measured alone; this process holds the subscribers, half
 * over SSE (one HTTP connection each, as browsers hold them) and half over WebSocket (one socket
 * each, graphql-transport-ws), spread evenly over the clusters. It reports:
 *
 *   - memory per subscriber: the gateway's heap (after GC) and RSS with N subscribers open,
 *     minus the same with none, divided by N;
 *   - ACK calls per interval: DescribeClusterNodePools calls over several intervals, counted at
 *     the simulator, per interval (one per watched cluster is the target);
 *   - time from an upstream change (a scale, applied at once) to the first and to the last
 *     subscriber of that cluster receiving its event, over several trials: it includes the wait
 *     for the next poll (0 to one interval), then the fan-out;
 *   - that every subscription ends when the gateway stops watching.
 *
 * BENCH_WATCH_SUBSCRIBERS (default 1000), BENCH_WATCH_CLUSTERS (default 20),
 * BENCH_WATCH_INTERVAL_MS (the gateway's WATCH_INTERVAL_MS, default 5000), BENCH_WATCH_TRIALS
 * (default 5), BENCH_WATCH_TRANSPORT (`both`, `sse` or `ws`; default both). Numbers are reported, not enforced: the exit code is non-zero only when
 * something broke (a subscriber missed its event, the gateway did not start).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { gatewayNodeFlags } from './lib/node-flags.js';

const SELF = fileURLToPath(import.meta.url);
const ROLE = process.argv[2];

const integer = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};

const SUBSCRIBERS = integer('BENCH_WATCH_SUBSCRIBERS', 1_000);
const CLUSTERS = integer('BENCH_WATCH_CLUSTERS', 20);
const INTERVAL_MS = integer('BENCH_WATCH_INTERVAL_MS', 5_000);
const TRIALS = integer('BENCH_WATCH_TRIALS', 5);
/** `both` (alternating), `sse` or `ws`: which transport the subscribers use. */
const TRANSPORT = process.env.BENCH_WATCH_TRANSPORT ?? 'both';
if (!['both', 'sse', 'ws'].includes(TRANSPORT))
  throw new Error('BENCH_WATCH_TRANSPORT must be both, sse or ws');
const POOLS_PER_CLUSTER = 5;
const SUBSCRIPTION = /* GraphQL */ `
  subscription BenchWatch($clusterId: ID!) {
    nodePools(clusterId: $clusterId) {
      changed
      removed
      observedAt
      nodePools { id name status { state totalNodes healthyNodes } observedAt stale }
    }
  }
`;

type Request =
  | { id: number; op: 'memory' }
  | { id: number; op: 'stats' }
  | { id: number; op: 'resetStats' }
  | { id: number; op: 'scale'; cluster: number; pool: number; to: number }
  | { id: number; op: 'stop' };

/** A request before its id is given (Omit over each member of the union). */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Reply {
  id: number;
  heapUsed?: number;
  rss?: number;
  calls?: number;
  watcher?: { clusters: number; subscriptions: number; polls: number };
  at?: number;
}

// ---------------------------------------------------------------------------------------------
// The gateway process.

async function gatewayProcess(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('the gateway role needs an IPC channel');
  const { loadConfig } = await import('../src/config.js');
  const { createGateway } = await import('../src/gateway.js');
  const { createLogger } = await import('../src/logger.js');
  const { createObservability } = await import('../src/observability/observability.js');
  const { createAckSimulator } = await import('../src/simulator/index.js');
  const key = { accessKeyId: 'LTAIbenchWatch000000000001', accessKeySecret: 'bench-watch-secret-0001' };
  const simulator = createAckSimulator({
    ...key,
    clusterCount: CLUSTERS,
    nodePoolsPerCluster: POOLS_PER_CLUSTER,
  });
  const { endpoint } = await simulator.listen(0, '127.0.0.1');
  const logger = createLogger('silent');
  const config = loadConfig({
    ACK_ENDPOINT: endpoint,
    ACK_PROTOCOL: 'http',
    ALIBABA_CLOUD_ACCESS_KEY_ID: key.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: key.accessKeySecret,
    WARM_UP: 'false',
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS: 'false',
    HTTP_MAX_CONNECTIONS: String(SUBSCRIBERS * 2 + 100),
    WATCH_INTERVAL_MS: String(INTERVAL_MS),
    WATCH_MAX_SUBSCRIPTIONS: String(SUBSCRIBERS * 2),
    WATCH_MAX_SUBSCRIPTIONS_PER_CALLER: String(SUBSCRIBERS * 2),
  });
  const gateway = await createGateway(config, logger, {
    observability: await createObservability({ metrics: { enabled: false }, tracing: {} }, logger),
  });
  const { url } = await gateway.listen(0, '127.0.0.1');
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', async (message: Request) => {
    const reply: Reply = { id: message.id };
    if (message.op === 'memory') {
      for (let round = 0; round < 3; round += 1) {
        gc?.();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const usage = process.memoryUsage();
      reply.heapUsed = usage.heapUsed;
      reply.rss = usage.rss;
    } else if (message.op === 'stats') {
      reply.calls = simulator.stats().byAction.DescribeClusterNodePools ?? 0;
      reply.watcher = gateway.watcher.stats();
    } else if (message.op === 'resetStats') {
      simulator.resetStats();
    } else if (message.op === 'scale') {
      const { cluster, pool, to } = message;
      reply.at = Date.now();
      await simulator.scaleNodePool(cluster, pool, to, { stepMs: 0, steps: 1 });
    } else if (message.op === 'stop') {
      await gateway.stopWatching();
      reply.watcher = gateway.watcher.stats();
    }
    send(reply);
  });
  process.on('disconnect', () => process.exit(0));
  send({ ready: true, url, clusters: simulator.clusters.map((cluster) => cluster.id) });
}

// ---------------------------------------------------------------------------------------------
// The bench: subscribers and measurements.

interface Subscriber {
  cluster: number;
  transport: 'sse' | 'ws';
  events: { at: number; changed: string[] }[];
  completed: boolean;
  close: () => Promise<void>;
  waiters: (() => void)[];
}

function note(subscriber: Subscriber, payload: unknown): void {
  const update = (payload as { data?: { nodePools?: { changed?: string[] } } })?.data?.nodePools;
  subscriber.events.push({ at: Date.now(), changed: update?.changed ?? [] });
  const waiters = subscriber.waiters.splice(0);
  for (const waiter of waiters) waiter();
}

async function sseSubscriber(url: string, clusterId: string, cluster: number): Promise<Subscriber> {
  const controller = new AbortController();
  const subscriber: Subscriber = {
    cluster,
    transport: 'sse',
    events: [],
    completed: false,
    waiters: [],
    close: async () => controller.abort(),
  };
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: SUBSCRIPTION, variables: { clusterId } }),
    signal: controller.signal,
  });
  const reader = response.body?.getReader();
  if (!reader) throw new Error(`SSE answered ${response.status} without a body`);
  const decoder = new TextDecoder();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5))
            .join('');
          if (message.includes('event: next') && data) note(subscriber, JSON.parse(data));
        }
      }
    } catch {
      // aborted
    }
    subscriber.completed = true;
  })();
  return subscriber;
}

function wsSubscriber(wsUrl: string, clusterId: string, cluster: number): Subscriber {
  const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  const subscriber: Subscriber = {
    cluster,
    transport: 'ws',
    events: [],
    completed: false,
    waiters: [],
    close: async () => client.dispose(),
  };
  client.subscribe(
    { query: SUBSCRIPTION, variables: { clusterId } },
    {
      next: (payload) => note(subscriber, payload),
      error: () => {
        subscriber.completed = true;
      },
      complete: () => {
        subscriber.completed = true;
      },
    },
  );
  return subscriber;
}

async function waitFor(subscriber: Subscriber, count: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (subscriber.events.length < count) {
    const left = until - Date.now();
    if (left <= 0) return false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, left);
      subscriber.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  return true;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

async function bench(): Promise<void> {
  const child: ChildProcess = fork(SELF, ['gateway'], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...gatewayNodeFlags(join(dirname(SELF), '..'))],
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, (reply: Reply) => void>();
  const ready = new Promise<{ url: string; clusters: string[] }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the gateway exited (${code})`)));
    child.on('message', (message: unknown) => {
      const reply = message as Reply & { ready?: boolean; url?: string; clusters?: string[] };
      if (reply.ready) resolve({ url: reply.url ?? '', clusters: reply.clusters ?? [] });
      else pending.get(reply.id)?.(reply);
    });
  });
  const ask = (request: Unnumbered<Request>): Promise<Reply> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, (reply) => {
        pending.delete(id);
        resolve(reply);
      });
      child.send({ ...request, id });
    });

  try {
    const { url, clusters } = await ready;
    const wsUrl = `${url.replace('http:', 'ws:')}/graphql`;
    console.log(
      `bench:watch: ${SUBSCRIBERS} subscribers (${TRANSPORT === 'both' ? 'half SSE, half WebSocket' : TRANSPORT}) over ${CLUSTERS} clusters x ${POOLS_PER_CLUSTER} pools, WATCH_INTERVAL_MS=${INTERVAL_MS}`,
    );
    // Warm the code paths once (one subscriber per transport), so the baseline holds the code.
    const warm = [await sseSubscriber(url, clusters[0] ?? '', 0), wsSubscriber(wsUrl, clusters[0] ?? '', 0)];
    await Promise.all(warm.map((subscriber) => waitFor(subscriber, 1, 10_000)));
    await Promise.all(warm.map((subscriber) => subscriber.close()));
    await sleep(500);
    const baseline = await ask({ op: 'memory' });

    const opened = performance.now();
    const subscribers: Subscriber[] = [];
    for (let index = 0; index < SUBSCRIBERS; index += 1) {
      const cluster = index % CLUSTERS;
      const clusterId = clusters[cluster] ?? '';
      subscribers.push(
        (TRANSPORT === 'both' ? index % 2 === 0 : TRANSPORT === 'sse')
          ? await sseSubscriber(url, clusterId, cluster)
          : wsSubscriber(wsUrl, clusterId, cluster),
      );
    }
    const firsts = await Promise.all(subscribers.map((subscriber) => waitFor(subscriber, 1, 30_000)));
    const openMs = performance.now() - opened;
    const missingFirst = firsts.filter((ok) => !ok).length;
    const held = await ask({ op: 'memory' });
    const heapPer = ((held.heapUsed ?? 0) - (baseline.heapUsed ?? 0)) / SUBSCRIBERS;
    const rssPer = ((held.rss ?? 0) - (baseline.rss ?? 0)) / SUBSCRIBERS;

    // ACK calls per interval, in the steady state.
    await ask({ op: 'resetStats' });
    const intervals = 4;
    await sleep(INTERVAL_MS * intervals);
    const steady = await ask({ op: 'stats' });
    const callsPerInterval = (steady.calls ?? 0) / intervals;
    const quiet = subscribers.filter((subscriber) => subscriber.events.length !== 1).length;

    // Upstream change -> events.
    const trials: { first: number; last: number; fanOut: number; missed: number }[] = [];
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const cluster = (trial * 7) % CLUSTERS;
      const audience = subscribers.filter((subscriber) => subscriber.cluster === cluster);
      const before = new Map(audience.map((subscriber) => [subscriber, subscriber.events.length]));
      // Trials start at different points of the poll cycle.
      await sleep(Math.round((INTERVAL_MS * (trial + 0.5)) / TRIALS));
      const { at = Date.now() } = await ask({ op: 'scale', cluster, pool: 0, to: 10 + trial });
      const arrived = await Promise.all(
        audience.map((subscriber) =>
          waitFor(subscriber, (before.get(subscriber) ?? 0) + 1, INTERVAL_MS * 3 + 5_000),
        ),
      );
      const times = audience.flatMap((subscriber) => {
        const event = subscriber.events[before.get(subscriber) ?? 0];
        return event ? [event.at - at] : [];
      });
      trials.push({
        first: Math.min(...times),
        last: Math.max(...times),
        fanOut: Math.max(...times) - Math.min(...times),
        missed: arrived.filter((ok) => !ok).length,
      });
      await sleep(INTERVAL_MS);
    }

    const stopped = await ask({ op: 'stop' });
    await sleep(500);
    const completed = subscribers.filter((subscriber) => subscriber.completed).length;
    await Promise.all(subscribers.map((subscriber) => subscriber.close()));

    const lasts = trials.map((trial) => trial.last);
    const fanOuts = trials.map((trial) => trial.fanOut);
    const missed = trials.reduce((sum, trial) => sum + trial.missed, 0);
    const rows: [string, string][] = [
      [
        'subscribers opened (first event each)',
        `${SUBSCRIBERS - missingFirst}/${SUBSCRIBERS} in ${Math.round(openMs)} ms`,
      ],
      ['gateway heap, none -> all open', `${mb(baseline.heapUsed ?? 0)} -> ${mb(held.heapUsed ?? 0)}`],
      ['gateway RSS, none -> all open', `${mb(baseline.rss ?? 0)} -> ${mb(held.rss ?? 0)}`],
      [
        'memory per subscriber (heap / RSS)',
        `${(heapPer / 1024).toFixed(1)} KB / ${(rssPer / 1024).toFixed(1)} KB`,
      ],
      [
        'ACK calls per interval (steady)',
        `${callsPerInterval.toFixed(1)} (target ${CLUSTERS}: one per cluster)`,
      ],
      ['subscribers with an event while nothing changed', String(quiet)],
      [
        'change -> last subscriber, per trial',
        `${lasts.map((ms) => `${ms} ms`).join(', ')} (median ${percentile(lasts, 50)} ms; includes the wait for the next poll, 0-${INTERVAL_MS} ms)`,
      ],
      [
        'first -> last subscriber of the cluster (fan-out)',
        `${fanOuts.map((ms) => `${ms} ms`).join(', ')} (${SUBSCRIBERS / CLUSTERS} subscribers each)`,
      ],
      ['subscribers that missed a change', String(missed)],
      [
        'completed on stopWatching()',
        `${completed}/${SUBSCRIBERS} (watcher: ${stopped.watcher?.subscriptions ?? '?'} left)`,
      ],
    ];
    const width = Math.max(...rows.map(([name]) => name.length));
    for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);
    console.log(
      JSON.stringify({
        subscribers: SUBSCRIBERS,
        clusters: CLUSTERS,
        intervalMs: INTERVAL_MS,
        heapBytesPerSubscriber: Math.round(heapPer),
        rssBytesPerSubscriber: Math.round(rssPer),
        callsPerInterval,
        changeToLastMs: lasts,
        fanOutMs: fanOuts,
      }),
    );
    if (missingFirst > 0 || missed > 0 || quiet > 0 || completed < SUBSCRIBERS) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
  }
}

if (ROLE === 'gateway') await gatewayProcess();
else await bench();
