/**
 * `npm run soak`: a bounded soak of the built gateway against the embedded ACK simulator.
 *
 * The simulator runs in this process (12 clusters x 5 pools, 5-20 ms latency); the gateway runs
 * as its own process (`node dist/main.js`) with a short cache TTL, so ACK is really asked. For
 * SOAK_DURATION_S (default 60) SOAK_CONCURRENCY (default 16) workers send mixed queries over
 * keep-alive fetch while faults rotate over a few clusters (the others stay healthy) and the
 * latency now and then spikes. Every answer is judged (scripts/soak/probes.ts); the gateway's
 * RSS is sampled from /proc. Exit 0 with `soak: PASS`, else 1 with `soak: FAIL (reason)`.
 *
 * Other knobs: SOAK_WARMUP_S (5), SOAK_FAULT_PERIOD_S (4), SOAK_SEED (random), SOAK_SKIP_BUILD=1,
 * SOAK_GATEWAY_NODE_OPTIONS (the gateway's NODE_OPTIONS; default DEFAULT_GATEWAY_NODE_OPTIONS, empty
 * for none).
 */

import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAckSimulator } from '../src/simulator/index.js';
import { createPrng } from '../src/simulator/prng.js';
import { freePort, rssKb } from './lib/proc.js';
import { FaultSchedule } from './soak/fault-schedule.js';
import { build, cpuSeconds, GatewayProcess } from './soak/gateway-process.js';
import { type GqlBody, Judge, type Probe, ProbeFactory } from './soak/probes.js';
import { percentile, Tally, topCounts } from './soak/tally.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLUSTERS = 12;
const NODE_POOLS = 5;
/** An answer not complete within this is lost. */
const REQUEST_TIMEOUT_MS = 10_000;
const RSS_EVERY_MS = 2_000;
const BUILD_TIMEOUT_MS = 180_000;
const HEALTHY_TIMEOUT_MS = 20_000;
/** main.ts gives in-flight requests 10 s after SIGTERM. */
const STOP_GRACE_MS = 12_000;
/** End RSS must stay within RSS_FACTOR x start + RSS_SLACK_MB. */
const RSS_FACTOR = 1.5;
const RSS_SLACK_MB = 20;
const ACK_READ_TIMEOUT_MS = 1_500;
/**
 * The gateway's heap is capped so that RSS means something: uncapped, V8 (a 4 GB limit on a
 * large host) lets the heap saw between ~190 and ~390 MB under this load, and a leak smaller than
 * the saw stays invisible for minutes. Capped, a leak ends in growth to the cap or an OOM exit.
 * The gateway's live heap is ~62 MB idle (it does not start under 48 MB).
 */
