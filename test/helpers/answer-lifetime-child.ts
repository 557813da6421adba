/**
 * The gateway side of test/http/answer-lifetime.test.ts, run with `node --expose-gc --import
 * tsx`: a gateway with one execution slot over a simulator of many clusters; its URL and the
 * clusters' ids are its first stdout line. It then obeys stdin lines: `slow` (the simulator
 * answers 400 ms late from now on), `gc` (one young-generation collection), and `measure`
 * (what one young-generation collection did to large objects, printed as JSON: the bytes it
 * freed from the young generation's large-object space and those it moved to the old one).
 */
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { getHeapSpaceStatistics } from 'node:v8';
import { startTestGateway } from './gateway.js';

const gc = (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
/** Bytes in use per heap space: a string over 128 KB (a dashboard answer) is a large object. */
const used = () =>
  Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, space.space_used_size]));
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
    const before = used();
    gc({ type: 'minor' });
    await sleep(SWEEP_MS);
    const after = used();
    const bytes = (space: string, from: Record<string, number>) => from[space] ?? 0;
    console.log(
      JSON.stringify({
        youngFreed: bytes('new_large_object_space', before) - bytes('new_large_object_space', after),
        promoted: bytes('large_object_space', after) - bytes('large_object_space', before),
      }),
    );
    continue;
  }
  if (line === 'exit') break;
  console.log(JSON.stringify({ done: line }));
}
await gateway.close();
