import { DescribeClusterNodePoolsRequest } from '@alicloud/cs20151215';
import { ClientError } from '@alicloud/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AckSimulator,
  type AckSimulatorAddress,
  createAckSimulator,
} from '../../src/simulator/index.js';
import { canonicalQuery, percentEncode } from '../../src/simulator/signature.js';
import { send, signRaw } from '../helpers/raw-signer.js';
import { sdkClient, thrown } from '../helpers/sdk-client.js';

describe('ACS3-HMAC-SHA256 verification through the real SDK', () => {
  let simulator: AckSimulator;
  let address: AckSimulatorAddress;
  let clusterId: string;

  beforeAll(async () => {
    simulator = createAckSimulator();
    address = await simulator.listen();
    clusterId = simulator.clusters[0]!.id;
  });
  afterAll(() => simulator.close());

  it('accepts the SDK signature', async () => {
    const response = await sdkClient(address).describeClusterNodePools(
      clusterId,
      new DescribeClusterNodePoolsRequest({}),
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['x-acs-request-id']).toMatch(/^[0-9A-F-]{36}$/);
  });

  it("accepts a query value the SDK must encode (spaces, !'()*, unicode)", async () => {
    const name = "pool (a)! it's * 池";
    const response = await sdkClient(address).describeClusterNodePools(
      clusterId,
      new DescribeClusterNodePoolsRequest({ nodepoolName: name }),
    );
    expect(response.body?.nodepools).toEqual([]);
  });

  it('accepts ids the SDK percent-encodes in the path, and answers ErrorClusterNotFound', async () => {
    const error = await thrown(() =>
      sdkClient(address).describeClusterNodePools('c-x/../y z*~', new DescribeClusterNodePoolsRequest({})),
    );
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'ErrorClusterNotFound', statusCode: 404 });
  });

  it('rejects a wrong secret with SignatureDoesNotMatch', async () => {
    const before = simulator.stats().rejectedSignatures;
    const error = await thrown(() =>
      sdkClient(address, { accessKeySecret: 'not-the-secret' }).describeClusterNodePools(
        clusterId,
        new DescribeClusterNodePoolsRequest({}),
      ),
    );
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'SignatureDoesNotMatch', statusCode: 400 });
    expect(String(error.requestId)).toMatch(/^[0-9A-F-]{36}$/);
    expect(simulator.stats().rejectedSignatures).toBe(before + 1);
  });

  it('rejects an unknown AccessKeyId with InvalidAccessKeyId.NotFound (404)', async () => {
    const error = await thrown(() =>
      sdkClient(address, { accessKeyId: 'LTAI5tSomebodyElse' }).describeClusterNodePools(
        clusterId,
        new DescribeClusterNodePoolsRequest({}),
      ),
    );
    expect(error).toMatchObject({ code: 'InvalidAccessKeyId.NotFound', statusCode: 404 });
  });
});