const DEFAULT_GATEWAY_NODE_OPTIONS = '--max-old-space-size=192';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a non-negative number, got ${raw}`);
  return value;
}

const mb = (kb: number | undefined) => (kb === undefined ? Number.NaN : kb / 1024);
const ms = (value: number) => `${Math.round(value)} ms`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<number> {
  const durationMs = envNumber('SOAK_DURATION_S', 60) * 1000;
  const warmupMs = envNumber('SOAK_WARMUP_S', 5) * 1000;
  const concurrency = Math.max(1, Math.floor(envNumber('SOAK_CONCURRENCY', 16)));
  const periodMs = Math.max(500, envNumber('SOAK_FAULT_PERIOD_S', 4) * 1000);
  const seed = Math.floor(envNumber('SOAK_SEED', randomBytes(4).readUInt32BE(0)));
  // Seeded, so a failing mix can be replayed with SOAK_SEED.
  const random = createPrng(seed).next;
  const nodeOptions = process.env.SOAK_GATEWAY_NODE_OPTIONS ?? DEFAULT_GATEWAY_NODE_OPTIONS;

  // Bounded whatever happens: a hung phase ends the soak as a failure.
  const watchdog = setTimeout(
    () => {
      console.error('soak: FAIL (did not finish in time)');
      process.exit(1);
    },
    BUILD_TIMEOUT_MS + HEALTHY_TIMEOUT_MS + warmupMs + durationMs + 4 * REQUEST_TIMEOUT_MS + STOP_GRACE_MS,
  );

  if (process.env.SOAK_SKIP_BUILD !== '1') {
    console.log('soak: building (npm run build)');
    await build(REPO, BUILD_TIMEOUT_MS);
  }

  const credentials = {
    accessKeyId: `LTAIsoak${randomBytes(8).toString('hex')}`,
    accessKeySecret: randomBytes(24).toString('base64url'),
  };
  const simulator = createAckSimulator({
    ...credentials,
    clusterCount: CLUSTERS,
    nodePoolsPerCluster: NODE_POOLS,
    latencyMs: 10,
  });
  const { endpoint } = await simulator.listen(0, '127.0.0.1');

  const gateway = GatewayProcess.start(REPO, await freePort(), {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    ACK_ENDPOINT: endpoint,
    ACK_PROTOCOL: 'http',
    ALIBABA_CLOUD_ACCESS_KEY_ID: credentials.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: credentials.accessKeySecret,
    LOG_LEVEL: 'warn',
    CSRF_PREVENTION: 'false',
    CACHE_TTL_MS: '1000',
    ACK_READ_TIMEOUT_MS: String(ACK_READ_TIMEOUT_MS),
    REQUEST_DEADLINE_MS: '4000',
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  });
  process.once('exit', () => gateway.kill());
  let interrupted = false;
  let interruptedAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // Ctrl-C reaches this process twice (from the terminal and relayed by tsx): only a later
    // signal means "abort now".
    if (interrupted) {
      if (performance.now() - interruptedAt < 1_000) return;
      gateway.kill();
      process.exit(130);
    }
    interrupted = true;
    interruptedAt = performance.now();
    console.error(`soak: ${signal}: stopping (again to abort at once)`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const schedule = new FaultSchedule(
    simulator,
    simulator.clusters.map((cluster) => cluster.id),
    {
      periodMs,
      faultedPerPeriod: 3,
      calmEvery: 5,
      graceMs: ACK_READ_TIMEOUT_MS + 500,
      baseLatencyMs: [5, 20],
      spikeChance: 0.25,
      spikeLatencyMs: [250, 700],
      spikeDurationMs: 1_500,
      random,
    },
  );
  const factory = new ProbeFactory(simulator, random);
  const tally = new Tally();
  const warmupTally = new Tally();
  const rss: { at: number; kb: number }[] = [];
  const sample = () => {
    const kb = rssKb(gateway.pid);
    if (kb !== undefined) rss.push({ at: performance.now(), kb });
  };
  // Upstream calls per second: seconds without any show an open circuit (or a hung client).
  const upstreamPerSecond: number[] = [];
  let upstreamSeen = 0;
  const countUpstream = () => {
    const total = simulator.stats().total;
    upstreamPerSecond.push(total - upstreamSeen);
    upstreamSeen = total;
  };

  try {
    await gateway.waitHealthy(HEALTHY_TIMEOUT_MS);
    console.log(
      `soak: gateway pid ${gateway.pid} at ${gateway.url}, simulator ${endpoint}; ` +
        `${durationMs / 1000} s, ${concurrency} workers, seed ${seed}`,
    );

    let phase: 'warmup' | 'soak' | 'done' = 'warmup';
    const send = async (probe: Probe): Promise<void> => {
      const target = phase === 'warmup' ? warmupTally : tally;
      const start = performance.now();
      let status = 0;
      let text = '';
      let failure: string | undefined;
      try {
        const response = await fetch(`${gateway.url}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/graphql-response+json, application/json;q=0.9',
          },
          body: JSON.stringify({ query: probe.query, variables: probe.variables }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        const name = error instanceof Error ? error.name : '';
        const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
        failure =
          name === 'TimeoutError' || name === 'AbortError'
            ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`
            : `network error ${cause?.code ?? (error instanceof Error ? error.message : String(error))}`;
      }
      const end = performance.now();
      const latency = end - start;
      if (failure) return target.failed(probe.kind, probe.variables, status, latency, failure, text);
      const expected = probe.expectStatus ?? 200;
      if (status !== expected)
        return target.failed(
          probe.kind,
          probe.variables,
          status,
          latency,
          `HTTP ${status}, expected ${expected}`,
          text,
        );
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return target.failed(probe.kind, probe.variables, status, latency, 'body is not JSON', text);
      }
      const result = body as GqlBody;
      const isResult =
        typeof body === 'object' &&
        body !== null &&
        (expected === 200 ? 'data' in body : Array.isArray(result.errors));
      if (!isResult)
        return target.failed(probe.kind, probe.variables, status, latency, 'not a GraphQL result', text);
      const judge = new Judge(result, schedule, start, end, probe.expectStatus !== undefined);
      probe.check(judge);
      if (judge.lost.length === 0) probe.after?.(judge);
      target.judged(probe.kind, probe.variables, status, latency, judge, text);
    };
    const worker = async () => {
      const walk = factory.newWalk();
      // A dead gateway ends the soak: its refusals would only repeat one finding.
      while (phase !== 'done' && !interrupted && gateway.running) await send(factory.next(walk));
    };
    const sleep = (waitMs: number) =>
      new Promise<void>((done) => {
        const until = performance.now() + waitMs;
        const tick = () =>
          interrupted || !gateway.running || performance.now() >= until ? done() : setTimeout(tick, 100);
        tick();
      });

    schedule.startJitter();
    const workers = Array.from({ length: concurrency }, worker);
    await sleep(warmupMs);
    simulator.resetStats();
    sample();
    phase = 'soak';
    const soakStart = performance.now();
    const cpuStart = cpuSeconds(gateway.pid) ?? Number.NaN;
    schedule.startFaults();
    const sampler = setInterval(sample, RSS_EVERY_MS);
    const upstreamSampler = setInterval(countUpstream, 1_000);
    await sleep(durationMs);
    phase = 'done';
    const soakEnd = performance.now();
    const cpuUsed = (cpuSeconds(gateway.pid) ?? Number.NaN) - cpuStart;
    clearInterval(sampler);
    clearInterval(upstreamSampler);
    await Promise.all(workers);
    schedule.stop();
    sample();
    const upstream = simulator.stats();
    const diedDuringSoak = !gateway.running;
    const stopped = await gateway.stop(STOP_GRACE_MS);
    await simulator.close();

    // --- report ---
    const seconds = (soakEnd - soakStart) / 1000;
    const sorted = [...tally.latencies].sort((a, b) => a - b);
    const startKb = rss[0]?.kb;
    const maxKb = rss.length > 0 ? Math.max(...rss.map((s) => s.kb)) : undefined;
    const endKb = median(rss.slice(-3).map((s) => s.kb));
    const limitKb = startKb === undefined ? Number.NaN : startKb * RSS_FACTOR + RSS_SLACK_MB * 1024;
    const kinds = [...tally.byKind]
      .sort((a, b) => b[1].length - a[1].length)
      .map(([kind, list]) => {
        const s = [...list].sort((a, b) => a - b);
        return `${kind} ${list.length} (p99 ${ms(percentile(s, 0.99))})`;
      });
    const lines = [
      `soak: ${seconds.toFixed(1)} s measured after ${warmupMs / 1000} s warm-up; ${concurrency} workers; ` +
        `${CLUSTERS} clusters x ${NODE_POOLS} pools; gateway NODE_OPTIONS '${nodeOptions}'; seed ${seed}` +
        (interrupted ? '; INTERRUPTED' : ''),
      `requests: ${tally.requests} (${(tally.requests / seconds).toFixed(0)} answers/s); warm-up ${warmupTally.requests} (lost ${warmupTally.lost})`,
      `by kind: ${kinds.join(', ')}`,
      `latency: p50 ${ms(percentile(sorted, 0.5))}, p90 ${ms(percentile(sorted, 0.9))}, p99 ${ms(percentile(sorted, 0.99))}, max ${ms(sorted.at(-1) ?? Number.NaN)}`,
      `HTTP status: ${topCounts(tally.byStatus)}`,
      `lost: ${tally.lost + warmupTally.lost}`,
      ...[...tally.lostReasons, ...warmupTally.lostReasons]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10)
        .map(([reason, count]) => `  lost ${count}x ${reason}`),
      `collateral: ${tally.collateral} healthy-cluster fields in ${tally.answersWithCollateral} answers (${topCounts(tally.collateralByCode, 8)}; by kind: ${topCounts(tally.collateralByKind, 8)})`,
      `faulted clusters: ${tally.faultedErrors} coded errors, ${tally.faultedAnswered} answered with data; ` +
        `STALE_DATA warnings: ${tally.staleFaulted} faulted, ${tally.staleHealthy} healthy`,
      `error codes: ${topCounts(tally.errorsByCode, 16)}`,
      `faults: ${schedule.periods} periods (${schedule.calmPeriods} calm), ${topCounts(new Map(Object.entries(schedule.applied)))}; latency spikes ${schedule.spikeCount}`,
      `upstream: ${upstream.total} calls (HTTP ${topCounts(new Map(Object.entries(upstream.byStatus)))}), ` +
        `${upstream.rejectedSignatures} bad signatures; ${upstreamPerSecond.filter((n) => n === 0).length} of ${upstreamPerSecond.length} s without any call`,
      `RSS: start ${mb(startKb).toFixed(1)} MB, max ${mb(maxKb).toFixed(1)} MB, end ${mb(endKb).toFixed(1)} MB ` +
        `(growth ${(mb(endKb) - mb(startKb)).toFixed(1)} MB; limit ${mb(limitKb).toFixed(1)} MB)`,
      `RSS samples (MB, every ${RSS_EVERY_MS / 1000} s): ${rss.map((s) => mb(s.kb).toFixed(0)).join(' ')}`,
      `gateway CPU: ${cpuUsed.toFixed(1)} s in ${seconds.toFixed(1)} s (${((100 * cpuUsed) / seconds).toFixed(0)}% of one core)`,
      `gateway: ${diedDuringSoak ? `DIED during the soak (exit ${gateway.code})` : `SIGTERM -> exit ${stopped.code}${stopped.forced ? ' (SIGKILLed after the grace)' : ''}`}; ` +
        `log lines: ${topCounts(gateway.logCounts, 6)}`,
    ];
    for (const lost of [...tally.lostSamples, ...warmupTally.lostSamples].slice(0, 5)) {
      lines.push(
        `  lost sample: ${lost.kind} ${JSON.stringify(lost.variables)} -> HTTP ${lost.status}: ${lost.reasons.join('; ')}`,
        `    body: ${lost.body}`,
      );
    }
    const reasons: string[] = [];
    const lost = tally.lost + warmupTally.lost;
    if (lost > 0) reasons.push(`${lost} lost`);
    if (!(endKb !== undefined && endKb <= limitKb))
      reasons.push(`end RSS ${mb(endKb).toFixed(1)} MB > ${mb(limitKb).toFixed(1)} MB`);
    if (diedDuringSoak) reasons.push('gateway died');
    if (interrupted) reasons.push('interrupted');
    if (tally.requests === 0) reasons.push('no requests');
    lines.push(reasons.length === 0 ? 'soak: PASS' : `soak: FAIL (${reasons.join(', ')})`);
    console.log(lines.join('\n'));
    return reasons.length === 0 ? 0 : 1;
  } finally {
    clearTimeout(watchdog);
    schedule.stop();
    await gateway.stop(STOP_GRACE_MS);
    await simulator.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.error('soak: FAIL (the soak could not run)');
    process.exit(1);
  },
);
