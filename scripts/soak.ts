/**
 * `npm run soak`: a bounded soak of the built gateway against the embedded ACK simulator.
 *
 * The simulator runs in this process (12 clusters x 5 pools, 5-20 ms latency); the gateway runs
 * as its own process (`node dist/main.js`) with a short cache TTL, so ACK is really asked. Two
 * phases, after a warm-up:
 * - mixed (SOAK_DURATION_S, default 60): SOAK_CONCURRENCY (default 16) workers send mixed
 *   queries over keep-alive fetch while error faults rotate over exactly a quarter of the
 *   clusters (3 of 12; the others stay healthy) and the latency now and then spikes. Every answer
 *   is judged (scripts/soak/probes.ts) and every error in it is attributed to the cluster its
 *   path is about: errors on clusters without a fault are "collateral".
 * - flood (SOAK_FLOOD_S, default 15): the workers send distinct ~90 KB bodies (a small
 *   cacheable question padded to FLOOD_BODY_BYTES) as fast as they can; the gateway's RSS must
 *   stay within FLOOD_PEAK_GROWTH_MB of its start and come back within FLOOD_END_GROWTH_MB.
 * Traffic is loopback only. Exit 0 with `soak: PASS`, else 1 with `soak: FAIL (reasons)`: any
 * lost answer, any collateral error, memory past its bounds, a dead gateway.
 *
 * Other knobs: SOAK_WARMUP_S (5), SOAK_FAULT_PERIOD_S (5), SOAK_SEED (random), SOAK_SKIP_BUILD=1,
 * SOAK_FLOOD_CONCURRENCY (SOAK_CONCURRENCY), SOAK_FLOOD_PAD (where the padding goes: variable, an
 * unused variable, a new response-cache key each; comment, also a new document to parse and cache;
 * mixed, both in turn, the default), SOAK_GATEWAY_NODE_OPTIONS (the gateway's NODE_OPTIONS;
 * default DEFAULT_GATEWAY_NODE_OPTIONS, empty for none).
 */

import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAckSimulator } from '../src/simulator/index.js';
import { createPrng } from '../src/simulator/prng.js';
import { gatewayNodeFlags } from './lib/node-flags.js';
import { freePort } from './lib/proc.js';
import { FaultSchedule } from './soak/fault-schedule.js';
import { build, cpuSeconds, GatewayProcess } from './soak/gateway-process.js';
import { type PhaseMemory, RssWatch } from './soak/memory.js';
import { type GqlBody, Judge, type Probe, ProbeFactory } from './soak/probes.js';
import { median, percentile, Tally, topCounts } from './soak/tally.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLUSTERS = 12;
const NODE_POOLS = 5;
/** The issue's bar: no collateral errors with faults on a quarter of the clusters. */
const FAULTED_CLUSTERS = CLUSTERS / 4;
/** An answer not complete within this is lost. */
const REQUEST_TIMEOUT_MS = 10_000;
const RSS_EVERY_MS = 2_000;
const BUILD_TIMEOUT_MS = 180_000;
const HEALTHY_TIMEOUT_MS = 20_000;
/** main.ts gives in-flight requests 10 s after SIGTERM. */
const STOP_GRACE_MS = 12_000;
/** Mixed phase: end RSS must stay within RSS_FACTOR x start + RSS_SLACK_MB. */
const RSS_FACTOR = 1.5;
const RSS_SLACK_MB = 20;
const ACK_READ_TIMEOUT_MS = 1_500;
const REQUEST_DEADLINE_MS = 4_000;
/**
 * The gateway's breaker cool-down (its default is 10 s). A cluster's open breaker is its own
 * business for the cool-down after its fault is lifted; a short one keeps that settle margin
 * short, so most healthy clusters are judged at every moment.
 */
const BREAKER_COOLDOWN_MS = 2_000;
/**
 * How long after a fault is lifted its cluster's errors are still its own (not collateral): a
 * request that joined an upstream call made before the lift ends by its deadline; an open
 * breaker lets a trial call through after the cool-down, which ends within the read timeout.
 */
const SETTLE_MS = Math.max(REQUEST_DEADLINE_MS, BREAKER_COOLDOWN_MS + ACK_READ_TIMEOUT_MS) + 500;
/**
 * The gateway's RESPONSE_CACHE_MAX_BYTES in the soak (its default is 64 MB): small, so that a
 * response cache holding more than it counts (keys: the flood's ~90 KB bodies) shows within the
 * seconds of a short flood, above what a cache keeping its budget may rightly hold.
 */
