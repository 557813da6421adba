import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAckSimulator } from '../../src/simulator/index.js';
import { TEST_KEY } from '../helpers/gateway.js';
import { type GatewayProcess, startGatewayProcess } from '../helpers/process.js';
import { hasRedisServer, startRedis, type TestRedis } from '../helpers/redis-server.js';

/**
 * Several gateway processes (src/main.ts, as `npm start` runs it) against one Redis of the
 * test's own and one ACK simulator in this process, which counts every ACK call. With
 * REDIS_URL set, N replicas must cost ACK what one costs; a replica that starts later starts
 * warm; Redis dying mid-traffic costs no answer, and sharing resumes when it is back; a replica
 * that crashes holding a lease delays the others by at most the lease.
 */

const K = 6;
const LEASE_MS = 1_500;
const NODE_POOLS = /* GraphQL */ `query Pools($id: ID!) { nodePools(clusterId: $id) { id name status { totalNodes } } }`;
const LIST = /* GraphQL */ `query List($name: String) { clusterList(first: 5, filter: { name: $name }) { totalCount nodes { id } } }`;

interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: unknown[] };
  ms: number;
}

async function post(url: string, query: string, variables: Record<string, unknown>): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    body: (await response.json()) as Answer['body'],
    ms: performance.now() - started,
  };
}

const ok = (answer: Answer) => answer.status === 200 && !answer.body.errors && answer.body.data != null;

async function metric(url: string, name: string): Promise<string> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .join('\n');
}

/** With REPLICAS_REPORT=1, the measured numbers (docs/replicas.md quotes them). */
const report = (line: string) => {
  if (process.env.REPLICAS_REPORT === '1') process.stderr.write(`[replicas] ${line}\n`);
};

