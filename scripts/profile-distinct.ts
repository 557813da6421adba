/**
 * The young-generation sweep: the built gateway (dist/main.js, response cache on as in
 * production) under W1 distinct (scripts/bench/distinct.ts), `_entities` and W1 repeated (the
 * response cache's hit path), once per `--max-semi-space-size` value in PROFILE_SEMI_SPACES
 * (default 2,8,16,32) and, crossed with those, once per set of node flags in PROFILE_NODE_FLAGS
 * ('|'-separated, e.g. '|--heap-growing-percent=50': none, then that flag; default none), the
 * rounds alternated PROFILE_ROUNDS times (default 2), beside the floor
 * (W1's bytes from a bare node:http server). Prints req/s, p50/p99 and the peak RSS of each run.
 * PROFILE_SECONDS sets the length of each wrk run (default 6). Run `npm run build` first.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  distinctDashboardBody,
  ENTITY_KEYS_QUERY,
  entitiesBody,
  entityKeysFrom,
  writeDistinctDashboardScript,
  writeEntitiesScript,
} from './bench/distinct.js';
import { forkTs, killAll, type Managed, start, stopAll } from './bench/processes.js';
import { isReadyFloor, isReadySimulator } from './bench/protocol.js';
import { DASHBOARD_QUERY } from './bench/queries.js';
import { runWrk, writeWrkScript } from './bench/wrk.js';
import { freePort, PeakRss } from './lib/proc.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 6);
const ROUNDS = Number(process.env.PROFILE_ROUNDS ?? 2);
const SEMI_SPACES = (process.env.PROFILE_SEMI_SPACES ?? '2,8,16,32').split(',').map(Number);
const NODE_FLAGS = (process.env.PROFILE_NODE_FLAGS ?? '').split('|').map((flags) => flags.trim());
const VARIANTS = SEMI_SPACES.flatMap((semiSpace) => NODE_FLAGS.map((flags) => ({ semiSpace, flags })));
const HEADERS = {
  'content-type': 'application/json',
  accept: 'application/graphql-response+json, application/json',
};
const credentials = {
  accessKeyId: `LTAIbench${randomBytes(8).toString('hex')}`,
  accessKeySecret: randomBytes(24).toString('base64url'),
};
const baseEnv = () => ({ PATH: process.env.PATH, HOME: process.env.HOME });

async function post(port: number, body: string): Promise<{ status: number; text: string; type: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: HEADERS,
    body,
  });
  return {
    status: response.status,
    text: await response.text(),
    type: response.headers.get('content-type') ?? '',
  };
}

async function waitHealthy(port: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the gateway did not answer /health');
}

async function measure(proc: Managed, port: number, script: string) {
  const peak = new PeakRss([proc.pid], true);
  const result = await runWrk({
    url: `http://127.0.0.1:${port}/graphql`,
    script,
    durationS: SECONDS,
    connections: 32,
    threads: 1,
  });
  const rss = peak.stop().get(proc.pid) ?? 0;
  if (result.errors.status > 0) throw new Error(`${result.errors.status} non-2xx answers`);
  return { reqPerS: result.reqPerS, p50: result.p50Ms, p99: result.p99Ms, rss };
}

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), 'ack-profile-distinct-'));
  process.on('exit', () => {
    killAll();
    rmSync(tmp, { recursive: true, force: true });
  });
  const simulator = forkTs('ACK simulator', join(ROOT, 'scripts/bench/simulator-process.ts'), ROOT, {
    ...baseEnv(),
    SIMULATOR_PORT: '0',
    SIMULATOR_CLUSTERS: '20',
    SIMULATOR_NODE_POOLS: '5',
    SIMULATOR_LATENCY_MS: '0',
    SIMULATOR_ACCESS_KEY_ID: credentials.accessKeyId,
    SIMULATOR_ACCESS_KEY_SECRET: credentials.accessKeySecret,
  });
  const ready = await simulator.message(isReadySimulator, 30_000, 'ready message');
  const floor = forkTs('floor server', join(ROOT, 'scripts/bench/floor-server.ts'), ROOT, baseEnv());
  const floorPort = (await floor.message(isReadyFloor, 30_000, 'ready message')).port;
  const ids = ready.clusters.map((cluster) => cluster.id);
  const w1Body = JSON.stringify({ query: DASHBOARD_QUERY, variables: { ids } });

  const startGateway = async (semiSpace: number, flags = '', env: Record<string, string> = {}) => {
    const port = await freePort();
    const args = [...flags.split(/\s+/).filter(Boolean), 'dist/main.js'];
    const proc = start(`gateway semi=${semiSpace} ${flags}`, process.execPath, args, {
      cwd: ROOT,
      env: {
        ...baseEnv(),
        NODE_ENV: 'production',
        NODE_OPTIONS: `--max-semi-space-size=${semiSpace}`,
        PORT: String(port),
        HOST: '127.0.0.1',
        ACK_SIMULATOR: '0',
        ACK_ENDPOINT: ready.endpoint,
        ACK_PROTOCOL: 'http',
        ALIBABA_CLOUD_ACCESS_KEY_ID: credentials.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: credentials.accessKeySecret,
        LOG_LEVEL: 'warn',
        CSRF_PREVENTION: 'false',
        // PROFILE_GATEWAY_ENV='NAME=value,...' for a variant of the gateway's own settings.
        ...Object.fromEntries(
          (process.env.PROFILE_GATEWAY_ENV ?? '')
            .split(',')
            .filter(Boolean)
            .map((pair) => pair.split('=') as [string, string]),
        ),
        ...env,
      },
    });
    await waitHealthy(port);
    return { proc, port };
  };

  // The keys of the _entities workload, and the floor's W1 answer, from a first gateway.
  const first = await startGateway(16);
  const w1 = await post(first.port, w1Body);
  const keys = entityKeysFrom(
    JSON.parse(
      (await post(first.port, JSON.stringify({ query: ENTITY_KEYS_QUERY, variables: { ids } }))).text,
    ),
  );
  await floor.request({
    op: 'setRoutes',
    routes: [
      { requestBody: w1Body, contentType: w1.type, responseBase64: Buffer.from(w1.text).toString('base64') },
    ],
  });
  await first.proc.stop();
  const scripts = {
    distinct: writeDistinctDashboardScript(tmp, HEADERS, ids),
    entities: writeEntitiesScript(tmp, HEADERS, keys),
    repeated: writeWrkScript(tmp, 'w1', w1Body, HEADERS),
  };
  console.log(`W1 answer ${w1.text.length} bytes; ${keys.length} clusters of entity keys`);

  for (let round = 1; round <= ROUNDS; round++) {
    const floorRun = await measure(floor, floorPort, scripts.repeated);
    console.log(
      `round ${round} floor W1: ${floorRun.reqPerS.toFixed(0)} req/s p50 ${floorRun.p50.toFixed(2)} p99 ${floorRun.p99.toFixed(2)} ms`,
    );
    const order = round % 2 === 1 ? VARIANTS : [...VARIANTS].reverse();
    for (const { semiSpace, flags } of order) {
      const gateway = await startGateway(
        semiSpace,
        flags,
        process.env.PROFILE_GATEWAY_ENV
          ? Object.fromEntries([process.env.PROFILE_GATEWAY_ENV.split('=') as [string, string]])
          : {},
      );
      // Warm: data cache, parse cache, the compiled query.
      for (let i = 0; i < 30; i++) {
        await post(gateway.port, distinctDashboardBody(ids));
        await post(gateway.port, entitiesBody(keys));
        await post(gateway.port, w1Body);
      }
      for (const [name, script] of Object.entries(scripts)) {
        const run = await measure(gateway.proc, gateway.port, script);
        console.log(
          `round ${round} semi=${String(semiSpace).padStart(2)}${flags ? ` ${flags}` : ''} ${name.padEnd(8)} ${run.reqPerS.toFixed(0).padStart(6)} req/s (${(run.reqPerS / floorRun.reqPerS).toFixed(4)}x floor) p50 ${run.p50.toFixed(1)} p99 ${run.p99.toFixed(1)} ms (p99/p50 ${(run.p99 / run.p50).toFixed(1)}) peak RSS ${run.rss.toFixed(0)} MB`,
        );
      }
      await gateway.proc.stop();
    }
  }
  await stopAll();
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await stopAll();
  process.exit();
}
