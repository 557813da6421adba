/**
 * `npm run bench`: throughput, latency, upstream calls, CPU and peak memory of the gateway
 * against a "floor" (a bare node:http server answering the same bytes), on loopback.
 *
 * Every target is its own process so its CPU and RSS are its own: the ACK simulator
 * (scripts/bench/simulator-process.ts, which adds request counts over IPC to what
 * src/simulator/main.ts does), the built gateway (`node dist/main.js`), the floor server, and wrk
 * as the load generator. Gateway and floor are driven one after the other per workload, so
 * both see the same machine state.
 *
 *   W1  dashboard: 20 clusters x 5 pools, ~44 leaf fields per pool, warm cache
 *   W2  one pool by name, 10 fields, warm cache
 *   W1 across TTLs: W1 with CACHE_TTL_MS=2000 and 50 ms upstream latency (expiries under load)
 *   W1 distinct: W1 with the cluster ids in a new order on every request (no cache can answer)
 *   _entities: the router's batches, 1-40 random representations per request
 *   W3  stampede: 200 concurrent W1 requests on a fresh gateway (cold cache), 50 ms upstream
 *
 * Before each measured wrk run, an unmeasured one of the same script (BENCH_WARMUP_S, default 2
 * s; 0 for none) brings the path to its steady state, as a long-running server is: V8 optimizes
 * the compiled queries' generated code only after it has run a while. W3 stays cold.
 *
 * Targets are reported, not enforced: the exit code is non-zero only when something broke
 * (a process did not start, wrk is missing and cannot be installed, a non-200 answer).
 * BENCH_DURATION_S sets the length of each wrk run (default 8 s; the TTL run takes 2 s more).
 * BENCH_GATEWAY_<NAME>=value passes NAME=value to every gateway (e.g. BENCH_GATEWAY_RESPONSE_CACHE=0),
 * since the gateways otherwise get a clean environment. BENCH_SKIP_BUILD=1 runs the existing dist/
 * (e.g. while src/ is mid-edit and does not compile).
 *
 * Then the scale-out run (scripts/bench/scale-out.ts): three replicas behind round-robin, alone
 * and sharing one Redis (REDIS_URL): ACK calls per cold burst (S1), warm throughput (S2), ACK
 * calls across TTLs (S3), and Redis GETs of the W1 answer (R, a response cache in Redis bounded
 * from above). BENCH_SCALE_OUT=0 skips it, BENCH_SCALE_OUT=only runs nothing else.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  distinctDashboardBody,
  ENTITY_BATCH_MAX,
  ENTITY_KEYS_QUERY,
  entitiesBody,
  entityKeysFrom,
  writeDistinctDashboardScript,
  writeEntitiesScript,
} from './bench/distinct.js';
import { forkTs, killAll, type Managed, run, start, stopAll } from './bench/processes.js';
import { type FloorRoute, isReadyFloor, isReadySimulator } from './bench/protocol.js';
import { DASHBOARD_QUERY, leafFieldsPerPool, ONE_POOL_QUERY } from './bench/queries.js';
import { printScaleOut, runScaleOut } from './bench/scale-out.js';
import { ensureWrk, runWrk, type WrkResult, writeWrkScript } from './bench/wrk.js';
import { gatewayNodeFlags } from './lib/node-flags.js';
import { cpuMs, freePort, PeakRss } from './lib/proc.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const GATEWAY_NODE_FLAGS = gatewayNodeFlags(ROOT);

const CLUSTERS = 20;
const POOLS_PER_CLUSTER = 5;
const STAMPEDE_REQUESTS = 200;
const SLOW_UPSTREAM_MS = 50;
const SHORT_TTL_MS = 2_000;
/**
 * One wrk thread: on a 2-core machine the second core belongs to the target, otherwise wrk
 * and the server fight for CPU and the floor measures wrk. 32 connections keep a single-threaded
 * Node server saturated without turning the p99 into pure queueing.
 */
const WRK_THREADS = 1;
const WRK_CONNECTIONS = 32;
const DURATION_S = secondsFromEnv('BENCH_DURATION_S', 8, 1);
const WARMUP_S = secondsFromEnv('BENCH_WARMUP_S', 2, 0);
const TTL_RUN_S = Math.max(DURATION_S + 2, (3 * SHORT_TTL_MS) / 1000);