async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!hasRedisServer())('replicas sharing one Redis', () => {
  const simulator = createAckSimulator({
    ...TEST_KEY,
    clusterCount: 12,
    nodePoolsPerCluster: 3,
    latencyMs: 20,
  });
  let redis: TestRedis;
  let endpoint: string;
  const replicas: GatewayProcess[] = [];
  const calls = () => simulator.stats().total;
  const clusterIds = () => simulator.clusters.map((cluster) => cluster.id);

  const startReplica = () =>
    startGatewayProcess({
      ACK_ENDPOINT: endpoint,
      ACK_PROTOCOL: 'http',
      ACK_SIMULATOR: '0',
      ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
      ACK_RETRY_MAX_ATTEMPTS: '1',
      REDIS_URL: redis.url,
      REDIS_LEASE_MS: String(LEASE_MS),
      REDIS_KEY_PREFIX: 'replicas-test:',
      WARM_UP: 'false',
    });

  beforeAll(async () => {
    redis = await startRedis();
    ({ endpoint } = await simulator.listen(0, '127.0.0.1'));
    replicas.push(...(await Promise.all([startReplica(), startReplica(), startReplica()])));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await redis?.stop();
    await simulator.close();
  });

  it(`90 concurrent cold requests over ${K} clusters, spread over 3 replicas, cost ${K} ACK calls`, async () => {
    simulator.resetStats();
    const ids = clusterIds().slice(0, K);
    const answers = await Promise.all(
      Array.from({ length: 90 }, (_, i) =>
        post(replicas[i % 3]?.url ?? '', NODE_POOLS, { id: ids[Math.floor(i / 3) % K] }),
      ),
    );
    expect(answers.filter(ok)).toHaveLength(90);
    report(`cold burst: 90 requests over ${K} clusters on 3 replicas, ${calls()} ACK calls`);
    expect(simulator.stats().byAction).toEqual({ DescribeClusterNodePools: K });
    expect(calls()).toBe(K);
    // Every replica answered every cluster alike.
    for (const id of ids) {
      const bodies = new Set(
        answers
          .filter((_, i) => ids[Math.floor(i / 3) % K] === id)
          .map((answer) => JSON.stringify(answer.body)),
      );
      expect(bodies.size).toBe(1);
    }
    const events = await Promise.all(
      replicas.map((replica) => metric(replica.url, 'ack_gateway_shared_cache_events_total')),
    );
    expect(events.join('\n')).toMatch(/event="miss"\} [1-9]/);
  });

  it('a fourth replica started afterwards answers the same questions with zero ACK calls', async () => {
    replicas.push(await startReplica());
    simulator.resetStats();
    const answers = await Promise.all(
      clusterIds()
        .slice(0, K)
        .map((id) => post(replicas[3]?.url ?? '', NODE_POOLS, { id })),
    );
    expect(answers.filter(ok)).toHaveLength(K);
    report(`fourth replica: ${K} questions, ${calls()} ACK calls`);
    expect(calls()).toBe(0);
    expect(
      await metric(replicas[3]?.url ?? '', 'ack_gateway_shared_cache_events_total{event="hit"}'),
    ).toMatch(new RegExp(` ${K}$`));
  });

  it('a replica that crashes holding a lease delays the others by at most the lease', async () => {
    const [first, , , fourth] = replicas as [GatewayProcess, GatewayProcess, GatewayProcess, GatewayProcess];
    const id = clusterIds()[K] as string;
    simulator.setOptions({ slowMs: 5_000 });
    simulator.setFault(id, 'slow');
    simulator.resetStats();
    // The fourth replica takes the lease and asks ACK (slowly); then it dies.
    const doomed = post(fourth.url, NODE_POOLS, { id }).catch(() => undefined);
    await until(async () => calls() === 1, 5_000, 'the holder to ask ACK');
    const crashedAt = performance.now();
    fourth.child.kill('SIGKILL');
    await doomed;
    simulator.setFault(id, undefined);
    const answer = await post(first.url, NODE_POOLS, { id });
    const delay = performance.now() - crashedAt;
    report(
      `crashed holder: the next replica answered ${Math.round(delay)} ms after the crash (lease ${LEASE_MS} ms), ${calls()} ACK calls`,
    );
    expect(ok(answer)).toBe(true);
    expect(calls()).toBe(2);
    // It waited for the lease (not asking at once), and no longer than the lease.
    expect(delay).toBeGreaterThan(LEASE_MS / 3);
    expect(delay).toBeLessThan(LEASE_MS + 1_000);
    expect(await metric(first.url, 'ack_gateway_shared_cache_events_total{event="lease_expired"}')).toMatch(
      / 1$/,
    );
    replicas.pop();
  });

  it('killing Redis mid-traffic loses no answer; sharing resumes when it is back', async () => {
    const live = replicas.slice(0, 3);
    let stop = false;
    let next = 0;
    const answers: Answer[] = [];
    const traffic = live.map(async (replica) => {
      while (!stop) {
        // Every question new: each one goes through Redis (claim, lease, store) to ACK.
        const answer = await post(replica.url, LIST, { name: `traffic-${next++}` });
        answers.push(answer);
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    const beforeKill = answers.length;
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    stop = true;
    await Promise.all(traffic);
    expect(beforeKill).toBeGreaterThan(3);
    expect(answers.length).toBeGreaterThan(beforeKill);
    expect(answers.filter((answer) => !ok(answer))).toEqual([]);
    report(
      `Redis killed mid-traffic: ${answers.length} answers (${beforeKill} before the kill), ${answers.filter((answer) => !ok(answer)).length} lost`,
    );
    for (const replica of live) {
      expect(await metric(replica.url, 'ack_gateway_redis_up')).toMatch(/ 0$/m);
      expect((await fetch(`${replica.url}/ready`)).status).toBe(200);
    }

    await redis.restart();
    await until(
      async () =>
        (await Promise.all(live.map((replica) => metric(replica.url, 'ack_gateway_redis_up')))).every(
          (line) => / 1$/m.test(line),
        ),
      10_000,
      'every replica back on Redis',
    );
    for (const replica of live) {
      const states = replica.logs.filter((line) => String(line.msg).startsWith('Redis shared cache is'));
      // Up, down once (however many reconnection attempts failed), up again.
      expect(states.map((line) => String(line.msg).split(':')[0])).toEqual([
        'Redis shared cache is up',
        'Redis shared cache is down',
        'Redis shared cache is up',
      ]);
      expect(JSON.stringify(states)).not.toMatch(/password/i);
    }
    simulator.resetStats();
    const fresh = ['resumed-a', 'resumed-b', 'resumed-c', 'resumed-d'];
    const resumed = await Promise.all(
      Array.from({ length: 36 }, (_, i) =>
        post(live[i % 3]?.url ?? '', LIST, { name: fresh[i % fresh.length] }),
      ),
    );
    expect(resumed.filter(ok)).toHaveLength(36);
    report(`Redis back: 36 requests over ${fresh.length} new questions on 3 replicas, ${calls()} ACK calls`);
    expect(calls()).toBe(fresh.length);
  });
});
