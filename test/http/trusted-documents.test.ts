import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardClient } from '../../examples/dashboard/src/client.js';
import { DashboardClusters, PoolByName } from '../../examples/dashboard/src/operations.js';
import { hashApiKey } from '../../src/auth/api-key.js';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { schema } from '../../src/schema/index.js';
import { EXPLORE_SCOPE, loadTrustedDocuments, TrustedDocumentsError } from '../../src/trusted-documents.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const MANIFEST = 'examples/dashboard/src/gql/persisted-documents.json';
const KEYS = { explorer: 'explorer-key-000000000001', frontend: 'frontend-key-000000000001' };

let gateway: TestGateway;
let url: string;
beforeAll(async () => {
  gateway = await startTestGateway({
    simulator: { clusterCount: 2 },
    env: {
      TRUSTED_DOCUMENTS: 'only',
      TRUSTED_DOCUMENTS_FILES: MANIFEST,
      TRUSTED_DOCUMENTS_ALLOW_EXPLORERS: 'true',
    },
    app: {
      authenticate: createAuthenticator({
        mode: 'api-key',
        keys: [
          { name: 'explorer', sha256: hashApiKey(KEYS.explorer), scopes: [EXPLORE_SCOPE] },
          { name: 'frontend', sha256: hashApiKey(KEYS.frontend) },
        ],
      }),
    },
  });
  url = `${await gateway.listen()}/graphql`;
});
afterAll(() => gateway.close());

const post = async (body: unknown, key = KEYS.frontend) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] },
  };
};

describe('trusted documents', () => {
  it('the example dashboard builds, and its operations run by id against a gateway that takes nothing else', async () => {
    await promisify(execFile)(process.execPath, [
      'node_modules/typescript/bin/tsc',
      '-p',
      'examples/dashboard',
      '--noEmit',
    ]);
    const client = createDashboardClient(url, { authorization: `Bearer ${KEYS.frontend}` });
    const clusters = await client.execute(DashboardClusters, { first: 5 });
    expect(clusters.errors).toBeUndefined();
    expect(clusters.data?.clusterList.nodes).toHaveLength(2);
    const [first] = clusters.data?.clusterList.nodes ?? [];
    const name = first?.nodePools?.[0]?.name ?? '';
    const pool = await client.execute(PoolByName, { clusterId: first?.id ?? '', name });
    expect(pool.errors).toBeUndefined();
    expect(pool.data?.nodePools).toMatchObject([{ name }]);
  });

  it('refuses any other document in only mode, and an unknown id, before anything is asked upstream', async () => {
    gateway.simulator.resetStats();
    const other = await post({ query: '{ clusterList { totalCount } }' });
    expect(other.status).toBe(400);
    expect(other.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    const unknown = await post({ documentId: 'sha256:0000' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(gateway.upstreamCalls()).toBe(0);
  });

  it('lets a caller holding ack:explore send any document when the switch is on', async () => {
    const explored = await post({ query: '{ clusterList { totalCount } }' }, KEYS.explorer);
    expect(explored.status).toBe(200);
    expect(explored.body.data).toEqual({ clusterList: { totalCount: 2 } });
  });

  it("accepts Apollo's persisted-query extension for a trusted document's hash", async () => {
    const id = (DashboardClusters as unknown as { __meta__: { hash: string } }).__meta__.hash;
    const answer = await post({
      variables: { first: 1 },
      extensions: { persistedQuery: { version: 1, sha256Hash: id.replace(/^sha256:/, '') } },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });

  it('refuses to start on a manifest document the schema does not accept', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'trusted-'));
    const file = join(dir, 'persisted-documents.json');
    await writeFile(file, JSON.stringify({ 'sha256:1': '{ noSuchField }' }));
    expect(() => loadTrustedDocuments(schema, [file])).toThrow(TrustedDocumentsError);
    expect(() => loadTrustedDocuments(schema, [join(dir, 'missing.json')])).toThrow(
      /not a readable JSON manifest/,
    );
  });
});