const RESPONSE_CACHE_MAX_MB = 16;
/** A flood body: well under the gateway's MAX_BODY_BYTES (100,000), so each one is accepted. */
const FLOOD_BODY_BYTES = 90_000;
/**
 * Flood: peak RSS may grow at most this much over the flood's base (below): the response cache's full
 * budget plus 80 MB of headroom for what a flood of big bodies leaves around for a while: V8's
 * young generation grown to its full size (`config.nodeFlags`), bodies promoted while in
 * flight that only a major GC frees (the old space grows to 1.2x its live size before one),
 * yoga's parse cache filling its 16 MB of document text, Buffer memory malloc keeps for reuse,
 * and the few copies of its body each request in flight holds (socket chunks, the concatenated
 * Buffer, the cache key, the Request's copy, the parsed JSON: ~0.5 MB x 16). Measured over the
 * base with the flood at 87-238 bodies/s (at least twice its rate before the execution gate's
 * one start per turn): +46 to +90 MB. A store keeping what each distinct body brings holds
 * ~90 KB more per request: +45 to +107 MB more over the short soak's 500-1,200 bodies.
 */
const FLOOD_PEAK_GROWTH_MB = RESPONSE_CACHE_MAX_MB + 96;
/**
 * Flood: RSS after FLOOD_SETTLE_MS of quiet must be within this of the flood's base: the
 * response cache's budget plus 64 MB for memory V8 and malloc keep committed after a burst (the
 * grown young generation, freed old-space pages and Buffer arenas are not handed back at once,
 * the parse cache keeps its documents). Measured: +46 to +82 MB, near the peak (RSS does not
 * come down within seconds). Memory above it is held by something the flood filled.
 */
const FLOOD_END_GROWTH_MB = RESPONSE_CACHE_MAX_MB + 80;
/** Quiet after the flood before its end RSS is taken: past every answer's TTL (CACHE_TTL_MS). */
const FLOOD_SETTLE_MS = 3_000;
const FLOOD_RSS_EVERY_MS = 500;
/** Collateral errors shown as examples. */
const COLLATERAL_EXAMPLES = 5;
/**
 * The gateway's heap is capped so that RSS means something: uncapped, V8 (a 4 GB limit on a
 * large host) lets the heap saw between ~190 and ~390 MB under this load, and a leak smaller than
 * the saw stays invisible for minutes. Capped, a leak ends in growth to the cap or an OOM exit.
 * The gateway's live heap is ~62 MB idle (it does not start under 48 MB). The node flags of
 * `npm start` (package.json config.nodeFlags) come on top.
 */
const DEFAULT_GATEWAY_NODE_OPTIONS = '--max-old-space-size=192';

