/**
 * The bench's scale-out run: three gateway replicas behind round-robin, once each alone (every
 * replica its own cache, as without REDIS_URL) and once sharing one Redis. It reports what the
 * scaled topology costs ACK and what it serves:
 *
 *   S1  cold burst: BURST concurrent W1 requests spread round-robin over fresh replicas (and, with
 *       Redis, a fresh key prefix): ACK calls per burst; one replica costs CLUSTERS.
 *   S2  warm: wrk W1 with its threads spread over the replicas (no proxy process: wrk's own
 *       per-thread addresses), throughput and latency.
 *   S3  across TTLs: S2 with CACHE_TTL_MS short and ACK-like upstream latency: ACK calls while
 *       hot keys expire and are refreshed under load.
 *   R   a response cache in Redis, bounded from above: GETs of the W1 answer's bytes from Redis
 *       with as many in flight as wrk keeps, which is the least every replica would do per
 *       request if the response cache moved there (docs/replicas.md explains the decision).
 *
 * Redis is Debian's `redis-server` on a loopback port with a temporary directory and no
 * persistence; installed with apt-get when missing and root, else the Redis half is skipped.
 */
import { spawnSync } from 'node:child_process';
import { Agent } from 'node:http';
import { Redis } from 'ioredis';
import { cpuMs, freePort, PeakRss } from '../lib/proc.js';
import { type Managed, run, start } from './processes.js';
import { runWrk, writeWrkScript } from './wrk.js';

export const SCALE_OUT_REPLICAS = 3;

export interface ScaleOutAnswer {
  status: number;
  bytes: Buffer;
  ms: number;
}

export interface ScaleOutDeps {
  tmp: string;
  log: (line: string) => void;
  durationS: number;
  ttlRunS: number;
  shortTtlMs: number;
  slowUpstreamMs: number;
  burstRequests: number;
  clusters: number;
  connections: number;
  w1Body: string;
  requestHeaders: Record<string, string>;
  startGateway: (name: string, extraEnv: Record<string, string>) => Promise<{ proc: Managed; port: number }>;
  post: (port: number, body: string, agent?: Agent) => Promise<ScaleOutAnswer>;
  upstreamCalls: () => Promise<number>;
  resetStats: () => Promise<void>;
  setLatency: (latencyMs: number) => Promise<void>;
}

export interface ScaleOutRow {
  run: string;
  /** What the replicas' shared tiers did, summed (`ack_gateway_shared_cache_events_total`), with Redis. */
  sharedEvents?: Record<string, number>;
  /** Times a replica logged Redis going down during the run. */
  redisDowns?: number;
  mode: 'alone' | 'redis';
  reqPerS: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  upstreamCalls: number;
  /** Sum over the replicas. */
  gatewayCpuMsPerReq: number;
  /** Redis's own CPU over the run (0 alone). */
  redisCpuMs: number;
  /** The largest replica's peak RSS. */
  peakRssMb: number;
  wallMs: number;
}

export interface ScaleOutResult {
  rows: ScaleOutRow[];
  /** GETs per second of the W1 answer's bytes from Redis (the R run); undefined without Redis. */
  redisGet?: { opsPerS: number; p50Ms: number; p99Ms: number; bytes: number };
  skipped?: string;
}

const hasRedisServer = () => spawnSync('redis-server', ['--version'], { timeout: 5_000 }).status === 0;

/** Debian's redis-server, installed with apt-get when missing and root; false when unavailable. */
async function ensureRedisServer(log: (line: string) => void): Promise<boolean> {
  if (hasRedisServer()) return true;
  if (process.getuid?.() !== 0) return false;
  log('redis-server is not on PATH: installing the Debian package with apt-get install -y redis-server');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get install redis-server', 'apt-get', ['install', '-y', 'redis-server'], 300_000, { env });
  } catch {
    await run('apt-get update', 'apt-get', ['update'], 180_000, { env });
    await run('apt-get install redis-server', 'apt-get', ['install', '-y', 'redis-server'], 300_000, { env });
  }
  return hasRedisServer();
}

