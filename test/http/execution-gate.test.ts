import { createServer, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AbandonedError, createExecutionGate } from '../../src/http/execution-gate.js';
import { createLogger } from '../../src/logger.js';
import { createObservability } from '../../src/observability/observability.js';
import { startTestGateway } from '../helpers/gateway.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the execution gate', () => {
  it('runs at most its limit at once, the rest in arrival order, and passes results and failures on', async () => {
    const gate = createExecutionGate(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const work = (index: number) =>
      gate(async () => {
        started.push(index);
        running += 1;
        most = Math.max(most, running);
        await sleep(10);
        running -= 1;
        if (index === 3) throw new Error('three failed');
        return index;
      });
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map(work));
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : 'failed'))).toEqual([
      0,
      1,
      2,
      'failed',
      4,
      5,
    ]);
    // A failure frees its slot like a success: the gate takes new work at once.
    expect(await gate(async () => 'after')).toBe('after');
  });

  it('does not limit with 0', async () => {
    const gate = createExecutionGate(0);
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        gate(async () => {
          running += 1;
          most = Math.max(most, running);
          await sleep(5);
          running -= 1;
        }),
      ),
    );
    expect(most).toBe(10);
  });

  it('starts one waiting execution per turn of the event loop', async () => {
    const gate = createExecutionGate(4);
    let turn = 0;
    let counting = true;
    const count = () => {
      turn += 1;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const startedAt: number[] = [];
    // Work that finishes in promise jobs alone, like an execution over warm data.
    await Promise.all(
      Array.from({ length: 8 }, () =>
        gate(async () => {
          startedAt.push(turn);
          await Promise.resolve();
        }),
      ),
    );
    counting = false;
    for (let i = 1; i < startedAt.length; i++) {
      expect(startedAt[i]).toBeGreaterThan(startedAt[i - 1] as number);
    }
  });

  it('lets a saturated server accept a new connection between executions', async () => {
    const gate = createExecutionGate(4);
    const busy = () => {
      const until = performance.now() + 15;
      while (performance.now() < until);
    };
    let finished = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        void gate(async () => {
          busy();
          finished += 1;
        }).then(() => res.end('ok'));
      });
    });
    let accepted = 0;
    server.on('connection', () => {
      accepted += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const open = () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => resolve(socket));
        socket.on('error', reject);
      });
    const queued = 20;
    const sockets = await Promise.all(Array.from({ length: queued }, open));
    try {
      // Connected is not accepted: the server takes them from the kernel's queue one per turn.
      while (accepted < queued) await new Promise((resolve) => setTimeout(resolve, 5));
      const answered = sockets.map(
        (socket) => new Promise<void>((resolve) => socket.once('data', () => resolve())),
      );
      for (const socket of sockets) socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
      // Once the first execution has run, the server is saturated: connect a newcomer.
      while (finished === 0) await new Promise((resolve) => setImmediate(resolve));
      const finishedAtAccept = await new Promise<number>((resolve) => {
        server.once('connection', () => resolve(finished));
        sockets.push(connect(port, '127.0.0.1'));
      });
      // Started in the callback of the socket that brought it, or handed straight to the next
      // waiter, each execution ran before the loop polled again: all 20 before the newcomer.
      expect(finishedAtAccept).toBeLessThan(queued / 2);
      await Promise.all(answered);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each([true, false])(
    'holds MAX_CONCURRENT_EXECUTIONS for POSTed queries, response cache on: %s',
    async (cacheOn) => {
      let running = 0;
      let most = 0;
      const gateway = await startTestGateway({
        simulator: { clusterCount: 2, latencyMs: 30 },
        // Distinct questions on cold data: without a gate each would execute while waiting on ACK.
        env: { MAX_CONCURRENT_EXECUTIONS: '1' },
        http: { responseCache: cacheOn },
        app: {
          extraPlugins: [
            {
              onExecute: () => {
                running += 1;
                most = Math.max(most, running);
                return {
                  onExecuteDone: () => {
                    running -= 1;
                  },
                };
              },
            },
          ],
        },
      });
      try {
        const url = await gateway.listen();
        const ids = gateway.simulator.clusters.map((cluster) => cluster.id);
        const answers = await Promise.all(
          Array.from({ length: 6 }, (_, index) =>
            fetch(`${url}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                query: `query Q${index}($ids: [ID!]!) { clusters(ids: $ids) { id nodePools { id } } }`,
                variables: { ids },
              }),
            }).then((response) => response.json() as Promise<{ data?: { clusters: unknown[] } }>),
          ),
        );
        expect(answers.every((answer) => answer.data?.clusters.length === 2)).toBe(true);
        expect(most).toBe(1);
      } finally {
        await gateway.close();
      }
    },
  );

  it('drops unstarted a waiter nobody wants any more, and starts the next one in its place', async () => {
    let dropped = 0;
    const gate = createExecutionGate(1, () => {
      dropped += 1;
    });
    const ran: string[] = [];
    let release = () => {};
    const first = gate(
      () =>
        new Promise<string>((resolve) => {
          ran.push('first');
          release = () => resolve('first');
        }),
    );
    let wanted = true;
    const second = gate(
      async () => {
        ran.push('second');
        return 'second';
      },
      () => wanted,
    );
    const third = gate(async () => {
      ran.push('third');
      return 'third';
    });
    await new Promise((resolve) => setImmediate(resolve));
    wanted = false;
    release();
    await expect(second).rejects.toBeInstanceOf(AbandonedError);
    expect(await first).toBe('first');
    expect(await third).toBe('third');
    expect(ran).toEqual(['first', 'third']);
    expect(dropped).toBe(1);
  });

  it.each([true, false])(
    'never executes a queued query whose caller hung up, response cache on: %s',
    async (cacheOn) => {
      const executed: string[] = [];
      let firstStarted = () => {};
      const started = new Promise<void>((resolve) => {
        firstStarted = resolve;
      });
      const gateway = await startTestGateway({
        observability: await createObservability(
          { metrics: { enabled: true }, tracing: {} },
          createLogger('silent'),
        ),
        // The first query holds the only slot while it waits on ACK.
        simulator: { clusterCount: 1, latencyMs: 600 },
        env: { MAX_CONCURRENT_EXECUTIONS: '1' },
        http: { responseCache: cacheOn },
        app: {
          extraPlugins: [
            {
              onExecute: ({ args }) => {
                executed.push(args.operationName ?? '');
                firstStarted();
              },
            },
          ],
        },
      });
      try {
        const url = new URL(await gateway.listen());
        const ids = gateway.simulator.clusters.map((cluster) => cluster.id);
        const body = (name: string) =>
          JSON.stringify({
            operationName: name,
            query: `query ${name}($ids: [ID!]!) { clusters(ids: $ids) { id } }`,
            variables: { ids },
          });
        const ask = async (name: string) => {
          const response = await fetch(`${url.origin}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: '*/*' },
            body: body(name),
          });
          const answer = (await response.json()) as { data?: { clusters: { id: string }[] } };
          return { ...answer, cache: response.headers.get('x-response-cache') };
        };
        const first = ask('First');
        await started;
        const leaving = request({
          host: url.hostname,
          port: url.port,
          path: '/graphql',
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: '*/*' },
        });
        leaving.on('error', () => {});
        leaving.end(body('Leaving'));
        const staying = ask('Staying');
        // The same question as the leaver's: with the response cache it joins that execution.
        const joining = cacheOn ? ask('Leaving') : undefined;
        await new Promise((resolve) => setTimeout(resolve, 100));
        leaving.destroy();
        const answers = await Promise.all([first, staying, ...(joining ? [joining] : [])]);
        expect(answers.every((answer) => answer.data?.clusters[0]?.id === ids[0])).toBe(true);
        if (joining) expect((await joining).cache).toBe('shared');
        const metrics = await (await fetch(`${url.origin}/metrics`)).text();
        expect(metrics).toMatch(
          new RegExp(`^ack_gateway_executions_abandoned_total ${cacheOn ? 0 : 1}$`, 'm'),
        );
        // A shared execution runs while anyone still waits for it, and only then.
        expect(executed.sort()).toEqual(cacheOn ? ['First', 'Leaving', 'Staying'] : ['First', 'Staying']);
      } finally {
        await gateway.close();
      }
    },
  );
});