/** What a browser client sends; the floor is matched on the body and answers these bytes. */
const REQUEST_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/graphql-response+json, application/json',
};

const TARGETS = {
  w1MinRatio: 0.25,
  w2MinRatio: 0.2,
  w3MaxWallRatio: 3,
  w1MaxRssMb: 150,
  w3MaxRssMb: 250,
  distinctMinRatio: 0.02,
  distinctMaxTail: 5,
  distinctMaxRssMb: 200,
};

/** BENCH_SCALE_OUT: `1` (default) after the single-gateway runs, `0` never, `only` alone. */
function scaleOutFromEnv(): 'yes' | 'no' | 'only' {
  const raw = process.env.BENCH_SCALE_OUT?.trim() ?? '';
  if (raw === '' || raw === '1') return 'yes';
  if (raw === '0') return 'no';
  if (raw === 'only') return 'only';
  throw new Error(`BENCH_SCALE_OUT must be 1, 0 or only, got ${JSON.stringify(raw)}`);
}

function secondsFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > 60) {
    throw new Error(`${name} must be an integer from ${min} to 60, got ${JSON.stringify(raw)}`);
  }
  return value;
}

const log = (line: string) => console.log(`[bench] ${line}`);

// ---------------------------------------------------------------------------------------------
// HTTP helpers (node:http rather than fetch: exact bytes, explicit sockets for the stampede)

interface Answer {
  status: number;
  contentType: string;
  bytes: Buffer;
  ms: number;
}

