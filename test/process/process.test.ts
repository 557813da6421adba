import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenApiUtil } from '@alicloud/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess } from '../helpers/process.js';

const KEY = { id: 'LTAI5tIndependentServer01', secret: 'independent-server-secret-000001' };
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/**
 * An ACK-compatible server that is not this project's simulator: it answers with the
 * documentation's example response and checks every call's signature with the SDK's own signer.
 */
function startIndependentAck(body: string) {
  const requests: { path: string; signed: boolean }[] = [];
  const signedCorrectly = (req: IncomingMessage): boolean => {
    const url = new URL(req.url ?? '/', 'http://x');
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => name !== 'authorization'),
    );
    const expected = OpenApiUtil.getAuthorization(
      // biome-ignore lint/suspicious/noExplicitAny: the SDK types this as its own Request class.
      {
        pathname: url.pathname,
        method: req.method,
        query: Object.fromEntries(url.searchParams),
        headers,
      } as any,
      'ACS3-HMAC-SHA256',
      EMPTY_SHA256,
      KEY.id,
      KEY.secret,
    );
    return req.headers['x-acs-content-sha256'] === EMPTY_SHA256 && req.headers.authorization === expected;
  };
  const server: Server = createServer((req, res) => {
    const signed = signedCorrectly(req);
    requests.push({ path: req.url ?? '', signed });
    res.setHeader('content-type', 'application/json');
    if (!signed) {
      res
        .writeHead(400)
        .end(JSON.stringify({ code: 'SignatureDoesNotMatch', message: 'bad signature', requestId: 'R1' }));
    } else if (/^\/clusters\/[^/]+\/nodepools$/.test(new URL(req.url ?? '/', 'http://x').pathname)) {
      res.writeHead(200, { 'x-acs-request-id': 'DOC-EXAMPLE-1' }).end(body);
    } else {
      res
        .writeHead(404)
        .end(JSON.stringify({ code: 'ErrorClusterNotFound', message: 'not found', requestId: 'R2' }));
    }
  });
  return new Promise<{ endpoint: string; requests: typeof requests; close: () => Promise<void> }>(
    (resolve) => {
      server.listen(0, '127.0.0.1', () => {
        resolve({
          endpoint: `127.0.0.1:${(server.address() as AddressInfo).port}`,
          requests,
          close: () => new Promise((done) => server.close(() => done())),
        });
      });
    },
  );
}

async function post(url: string, query: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return response.json() as Promise<{ data?: Record<string, any>; errors?: unknown[] }>;
}

