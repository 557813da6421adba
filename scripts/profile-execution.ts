/**
 * `npm run profile`: where the CPU goes when no cache can answer. Runs the gateway in this
 * process (response cache off, data cache warm) against the embedded simulator, drives W1 (20
 * clusters x 5 pools, the ids in a new order per request) from 8 concurrent loops for
 * PROFILE_SECONDS (default 10), and prints the hottest functions by self time from a V8 CPU
 * profile (also written to PROFILE_OUT, default ./execution.cpuprofile, for a flame graph in
 * Chrome DevTools or speedscope).
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadConfig } from '../src/config.js';
import { createGateway } from '../src/gateway.js';
import { createLogger } from '../src/logger.js';
import { createAckSimulator } from '../src/simulator/index.js';
import { DASHBOARD_QUERY } from './bench/queries.js';

const seconds = Number(process.env.PROFILE_SECONDS ?? 10);
const out = process.env.PROFILE_OUT ?? 'execution.cpuprofile';
const key = { accessKeyId: 'LTAIprofile000000000001', accessKeySecret: 'profile-secret-0000000001' };
const simulator = createAckSimulator({ ...key, clusterCount: 20, nodePoolsPerCluster: 5 });
const { endpoint } = await simulator.listen(0, '127.0.0.1');
const config = loadConfig({
  ACK_ENDPOINT: endpoint,
  ACK_PROTOCOL: 'http',
  ALIBABA_CLOUD_ACCESS_KEY_ID: key.accessKeyId,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: key.accessKeySecret,
  RESPONSE_CACHE: 'false',
  CACHE_TTL_MS: '600000',
  WARM_UP: 'false',
  METRICS: 'true',
});
const gateway = await createGateway(config, createLogger('silent'));
const ids = simulator.clusters.map((cluster) => cluster.id);
const shuffled = () => [...ids].sort(() => Math.random() - 0.5);
const ask = async () => {
  const response = await gateway.app.fetch('http://profile/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: DASHBOARD_QUERY, variables: { ids: shuffled() } }),
  });
  const text = await response.text();
  if (text.includes('"errors"')) throw new Error(text.slice(0, 300));
};
for (let i = 0; i < 50; i++) await ask();

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
let requests = 0;
const until = Date.now() + seconds * 1000;
const started = performance.now();
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (Date.now() < until) {
      await ask();
      requests += 1;
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
const { profile } = await session.post('Profiler.stop');
await writeFile(out, JSON.stringify(profile));

const self = new Map<string, number>();
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const counts = new Map<number, number>();
for (const sample of profile.samples ?? []) counts.set(sample, (counts.get(sample) ?? 0) + 1);
let total = 0;
for (const [id, count] of counts) {
  const node = byId.get(id);
  if (!node) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(src|scripts)\//, '$1/');
  const name = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  self.set(name, (self.get(name) ?? 0) + count);
  total += count;
}
console.log(
  `${requests} requests in ${elapsed.toFixed(1)} s: ${(requests / elapsed).toFixed(1)} req/s, ${((elapsed * 1000) / requests).toFixed(2)} ms each (8 concurrent)`,
);
for (const [name, count] of [...self]
  .sort((a, b) => b[1] - a[1])
  .slice(0, Number(process.env.PROFILE_TOP ?? 40))) {
  console.log(`${((100 * count) / total).toFixed(1).padStart(5)}%  ${name}`);
}
await gateway.close();
await simulator.close();
process.exit(0);
