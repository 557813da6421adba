import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createLogFold } from '../../src/observability/log-throttle.js';
import { createUpstreamLog } from '../../src/observability/upstream-log.js';
import { startGatewayProcess } from '../helpers/process.js';

describe('the process under hostile traffic', () => {
  it('keeps serving after _entities payloads that once ended it', async () => {
    const gateway = await startGatewayProcess({ ACK_SIMULATOR: '1', WARM_UP: 'false' });
    try {
      const body = JSON.stringify({
        query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
        variables: {
          r: [
            { __typename: 'Cluster', id: 'bad/id' },
            { __typename: 'Unknown', id: 'c1' },
            { __typename: 'NodePool' },
            { __typename: 'Cluster', id: 'c0000000000000000000000000000beef' },
          ],
        },
      });
      for (let round = 0; round < 5; round++) {
        const response = await fetch(`${gateway.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        expect(response.status).toBe(200);
        const result = (await response.json()) as { data: { _entities: unknown[] } };
        expect(result.data._entities).toEqual([null, null, null, null]);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(gateway.child.exitCode).toBeNull();
      expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toMatch(/^ack_gateway_unhandled_rejections_total 0$/m);
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
  });

  it('logs an unhandled rejection with its request id, counts it, and goes on', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/unhandled-rejection-child.ts'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const logged = lines.find((line) => line.level === 50);
    expect(logged).toMatchObject({ requestId: 'req-7', err: { message: 'a bug nobody caught' } });
    expect(lines.at(-1)).toEqual({ alive: true, counted: 1 });
  });
});

describe('log lines of an outage', () => {
  it('fold repeats of one kind into one line per window, with the count', () => {
    let now = 0;
    const fold = createLogFold(1_000, () => now);
    const written: [string, number][] = [];
    for (let i = 0; i < 500; i++) fold('refused', (repeated) => written.push(['refused', repeated]));
    fold('other', (repeated) => written.push(['other', repeated]));
    now = 1_500;
    fold('refused', (repeated) => written.push(['refused', repeated]));
    expect(written).toEqual([
      ['refused', 0],
      ['other', 0],
      ['refused', 499],
    ]);
  });

  it('10,000 refused ACK calls write one line', () => {
    const lines: unknown[] = [];
    const logger = { info: (fields: unknown) => lines.push(fields), debug: () => {} };
    const log = createUpstreamLog(logger as never);
    for (let i = 0; i < 10_000; i++) {
      const end = log.onCallStart?.({ action: 'DescribeClusterNodePools', clusterId: `c${i}` });
      end?.({ attempt: 0, outcome: 'UNAVAILABLE', upstreamCode: 'CircuitOpen', ms: 0 });
    }
    expect(lines).toHaveLength(1);
  });
});
