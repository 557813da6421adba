import { afterEach, describe, expect, it } from 'vitest';
import { createPrincipal, SENSITIVE_SCOPE } from '../../src/auth/principal.js';
import { TEST_KEY } from '../helpers/gateway.js';
import { startObservedGateway } from '../helpers/observed-gateway.js';

type Gateway = Awaited<ReturnType<typeof startObservedGateway>>;
let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const requestLines = (gateway: Gateway) => gateway.logs().filter((line) => line.msg === 'GraphQL request');
const callLines = (gateway: Gateway) =>
  gateway.logs().filter((line) => String(line.msg).startsWith('ACK call'));

describe('logs', () => {
  it('write one line per request with the echoed request id, and one per upstream call', async () => {
    gateway = await startObservedGateway({
      simulator: { clusterCount: 2 },
      // The API key unlocks userData: its values must reach the caller, never the log.
      authenticate: async (request) =>
        request.headers.get('x-api-key') === 'key-abc'
          ? createPrincipal('api-key', 'dashboards', [], [SENSITIVE_SCOPE])
          : createPrincipal('anonymous', 'anonymous'),
    });
    const [first, second] = gateway.simulator.clusters.map((cluster) => cluster.id);
    gateway.simulator.setOptions({ faults: { [String(second)]: 'forbidden' } });

    const given = await gateway.post(
      'query Pools($id: ID!) { cluster(id: $id) { id nodePools { id kubernetesConfig { userData } } } }',
      { id: first },
      {
        'x-request-id': 'caller-chosen-id-1',
        authorization: 'Bearer caller-token-xyz',
        'x-api-key': 'key-abc',
      },
    );
    expect(given.body.errors).toBeUndefined();
    const userData = JSON.stringify(given.body.data)
      .match(/"userData":"([^"]+)"/g)
      ?.map((field) => field.slice('"userData":"'.length, -1));
    expect(userData?.length).toBeGreaterThan(0);
    expect(given.response.headers.get('x-request-id')).toBe('caller-chosen-id-1');
    const generated = await gateway.post('query Denied($id: ID!) { cluster(id: $id) { id } }', {
      id: second,
    });
    expect(generated.body.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
    const generatedId = generated.response.headers.get('x-request-id');
    expect(generatedId).toMatch(/^[0-9a-f-]{36}$/);
    // A malformed incoming id is replaced, not echoed.
    const replaced = await gateway.post('{ __typename }', undefined, { 'x-request-id': 'bad id\u0007' });
    expect(replaced.response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const lines = requestLines(gateway);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      level: 30,
      requestId: 'caller-chosen-id-1',
      operationName: 'Pools',
      operationType: 'query',
      status: 200,
    });
    expect(lines[0]?.durationMs).toEqual(expect.any(Number));
    expect(lines[0]).not.toHaveProperty('errorCodes');
    expect(lines[1]).toMatchObject({
      requestId: generatedId,
      operationName: 'Denied',
      errorCodes: ['FORBIDDEN'],
    });

    const calls = callLines(gateway);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({
      level: 20,
      msg: 'ACK call',
      action: 'DescribeClusterNodePools',
      clusterId: first,
      statusCode: 200,
      outcome: 'ok',
      attempt: 1,
    });
    expect(calls[0]?.ms).toEqual(expect.any(Number));
    expect(calls[1]).toMatchObject({
      level: 30,
      msg: 'ACK call failed',
      clusterId: second,
      statusCode: 403,
      outcome: 'FORBIDDEN',
    });

    // Never a secret, a signature, a caller's credentials, the variables or sensitive fields.
    const raw = gateway.rawLogs();
    for (const secret of [
      TEST_KEY.accessKeySecret,
      'Signature=',
      'ACS3-HMAC-SHA256',
      'Bearer',
      'caller-token-xyz',
      'key-abc',
      'userData',
    ]) {
      expect(raw).not.toContain(secret);
    }
    expect(JSON.stringify(lines)).not.toContain(String(first));
    for (const value of userData ?? []) expect(raw).not.toContain(value);
  });

  it('leave upstream successes out at info level', async () => {
    gateway = await startObservedGateway({ logLevel: 'info' });
    const [id] = gateway.simulator.clusters.map((cluster) => cluster.id);
    await gateway.post(`{ cluster(id: "${id}") { id } }`);
    expect(requestLines(gateway)).toHaveLength(1);
    expect(callLines(gateway)).toHaveLength(0);
  });
});