describe('the gateway process against an independent ACK-compatible server', () => {
  let ack: Awaited<ReturnType<typeof startIndependentAck>>;
  beforeAll(async () => {
    ack = await startIndependentAck(await readFile('test/fixtures/doc-example-nodepools.json', 'utf8'));
  });
  afterAll(() => ack.close());

  it('returns the documentation example values under the contract names, every call signed', async () => {
    const gateway = await startGatewayProcess({
      ACK_ENDPOINT: ack.endpoint,
      ACK_PROTOCOL: 'http',
      ALIBABA_CLOUD_ACCESS_KEY_ID: KEY.id,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEY.secret,
      LOG_LEVEL: 'info',
    });
    try {
      const result = await post(
        gateway.url,
        `{ cluster(id: "cc0f87de0b8fb403f86e10e204f83abcd") { nodePools {
          id name type isDefault resourceGroupId regionId created updated
          status { state healthyNodes totalNodes }
          autoScaling { enable type maxInstances minInstances eipInternetChargeType isBondEip eipBandwidth }
          management { enable autoRepair autoRepairPolicy { restartNode approvalRequired autoRepairPolicyId }
            autoVulFixPolicy { vulLevel excludePackages } upgradeConfig { surge surgePercentage maxUnavailable } }
          scalingGroup { scalingGroupId vswitchIds instanceTypes instanceChargeType periodUnit spotStrategy
            spotPriceLimit { instanceType priceLimit } imageType systemDiskSize dataDisks { category encrypted }
            tags { key value } multiAzPolicy scalingPolicy privatePoolOptions { id matchCriteria }
            resourcePoolOptions { strategy privatePoolIds } ramRoleName }
          kubernetesConfig { runtime runtimeVersion cpuPolicy unschedulable labels { key value } taints { key value effect } }
          maxNodes interconnectMode autoMode { enable }
          nodeComponents { name version config { customConfig } }
          efloNodeGroup { clusterId groupId }
        } } }`,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data?.cluster.nodePools).toEqual([
        {
          id: 'np615c0e0966124216a0412e10afe0****',
          name: 'default-nodepool',
          type: 'ESS',
          isDefault: true,
          resourceGroupId: 'rg-acfmyvw3wjm****',
          regionId: 'cn-beijing',
          created: '2025-04-15T08:33:29.362Z',
          updated: '2025-04-15T08:33:32.823Z',
          status: { state: 'ACTIVE', healthyNodes: 3, totalNodes: 3 },
          autoScaling: {
            enable: true,
            type: 'CPU',
            maxInstances: 10,
            minInstances: 2,
            eipInternetChargeType: 'PAY_BY_BANDWIDTH',
            isBondEip: true,
            eipBandwidth: 5,
          },
          management: {
            enable: true,
            autoRepair: true,
            autoRepairPolicy: {
              restartNode: true,
              approvalRequired: false,
              autoRepairPolicyId: 'r-xxxxxxxxx',
            },
            autoVulFixPolicy: { vulLevel: 'asap,nntf', excludePackages: 'kernel' },
            upgradeConfig: { surge: 5, surgePercentage: 50, maxUnavailable: 1 },
          },
          scalingGroup: {
            scalingGroupId: 'asg-2ze8n5qw4atggut8****',
            vswitchIds: ['vsw-2ze3ds0mdip0hdz8i****'],
            instanceTypes: ['ecs.n4.large'],
            instanceChargeType: 'POST_PAID',
            periodUnit: 'MONTH',
            spotStrategy: 'NO_SPOT',
            spotPriceLimit: [{ instanceType: 'ecs.c6.large', priceLimit: '0.39' }],
            imageType: 'AliyunLinux3',
            systemDiskSize: 120,
            dataDisks: [{ category: 'cloud_essd', encrypted: false }],
            tags: [{ key: 'pkg.E2EClient.ClusterId', value: 'troopers-' }],
            multiAzPolicy: 'COST_OPTIMIZED',
            scalingPolicy: 'RELEASE',
            privatePoolOptions: { id: 'eap-bp67acfmxazb4****', matchCriteria: 'OPEN' },
            resourcePoolOptions: {
              strategy: 'PRIVATE_POOL_FIRST',
              privatePoolIds: ['eap-bp1c1fohub5jccwi****'],
            },
            ramRoleName: 'KubernetesWorkerRole-4a4fa089-80c1-48a5-b3c6-9349311f****',
          },
          kubernetesConfig: {
            runtime: 'containerd',
            runtimeVersion: '1.6.38',
            cpuPolicy: 'NONE',
            unschedulable: true,
            labels: [{ key: 'env', value: 'prod' }],
            taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
          },
          maxNodes: 10,
          interconnectMode: 'BASIC',
          autoMode: { enable: true },
          nodeComponents: [
            {
              name: 'kubelet',
              version: '1.33.3-aliyun.1',
              config: { customConfig: { cpuManagerPolicy: 'static' } },
            },
          ],
          efloNodeGroup: { clusterId: 'i113790071760688002461', groupId: 'i128147721760688002463' },
        },
      ]);
      expect(ack.requests.length).toBeGreaterThan(0);
      expect(ack.requests.every((request) => request.signed)).toBe(true);
      const logText = JSON.stringify(gateway.logs);
      expect(logText).not.toContain(KEY.secret);
      expect(logText).not.toContain('simulator');
      expect(await gateway.stop()).toBe(0);
    } finally {
      await gateway.stop();
    }
  });
});

describe('npm start on a fresh machine', () => {
  it('serves from the embedded simulator with no configuration, says so, and shuts down cleanly', async () => {
    const gateway = await startGatewayProcess({});
    try {
      const notice = gateway.logs.find((entry) => String(entry.msg).includes('embedded ACK simulator'));
      expect(notice).toBeDefined();
      const [clusterId] = (notice?.clusters as string[]) ?? [];
      const result = await post(gateway.url, `{ cluster(id: "${clusterId}") { id nodePools { id name } } }`);
      expect(result.errors).toBeUndefined();
      expect(result.data?.cluster.nodePools).toHaveLength(5);
      const html = await (await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } })).text();
      expect(html).toContain('ClusterNodePools');
      expect(html).toContain(clusterId);
      expect((await fetch(`${gateway.url}/ready`)).status).toBe(200);
      expect(JSON.stringify(gateway.logs)).not.toMatch(/accessKeySecret|Signature=/);
      expect(await gateway.stop()).toBe(0);
    } finally {
      await gateway.stop();
    }
  });
});
