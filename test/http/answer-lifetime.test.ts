import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_QUERY } from '../../scripts/bench/queries.js';

/**
 * Under load every execution waits its turn in the execution gate, long enough for what the
 * exchange made meanwhile (its frames, promises, request) to be promoted to the old generation.
 * An answer handed back through those old objects is kept by them, even once they are garbage,
 * through every young-generation collection until the next full one: under distinct traffic, every answer's
 * bytes and string piled up (~4 MB per young collection at 150 req/s, 35 MB at the peak) and
 * forced a full collection every 0.7 s. The front door replies from inside the turn instead; this
 * holds it to that with the collector itself, in a gateway process of its own (the client's
 * memory stays out of the figure). The answer is yoga's JSON string, written as it is: a large
 * object, which a young-generation collection either frees or moves to the old generation.
 */
describe('an answer executed after waiting its turn', () => {
  it('dies in the young generation once written', async () => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'test/helpers/answer-lifetime-child.ts'],
      {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async () => JSON.parse(String((await lines.next()).value)) as Record<string, unknown>;
    const tell = async (command: string) => {
      child.stdin.write(`${command}\n`);
      return next();
    };
    try {
      const { url, clusterIds } = (await next()) as { url: string; clusterIds: string[] };
      const [far, ...near] = clusterIds;
      const post = async (query: string, ids: string[]) => {
        const response = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables: { ids } }),
        });
        expect(response.status).toBe(200);
        return (await response.arrayBuffer()).byteLength;
      };
      await post(DASHBOARD_QUERY, near);
      // The far cluster is cold and slow: its execution holds the only slot for 400 ms.
      await tell('slow');
      const slow = post(DASHBOARD_QUERY, [far as string]);
      await sleep(50);
      // Another text, so the response cache cannot answer it: executed once the slot is free.
      const waiter = post(`${DASHBOARD_QUERY} # another question`, near);
      for (let i = 0; i < 4; i++) {
        await sleep(50);
        await tell('gc');
      }
      const answerBytes = await waiter;
      await slow;
      expect(answerBytes).toBeGreaterThan(200_000);
      const { youngFreed, promoted } = (await tell('measure')) as { youngFreed: number; promoted: number };
      // Its text is the only large object the gateway made since the last collection.
      expect(youngFreed).toBeGreaterThan(answerBytes * 0.9);
      expect(promoted).toBeLessThan(answerBytes * 0.1);
    } finally {
      child.stdin.end('exit\n');
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
