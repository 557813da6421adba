import { createHash } from 'node:crypto';
import CredentialModule from '@alicloud/credentials';
import Cs20151215 from '@alicloud/cs20151215';
import { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
// A CommonJS module: its named exports are only reliable through the default import under Node's ESM.
import $dara from '@darabonba/typescript';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_READ_TIMEOUT_MS } from '../defaults.js';
import type { Logger } from '../logger.js';
import type { AckAttemptEnd, AckObserver } from './ack-observer.js';
import { AckError, toAckError } from './errors.js';
import type { ParseIssue } from './model/parse.js';
import {
  AckCallGuard,
  type AckCircuitState,
  type AckGuardStatus,
  type AckResilienceOptions,
} from './resilience.js';

const API_VERSION = '2015-12-15';

// Under Node's ESM the SDK's default import is its CommonJS module object (the class sits on
// `.default`); loaders with CommonJS interop (vitest, bundlers) hand over the class itself.
const unwrapDefault = <T>(imported: { default: T }): T =>
  (imported as { default?: T }).default ?? (imported as unknown as T);
const SdkClient = unwrapDefault(Cs20151215);
const Credential = unwrapDefault(CredentialModule);

export interface AckStaticCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface AckClientOptions {
  /** `host[:port]` of the ACK OpenAPI; without it the SDK derives it from `regionId`. */
  endpoint?: string;
  /** @default 'https' */
  protocol?: 'http' | 'https';
  regionId?: string;
  /** Static credentials; without them the Alibaba Cloud default credential chain is used. */
  credentials?: AckStaticCredentials;
  /** @default DEFAULT_CONNECT_TIMEOUT_MS */
  connectTimeoutMs?: number;
  /** @default DEFAULT_READ_TIMEOUT_MS */
  readTimeoutMs?: number;
  /** Retries, circuit breakers and fair concurrency bound of this endpoint. @default the DEFAULT_* of resilience.ts */
  resilience?: AckResilienceOptions;
  /** Where retries, circuit changes and refused calls are logged. @default none */
  logger?: Logger;
  /** Hears every call's attempts (metrics, traces, logs). @default none */
  observer?: AckObserver;
}

export interface AckCallOptions {
  /**
   * One attempt that bypasses the circuit breakers (it still waits for a concurrency slot):
   * for health probes, which must report ACK as it is, quickly. @default false
   */
  probe?: boolean;
  /**
   * Who the call is for (an id such as the principal's, never a secret): each caller has its own
   * fair share of the upstream queue, so one caller's burst cannot crowd the others out.
   * @default one bucket shared by every call without a caller
   */
  caller?: string;
}

/** A successful upstream answer: the parsed JSON body and ACK's request id. */
export interface AckResponse {
  body: unknown;
  /** ACK's HTTP status. */
  statusCode?: number;
  requestId?: string;
}

export type { ParseIssue };

/**
 * The one way to talk to ACK: the official SDK's client, which signs every call
 * (ACS3-HMAC-SHA256) and owns the transport. Bodies are read raw through `callApi` and parsed
 * at this edge by the model tables, because the SDK's typed models drop unknown fields and
 * throw on one odd value for a whole call.
 */
export class AckClient {
  /**
   * Identifies who is asked and as whom, without revealing credentials: the cache keys on it,
   * so different endpoints or credentials never share entries.
   */
  readonly identity: string;
  /** `protocol://host[:port]` (or `region:...`) of ACK, without credentials: a metric label. */
  readonly endpoint: string;
  private readonly sdk: InstanceType<typeof SdkClient>;
  private readonly runtime: $dara.RuntimeOptions;
  private readonly guard: AckCallGuard;
  private readonly observer: AckObserver | undefined;

  constructor(options: AckClientOptions) {
    const protocol = options.protocol ?? 'https';
    const connectTimeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const readTimeout = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
    const config = new $OpenApiUtil.Config({
      endpoint: options.endpoint,
      regionId: options.regionId,
      protocol,
      connectTimeout,
      readTimeout,
      ...(options.credentials
        ? {
            accessKeyId: options.credentials.accessKeyId,
            accessKeySecret: options.credentials.accessKeySecret,
            securityToken: options.credentials.securityToken,
          }
        : { credential: new Credential() }),
    });
    this.sdk = new SdkClient(config);
    // Leave keepAlive unset: setting it makes the SDK build a new agent per request.
    this.runtime = new $dara.RuntimeOptions({ connectTimeout, readTimeout });
    // A one-way digest: the secret takes part so that rotated or wrong keys never share entries.
    const who = options.credentials
      ? `ak:${createHash('sha256')
          .update(
            [
              options.credentials.accessKeyId,
              options.credentials.accessKeySecret,
              options.credentials.securityToken ?? '',
            ].join('\0'),
          )
          .digest('hex')
          .slice(0, 24)}`
      : 'default-credential-chain';
    const endpoint = `${protocol}://${options.endpoint ?? `region:${options.regionId ?? ''}`}`;
    this.identity = `${endpoint}|${who}`;
    // One guard per client: quotas and outages are per endpoint and account, like the identity.
    this.guard = new AckCallGuard(options.resilience, options.logger, endpoint);
    this.endpoint = endpoint;
    this.observer = options.observer;
  }