type FloodPad = 'variable' | 'comment' | 'mixed';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a non-negative number, got ${raw}`);
  return value;
}

function envPad(): FloodPad {
  const raw = process.env.SOAK_FLOOD_PAD?.trim() || 'mixed';
  if (raw !== 'variable' && raw !== 'comment' && raw !== 'mixed')
    throw new Error(`SOAK_FLOOD_PAD must be variable, comment or mixed, got ${raw}`);
  return raw;
}

/** Only loopback traffic: the soak never reaches anything off this machine. */
function assertLoopback(what: string, hostPort: string): void {
  const host = hostPort.replace(/^https?:\/\//, '').replace(/:\d+(\/.*)?$/, '');
  if (host !== '127.0.0.1') throw new Error(`${what} ${hostPort} is not on loopback`);
}

const mb = (kb: number | undefined) => (kb === undefined ? Number.NaN : kb / 1024);
const mbText = (kb: number | undefined) => `${mb(kb).toFixed(1)} MB`;
const ms = (value: number) => `${Math.round(value)} ms`;
const sleepMs = (waitMs: number) => new Promise<void>((done) => setTimeout(done, waitMs));

async function main(): Promise<number> {
  const durationMs = envNumber('SOAK_DURATION_S', 60) * 1000;
  const warmupMs = envNumber('SOAK_WARMUP_S', 5) * 1000;
  const floodMs = envNumber('SOAK_FLOOD_S', 15) * 1000;
  const concurrency = Math.max(1, Math.floor(envNumber('SOAK_CONCURRENCY', 16)));
  const floodConcurrency = Math.max(1, Math.floor(envNumber('SOAK_FLOOD_CONCURRENCY', concurrency)));
  const floodPad = envPad();
  const periodMs = Math.max(500, envNumber('SOAK_FAULT_PERIOD_S', 5) * 1000);
  const seed = Math.floor(envNumber('SOAK_SEED', randomBytes(4).readUInt32BE(0)));
  // Seeded, so a failing mix can be replayed with SOAK_SEED: one stream each for the faults
  // (which clusters, which faults, when spikes: the same for a seed whatever the timing), the
  // latency jitter and the probes (how many each takes depends on timing).
  const faultRandom = createPrng(seed).next;
  const jitterRandom = createPrng(seed ^ 0x5bd1e995).next;
  const probeRandom = createPrng(seed ^ 0x27d4eb2f).next;
  const nodeOptions = process.env.SOAK_GATEWAY_NODE_OPTIONS ?? DEFAULT_GATEWAY_NODE_OPTIONS;

  // Bounded whatever happens: a hung phase ends the soak as a failure.
  const watchdog = setTimeout(
    () => {
      console.error('soak: FAIL (did not finish in time)');
      process.exit(1);
    },
    BUILD_TIMEOUT_MS +
      HEALTHY_TIMEOUT_MS +
      warmupMs +
      durationMs +
      floodMs +
      FLOOD_SETTLE_MS +
      4 * REQUEST_TIMEOUT_MS +
      STOP_GRACE_MS,
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
  assertLoopback('the simulator', endpoint);

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
    ACK_BREAKER_COOLDOWN_MS: String(BREAKER_COOLDOWN_MS),
    REQUEST_DEADLINE_MS: String(REQUEST_DEADLINE_MS),
    RESPONSE_CACHE_MAX_BYTES: String(RESPONSE_CACHE_MAX_MB * 1024 * 1024),
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  });
  assertLoopback('the gateway', gateway.url);
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
      faultedPerPeriod: FAULTED_CLUSTERS,
      // Never calm: a quarter of the clusters is faulted at every moment of the mixed phase.
      calmEvery: 0,
      settleMs: SETTLE_MS,
      baseLatencyMs: [5, 20],
      spikeChance: 0.25,
      spikeLatencyMs: [250, 700],
      spikeDurationMs: 1_500,
      random: faultRandom,
      jitterRandom,
    },
  );
  const factory = new ProbeFactory(simulator, probeRandom);
  const warmupTally = new Tally();
  const tally = new Tally();
  const floodTally = new Tally();
  // Upstream calls per second: seconds without any show an open circuit (or a hung client).
  const upstreamPerSecond: number[] = [];
  let upstreamSeen = 0;
  const countUpstream = () => {
    const total = simulator.stats().total;
    upstreamPerSecond.push(total - upstreamSeen);
    upstreamSeen = total;
  };
  // Faulted clusters seen at each second of the mixed phase: the quarter, every time.
  const faultedSeen = new Set<number>();

  try {
    await gateway.waitHealthy(HEALTHY_TIMEOUT_MS);
    console.log(
      `soak: gateway pid ${gateway.pid} at ${gateway.url}, simulator ${endpoint}; ` +
        `${durationMs / 1000} s mixed + ${floodMs / 1000} s flood, ${concurrency} workers, seed ${seed}`,
    );

    let phase: 'warmup' | 'mixed' | 'between' | 'flood' | 'done' = 'warmup';
    const send = async (probe: Probe, target: Tally): Promise<void> => {
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
          body: probe.body
            ? probe.body()
            : JSON.stringify({ query: probe.query, variables: probe.variables }),
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
      judge.attribute(probe.slots);
      if (judge.lost.length === 0) probe.after?.(judge);
      target.judged(probe.kind, probe.variables, status, latency, judge, text);
    };
    /** `count` workers sending `next()` while `going()`, each into the tally `into()` names at send time. */
    const runWorkers = (
      count: number,
      going: () => boolean,
      next: (walk: ReturnType<ProbeFactory['newWalk']>) => Probe,
      into: () => Tally,
    ) =>
      Promise.all(
        Array.from({ length: count }, async () => {
          const walk = factory.newWalk();
          // A dead gateway ends the soak: its refusals would only repeat one finding.
          while (going() && !interrupted && gateway.running) await send(next(walk), into());
        }),
      );
    const sleep = (waitMs: number) =>
      new Promise<void>((done) => {
        const until = performance.now() + waitMs;
        const tick = () =>
          interrupted || !gateway.running || performance.now() >= until ? done() : setTimeout(tick, 100);
        tick();
      });

    // --- warm-up and mixed phase ---
    schedule.startJitter();
    const mixedWorkers = runWorkers(
      concurrency,
      () => phase === 'warmup' || phase === 'mixed',
      (walk) => factory.next(walk),
      () => (phase === 'warmup' ? warmupTally : tally),
    );
    await sleep(warmupMs);
    simulator.resetStats();
    const mixedRss = new RssWatch(gateway.pid, RSS_EVERY_MS);
    phase = 'mixed';
    const soakStart = performance.now();
    const cpuStart = cpuSeconds(gateway.pid) ?? Number.NaN;
    schedule.startFaults();
    const upstreamSampler = setInterval(() => {
      countUpstream();
      faultedSeen.add(schedule.faultedNow);
    }, 1_000);
    await sleep(durationMs);
    phase = 'between';
    const soakEnd = performance.now();
    const cpuUsed = (cpuSeconds(gateway.pid) ?? Number.NaN) - cpuStart;
    clearInterval(upstreamSampler);
    // Faults end with the phase; answers still in flight are judged by what they overlapped.
    schedule.stop();
    await mixedWorkers;
    const mixedMemory = mixedRss.stop();
    const upstream = simulator.stats();
    const mixedEndKb = median(mixedMemory.samplesKb.slice(-3));
    const diedInMixed = !gateway.running;

    // --- flood phase: distinct bodies as fast as the workers can ---
    let floodMemory: PhaseMemory | undefined;
    let floodEndKb: number | undefined;
    let floodSeconds = 0;
    const floodEndSamples: number[] = [];
    if (floodMs > 0 && gateway.running && !interrupted) {
      simulator.resetStats();
      const floodRss = new RssWatch(gateway.pid, FLOOD_RSS_EVERY_MS);
      phase = 'flood';
      const floodStart = performance.now();
      let serial = 0;
      const floodWorkers = runWorkers(
        floodConcurrency,
        () => phase === 'flood',
        () => {
          serial += 1;
          const pad = floodPad === 'mixed' ? (serial % 2 === 0 ? 'comment' : 'variable') : floodPad;
          return factory.floodProbe(`${seed}-${serial}`, FLOOD_BODY_BYTES, pad);
        },
        () => floodTally,
      );
      await sleep(floodMs);
      phase = 'done';
      floodSeconds = (performance.now() - floodStart) / 1000;
      await floodWorkers;
      floodMemory = floodRss.stop();
      // Quiet, then a few samples: memory the flood filled and nothing freed is still there.
      await sleep(FLOOD_SETTLE_MS);
      for (let i = 0; i < 3 && gateway.running; i++) {
        if (i > 0) await sleepMs(250);
        const kb = floodRss.sample();
        if (kb !== undefined) floodEndSamples.push(kb);
      }
      floodEndKb = median(floodEndSamples);
    }
    phase = 'done';
    const floodUpstream = simulator.stats();
    const diedInFlood = !diedInMixed && !gateway.running;
    const exitCode = gateway.code;
    const stopped = await gateway.stop(STOP_GRACE_MS);
    await simulator.close();

    // --- report ---
    const seconds = (soakEnd - soakStart) / 1000;
    const sorted = [...tally.latencies].sort((a, b) => a - b);
    const floodSorted = [...floodTally.latencies].sort((a, b) => a - b);
    const mixedLimitKb =
      mixedMemory.startKb === undefined ? Number.NaN : mixedMemory.startKb * RSS_FACTOR + RSS_SLACK_MB * 1024;
    const floodStartKb = floodMemory?.startKb;
    // The working set the flood adds to: where the mixed phase had taken RSS, or the flood's
    // start if higher. RSS at the flood's start alone ranged 144-221 MB from run to run (V8
    // hands memory back in a quiet moment, or does not), where the flood's plateau did not.
    const floodBaseKb =
      floodStartKb === undefined ? undefined : Math.max(floodStartKb, mixedMemory.peakKb ?? 0);
    const floodPeakLimitKb =
      floodBaseKb === undefined ? Number.NaN : floodBaseKb + FLOOD_PEAK_GROWTH_MB * 1024;
    const floodEndLimitKb = floodBaseKb === undefined ? Number.NaN : floodBaseKb + FLOOD_END_GROWTH_MB * 1024;
    const kinds = [...tally.byKind]
      .sort((a, b) => b[1].length - a[1].length)
      .map(([kind, list]) => {
        const s = [...list].sort((a, b) => a - b);
        return `${kind} ${list.length} (p99 ${ms(percentile(s, 0.99))})`;
      });
    const lostTotal = warmupTally.lost + tally.lost + floodTally.lost;
    const collateralTotal = warmupTally.collateral + tally.collateral + floodTally.collateral;
    const faultedText = [...faultedSeen].sort((a, b) => a - b).join('/') || 'none';
    const details = [
      `soak: ${seconds.toFixed(1)} s mixed after ${warmupMs / 1000} s warm-up, then ${floodSeconds.toFixed(1)} s flood; ` +
        `${concurrency} workers (flood ${floodConcurrency}); ${CLUSTERS} clusters x ${NODE_POOLS} pools; ` +
        `gateway node flags '${gatewayNodeFlags(REPO).join(' ')}', NODE_OPTIONS '${nodeOptions}'; seed ${seed}` +
        (interrupted ? '; INTERRUPTED' : ''),
      `warm-up: ${warmupTally.requests} requests (lost ${warmupTally.lost}, collateral ${warmupTally.collateral})`,
      `by kind: ${kinds.join(', ')}`,
      `latency: p50 ${ms(percentile(sorted, 0.5))}, p90 ${ms(percentile(sorted, 0.9))}, p99 ${ms(percentile(sorted, 0.99))}, max ${ms(sorted.at(-1) ?? Number.NaN)}`,
      `HTTP status: ${topCounts(tally.byStatus)}`,
      ...[...tally.lostReasons, ...warmupTally.lostReasons, ...floodTally.lostReasons]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10)
        .map(([reason, count]) => `  lost ${count}x ${reason}`),
      `collateral: ${tally.collateral} errors in ${tally.answersWithCollateral} answers on clusters without a fault ` +
        `(settle margin ${SETTLE_MS / 1000} s); by code: ${topCounts(tally.collateralByCode, 8)}; ` +
        `by kind: ${topCounts(tally.collateralByKind, 8)}; by cluster: ${topCounts(tally.collateralByCluster, 6)}`,
      `faulted clusters: ${tally.faultedErrors} coded errors, ${tally.faultedAnswered} answered with data; ` +
        `STALE_DATA warnings: ${tally.staleFaulted} faulted, ${tally.staleHealthy} healthy`,
      `faults: ${FAULTED_CLUSTERS} of ${CLUSTERS} clusters at a time (seen each second: ${faultedText}); ` +
        `${schedule.periods} periods of ${periodMs / 1000} s, ${topCounts(new Map(Object.entries(schedule.applied)))}; ` +
        `latency spikes ${schedule.spikeCount}`,
      `upstream: ${upstream.total} calls (HTTP ${topCounts(new Map(Object.entries(upstream.byStatus)))}), ` +
        `${upstream.rejectedSignatures} bad signatures; ${upstreamPerSecond.filter((n) => n === 0).length} of ${upstreamPerSecond.length} s without any call`,
      `mixed RSS samples (MB, every ${RSS_EVERY_MS / 1000} s): ${mixedMemory.samplesKb.map((kb) => mb(kb).toFixed(0)).join(' ')}`,
      `gateway CPU: ${cpuUsed.toFixed(1)} s in ${seconds.toFixed(1)} s (${((100 * cpuUsed) / seconds).toFixed(0)}% of one core)`,
    ];
    if (floodMemory) {
      details.push(
        `flood: ${FLOOD_BODY_BYTES}-byte distinct bodies (padding: ${floodPad}); HTTP status: ${topCounts(floodTally.byStatus)}; ` +
          `upstream ${floodUpstream.total} calls; latency max ${ms(floodSorted.at(-1) ?? Number.NaN)}`,
        `flood RSS samples (MB, every ${FLOOD_RSS_EVERY_MS / 1000} s; then after ${FLOOD_SETTLE_MS / 1000} s quiet): ` +
          `${floodMemory.samplesKb.map((kb) => mb(kb).toFixed(0)).join(' ')} | ${floodEndSamples.map((kb) => mb(kb).toFixed(0)).join(' ')}`,
      );
    }
    details.push(
      `gateway: ${
        diedInMixed || diedInFlood
          ? `DIED during the ${diedInMixed ? 'mixed phase' : 'flood'} (exit ${exitCode})`
          : `SIGTERM -> exit ${stopped.code}${stopped.forced ? ' (SIGKILLed after the grace)' : ''}`
      }; log lines: ${topCounts(gateway.logCounts, 6)}`,
    );
    for (const lost of [...warmupTally.lostSamples, ...tally.lostSamples, ...floodTally.lostSamples].slice(
      0,
      5,
    )) {
      details.push(
        `  lost sample: ${lost.kind} ${lost.variables} -> HTTP ${lost.status}: ${lost.reasons.join('; ')}`,
        `    body: ${lost.body}`,
      );
    }

    const summary = [
      `--- soak summary (seed ${seed}) ---`,
      `mixed: ${tally.requests} requests in ${seconds.toFixed(1)} s (${(tally.requests / seconds).toFixed(0)}/s), ` +
        `lost ${tally.lost + warmupTally.lost}, collateral ${tally.collateral + warmupTally.collateral}, ` +
        `latency p50 ${ms(percentile(sorted, 0.5))} p99 ${ms(percentile(sorted, 0.99))}`,
      `mixed error codes: ${topCounts(tally.errorsByCode, 12)}`,
      `mixed RSS: start ${mbText(mixedMemory.startKb)}, peak ${mbText(mixedMemory.peakKb)}, end ${mbText(mixedEndKb)} ` +
        `(bound: end <= ${mbText(mixedLimitKb)})`,
    ];
    if (floodMemory) {
      summary.push(
        `flood: ${floodTally.requests} requests in ${floodSeconds.toFixed(1)} s (${(floodTally.requests / floodSeconds).toFixed(0)}/s), ` +
          `lost ${floodTally.lost}, collateral ${floodTally.collateral}, ` +
          `latency p50 ${ms(percentile(floodSorted, 0.5))} p99 ${ms(percentile(floodSorted, 0.99))}`,
        `flood error codes: ${topCounts(floodTally.errorsByCode, 12)}`,
        `flood RSS: start ${mbText(floodStartKb)}, peak ${mbText(floodMemory.peakKb)}, end ${mbText(floodEndKb)} ` +
          `(bounds: peak <= ${mbText(floodPeakLimitKb)} = base + ${FLOOD_PEAK_GROWTH_MB} MB, ` +
          `end <= ${mbText(floodEndLimitKb)} = base + ${FLOOD_END_GROWTH_MB} MB, base ${mbText(floodBaseKb)} = ` +
          `max(flood start, mixed peak); peak from ${floodMemory.peakFrom})`,
      );
    } else {
      summary.push('flood: skipped');
    }
    const examples = [
      ...warmupTally.collateralSamples.map((example) => ({ ...example, phase: 'warm-up' })),
      ...tally.collateralSamples.map((example) => ({ ...example, phase: 'mixed' })),
      ...floodTally.collateralSamples.map((example) => ({ ...example, phase: 'flood' })),
    ];
    for (const example of examples.slice(0, COLLATERAL_EXAMPLES)) {
      summary.push(
        `  collateral: ${example.path} ${example.code} on ${example.clusterId} (${example.phase} ${example.kind}, ` +
          `sent ${(example.at / 1000).toFixed(1)} s after the faults began; ${example.lastFault}` +
          `${example.spike ? '; latency spike' : ''})`,
      );
    }

    const reasons: string[] = [];
    if (lostTotal > 0) reasons.push(`${lostTotal} lost`);
    if (collateralTotal > 0) reasons.push(`${collateralTotal} collateral errors`);
    if (!(mixedEndKb !== undefined && mixedEndKb <= mixedLimitKb))
      reasons.push(`mixed end RSS ${mbText(mixedEndKb)} > ${mbText(mixedLimitKb)}`);
    if (floodMemory) {
      if (!(floodMemory.peakKb !== undefined && floodMemory.peakKb <= floodPeakLimitKb))
        reasons.push(`flood peak RSS ${mbText(floodMemory.peakKb)} > ${mbText(floodPeakLimitKb)}`);
      if (!diedInFlood && !(floodEndKb !== undefined && floodEndKb <= floodEndLimitKb))
        reasons.push(`flood end RSS ${mbText(floodEndKb)} > ${mbText(floodEndLimitKb)}`);
      if (floodTally.requests === 0) reasons.push('no flood requests');
    }
    if (diedInMixed || diedInFlood) reasons.push(`gateway died (exit ${exitCode})`);
    if (interrupted) reasons.push('interrupted');
    if (tally.requests === 0) reasons.push('no requests');
    summary.push(reasons.length === 0 ? 'soak: PASS' : `soak: FAIL (${reasons.join(', ')})`);
    console.log([...details, ...summary].join('\n'));
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