function post(port: number, body: string, agent?: Agent): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent,
        headers: { ...REQUEST_HEADERS, 'content-length': Buffer.byteLength(body) },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'] ?? '',
            bytes: Buffer.concat(chunks),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`POST :${port}/graphql timed out after 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function postOk(port: number, body: string, what: string): Promise<Answer> {
  const answer = await post(port, body);
  if (answer.status !== 200) {
    throw new Error(`${what} answered HTTP ${answer.status}: ${answer.bytes.toString('utf8').slice(0, 500)}`);
  }
  return answer;
}

async function waitHealthy(gateway: Managed, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!gateway.running) throw gateway.failure('exited before /health answered');
    const ok = await new Promise<boolean>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/health', timeout: 1_000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
      req.end();
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw gateway.failure(`did not answer /health within ${timeoutMs} ms`);
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Simulator {
  proc: Managed;
  endpoint: string;
  clusters: { id: string; nodePoolNames: string[] }[];
}

const credentials = {
  accessKeyId: `LTAIbench${randomBytes(8).toString('hex')}`,
  accessKeySecret: randomBytes(24).toString('base64url'),
};

/** Only what the children need: a stray CACHE_TTL_MS or ACK_* in the shell must not skew a run. */
const baseEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: process.env.HOME });

async function startSimulator(): Promise<Simulator> {
  const proc = forkTs('ACK simulator', join(ROOT, 'scripts/bench/simulator-process.ts'), ROOT, {
    ...baseEnv(),
    SIMULATOR_PORT: '0',
    SIMULATOR_CLUSTERS: String(CLUSTERS),
    SIMULATOR_NODE_POOLS: String(POOLS_PER_CLUSTER),
    SIMULATOR_LATENCY_MS: '0',
    SIMULATOR_ACCESS_KEY_ID: credentials.accessKeyId,
    SIMULATOR_ACCESS_KEY_SECRET: credentials.accessKeySecret,
  });
  const ready = await proc.message(isReadySimulator, 30_000, 'ready message');
  return { proc, endpoint: ready.endpoint, clusters: ready.clusters };
}

async function startFloor(): Promise<{ proc: Managed; port: number }> {
  const proc = forkTs('floor server', join(ROOT, 'scripts/bench/floor-server.ts'), ROOT, baseEnv());
  const ready = await proc.message(isReadyFloor, 30_000, 'ready message');
  return { proc, port: ready.port };
}

const GATEWAY_PASSTHROUGH_PREFIX = 'BENCH_GATEWAY_';

/** BENCH_GATEWAY_<NAME> variables of the bench's environment, as the gateway's <NAME>. */
function gatewayPassthrough(): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith(GATEWAY_PASSTHROUGH_PREFIX) && value !== undefined) {
      passed[key.slice(GATEWAY_PASSTHROUGH_PREFIX.length)] = value;
    }
  }
  return passed;
}

async function startGateway(
  name: string,
  simulator: Simulator,
  extraEnv: Record<string, string> = {},
): Promise<{ proc: Managed; port: number }> {
  const port = await freePort();
  const proc = start(name, process.execPath, [...GATEWAY_NODE_FLAGS, 'dist/main.js'], {
    cwd: ROOT,
    env: {
      ...baseEnv(),
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      ACK_SIMULATOR: '0',
      ACK_ENDPOINT: simulator.endpoint,
      ACK_PROTOCOL: 'http',
      ALIBABA_CLOUD_ACCESS_KEY_ID: credentials.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: credentials.accessKeySecret,
      LOG_LEVEL: 'warn',
      CSRF_PREVENTION: 'false',
      ...gatewayPassthrough(),
      ...extraEnv,
    },
  });
  await waitHealthy(proc, port, 30_000);
  return { proc, port };
}

async function upstreamCalls(simulator: Simulator): Promise<number> {
  const reply = await simulator.proc.request({ op: 'stats' });
  return reply.stats?.total ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Measurements

interface Row {
  workload: string;
  target: 'gateway' | 'floor';
  reqPerS: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Upstream calls during the measurement; undefined for the floor (it has no upstream). */
  upstreamCalls?: number;
  peakRssMb: number;
  cpuMsPerReq: number;
  wallMs: number;
  /** The load generator's CPU in % of one core (wrk runs only). */
  loadGenCpuPercent?: number;
  ratio?: string;
}

/** One wrk run against one target, after one warm-up request and the unmeasured warm-up run. */
async function wrkRow(options: {
  workload: string;
  target: 'gateway' | 'floor';
  proc: Managed;
  port: number;
  body: string;
  script: string;
  durationS: number;
  simulator?: Simulator;
}): Promise<Row> {
  const { workload, target, proc, port, body, script, durationS, simulator } = options;
  const drive = (seconds: number) =>
    runWrk({
      url: `http://127.0.0.1:${port}/graphql`,
      script,
      durationS: seconds,
      connections: WRK_CONNECTIONS,
      threads: WRK_THREADS,
    });
  await postOk(port, body, `${target} warm-up for ${workload}`);
  if (WARMUP_S > 0) await drive(WARMUP_S);
  if (simulator) await simulator.proc.request({ op: 'resetStats' });
  log(`${workload}: ${target}, ${durationS} s`);
  const peak = new PeakRss([proc.pid], true);
  const cpuBefore = cpuMs(proc.pid);
  let result: WrkResult;
  let peaks: Map<number, number>;
  try {
    result = await drive(durationS);
  } finally {
    peaks = peak.stop();
  }
  const cpu = cpuMs(proc.pid) - cpuBefore;
  const peakRssMb = peaks.get(proc.pid) ?? 0;
  if (!proc.running) throw proc.failure(`exited during ${workload}`);
  const { errors } = result;
  if (errors.status > 0)
    throw new Error(`${target} gave ${errors.status} non-2xx/3xx answers in ${workload}`);
  const socketErrors = errors.connect + errors.read + errors.write + errors.timeout;
  if (socketErrors > 0) log(`warning: ${workload} ${target}: socket errors ${JSON.stringify(errors)}`);
  if (result.requests === 0) throw new Error(`${target} completed no request in ${workload}`);
  return {
    workload,
    target,
    reqPerS: result.reqPerS,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    requests: result.requests,
    upstreamCalls: simulator ? await upstreamCalls(simulator) : undefined,
    peakRssMb,
    cpuMsPerReq: cpu / result.requests,
    wallMs: result.durationS * 1000,
    loadGenCpuPercent: result.wrkCpuPercent,
  };
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

/**
 * `STAMPEDE_REQUESTS` identical requests at once, each on its own connection (a thundering herd
 * of fresh clients), all answers checked. `resetPeak` false keeps the peak since process start.
 */