async function startRedisServer(tmp: string): Promise<{ proc: Managed; port: number }> {
  const port = await freePort();
  const proc = start('redis-server', 'redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    tmp,
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  const deadline = Date.now() + 10_000;
  while (!proc.output().includes('Ready to accept connections')) {
    if (!proc.running) throw proc.failure('exited before it was ready');
    if (Date.now() > deadline) throw proc.failure('was not ready within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { proc, port };
}

/** `ack_gateway_shared_cache_events_total` of every replica, summed by event. */
async function sharedEvents(ports: readonly number[]): Promise<Record<string, number>> {
  const sums: Record<string, number> = {};
  for (const port of ports) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const [, event, value] of text.matchAll(
      /^ack_gateway_shared_cache_events_total\{event="(\w+)"\} (\d+)/gm,
    )) {
      sums[event as string] = (sums[event as string] ?? 0) + Number(value);
    }
  }
  return sums;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

/** Runs S1-S3 for one mode on fresh replicas; R after the Redis mode. */
async function runMode(
  deps: ScaleOutDeps,
  mode: 'alone' | 'redis',
  redis: { proc: Managed; port: number } | undefined,
  expected: { bytes?: Buffer },
): Promise<ScaleOutRow[]> {
  const { log } = deps;
  const rows: ScaleOutRow[] = [];
  const prefix = `bench-${Date.now().toString(36)}-`;
  const redisEnv = (run: string): Record<string, string> =>
    redis ? { REDIS_URL: `redis://127.0.0.1:${redis.port}/0`, REDIS_KEY_PREFIX: `${prefix}${run}:` } : {};
  const startReplicas = (run: string, env: Record<string, string> = {}) =>
    Promise.all(
      Array.from({ length: SCALE_OUT_REPLICAS }, (_, i) =>
        deps.startGateway(`gateway ${mode} ${run} #${i + 1}`, { ...redisEnv(run), ...env }),
      ),
    );
  const measure = (replicas: { proc: Managed }[]) => {
    const pids = replicas.map((replica) => replica.proc.pid);
    const peak = new PeakRss(pids, true);
    const cpuBefore = pids.map((pid) => cpuMs(pid));
    const redisBefore = redis ? cpuMs(redis.proc.pid) : 0;
    return () => {
      const peaks = peak.stop();
      const gatewayCpu = pids.reduce((sum, pid, i) => sum + cpuMs(pid) - (cpuBefore[i] ?? 0), 0);
      return {
        gatewayCpu,
        redisCpuMs: redis ? cpuMs(redis.proc.pid) - redisBefore : 0,
        peakRssMb: Math.max(...pids.map((pid) => peaks.get(pid) ?? 0)),
      };
    };
  };
  // Since each replica started: its shared-tier events, and how often it logged Redis down.
  const tierReport = async (replicas: { proc: Managed; port: number }[]) => ({
    sharedEvents: await sharedEvents(replicas.map((replica) => replica.port)),
    redisDowns: replicas.reduce(
      (sum, replica) => sum + (replica.proc.output().match(/Redis shared cache is down/g)?.length ?? 0),
      0,
    ),
  });
  const stopAll = (replicas: { proc: Managed }[]) =>
    Promise.all(replicas.map((replica) => replica.proc.stop()));

  // S1: cold burst, ACK-like latency so the burst overlaps its own upstream calls.
  await deps.setLatency(deps.slowUpstreamMs);
  let replicas = await startReplicas('burst');
  await deps.resetStats();
  log(`S1 cold burst ${deps.burstRequests}x W1 over ${SCALE_OUT_REPLICAS} replicas (${mode})`);
  const agent = new Agent({ keepAlive: false, maxSockets: deps.burstRequests });
  let done = measure(replicas);
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: deps.burstRequests }, (_, i) =>
      deps.post(replicas[i % SCALE_OUT_REPLICAS]?.port ?? 0, deps.w1Body, agent),
    ),
  );
  const wallMs = performance.now() - started;
  agent.destroy();
  let used = done();
  const failed = answers.filter((answer) => answer.status !== 200);
  if (failed.length > 0) throw new Error(`S1 (${mode}): ${failed.length} non-200 answers`);
  expected.bytes ??= answers[0]?.bytes;
  const differing = answers.filter((answer) => expected.bytes && !answer.bytes.equals(expected.bytes)).length;
  if (differing > 0) log(`note: S1 (${mode}): ${differing} answers differ from the first one`);
  const latencies = answers.map((answer) => answer.ms).sort((a, b) => a - b);
  rows.push({
    run: `S1 cold burst ${deps.burstRequests}x W1`,
    mode,
    reqPerS: deps.burstRequests / (wallMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    requests: deps.burstRequests,
    upstreamCalls: await deps.upstreamCalls(),
    gatewayCpuMsPerReq: used.gatewayCpu / deps.burstRequests,
    redisCpuMs: used.redisCpuMs,
    peakRssMb: used.peakRssMb,
    wallMs,
    ...(redis ? await tierReport(replicas) : {}),
  });

  // S2: warm, the same replicas (every replica has answered W1 already).
  await deps.setLatency(0);
  const warm = async (run: string, durationS: number) => {
    const ports = replicas.map((replica) => replica.port);
    const script = writeWrkScript(deps.tmp, `scale-out-${mode}`, deps.w1Body, deps.requestHeaders, ports);
    await deps.resetStats();
    log(`${run} (${mode}), ${durationS} s`);
    done = measure(replicas);
    const result = await runWrk({
      url: `http://127.0.0.1:${ports[0]}/graphql`,
      script,
      durationS,
      connections: Math.ceil(deps.connections / SCALE_OUT_REPLICAS) * SCALE_OUT_REPLICAS,
      threads: SCALE_OUT_REPLICAS,
    });
    used = done();
    for (const replica of replicas)
      if (!replica.proc.running) throw replica.proc.failure(`exited during ${run}`);
    if (result.errors.status > 0)
      throw new Error(`${run} (${mode}): ${result.errors.status} non-2xx answers`);
    rows.push({
      run,
      mode,
      reqPerS: result.reqPerS,
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      requests: result.requests,
      upstreamCalls: await deps.upstreamCalls(),
      gatewayCpuMsPerReq: used.gatewayCpu / Math.max(1, result.requests),
      redisCpuMs: used.redisCpuMs,
      peakRssMb: used.peakRssMb,
      wallMs: result.durationS * 1000,
      ...(redis ? await tierReport(replicas) : {}),
    });
  };
  await warm('S2 warm W1', deps.durationS);
  await stopAll(replicas);

  // S3: short TTL under load, ACK-like latency: refreshes of hot keys, per replica or per fleet.
  await deps.setLatency(deps.slowUpstreamMs);
  replicas = await startReplicas('ttl', { CACHE_TTL_MS: String(deps.shortTtlMs) });
  for (const replica of replicas) {
    const answer = await deps.post(replica.port, deps.w1Body);
    if (answer.status !== 200) throw new Error(`S3 (${mode}) warm-up answered HTTP ${answer.status}`);
  }
  await warm(`S3 W1 across TTLs (CACHE_TTL_MS=${deps.shortTtlMs})`, deps.ttlRunS);
  await stopAll(replicas);
  await deps.setLatency(0);
  return rows;
}

