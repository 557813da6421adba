import { DescribeClusterNodePoolsRequest } from '@alicloud/cs20151215';
import { ClientError, ServerError, ThrottlingError } from '@alicloud/openapi-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AckSimulator,
  type AckSimulatorAddress,
  createAckSimulator,
  futurizeNodePools,
  MALFORMED_EXTRA_POOL_NAME,
  malformNodePools,
} from '../../src/simulator/index.js';
import { send, signRaw } from '../helpers/raw-signer.js';
import { rawSdkGet, sdkClient, thrown } from '../helpers/sdk-client.js';

const ghost = (tag: string) => `c${tag.padEnd(32, '0')}`;

describe('faults', () => {
  let simulator: AckSimulator;
  let address: AckSimulatorAddress;
  let client: ReturnType<typeof sdkClient>;
  let healthy: string;
  let malformed: string;
  let future: string;

  beforeAll(async () => {
    simulator = createAckSimulator({ throttleRetryAfterMs: 2500, slowMs: 300 });
    [healthy, malformed, future] = simulator.clusters.map((c) => c.id) as [string, string, string];
    simulator.setOptions({
      faults: {
        [ghost('forbidden')]: 'forbidden',
        [ghost('throttled')]: 'throttled',
        [ghost('5e')]: 'server-error',
        [ghost('503')]: 'unavailable',
        [ghost('502')]: 'non-json',
        [ghost('510')]: 'slow',
        [malformed]: 'malformed',
        [future]: 'future',
      },
    });
    address = await simulator.listen();
    client = sdkClient(address);
  });
  afterAll(() => simulator.close());
  beforeEach(() => simulator.resetStats());

  const pools = (clusterId: string) =>
    client.describeClusterNodePools(clusterId, new DescribeClusterNodePoolsRequest({}));

  it("'forbidden': 403 StatusForbidden with an accessDeniedDetail, on every route", async () => {
    const error = await thrown(() => pools(ghost('forbidden')));
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'StatusForbidden', statusCode: 403 });
    expect(error.accessDeniedDetail).toMatchObject({
      AuthAction: 'cs:DescribeClusterNodePools',
      NoPermissionType: 'ImplicitDeny',
    });
    const detail = await thrown(() => client.describeClusterDetail(ghost('forbidden')));
    expect(detail).toMatchObject({ code: 'StatusForbidden', statusCode: 403 });
  });

  it("'throttled': 400 Throttling.User with x-acs-retry-after in ms -> ThrottlingError", async () => {
    const error = await thrown(() => pools(ghost('throttled')));
    expect(error).toBeInstanceOf(ThrottlingError);
    expect(error).toMatchObject({ code: 'Throttling.User', statusCode: 400, retryAfter: 2500 });
  });

  it("'server-error': 500 InternalError; 'unavailable': 503 ServiceUnavailable -> ServerError", async () => {
    const internal = await thrown(() => pools(ghost('5e')));
    expect(internal).toBeInstanceOf(ServerError);
    expect(internal).toMatchObject({ code: 'InternalError', statusCode: 500 });
    const unavailable = await thrown(() => pools(ghost('503')));
    expect(unavailable).toBeInstanceOf(ServerError);
    expect(unavailable).toMatchObject({ code: 'ServiceUnavailable', statusCode: 503 });
  });

  it("'non-json': 502 text/html, which the SDK turns into a bare SyntaxError", async () => {
    const error = await thrown(() => pools(ghost('502')));
    expect(error).toBeInstanceOf(SyntaxError);
    const raw = await send(
      signRaw({
        endpoint: address.endpoint,
        action: 'DescribeClusterNodePools',
        path: `/clusters/${ghost('502')}/nodepools`,
      }),
    );
    expect(raw.status).toBe(502);
    expect(raw.headers.get('content-type')).toBe('text/html');
    expect(raw.text).toContain('502 Bad Gateway');
  });

  it("'slow': answers after slowMs, so a shorter read timeout fails", async () => {
    const started = performance.now();
    const late = await thrown(() => pools(ghost('510')));
    expect(late).toMatchObject({ code: 'ErrorClusterNotFound' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    const timeout = await thrown(() =>
      sdkClient(address, { readTimeout: 100 }).describeClusterNodePools(
        ghost('510'),
        new DescribeClusterNodePoolsRequest({}),
      ),
    );
    expect(timeout.name).toBe('RequestTimeoutError');
    expect(simulator.stats().byCluster[ghost('510')]).toBe(2);
  });

  it("'malformed': 200, but the typed model chokes; the raw body shows why", async () => {
    const error = await thrown(() => pools(malformed));
    expect(error).not.toBeInstanceOf(ClientError);
    expect(error.message).toMatch(/mismatch/);

    const cluster = simulator.clusters[1]!;
    const { body, statusCode } = await rawSdkGet(
      client,
      'DescribeClusterNodePools',
      `/clusters/${malformed}/nodepools`,
    );
    expect(statusCode).toBe(200);
    const nodepools = (body as { nodepools: Record<string, Record<string, unknown>>[] }).nodepools;
    expect(nodepools).toEqual(malformNodePools(cluster.nodePools));
    expect(nodepools).toHaveLength(cluster.nodePools.length + 1);
    const odd = nodepools[cluster.nodePools.length - 1]!;
    expect(odd.status!.total_nodes).toBe('many');
    expect(odd.nodepool_info!.is_default).toBe('TRUE');
    expect(odd.scaling_group!.instance_types).toBe('ecs.g7.large');
    const orphan = nodepools.at(-1)!;
    expect(orphan.nodepool_info!.name).toBe(MALFORMED_EXTRA_POOL_NAME);
    expect(orphan.nodepool_info).not.toHaveProperty('nodepool_id');
    // The other pools are untouched and still parse on their own.
    expect(nodepools.slice(0, -2)).toEqual(cluster.nodePools.slice(0, -1));
    const healthyPool = await client.describeClusterNodePoolDetail(
      malformed,
      cluster.nodePools[0]!.nodepool_info.nodepool_id,
    );
    expect(healthyPool.body!.nodepoolInfo?.isDefault).toBe(true);
    // The cluster itself still answers.
    expect((await client.describeClusterDetail(malformed)).body!.clusterId).toBe(malformed);
  });

  it("'future': 200 with enum values and fields ACK may add later; the SDK keeps the strings", async () => {
    const cluster = simulator.clusters[2]!;
    const { body } = await pools(future);
    const last = body!.nodepools!.at(-1)!;
    expect(last.nodepoolInfo?.type).toBe('hybrid');
    expect(last.status?.state).toBe('upgrading');
    expect(last.scalingGroup?.multiAzPolicy).toBe('NEW_POLICY');
    expect(last.scalingGroup?.spotStrategy).toBe('');
    const raw = await rawSdkGet(client, 'DescribeClusterNodePools', `/clusters/${future}/nodepools`);
    expect((raw.body as { nodepools: unknown[] }).nodepools).toEqual(futurizeNodePools(cluster.nodePools));
    expect((raw.body as { nodepools: unknown[] }).nodepools[0]).toHaveProperty('ai_profile');
  });

  it('faults change at run time, and a data fault needs an existing cluster', async () => {
    simulator.setFault(healthy, 'unavailable');
    expect(await thrown(() => pools(healthy))).toMatchObject({ code: 'ServiceUnavailable' });
    simulator.setFault(healthy, undefined);
    expect((await pools(healthy)).statusCode).toBe(200);
    expect(() => simulator.setFault(ghost('nope'), 'malformed')).toThrow(RangeError);
    expect(() => simulator.setOptions({ faults: { x: 'bogus' as never } })).toThrow(TypeError);
  });

  it('a DescribeClustersV1 call filtered by a faulted cluster id gets the fault', async () => {
    const raw = await send(
      signRaw({
        endpoint: address.endpoint,
        action: 'DescribeClustersV1',
        path: '/api/v1/clusters',
        query: { cluster_id: ghost('forbidden') },
      }),
    );
    expect(raw.status).toBe(403);
    expect(raw.json().code).toBe('StatusForbidden');
  });
});

describe('close', () => {
  it('does not wait for pending slow answers nor keep-alive sockets', async () => {
    const simulator = createAckSimulator({ faults: { [ghost('slow')]: 'slow' } });
    const address = await simulator.listen();
    await sdkClient(address).describeClusterDetail(simulator.clusters[0]!.id); // leaves a keep-alive socket
    const pending = send(
      signRaw({
        endpoint: address.endpoint,
        action: 'DescribeClusterDetail',
        path: `/clusters/${ghost('slow')}`,
      }),
    ).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await simulator.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await pending).toBe('dropped');
    await simulator.close(); // idempotent
  });
});
