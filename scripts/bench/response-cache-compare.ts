/**
 * `npm run bench:response-cache`: the hand-written response cache (src/http/response-cache.ts,
 * bytes replayed before yoga) against graphql-yoga's own `@graphql-yoga/plugin-response-cache`
 * (results cached inside yoga's pipeline, keyed by the same caller scope as `session`), on W1
 * repeated: the same question polled by 16 concurrent loops for BENCH_SECONDS (default 5) per
 * variant, the variants alternated twice, in one process over loopback.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useResponseCache } from '@graphql-yoga/plugin-response-cache';
import { loadConfig } from '../../src/config.js';
import { createGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/logger.js';
import { createObservability } from '../../src/observability/observability.js';
import { createAckSimulator } from '../../src/simulator/index.js';
import { DASHBOARD_QUERY } from './queries.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const key = { accessKeyId: 'LTAIcompare00000000001', accessKeySecret: 'compare-secret-000000001' };
const simulator = createAckSimulator({ ...key, clusterCount: 20, nodePoolsPerCluster: 5 });
const { endpoint } = await simulator.listen(0, '127.0.0.1');
const env = {
  ACK_ENDPOINT: endpoint,
  ACK_PROTOCOL: 'http',
  ALIBABA_CLOUD_ACCESS_KEY_ID: key.accessKeyId,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: key.accessKeySecret,
  CACHE_TTL_MS: '600000',
  WARM_UP: 'false',
};
const logger = createLogger('silent');
const quiet = async () => createObservability({ metrics: { enabled: false }, tracing: {} }, logger);

const ours = await createGateway(loadConfig(env), logger, { observability: await quiet() });
const { server: oursServer, url: oursUrl } = await ours.listen(0, '127.0.0.1');
const theirs = await createGateway(loadConfig({ ...env, RESPONSE_CACHE: 'false' }), logger, {
  observability: await quiet(),
  // Every caller of this bench sees everything: the scope key is a constant, as policy.scopeKey is.
  app: { extraPlugins: [useResponseCache({ session: () => 'all', ttl: 600_000 })] },
});
const theirsServer: Server = createServer(theirs.app);
await new Promise<void>((resolve) => theirsServer.listen(0, '127.0.0.1', resolve));
const theirsUrl = `http://127.0.0.1:${(theirsServer.address() as AddressInfo).port}`;

const body = JSON.stringify({
  query: DASHBOARD_QUERY,
  variables: { ids: simulator.clusters.map((c) => c.id) },
});
async function drive(url: string): Promise<{ rps: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const until = Date.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (Date.now() < until) {
        const at = performance.now();
        const response = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await response.arrayBuffer();
        latencies.push(performance.now() - at);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}

for (const url of [oursUrl, theirsUrl]) for (let i = 0; i < 3; i++) await drive(url).catch(() => undefined);
const rows: string[] = [];
for (let round = 1; round <= 2; round++) {
  for (const [name, url] of [
    ['hand-written (bytes before yoga)', oursUrl],
    ['@graphql-yoga/plugin-response-cache', theirsUrl],
  ] as const) {
    const { rps, p50, p99 } = await drive(url);
    rows.push(
      `round ${round}  ${name.padEnd(38)} ${rps.toFixed(0).padStart(6)} req/s  p50 ${p50.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms`,
    );
  }
}
console.log(rows.join('\n'));
oursServer.close();
theirsServer.close();
await ours.close();
await theirs.close();
await simulator.close();
process.exit(0);
