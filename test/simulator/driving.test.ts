import { DescribeClusterNodePoolsRequest } from '@alicloud/cs20151215';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AckSimulator,
  type AckSimulatorAddress,
  createAckSimulator,
  malformNodePools,
  parseSimulatorScaleEvents,
  scalePlan,
} from '../../src/simulator/index.js';
import { rawSdkGet, sdkClient } from '../helpers/sdk-client.js';

/** One pool's status as a signed DescribeClusterNodePools call sees it. */
interface Seen {
  state: string;
  total: number;
  serving: number;
  healthy: number;
  desired: number;
}

async function observe(
  client: ReturnType<typeof sdkClient>,
  clusterId: string,
  nodePoolId: string,
): Promise<Seen> {
  const { body } = await client.describeClusterNodePools(clusterId, new DescribeClusterNodePoolsRequest({}));
  const pool = body!.nodepools!.find((each) => each.nodepoolInfo?.nodepoolId === nodePoolId)!;
  return {
    state: pool.status!.state!,
    total: pool.status!.totalNodes!,
    serving: pool.status!.servingNodes!,
    healthy: pool.status!.healthyNodes!,
    desired: pool.scalingGroup!.desiredSize!,
  };
}

/** Polls until the pool is active, returning each distinct status seen (a watcher's view). */
async function watchUntilActive(
  client: ReturnType<typeof sdkClient>,
  clusterId: string,
  nodePoolId: string,
  timeoutMs = 10_000,
): Promise<Seen[]> {
  const seen: Seen[] = [];
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const now = await observe(client, clusterId, nodePoolId);
    const last = seen.at(-1);
    if (!last || JSON.stringify(last) !== JSON.stringify(now)) seen.push(now);
    if (now.state === 'active') return seen;
    if (performance.now() > deadline) throw new Error(`still ${JSON.stringify(now)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const steady = (state: string, total: number, desired: number): Seen => ({
  state,
  total,
  serving: total,
  healthy: total,
  desired,
});

let simulator: AckSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function start(options: Parameters<typeof createAckSimulator>[0] = {}) {
  simulator = createAckSimulator({ clusterCount: 2, nodePoolsPerCluster: 3, ...options });
  const address: AckSimulatorAddress = await simulator.listen();
  return { simulator, address, client: sdkClient(address) };
}

describe('scalePlan', () => {
  it('reaches the target in at most `steps` steps, one node at least per step', () => {
    expect(scalePlan(2, 8)).toEqual([4, 6, 8]);
    expect(scalePlan(8, 2)).toEqual([6, 4, 2]);
    expect(scalePlan(3, 5)).toEqual([4, 5]);
    expect(scalePlan(3, 3)).toEqual([3]);
    expect(scalePlan(0, 100, 4)).toEqual([25, 50, 75, 100]);
    expect(scalePlan(5, 0, 1)).toEqual([0]);
  });
});

describe('scale events', () => {
  it('scaleNodePool: scaling, counts stepping from the total to N, then active, as signed calls see it', async () => {
    const { simulator, client } = await start();
    const cluster = simulator.clusters[0]!;
    const pool = cluster.nodePools[0]!; // the default pool: active
    const id = pool.nodepool_info.nodepool_id;
    const from = pool.status.total_nodes;
    const to = from + 6;
    expect(pool.status.state).toBe('active');

    const done = simulator.scaleNodePool(cluster.id, id, to, { stepMs: 250 });
    const first = await observe(client, cluster.id, id);
    expect(first).toEqual({
      state: 'scaling',
      total: from,
      serving: pool.status.serving_nodes,
      healthy: pool.status.healthy_nodes,
      desired: to,
    });
    const seen = await watchUntilActive(client, cluster.id, id);
    await done;
    expect(seen).toEqual([
      first,
      steady('scaling', from + 2, to),
      steady('scaling', from + 4, to),
      steady('active', to, to),
    ]);

    // The detail route, the cluster's size and the state agree; the generated fixture is untouched.
    const { body: detail } = await client.describeClusterNodePoolDetail(cluster.id, id);
    expect(detail!.status).toMatchObject({
      state: 'active',
      totalNodes: to,
      failedNodes: 0,
      initialNodes: 0,
    });
    expect(detail!.status!.conditions![0]).toMatchObject({ type: 'Ready', status: 'True' });
    expect(Date.parse(detail!.nodepoolInfo!.updated!)).toBeGreaterThan(Date.now() - 60_000);
    const { body: clusterDetail } = await client.describeClusterDetail(cluster.id);
    expect(clusterDetail!.size).toBe(cluster.detail.size + 6);
    expect(simulator.state().clusters[0]!.nodePools[0]).toMatchObject({
      state: 'active',
      totalNodes: to,
      desiredSize: to,
      scaling: null,
    });
    expect(simulator.nodePools(0)![0]!.status.total_nodes).toBe(to);
    expect(simulator.clusters[0]!.nodePools[0]!.status.total_nodes).toBe(from);
  });

  it('POST /_simulator/.../scale: 202 with the plan, progress in the state, steps seen by signed calls', async () => {
    const { simulator, address, client } = await start();
    const cluster = simulator.clusters[1]!;
    const pool = cluster.nodePools[2]!;
    const id = pool.nodepool_info.nodepool_id;
    const from = pool.status.total_nodes;
    const response = await fetch(`${address.adminUrl}/clusters/1/nodepools/2/scale`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: 0, stepMs: 200, steps: 2 }),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      clusterId: cluster.id,
      nodePoolId: id,
      from,
      to: 0,
      step: 0,
      steps: from >= 2 ? 2 : 1,
      stepMs: 200,
    });
    const state = await (await fetch(`${address.adminUrl}/state`)).json();
    expect(state.clusters[1].nodePools[2]).toMatchObject({
      state: 'scaling',
      desiredSize: 0,
      scaling: { from, to: 0, step: 0, stepMs: 200 },
    });
    const seen = await watchUntilActive(client, cluster.id, id);
    expect(seen[0]).toMatchObject({ state: 'scaling', total: from, desired: 0 });
    expect(seen.at(-1)).toEqual(steady('active', 0, 0));
    expect(seen.map((each) => each.total)).toEqual([from, ...scalePlan(from, 0, 2)]);
  });

  it('a new scale supersedes a running one; both promises resolve when the pool is active', async () => {
    const { simulator, client } = await start();
    const cluster = simulator.clusters[0]!;
    const id = cluster.nodePools[0]!.nodepool_info.nodepool_id;
    const first = simulator.scaleNodePool(0, 0, 40, { stepMs: 150 });
    await new Promise((resolve) => setTimeout(resolve, 200)); // one step done
    const midway = await observe(client, cluster.id, id);
    expect(midway.state).toBe('scaling');
    expect(midway.desired).toBe(40);
    const second = simulator.scaleNodePool(cluster.id, 0, 1, { stepMs: 50, steps: 1 });
    await Promise.all([first, second]);
    expect(await observe(client, cluster.id, id)).toEqual(steady('active', 1, 1));
  });

  it('to the same size: one scaling step, then active', async () => {
    const { simulator, client } = await start();
    const cluster = simulator.clusters[0]!;
    const pool = cluster.nodePools[0]!;
    await simulator.scaleNodePool(0, 0, pool.status.total_nodes, { stepMs: 10 });
    const seen = await observe(client, cluster.id, pool.nodepool_info.nodepool_id);
    expect(seen).toEqual(steady('active', pool.status.total_nodes, pool.status.total_nodes));
  });

  it('rejects bad input at once, and pending scales when the simulator closes', async () => {
    const { simulator } = await start();
    await expect(simulator.scaleNodePool(5, 0, 1)).rejects.toThrow(/no cluster at index 5/);
    await expect(simulator.scaleNodePool(0, 'np-x', 1)).rejects.toThrow(/unknown node pool "np-x"/);
    await expect(simulator.scaleNodePool(0, 0, -1)).rejects.toThrow(RangeError);
    await expect(simulator.scaleNodePool(0, 0, 2, { steps: 99 })).rejects.toThrow(/steps must be/);
    const pending = simulator.scaleNodePool(0, 0, 9, { stepMs: 5_000 });
    await simulator.close();
    await expect(pending).rejects.toThrow(/closed before the node pool was active again/);
    await expect(simulator.scaleNodePool(0, 0, 9)).rejects.toThrow(/closed/);
  });

  it('start-up events run after listen(), with the scaleStepMs option', async () => {
    const { simulator, client } = await start({
      scaleEvents: parseSimulatorScaleEvents('1/0=3@100ms', { clusterCount: 2, nodePoolsPerCluster: 3 }),
      scaleStepMs: 100,
    });
    const cluster = simulator.clusters[1]!;
    const id = cluster.nodePools[0]!.nodepool_info.nodepool_id;
    expect((await observe(client, cluster.id, id)).state).toBe('active');
    const deadline = performance.now() + 5_000;
    while ((await observe(client, cluster.id, id)).state !== 'scaling') {
      expect(performance.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seen = await watchUntilActive(client, cluster.id, id);
    expect(seen.at(-1)).toEqual(steady('active', 3, 3));
  });

  it("a data fault applies to the pools as they are now ('malformed' over a scaled pool)", async () => {
    const { simulator, address } = await start();
    await simulator.scaleNodePool(0, 0, 11, { stepMs: 0, steps: 1 });
    simulator.setFault('0', 'malformed');
    const { body } = await rawSdkGet(
      sdkClient(address),
      'DescribeClusterNodePools',
      `/clusters/${simulator.clusters[0]!.id}/nodepools`,
    );
    expect((body as { nodepools: unknown[] }).nodepools).toEqual(malformNodePools(simulator.nodePools(0)!));
    expect(
      (body as { nodepools: { status: { total_nodes: unknown } }[] }).nodepools[0]!.status.total_nodes,
    ).toBe(11);
  });
});