  /** The circuit and the calls in flight and waiting, for probes, logs and tests. */
  status(): AckGuardStatus {
    return this.guard.status();
  }

  /** One cluster's own circuit, for logs and tests. */
  clusterCircuit(clusterId: string): AckCircuitState {
    return this.guard.clusterCircuit(clusterId);
  }

  /**
   * GET one ACK ROA resource and return its parsed JSON body, retried on transient failures,
   * behind the circuit breakers of its cluster (a `clusters/{id}` path) and of the endpoint and
   * the endpoint's fair concurrency bound (`AckCallGuard`). Path segments are percent-encoded
   * here; callers still validate ids before they get this far.
   */
  get(
    action: string,
    pathSegments: readonly string[],
    query: Record<string, string | number | undefined> = {},
    options: AckCallOptions = {},
  ): Promise<AckResponse> {
    const clusterId = pathSegments[0] === 'clusters' ? pathSegments[1] : undefined;
    const guarded = (once: () => Promise<AckResponse>) =>
      options.probe ? this.guard.probe(once) : this.guard.run(once, { caller: options.caller, clusterId });
    const report = this.observer?.onCallStart?.({ action, clusterId });
    if (!report) return guarded(() => this.getOnce(action, pathSegments, query));
    let attempt = 0;
    const once = () => {
      attempt += 1;
      return observeAttempt(attempt, report, () => this.getOnce(action, pathSegments, query));
    };
    const started = performance.now();
    return guarded(once).catch((error: unknown) => {
      // Refused by the guard before any attempt: no request went out, but the caller waited.
      if (attempt === 0 && error instanceof AckError) report(attemptEnd(0, started, error));
      throw error;
    });
  }

  private async getOnce(
    action: string,
    pathSegments: readonly string[],
    query: Record<string, string | number | undefined>,
  ): Promise<AckResponse> {
    const pathname = `/${pathSegments.map((segment) => $dara.URL.percentEncode(segment)).join('/')}`;
    const params = new $OpenApiUtil.Params({
      action,
      version: API_VERSION,
      protocol: 'HTTPS',
      pathname,
      method: 'GET',
      authType: 'AK',
      style: 'ROA',
      reqBodyType: 'json',
      bodyType: 'string',
    });
    const definedQuery: Record<string, string> = {};
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) definedQuery[key] = String(value);
    }
    const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(definedQuery) });
    let response: { body?: unknown; headers?: Record<string, string>; statusCode?: number };
    try {
      response = await this.sdk.callApi(params, request, this.runtime);
    } catch (error) {
      throw toAckError(error);
    }
    const requestId = response.headers?.['x-acs-request-id'];
    let body: unknown;
    try {
      body = JSON.parse(String(response.body));
    } catch {
      // Not retried (ACK said 200 and meant it), but it counts against the cluster's breaker.
      throw new AckError('BAD_RESPONSE', `ACK answered ${action} with a body that is not JSON.`, {
        requestId,
        scope: 'resource',
      });
    }
    return { body, requestId: requestId ?? readRequestId(body), statusCode: response.statusCode };
  }
}

const attemptEnd = (attempt: number, started: number, error: AckError): AckAttemptEnd => ({
  attempt,
  outcome: error.kind,
  statusCode: error.details.statusCode,
  ms: performance.now() - started,
  upstreamCode: error.details.upstreamCode,
  requestId: error.details.requestId,
});

async function observeAttempt(
  attempt: number,
  report: (end: AckAttemptEnd) => void,
  call: () => Promise<AckResponse>,
): Promise<AckResponse> {
  const started = performance.now();
  try {
    const response = await call();
    const { statusCode, requestId } = response;
    report({ attempt, outcome: 'ok', statusCode, ms: performance.now() - started, requestId });
    return response;
  } catch (error) {
    if (error instanceof AckError) report(attemptEnd(attempt, started, error));
    throw error;
  }
}

function readRequestId(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>).requestId ?? (body as Record<string, unknown>).RequestId;
  return typeof value === 'string' ? value : undefined;
}