async function burstRow(options: {
  workload: string;
  target: 'gateway' | 'floor';
  proc: Managed;
  port: number;
  body: string;
  expected: Buffer;
  resetPeak: boolean;
  simulator?: Simulator;
}): Promise<Row & { differing: number }> {
  const { workload, target, proc, port, body, expected, resetPeak, simulator } = options;
  if (simulator) await simulator.proc.request({ op: 'resetStats' });
  const agent = new Agent({ keepAlive: false, maxSockets: STAMPEDE_REQUESTS });
  const peak = new PeakRss([proc.pid], resetPeak);
  const cpuBefore = cpuMs(proc.pid);
  const started = performance.now();
  const answers = await Promise.all(Array.from({ length: STAMPEDE_REQUESTS }, () => post(port, body, agent)));
  const wallMs = performance.now() - started;
  const cpu = cpuMs(proc.pid) - cpuBefore;
  const peakRssMb = peak.stop().get(proc.pid) ?? 0;
  agent.destroy();
  const failed = answers.filter((answer) => answer.status !== 200);
  if (failed.length > 0) {
    throw new Error(
      `${target} gave ${failed.length} non-200 answers in ${workload}, e.g. HTTP ${failed[0]?.status}: ${failed[0]?.bytes.toString('utf8').slice(0, 300)}`,
    );
  }
  const latencies = answers.map((answer) => answer.ms).sort((a, b) => a - b);
  return {
    workload,
    target,
    reqPerS: STAMPEDE_REQUESTS / (wallMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    requests: STAMPEDE_REQUESTS,
    upstreamCalls: simulator ? await upstreamCalls(simulator) : undefined,
    peakRssMb,
    cpuMsPerReq: cpu / STAMPEDE_REQUESTS,
    wallMs,
    // Same data, so any difference is an error or a partial answer under the stampede.
    differing: answers.filter((answer) => !answer.bytes.equals(expected)).length,
  };
}

// ---------------------------------------------------------------------------------------------
// Report

const fixed = (value: number, digits: number) => value.toFixed(digits);
const ms = (value: number) => fixed(value, value < 10 ? 2 : 1);
const rate = (value: number) => fixed(value, value < 100 ? 1 : 0);

function printTable(rows: Row[]): void {
  const header = [
    'workload',
    'target',
    'req/s',
    'p50 ms',
    'p99 ms',
    'upstream calls (per req)',
    'peak RSS MB',
    'CPU ms/req',
    'wall ms',
    'wrk CPU %',
    'gateway/floor',
  ];
  const cells = rows.map((row) => [
    row.workload,
    row.target,
    rate(row.reqPerS),
    ms(row.p50Ms),
    ms(row.p99Ms),
    row.upstreamCalls === undefined
      ? '-'
      : `${row.upstreamCalls} (${fixed(row.upstreamCalls / row.requests, 4)})`,
    fixed(row.peakRssMb, 1),
    ms(row.cpuMsPerReq),
    fixed(row.wallMs, 0),
    row.loadGenCpuPercent === undefined ? '-' : fixed(row.loadGenCpuPercent, 0),
    row.ratio ?? '',
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...cells.map((line) => line[i]?.length ?? 0)),
  );
  // Text columns left-aligned, numbers right-aligned.
  const format = (line: string[]) =>
    line.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of cells) console.log(format(line));
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'ack-bench-'));
  const cleanup = () => {
    killAll();
    rmSync(tmp, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      log(`${signal}: stopping every child process`);
      cleanup();
      process.exit(130);
    });
  }

  // Other work on the machine skews every number here: say how busy it was.
  const loadBefore = loadavg()[0] ?? 0;
  const wrkVersion = await ensureWrk(log);
  if (process.env.BENCH_SKIP_BUILD === '1') {
    log('BENCH_SKIP_BUILD=1: using the existing dist/');
  } else {
    log('building the gateway (npm run build)');
    await run('npm run build', 'npm', ['run', 'build'], 180_000, { cwd: ROOT });
  }

  const [simulator, floor] = await Promise.all([startSimulator(), startFloor()]);
  const clusterIds = simulator.clusters.map((cluster) => cluster.id);
  const firstCluster = simulator.clusters[0];
  const poolName = firstCluster?.nodePoolNames[0];
  if (!firstCluster || !poolName || clusterIds.length !== CLUSTERS) {
    throw new Error(`the simulator serves ${clusterIds.length} clusters; expected ${CLUSTERS} with pools`);
  }

  const w1Body = JSON.stringify({ query: DASHBOARD_QUERY, variables: { ids: clusterIds } });
  const w2Body = JSON.stringify({
    query: ONE_POOL_QUERY,
    variables: { clusterId: firstCluster.id, name: poolName },
  });

  const scaleOut = scaleOutFromEnv();
  const runScaleOutPart = async () => {
    const result = await runScaleOut({
      tmp,
      log,
      durationS: DURATION_S,
      ttlRunS: TTL_RUN_S,
      shortTtlMs: SHORT_TTL_MS,
      slowUpstreamMs: SLOW_UPSTREAM_MS,
      burstRequests: STAMPEDE_REQUESTS,
      clusters: CLUSTERS,
      connections: WRK_CONNECTIONS,
      w1Body,
      requestHeaders: REQUEST_HEADERS,
      startGateway: (name, extraEnv) => startGateway(name, simulator, extraEnv),
      post,
      upstreamCalls: () => upstreamCalls(simulator),
      resetStats: async () => {
        await simulator.proc.request({ op: 'resetStats' });
      },
      setLatency: async (latencyMs) => {
        await simulator.proc.request({ op: 'setLatency', latencyMs });
      },
    });
    console.log('');
    printScaleOut(result, CLUSTERS);
  };
  if (scaleOut === 'only') {
    log('BENCH_SCALE_OUT=only: the scale-out run alone');
    await runScaleOutPart();
    return;
  }

  let gateway = await startGateway('gateway (W1/W2)', simulator);

  // The floor's answers are the gateway's own bytes, checked to be complete and error-free.
  const w1Answer = await postOk(gateway.port, w1Body, 'gateway W1');
  const w2Answer = await postOk(gateway.port, w2Body, 'gateway W2');
  const w1Json = JSON.parse(w1Answer.bytes.toString('utf8')) as {
    errors?: unknown[];
    data?: { clusters?: ({ nodePools?: unknown[] } | null)[] };
  };
  const w2Json = JSON.parse(w2Answer.bytes.toString('utf8')) as {
    errors?: unknown[];
    data?: { nodePools?: unknown[] };
  };
  const pools = (w1Json.data?.clusters ?? []).reduce(
    (sum, cluster) => sum + (cluster?.nodePools?.length ?? 0),
    0,
  );
  if (w1Json.errors || pools !== CLUSTERS * POOLS_PER_CLUSTER) {
    throw new Error(
      `W1 answer has ${pools} pools and errors ${JSON.stringify(w1Json.errors)?.slice(0, 500)}`,
    );
  }
  if (w2Json.errors || w2Json.data?.nodePools?.length !== 1) {
    throw new Error(`W2 answer is not one pool: ${w2Answer.bytes.toString('utf8').slice(0, 500)}`);
  }
  const routes: FloorRoute[] = [
    {
      requestBody: w1Body,
      contentType: w1Answer.contentType,
      responseBase64: w1Answer.bytes.toString('base64'),
    },
    {
      requestBody: w2Body,
      contentType: w2Answer.contentType,
      responseBase64: w2Answer.bytes.toString('base64'),
    },
  ];
  await floor.proc.request({ op: 'setRoutes', routes });
  for (const [body, answer] of [
    [w1Body, w1Answer],
    [w2Body, w2Answer],
  ] as const) {
    const fromFloor = await postOk(floor.port, body, 'floor');
    if (!fromFloor.bytes.equals(answer.bytes) || fromFloor.contentType !== answer.contentType) {
      throw new Error('the floor does not answer the gateway bytes');
    }
  }

  const w1Script = writeWrkScript(tmp, 'w1', w1Body, REQUEST_HEADERS);
  const w2Script = writeWrkScript(tmp, 'w2', w2Body, REQUEST_HEADERS);
  const w1Leaves = leafFieldsPerPool(DASHBOARD_QUERY);
  const w1Label = `W1 dashboard ${CLUSTERS}x${POOLS_PER_CLUSTER}, ${w1Leaves} fields/pool, warm`;
  const w2Label = `W2 one pool by name, ${leafFieldsPerPool(ONE_POOL_QUERY)} fields, warm`;
  const ttlLabel = `W1 across TTLs (CACHE_TTL_MS=${SHORT_TTL_MS})`;
  const w3Label = `W3 stampede ${STAMPEDE_REQUESTS}x W1, cold, ${SLOW_UPSTREAM_MS} ms upstream`;

  const common = { durationS: DURATION_S };
  const gw = (workload: string, body: string, script: string, durationS = DURATION_S) =>
    wrkRow({
      workload,
      target: 'gateway',
      proc: gateway.proc,
      port: gateway.port,
      body,
      script,
      durationS,
      simulator,
    });
  const fl = (workload: string, body: string, script: string) =>
    wrkRow({ workload, target: 'floor', proc: floor.proc, port: floor.port, body, script, ...common });

  const w1Gateway = await gw(w1Label, w1Body, w1Script);
  const w1Floor = await fl(w1Label, w1Body, w1Script);
  const w2Gateway = await gw(w2Label, w2Body, w2Script);
  const w2Floor = await fl(w2Label, w2Body, w2Script);
  // No cache can answer these: each body is new (the ids reshuffled; a varied set of
  // representations), so each is a full execution over warm data. The floor stays W1's bytes.
  const distinctLabel = 'W1 distinct: ids in a new order per request';
  const distinctScript = writeDistinctDashboardScript(tmp, REQUEST_HEADERS, clusterIds);
  const distinctGateway = await gw(distinctLabel, distinctDashboardBody(clusterIds), distinctScript);
  const keysAnswer = await postOk(
    gateway.port,
    JSON.stringify({ query: ENTITY_KEYS_QUERY, variables: { ids: clusterIds } }),
    'gateway entity keys',
  );
  const keys = entityKeysFrom(JSON.parse(keysAnswer.bytes.toString('utf8')));
  const entitiesLabel = `_entities: 1-${ENTITY_BATCH_MAX} random representations per request`;
  const entitiesScript = writeEntitiesScript(tmp, REQUEST_HEADERS, keys);
  const entitiesGateway = await gw(entitiesLabel, entitiesBody(keys), entitiesScript);
  await gateway.proc.stop();

  // Expiries only cost something when the upstream is slow, so this run and W3 use ACK-like latency.
  await simulator.proc.request({ op: 'setLatency', latencyMs: SLOW_UPSTREAM_MS });
  gateway = await startGateway('gateway (short TTL)', simulator, { CACHE_TTL_MS: String(SHORT_TTL_MS) });
  const ttlGateway = await gw(ttlLabel, w1Body, w1Script, TTL_RUN_S);
  await gateway.proc.stop();

  log(`${w3Label}: fresh gateway`);
  gateway = await startGateway('gateway (stampede)', simulator);
  const w3Gateway = await burstRow({
    workload: w3Label,
    target: 'gateway',
    proc: gateway.proc,
    port: gateway.port,
    body: w1Body,
    expected: w1Answer.bytes,
    resetPeak: false,
    simulator,
  });
  const w3Floor = await burstRow({
    workload: w3Label,
    target: 'floor',
    proc: floor.proc,
    port: floor.port,
    body: w1Body,
    expected: w1Answer.bytes,
    resetPeak: true,
  });

  w1Gateway.ratio = `${fixed(w1Gateway.reqPerS / w1Floor.reqPerS, 3)} (req/s)`;
  w2Gateway.ratio = `${fixed(w2Gateway.reqPerS / w2Floor.reqPerS, 3)} (req/s)`;
  ttlGateway.ratio = `${fixed(ttlGateway.reqPerS / w1Floor.reqPerS, 3)} (req/s vs W1 floor)`;
  w3Gateway.ratio = `${fixed(w3Gateway.wallMs / w3Floor.wallMs, 2)} (wall)`;
  distinctGateway.ratio = `${fixed(distinctGateway.reqPerS / w1Floor.reqPerS, 4)} (req/s vs W1 floor)`;
  entitiesGateway.ratio = `${fixed(entitiesGateway.reqPerS / w1Floor.reqPerS, 4)} (req/s vs W1 floor)`;

  console.log('');
  console.log(
    `cores ${availableParallelism()}, Node ${process.version}, wrk ${wrkVersion} (-t${WRK_THREADS} -c${WRK_CONNECTIONS}, ${DURATION_S} s per run after ${WARMUP_S} s unmeasured, ${TTL_RUN_S} s for the TTL run)`,
  );
  const loadAfter = loadavg()[0] ?? 0;
  // The bench itself keeps about 2 cores busy, so only the load before it started says whether
  // something else was competing.
  const busy = loadBefore >= 1;
  console.log(
    `1-min load average ${fixed(loadBefore, 2)} before the bench, ${fixed(loadAfter, 2)} after${busy ? ': other processes were using the CPU, the numbers are noisy' : ''}`,
  );
  const passed = Object.entries(gatewayPassthrough());
  if (passed.length > 0)
    console.log(`gateway env from BENCH_GATEWAY_*: ${passed.map(([k, v]) => `${k}=${v}`).join(' ')}`);
  console.log(
    `W1: ${w1Leaves} leaf fields per pool, ${CLUSTERS * POOLS_PER_CLUSTER} pools, answer ${w1Answer.bytes.length} bytes; W2 answer ${w2Answer.bytes.length} bytes; content-type ${w1Answer.contentType}`,
  );
  console.log('');
  printTable([
    w1Gateway,
    w1Floor,
    w2Gateway,
    w2Floor,
    distinctGateway,
    entitiesGateway,
    ttlGateway,
    w3Gateway,
    w3Floor,
  ]);
  console.log('');
  if (w3Gateway.differing > 0) {
    console.log(
      `note: ${w3Gateway.differing} of ${STAMPEDE_REQUESTS} W3 gateway answers differ from the warm W1 answer`,
    );
  }
  const verdict = (met: boolean) => (met ? 'MET   ' : 'MISSED');
  const w1Ratio = w1Gateway.reqPerS / w1Floor.reqPerS;
  const w2Ratio = w2Gateway.reqPerS / w2Floor.reqPerS;
  const w3Ratio = w3Gateway.wallMs / w3Floor.wallMs;
  console.log('targets:');
  console.log(
    `  ${verdict(w1Ratio >= TARGETS.w1MinRatio)} W1 warm >= ${TARGETS.w1MinRatio} x floor: ${fixed(w1Ratio, 3)}`,
  );
  console.log(
    `  ${verdict(w2Ratio >= TARGETS.w2MinRatio)} W2 warm >= ${TARGETS.w2MinRatio} x floor: ${fixed(w2Ratio, 3)}`,
  );
  console.log(
    `  ${verdict(w3Gateway.upstreamCalls === CLUSTERS)} W3 exactly ${CLUSTERS} upstream calls: ${w3Gateway.upstreamCalls}`,
  );
  console.log(
    `  ${verdict(w3Ratio <= TARGETS.w3MaxWallRatio)} W3 wall <= ${TARGETS.w3MaxWallRatio} x floor: ${fixed(w3Gateway.wallMs, 0)} ms vs ${fixed(w3Floor.wallMs, 0)} ms (${fixed(w3Ratio, 2)}x)`,
  );
  console.log(
    `  ${verdict(w1Gateway.peakRssMb <= TARGETS.w1MaxRssMb)} W1 gateway peak RSS <= ${TARGETS.w1MaxRssMb} MB: ${fixed(w1Gateway.peakRssMb, 1)} MB`,
  );
  console.log(
    `  ${verdict(w3Gateway.peakRssMb <= TARGETS.w3MaxRssMb)} W3 gateway peak RSS <= ${TARGETS.w3MaxRssMb} MB: ${fixed(w3Gateway.peakRssMb, 1)} MB`,
  );
  const distinctRatio = distinctGateway.reqPerS / w1Floor.reqPerS;
  const distinctTail = distinctGateway.p99Ms / distinctGateway.p50Ms;
  console.log(
    `  ${verdict(distinctRatio >= TARGETS.distinctMinRatio)} W1 distinct >= ${TARGETS.distinctMinRatio} x floor: ${fixed(distinctRatio, 4)}`,
  );
  console.log(
    `  ${verdict(distinctTail <= TARGETS.distinctMaxTail)} W1 distinct p99 <= ${TARGETS.distinctMaxTail} x p50: ${fixed(distinctTail, 1)}x`,
  );
  console.log(
    `  ${verdict(distinctGateway.peakRssMb <= TARGETS.distinctMaxRssMb)} W1 distinct peak RSS <= ${TARGETS.distinctMaxRssMb} MB: ${fixed(distinctGateway.peakRssMb, 1)} MB`,
  );

  if (scaleOut === 'yes') {
    console.log('');
    log('scale-out: three replicas behind round-robin, alone and with Redis');
    await runScaleOutPart();
  }

  await stopAll();
}

try {
  await main();
} catch (error) {
  console.error(`[bench] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
  // Children are gone; nothing left should keep the bench alive, and a stray handle must not.
  process.exit();
}