/** R: GETs of `bytes` from Redis with `inFlight` outstanding, for `durationS`. */
async function redisGetCeiling(port: number, bytes: Buffer, inFlight: number, durationS: number) {
  const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
  try {
    await client.set('bench:response', bytes, 'PX', 60_000);
    const latencies: number[] = [];
    const deadline = performance.now() + durationS * 1000;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (performance.now() < deadline) {
          const started = performance.now();
          const value = await client.getBuffer('bench:response');
          if (!value || value.length !== bytes.length) throw new Error('Redis returned other bytes');
          latencies.push(performance.now() - started);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    return {
      opsPerS: latencies.length / durationS,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      bytes: bytes.length,
    };
  } finally {
    client.disconnect();
  }
}

export async function runScaleOut(deps: ScaleOutDeps): Promise<ScaleOutResult> {
  const expected: { bytes?: Buffer } = {};
  const rows = await runMode(deps, 'alone', undefined, expected);
  if (!(await ensureRedisServer(deps.log))) {
    return {
      rows,
      skipped: 'redis-server is not installed (and this is not root): the Redis half was skipped',
    };
  }
  const redis = await startRedisServer(deps.tmp);
  try {
    rows.push(...(await runMode(deps, 'redis', redis, expected)));
    deps.log('R: GETs of the W1 answer from Redis (a response cache there, from above)');
    const redisGet = expected.bytes
      ? await redisGetCeiling(redis.port, expected.bytes, deps.connections, Math.min(deps.durationS, 4))
      : undefined;
    return { rows, ...(redisGet ? { redisGet } : {}) };
  } finally {
    await redis.proc.stop();
  }
}

const fixed = (value: number, digits: number) => value.toFixed(digits);

export function printScaleOut(result: ScaleOutResult, clusters: number): void {
  const header = [
    'run',
    'mode',
    'req/s',
    'p50 ms',
    'p99 ms',
    'requests',
    'ACK calls',
    'gateways CPU ms/req',
    'Redis CPU ms',
    'max peak RSS MB',
    'wall ms',
  ];
  const cells = result.rows.map((row) => [
    row.run,
    row.mode,
    fixed(row.reqPerS, row.reqPerS < 100 ? 1 : 0),
    fixed(row.p50Ms, 2),
    fixed(row.p99Ms, 2),
    String(row.requests),
    String(row.upstreamCalls),
    fixed(row.gatewayCpuMsPerReq, 2),
    fixed(row.redisCpuMs, 0),
    fixed(row.peakRssMb, 1),
    fixed(row.wallMs, 0),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...cells.map((line) => line[i]?.length ?? 0)),
  );
  const format = (line: string[]) =>
    line.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  console.log(`scale-out: ${SCALE_OUT_REPLICAS} replicas behind round-robin, alone and sharing one Redis`);
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of cells) console.log(format(line));
  if (result.skipped) console.log(`note: ${result.skipped}`);
  for (const row of result.rows) {
    if (!row.sharedEvents) continue;
    const events = Object.entries(row.sharedEvents)
      .map(([event, count]) => `${event}=${count}`)
      .join(' ');
    console.log(
      `${row.run} (redis): shared-tier events since the replicas started: ${events || 'none'}; Redis down ${row.redisDowns ?? 0} time(s)`,
    );
  }
  const find = (run: string, mode: 'alone' | 'redis') =>
    result.rows.find((row) => row.run.startsWith(run) && row.mode === mode);
  const burstAlone = find('S1', 'alone');
  const burstRedis = find('S1', 'redis');
  const warmAlone = find('S2', 'alone');
  const warmRedis = find('S2', 'redis');
  const ttlAlone = find('S3', 'alone');
  const ttlRedis = find('S3', 'redis');
  if (result.redisGet) {
    const r = result.redisGet;
    console.log(
      `R: GET of the ${r.bytes}-byte W1 answer from Redis: ${fixed(r.opsPerS, 0)} op/s (p50 ${fixed(r.p50Ms, 2)} ms, p99 ${fixed(r.p99Ms, 2)} ms)` +
        (warmRedis
          ? ` vs ${fixed(warmRedis.reqPerS, 0)} req/s served by the replicas' own response caches`
          : ''),
    );
  }
  const verdict = (met: boolean) => (met ? 'MET   ' : 'MISSED');
  console.log('scale-out targets:');
  if (burstAlone) {
    console.log(
      `  info   S1 alone: ${burstAlone.upstreamCalls} ACK calls per cold burst (${fixed(burstAlone.upstreamCalls / clusters, 1)}x one replica's ${clusters})`,
    );
  }
  if (burstRedis) {
    console.log(
      `  ${verdict(burstRedis.upstreamCalls === clusters)} S1 with Redis: ${clusters} ACK calls per cold burst, as one replica: ${burstRedis.upstreamCalls}`,
    );
  }
  if (ttlAlone && ttlRedis) {
    console.log(
      `  ${verdict(ttlRedis.upstreamCalls <= ttlAlone.upstreamCalls / 2)} S3 with Redis: fewer refreshes than alone: ${ttlRedis.upstreamCalls} vs ${ttlAlone.upstreamCalls} ACK calls`,
    );
  }
  if (warmAlone && warmRedis) {
    console.log(
      `  info   S2 warm with Redis / alone: ${fixed(warmRedis.reqPerS / warmAlone.reqPerS, 3)} (req/s)`,
    );
  }
}
