/**
 * The gateway side of test/http/answer-lifetime.test.ts, run with `node --expose-gc --import
 * tsx`: a gateway with one execution slot over a simulator of many clusters; its URL and the
 * clusters' ids are its first stdout line. It then obeys stdin lines: `slow` (the simulator
 * answers 400 ms late from now on), `gc` (one young-generation collection), and `measure`
 * (ArrayBuffer memory freed by one young-generation collection, printed as JSON).
 */
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestGateway } from './gateway.js';

const gc = (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
/** Until the collector's background sweeping has freed what it found dead. */
const SWEEP_MS = 50;

const gateway = await startTestGateway({
  env: { MAX_CONCURRENT_EXECUTIONS: '1' },
  simulator: { clusterCount: 40 },
});
const url = await gateway.listen();
console.log(JSON.stringify({ url, clusterIds: gateway.simulator.clusters.map((cluster) => cluster.id) }));

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'slow') gateway.simulator.setOptions({ latencyMs: 400 });
  if (line === 'gc') gc({ type: 'minor' });
  if (line === 'measure') {
    await sleep(SWEEP_MS);
    const before = process.memoryUsage().arrayBuffers;
    gc({ type: 'minor' });
    await sleep(SWEEP_MS);
    console.log(JSON.stringify({ freedBytes: before - process.memoryUsage().arrayBuffers }));
    continue;
  }
  if (line === 'exit') break;
  console.log(JSON.stringify({ done: line }));
}
await gateway.close();
