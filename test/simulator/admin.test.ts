import { DescribeClusterNodePoolsRequest } from '@alicloud/cs20151215';
import { ServerError, ThrottlingError } from '@alicloud/openapi-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AckSimulator,
  type AckSimulatorAddress,
  type AckSimulatorState,
  ADMIN_MAX_BODY_BYTES,
  createAckSimulator,
  FAULT_KINDS,
  parseDuration,
  parseSimulatorFaults,
  parseSimulatorScaleEvents,
  SimulatorSpecError,
} from '../../src/simulator/index.js';
import { send, signRaw } from '../helpers/raw-signer.js';
import { sdkClient, thrown } from '../helpers/sdk-client.js';

/** An unsigned admin call, JSON in and out. */
async function admin(
  address: AckSimulatorAddress,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' },
) {
  const response = await fetch(`http://${address.endpoint}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: () => JSON.parse(text) as Record<string, unknown> & { error?: string },
  };
}

function specError(call: () => unknown): SimulatorSpecError {
  try {
    call();
  } catch (error) {
    if (error instanceof SimulatorSpecError) return error;
    throw error;
  }
  throw new Error('expected a SimulatorSpecError');
}

describe('parseSimulatorFaults', () => {
  it('reads indices and ids, trims spaces, skips empty entries, maps html-502 to non-json', () => {
    const id = `c${'ab12'.repeat(8)}`;
    expect(parseSimulatorFaults(` 0=throttled, 2 = server-error ,,${id}=html-502,`)).toEqual({
      0: 'throttled',
      2: 'server-error',
      [id]: 'non-json',
    });
    expect(parseSimulatorFaults('')).toEqual({});
    expect(parseSimulatorFaults('  ')).toEqual({});
    for (const kind of FAULT_KINDS) expect(parseSimulatorFaults(`1=${kind}`)).toEqual({ 1: kind });
  });

  it('names every problem at once, with the allowed kinds and the index range', () => {
    const error = specError(() =>
      parseSimulatorFaults('0=bogus,7=throttled,01=slow,throttled,c/1=slow,0=slow,1=slow,1=forbidden', {
        clusterCount: 3,
      }),
    );
    expect(error.variable).toBe('SIMULATOR_FAULTS');
    expect(error.problems).toEqual([
      expect.stringMatching(
        /^entry 1 \("0=bogus"\): unknown fault "bogus"; allowed: forbidden, throttled, .*html-502 \(= non-json\)$/,
      ),
      'entry 2 ("7=throttled"): cluster index 7 is out of range: there are 3 (0..2)',
      'entry 3 ("01=slow"): cluster index 01 has a leading zero',
      'entry 4 ("throttled"): expected <cluster>=<fault>, e.g. 0=throttled',
      'entry 5 ("c/1=slow"): "c/1" is neither a cluster index nor a cluster id (letters, digits, - and _)',
      // entry 6 ("0=slow") is fine: entry 1 named cluster 0 with a bad kind, so nothing was taken.
      'entry 8 ("1=forbidden"): cluster 1 is given twice',
    ]);
    expect(error.message).toMatch(/^SIMULATOR_FAULTS: entry 1/);
    expect(specError(() => parseSimulatorFaults('=slow', { variable: 'X' })).message).toBe(
      'X: entry 1 ("=slow"): no cluster before the separator',
    );
  });

  it('without bounds, any index passes; createAckSimulator then refuses one out of range', () => {
    expect(parseSimulatorFaults('9=slow')).toEqual({ 9: 'slow' });
    expect(() => createAckSimulator({ faults: parseSimulatorFaults('9=slow') })).toThrow(
      /no cluster at index 9: the simulator serves 3 clusters \(indices 0\.\.2\)/,
    );
  });
});

describe('parseSimulatorScaleEvents', () => {
  it('reads <cluster>/<pool>=<nodes>[@<delay>] with ms, s and m', () => {
    expect(parseSimulatorScaleEvents('0/1=8@5s, 0/1=2@1500ms,1/np0123=0@2m,2/0=3@250,2/1=4')).toEqual([
      { cluster: 0, nodePool: 1, to: 8, afterMs: 5000 },
      { cluster: 0, nodePool: 1, to: 2, afterMs: 1500 },
      { cluster: 1, nodePool: 'np0123', to: 0, afterMs: 120_000 },
      { cluster: 2, nodePool: 0, to: 3, afterMs: 250 },
      { cluster: 2, nodePool: 1, to: 4, afterMs: 0 },
    ]);
    expect(parseSimulatorScaleEvents('')).toEqual([]);
    expect(parseDuration('7s')).toBe(7000);
    expect(parseDuration('7h')).toBeUndefined();
  });

  it('names every problem at once', () => {
    const error = specError(() =>
      parseSimulatorScaleEvents('0=8,5/1=8,0/9=8,0/1=-1,0/1=x,0/1=2@soon,0/1=2@25h', {
        clusterCount: 3,
        nodePoolsPerCluster: 5,
      }),
    );
    expect(error.problems).toEqual([
      'entry 1 ("0=8"): expected <cluster>/<pool>=<nodes>[@<delay>], e.g. 0/1=8@5s',
      'entry 2 ("5/1=8"): cluster index 5 is out of range: there are 3 (0..2)',
      'entry 3 ("0/9=8"): node pool index 9 is out of range: there are 5 (0..4)',
      'entry 4 ("0/1=-1"): the size "-1" must be an integer from 0 to 1000',
      'entry 5 ("0/1=x"): the size "x" must be an integer from 0 to 1000',
      'entry 6 ("0/1=2@soon"): the delay "soon" must be a duration up to 24h, e.g. 1500, 1500ms, 5s or 2m',
      'entry 7 ("0/1=2@25h"): the delay "25h" must be a duration up to 24h, e.g. 1500, 1500ms, 5s or 2m',
    ]);
    expect(error.message).toMatch(/^SIMULATOR_SCALE_EVENTS: /);
  });

  it('createAckSimulator checks start-up events up front', () => {
    expect(() => createAckSimulator({ scaleEvents: [{ cluster: 0, nodePool: 'np-nope', to: 2 }] })).toThrow(
      /unknown node pool "np-nope"/,
    );
    expect(() => createAckSimulator({ scaleEvents: [{ cluster: 0, nodePool: 0, to: 1.5 }] })).toThrow(
      /integer from 0 to 1000/,
    );
  });
});

describe('faults and latency set at start, through the SDK', () => {
  let simulator: AckSimulator;
  let address: AckSimulatorAddress;

  beforeAll(async () => {
    const ids = createAckSimulator().clusters.map((cluster) => cluster.id);
    simulator = createAckSimulator({
      // Cluster 1 by id, the others by index, from the text form the env variable holds.
      faults: parseSimulatorFaults(`0=throttled,2=server-error,${ids[1]}=forbidden`, { clusterCount: 3 }),
      latencyMs: 120,
      throttleRetryAfterMs: 700,
    });
    address = await simulator.listen();
  });
  afterAll(() => simulator.close());

  it('each cluster answers with its fault, after the latency', async () => {
    const client = sdkClient(address);
    const pools = (id: string) =>
      client.describeClusterNodePools(id, new DescribeClusterNodePoolsRequest({}));
    const [c0, c1, c2] = simulator.clusters.map((cluster) => cluster.id) as [string, string, string];
    const started = performance.now();
    const throttled = await thrown(() => pools(c0));
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(throttled).toBeInstanceOf(ThrottlingError);
    expect(throttled).toMatchObject({ code: 'Throttling.User', retryAfter: 700 });
    expect(await thrown(() => pools(c1))).toMatchObject({ code: 'StatusForbidden', statusCode: 403 });
    const broken = await thrown(() => pools(c2));
    expect(broken).toBeInstanceOf(ServerError);
    expect(broken).toMatchObject({ code: 'InternalError', statusCode: 500 });
    expect(simulator.state().faults).toEqual({ [c0]: 'throttled', [c1]: 'forbidden', [c2]: 'server-error' });
  });
});

describe('admin API', () => {
  let simulator: AckSimulator;
  let address: AckSimulatorAddress;
  let client: ReturnType<typeof sdkClient>;
  let c0: string;
  let c1: string;

  beforeAll(async () => {
    simulator = createAckSimulator({ clusterCount: 2, nodePoolsPerCluster: 3 });
    address = await simulator.listen();
    client = sdkClient(address);
    [c0, c1] = simulator.clusters.map((cluster) => cluster.id) as [string, string];
  });
  afterAll(() => simulator.close());
  beforeEach(() => {
    simulator.setOptions({ faults: {}, latencyMs: 0 });
    simulator.resetStats();
  });

  const pools = (id: string) => client.describeClusterNodePools(id, new DescribeClusterNodePoolsRequest({}));

  it('GET /_simulator/state: clusters, faults, latency, pools and stats, unsigned', async () => {
    expect(address.adminUrl).toBe(`http://${address.endpoint}/_simulator`);
    await pools(c0);
    const response = await admin(address, 'GET', '/_simulator/state');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const state = response.json() as unknown as AckSimulatorState;
    expect(state).toEqual(simulator.state());
    expect(state).toMatchObject({ latencyMs: 0, faults: {}, scaleStepMs: 1000 });
    expect(state.faultKinds).toEqual([...FAULT_KINDS, 'html-502']);
    expect(state.clusters.map(({ index, id, name, fault }) => ({ index, id, name, fault }))).toEqual(
      simulator.clusters.map((cluster, index) => ({
        index,
        id: cluster.id,
        name: cluster.detail.name,
        fault: null,
      })),
    );
    const pool = simulator.clusters[0]!.nodePools[1]!;
    expect(state.clusters[0]!.nodePools[1]).toEqual({
      index: 1,
      id: pool.nodepool_info.nodepool_id,
      name: pool.nodepool_info.name,
      state: pool.status.state,
      desiredSize: pool.scaling_group.desired_size,
      totalNodes: pool.status.total_nodes,
      servingNodes: pool.status.serving_nodes,
      healthyNodes: pool.status.healthy_nodes,
      initialNodes: pool.status.initial_nodes,
      failedNodes: pool.status.failed_nodes,
      offlineNodes: pool.status.offline_nodes,
      removingNodes: pool.status.removing_nodes,
      scaling: null,
    });
    // The signed call counts; the admin calls do not.
    expect(state.stats).toMatchObject({ total: 1, byAction: { DescribeClusterNodePools: 1 } });
    expect(simulator.stats().total).toBe(1);
    // The index lists the routes.
    const index = await admin(address, 'GET', '/_simulator/');
    expect(index.status).toBe(200);
    expect(index.json().routes).toContain('GET    /_simulator/state');
  });

  it('PUT and DELETE /_simulator/clusters/{id}/fault switch a fault, seen by signed calls', async () => {
    const set = await admin(address, 'PUT', `/_simulator/clusters/${c1}/fault`, { fault: 'throttled' });
    expect(set.status).toBe(200);
    expect(set.json()).toEqual({ clusterId: c1, fault: 'throttled' });
    expect(await thrown(() => pools(c1))).toBeInstanceOf(ThrottlingError);
    expect((await pools(c0)).statusCode).toBe(200);
    expect((await admin(address, 'GET', '/_simulator/state')).json().faults).toEqual({ [c1]: 'throttled' });

    const cleared = await admin(address, 'DELETE', `/_simulator/clusters/${c1}/fault`);
    expect(cleared.status).toBe(200);
    expect(cleared.json()).toEqual({ clusterId: c1, fault: null });
    expect((await pools(c1)).statusCode).toBe(200);
  });

  it('a cluster by index, and the html-502 alias', async () => {
    const set = await admin(address, 'PUT', '/_simulator/clusters/0/fault', { fault: 'html-502' });
    expect(set.json()).toEqual({ clusterId: c0, fault: 'non-json' });
    const raw = await send(
      signRaw({
        endpoint: address.endpoint,
        action: 'DescribeClusterNodePools',
        path: `/clusters/${c0}/nodepools`,
      }),
    );
    expect(raw.status).toBe(502);
    expect(raw.headers.get('content-type')).toBe('text/html');
    expect((await admin(address, 'DELETE', '/_simulator/clusters/0/fault')).status).toBe(200);
    expect((await pools(c0)).statusCode).toBe(200);
  });

  it('DELETE clears a fault set from code on an id the simulator does not serve', async () => {
    const ghost = `c${'9'.repeat(31)}x`;
    simulator.setFault(ghost, 'unavailable');
    const cleared = await admin(address, 'DELETE', `/_simulator/clusters/${ghost}/fault`);
    expect(cleared.status).toBe(200);
    expect(simulator.state().faults).toEqual({});
    expect((await admin(address, 'DELETE', `/_simulator/clusters/${ghost}/fault`)).status).toBe(404);
  });

  it('PUT /_simulator/latency delays signed answers, and 0 undoes it', async () => {
    const set = await admin(address, 'PUT', '/_simulator/latency', { ms: 200 });
    expect(set.status).toBe(200);
    expect(set.json()).toEqual({ latencyMs: 200 });
    let started = performance.now();
    await client.describeClusterDetail(c0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    // The admin API itself is never delayed.
    started = performance.now();
    await admin(address, 'GET', '/_simulator/state');
    expect(performance.now() - started).toBeLessThan(190);
    await admin(address, 'PUT', '/_simulator/latency', { ms: 0 });
    started = performance.now();
    await client.describeClusterDetail(c0);
    expect(performance.now() - started).toBeLessThan(190);
  });

  it('bad input answers 400 with an error naming the problem', async () => {
    const cases: [string, string, unknown, RegExp][] = [
      [
        'PUT',
        `/_simulator/clusters/${c0}/fault`,
        { fault: 'bogus' },
        /"fault" must be one of forbidden, throttled, .* got "bogus"/,
      ],
      [
        'PUT',
        `/_simulator/clusters/${c0}/fault`,
        {},
        /"fault" must be one of .* got null; DELETE clears a fault/,
      ],
      [
        'PUT',
        `/_simulator/clusters/${c0}/fault`,
        { fault: 'slow', extra: 1 },
        /unknown key "extra"; expected: fault/,
      ],
      ['PUT', `/_simulator/clusters/${c0}/fault`, '{"fault":', /the body is not valid JSON/],
      ['PUT', `/_simulator/clusters/${c0}/fault`, '["slow"]', /must be a JSON object/],
      ['PUT', '/_simulator/latency', { ms: -5 }, /"ms" must be an integer from 0 to 60000, got -5/],
      ['PUT', '/_simulator/latency', { ms: '200' }, /"ms" must be an integer from 0 to 60000, got "200"/],
      ['PUT', '/_simulator/latency', {}, /"ms" is required, e.g. \{"ms": 200\}/],
      ['PUT', '/_simulator/latency', '', /a JSON object body is required/],
      ['POST', `/_simulator/clusters/${c0}/nodepools/0/scale`, {}, /"to" is required/],
      [
        'POST',
        `/_simulator/clusters/${c0}/nodepools/0/scale`,
        { to: 1001 },
        /"to" must be an integer from 0 to 1000/,
      ],
      [
        'POST',
        `/_simulator/clusters/${c0}/nodepools/0/scale`,
        { to: 2, steps: 0 },
        /"steps" must be an integer from 1 to 20/,
      ],
      [
        'POST',
        `/_simulator/clusters/${c0}/nodepools/0/scale`,
        { to: 2, stepMs: 1.5 },
        /"stepMs" must be an integer/,
      ],
      ['PUT', '/_simulator/clusters/01/fault', { fault: 'slow' }, /cluster index "01" has a leading zero/],
      ['GET', '/_simulator/clusters/%E0%A4%A/fault', undefined, /malformed percent-encoding/],
    ];
    for (const [method, path, body, message] of cases) {
      const response = await admin(address, method, path, body, { 'content-type': 'application/json' });
      expect({ path, body, status: response.status }).toEqual({ path, body, status: 400 });
      expect(response.json().error).toMatch(message);
    }
    expect(simulator.state().faults).toEqual({});
    expect(simulator.state().latencyMs).toBe(0);
  });

  it('a body must be application/json (no simple cross-site posts) and is bounded in size', async () => {
    const form = await admin(address, 'PUT', '/_simulator/latency', '{"ms":5}', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    expect(form.json().error).toMatch(/content-type: application\/json .*--json/);
    const huge = await admin(
      address,
      'PUT',
      '/_simulator/latency',
      `{"ms":5,"pad":"${'x'.repeat(ADMIN_MAX_BODY_BYTES)}"}`,
    );
    expect(huge.status).toBe(413);
    expect(huge.json().error).toMatch(/limited to 16384 bytes/);
    expect(simulator.state().latencyMs).toBe(0);
  });

  it('unknown clusters, pools and routes answer 404; wrong methods 405', async () => {
    const missing = `c${'0'.repeat(32)}`;
    const cases: [string, string, unknown, number, RegExp][] = [
      ['PUT', `/_simulator/clusters/${missing}/fault`, { fault: 'slow' }, 404, /unknown cluster "c0+"/],
      ['DELETE', `/_simulator/clusters/${missing}/fault`, undefined, 404, /unknown cluster/],
      [
        'PUT',
        '/_simulator/clusters/2/fault',
        { fault: 'slow' },
        404,
        /no cluster at index 2: the simulator serves 2 clusters \(indices 0\.\.1\)/,
      ],
      ['POST', `/_simulator/clusters/${missing}/nodepools/0/scale`, { to: 1 }, 404, /unknown cluster/],
      [
        'POST',
        `/_simulator/clusters/${c0}/nodepools/np-nope/scale`,
        { to: 1 },
        404,
        /unknown node pool "np-nope" in cluster/,
      ],
      [
        'POST',
        `/_simulator/clusters/${c0}/nodepools/3/scale`,
        { to: 1 },
        404,
        /no node pool at index 3 .* it has 3 \(indices 0\.\.2\)/,
      ],
      ['GET', '/_simulator/nope', undefined, 404, /no admin route GET \/_simulator\/nope/],
      [
        'GET',
        `/_simulator/clusters/${c0}/fault`,
        undefined,
        405,
        /GET is not allowed here; use PUT or DELETE/,
      ],
      ['POST', '/_simulator/state', { x: 1 }, 405, /use GET/],
    ];
    for (const [method, path, body, status, message] of cases) {
      const response = await admin(address, method, path, body);
      expect({ method, path, status: response.status }).toEqual({ method, path, status });
      expect(response.json().error).toMatch(message);
      if (status === 405) expect(response.headers.get('allow')).toBeTruthy();
    }
    // A keep-alive connection survives answers given before the body was read.
    expect((await admin(address, 'GET', '/_simulator/state')).status).toBe(200);
  });

  it('admin paths need no signature (one is ignored); ACK paths still need one', async () => {
    const signed = signRaw({ endpoint: address.endpoint, action: 'Anything', path: '/_simulator/state' });
    expect((await send(signed)).status).toBe(200);
    const unsigned = await fetch(`http://${address.endpoint}/clusters/${c0}/nodepools`, {
      headers: { 'x-acs-action': 'DescribeClusterNodePools', 'x-acs-version': '2015-12-15' },
    });
    expect(unsigned.status).toBe(400);
    expect(((await unsigned.json()) as { code: string }).code).toBe('MissingAuthorization');
    // A path that merely looks like the prefix is ACK's, so it is signed (and unknown).
    const lookalike = await fetch(`http://${address.endpoint}/_simulatorx/state`);
    expect(((await lookalike.json()) as { code: string }).code).toBe('MissingAuthorization');
    expect(simulator.stats().rejectedSignatures).toBe(2);
  });

  it('admin: false leaves /_simulator/ to the signature check', async () => {
    const closed = createAckSimulator({ admin: false });
    const where = await closed.listen();
    try {
      expect(where.adminUrl).toBeUndefined();
      const response = await fetch(`http://${where.endpoint}/_simulator/state`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { code: string }).code).toBe('MissingAuthorization');
    } finally {
      await closed.close();
    }
  });
});