describe('raw requests', () => {
  let simulator: AckSimulator;
  let address: AckSimulatorAddress;
  let path: string;

  beforeAll(async () => {
    simulator = createAckSimulator();
    address = await simulator.listen();
    path = `/clusters/${simulator.clusters[0]!.id}/nodepools`;
  });
  afterAll(() => simulator.close());

  const request = (extra: Partial<Parameters<typeof signRaw>[0]> = {}) =>
    signRaw({ endpoint: address.endpoint, action: 'DescribeClusterNodePools', path, ...extra });

  it('serves a correctly signed raw request', async () => {
    const response = await send(request({ query: { NodepoolName: 'default-nodepool' } }));
    expect(response.status).toBe(200);
    expect(response.json().nodepools).toHaveLength(1);
  });

  it('rejects a request without Authorization: 400 MissingAuthorization', async () => {
    const signed = request();
    delete signed.headers.authorization;
    const response = await send(signed);
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({
      code: 'MissingAuthorization',
      message: expect.any(String),
      requestId: response.headers.get('x-acs-request-id'),
    });
  });

  it('rejects a garbled Authorization: 400 InvalidAuthorization', async () => {
    for (const garbled of [
      'ACS3-HMAC-SHA256 nonsense',
      'acs LTAI:abc',
      'ACS3-HMAC-SHA256 Credential=x,SignedHeaders=host,Signature=zz',
    ]) {
      const signed = request();
      signed.headers.authorization = garbled;
      const response = await send(signed);
      expect(response.status).toBe(400);
      expect(response.json().code).toBe('InvalidAuthorization');
    }
  });

  it('rejects a replayed nonce: 400 SignatureNonceUsed', async () => {
    const signed = request();
    expect((await send(signed)).status).toBe(200);
    const replay = await send(signed);
    expect(replay.status).toBe(400);
    expect(replay.json().code).toBe('SignatureNonceUsed');
  });

  it('does not let a badly signed request burn a nonce', async () => {
    const nonce = `nonce-${Date.now()}`;
    const forged = request({ nonce, accessKeySecret: 'wrong' });
    expect((await send(forged)).json().code).toBe('SignatureDoesNotMatch');
    expect((await send(request({ nonce }))).status).toBe(200);
  });

  it('rejects an x-acs-date more than 15 minutes off: 400 InvalidTimeStamp.Expired', async () => {
    for (const offsetMs of [-16 * 60_000, 16 * 60_000]) {
      const response = await send(request({ date: new Date(Date.now() + offsetMs) }));
      expect(response.status).toBe(400);
      expect(response.json().code).toBe('InvalidTimeStamp.Expired');
    }
    expect((await send(request({ date: new Date(Date.now() - 14 * 60_000) }))).status).toBe(200);
  });

  it('rejects a query changed after signing', async () => {
    const signed = request({ query: { NodepoolName: 'default-nodepool' } });
    signed.url = signed.url.replace('default-nodepool', 'other');
    const response = await send(signed);
    expect(response.status).toBe(400);
    expect(response.json().code).toBe('SignatureDoesNotMatch');
  });

  it('rejects an x-acs-* header added after signing (signed headers must match)', async () => {
    const signed = request();
    signed.headers['x-acs-extra'] = 'sneaky';
    const response = await send(signed);
    expect(response.json()).toMatchObject({
      code: 'SignatureDoesNotMatch',
      message: expect.stringContaining('SignedHeaders'),
    });
  });

  it('rejects an x-acs-content-sha256 that is not the hash of the body', async () => {
    const response = await send(request({ headers: { 'x-acs-content-sha256': 'f'.repeat(64) } }));
    expect(response.json().code).toBe('SignatureDoesNotMatch');
  });

  it('answers 405 to a signed non-GET and 404 InvalidAction.NotFound to an unknown route', async () => {
    const post = await send(request({ method: 'DELETE' }));
    expect(post.status).toBe(405);
    expect(post.json().code).toBe('MethodNotAllowed');
    const unknown = await send(request({ path: '/clusters/x/addons' }));
    expect(unknown.status).toBe(404);
    expect(unknown.json().code).toBe('InvalidAction.NotFound');
    const wrongAction = await send(request({ action: 'DescribeClusterDetail' }));
    expect(wrongAction.json().code).toBe('InvalidAction.NotFound');
  });

  it('handles a malformed percent-encoded path segment safely', async () => {
    const response = await send(request({ path: '/clusters/%E0%A4%A/nodepools' }));
    expect(response.status).toBe(400);
    expect(response.json().code).toBe('InvalidParameter');
  });
});

describe('STS credentials', () => {
  let simulator: AckSimulator;
  let address: AckSimulatorAddress;

  beforeAll(async () => {
    simulator = createAckSimulator({ securityToken: 'CAIS-sts-token-for-tests' });
    address = await simulator.listen();
  });
  afterAll(() => simulator.close());

  it('accepts the configured token and rejects a missing or different one', async () => {
    const clusterId = simulator.clusters[0]!.id;
    const request = new DescribeClusterNodePoolsRequest({});
    const ok = await sdkClient(address, {
      securityToken: 'CAIS-sts-token-for-tests',
    }).describeClusterNodePools(clusterId, request);
    expect(ok.statusCode).toBe(200);
    const wrong = await thrown(() =>
      sdkClient(address, { securityToken: 'CAIS-other' }).describeClusterNodePools(clusterId, request),
    );
    expect(wrong).toMatchObject({ code: 'InvalidSecurityToken.Mismatch', statusCode: 400 });
    const missing = await thrown(() => sdkClient(address).describeClusterNodePools(clusterId, request));
    expect(missing).toMatchObject({ code: 'MissingSecurityToken', statusCode: 400 });
  });
});

describe('canonical forms', () => {
  it("encodes like the recipe: encodeURIComponent plus !'()*", () => {
    expect(percentEncode("a b!'()*~")).toBe('a%20b%21%27%28%29%2A~');
  });

  it('sorts keys and re-encodes decoded values', () => {
    expect(canonicalQuery('page_size=10&name=a+b%21&cluster_type=')).toBe(
      'cluster_type=&name=a%20b%21&page_size=10',
    );
    expect(canonicalQuery('')).toBe('');
  });
});
