import { describe, expect, it } from 'vitest';
import { startGatewayProcess } from '../helpers/process.js';

const POOLS = 'query($id: ID!) { nodePools(clusterId: $id) { id status { state totalNodes } } }';

describe('npm start on the embedded simulator, driven by a person', () => {
  it('takes faults from SIMULATOR_FAULTS at start, and faults and scale events from the admin API it logs', async () => {
    const gateway = await startGatewayProcess({
      ACK_SIMULATOR: '1',
      WARM_UP: 'false',
      CACHE_TTL_MS: '0',
      SIMULATOR_FAULTS: '0=throttled',
    });
    try {
      const started = gateway.logs.find((line) => typeof line.adminUrl === 'string') as
        | { adminUrl: string; clusters: string[] }
        | undefined;
      expect(started?.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_simulator$/);
      const [first = '', second = ''] = started?.clusters ?? [];
      const ask = async (id: string) => {
        const response = await fetch(`${gateway.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: POOLS, variables: { id } }),
        });
        return (await response.json()) as {
          data: { nodePools: { id: string; status: { state: string; totalNodes: number } }[] | null };
          errors?: { extensions: { code: string } }[];
        };
      };
      expect((await ask(first)).errors?.[0]?.extensions.code).toBe('UPSTREAM_THROTTLED');
      const healthy = await ask(second);
      expect(healthy.errors).toBeUndefined();

      // The admin API on the simulator's own port: clear the fault, break the other cluster.
      const admin = started?.adminUrl ?? '';
      const json = { 'content-type': 'application/json' };
      expect((await fetch(`${admin}/clusters/0/fault`, { method: 'DELETE' })).status).toBe(200);
      const put = await fetch(`${admin}/clusters/1/fault`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ fault: 'server-error' }),
      });
      expect(put.status).toBe(200);
      expect((await ask(first)).errors).toBeUndefined();
      expect((await ask(second)).errors?.[0]?.extensions.code).toBe('UPSTREAM_UNAVAILABLE');

      // A scale event: the pool moves through SCALING to ACTIVE at its new size.
      const pool = (await ask(first)).data.nodePools?.[0];
      const scale = await fetch(`${admin}/clusters/0/nodepools/${pool?.id}/scale`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ to: (pool?.status.totalNodes ?? 0) + 3, stepMs: 200 }),
      });
      expect(scale.status).toBe(202);
      const seen = new Set<string>();
      const until = Date.now() + 5_000;
      let last: { state: string; totalNodes: number } | undefined;
      while (Date.now() < until) {
        last = (await ask(first)).data.nodePools?.find((p) => p.id === pool?.id)?.status;
        if (last) seen.add(last.state);
        if (seen.has('SCALING') && last?.state === 'ACTIVE') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(seen.has('SCALING')).toBe(true);
      expect(last).toEqual({ state: 'ACTIVE', totalNodes: (pool?.status.totalNodes ?? 0) + 3 });
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
  });
});
