/**
 * The official SDK, configured for a simulator the way the gateway configures it for ACK.
 */
import CsModule from '@alicloud/cs20151215';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { RuntimeOptions } from '@darabonba/typescript';
import type { AckSimulatorAddress } from '../../src/simulator/index.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from '../../src/simulator/index.js';

// Under ESM the default import is the CommonJS module object; the class is its `default`.
const Client = CsModule.default ?? (CsModule as unknown as typeof CsModule.default);
type CsClient = InstanceType<typeof Client>;

export interface ClientOverrides {
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  readTimeout?: number;
  connectTimeout?: number;
}

export function sdkClient(address: AckSimulatorAddress, overrides: ClientOverrides = {}): CsClient {
  return new Client(
    new $OpenApiUtil.Config({
      accessKeyId: overrides.accessKeyId ?? DEFAULT_ACCESS_KEY_ID,
      accessKeySecret: overrides.accessKeySecret ?? DEFAULT_ACCESS_KEY_SECRET,
      securityToken: overrides.securityToken,
      endpoint: address.endpoint,
      protocol: 'http',
      readTimeout: overrides.readTimeout ?? 5000,
      connectTimeout: overrides.connectTimeout ?? 5000,
    }),
  );
}

/** The raw JSON body of a GET route, through the SDK's own signing and transport (callApi). */
export async function rawSdkGet(
  client: CsClient,
  action: string,
  pathname: string,
  query: Record<string, string> = {},
) {
  const params = new $OpenApiUtil.Params({
    action,
    version: '2015-12-15',
    protocol: 'HTTPS',
    pathname,
    method: 'GET',
    authType: 'AK',
    style: 'ROA',
    reqBodyType: 'json',
    bodyType: 'json',
  });
  const request = new $OpenApiUtil.OpenApiRequest({ query });
  const response = (await client.callApi(params, request, new RuntimeOptions({}))) as {
    body: unknown;
    statusCode: number;
    headers: Record<string, string>;
  };
  return response;
}

/** Runs `call` and returns what it threw (fails the test when it does not throw). */
export async function thrown(call: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await call();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to throw');
}
