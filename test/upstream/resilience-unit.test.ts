import { Writable } from 'node:stream';
import { ClientError, ServerError, ThrottlingError } from '@alicloud/openapi-core';
import { describe, expect, it } from 'vitest';
import { AdaptiveLimit } from '../../src/ack/adaptive-limit.js';
import { ClusterBreakers } from '../../src/ack/circuit-breaker.js';
import { AckError, toAckError } from '../../src/ack/errors.js';
import { AckCallGuard, type AckResilienceOptions } from '../../src/ack/resilience.js';
import { createLogger } from '../../src/logger.js';

/** Failures as toAckError makes them from what the SDK and Node throw. */
const FAIL = {
  /** A cluster's 5xx. */
  unavailable: () =>
    toAckError(new ServerError({ statusCode: 503, code: 'ServiceUnavailable', message: 'x' })),
  /** A proxy's HTML error page: the SDK's JSON.parse fails. */
  html: () => toAckError(new SyntaxError('Unexpected token <')),
  timeout: () => toAckError(Object.assign(new Error('ReadTimeout'), { name: 'RequestTimeoutError' })),
  forbidden: () => toAckError(new ClientError({ statusCode: 403, code: 'StatusForbidden', message: 'x' })),
  notFound: () =>
    toAckError(new ClientError({ statusCode: 404, code: 'ErrorClusterNotFound', message: 'x' })),
  badRequest: () => toAckError(new ClientError({ statusCode: 400, code: 'InvalidParameter', message: 'x' })),
  credentials: () =>
    toAckError(new ClientError({ statusCode: 400, code: 'SignatureDoesNotMatch', message: 'x' })),
  throttled: (retryAfter?: number) =>
    toAckError(
      new ThrottlingError({ statusCode: 400, code: 'Throttling.User', message: 'x', retryAfter } as never),
    ),
  refused: () => toAckError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
  reset: () => toAckError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
  dns: () => toAckError(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })),
  tls: () => toAckError(Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' })),
} satisfies Record<string, (...args: never[]) => AckError>;

/** No retries, small numbers: each call is one attempt, each breaker judges after 3. */
const OPTIONS: AckResilienceOptions = {
  retryMaxAttempts: 1,
  breakerFailures: 3,
  breakerCooldownMs: 60_000,
  retryMaxDelayMs: 1_000,
};

/** An upstream stand-in that counts its calls per cluster. */
function upstream() {
  const calls: Record<string, number> = {};
  return {
    calls,
    fn: (clusterId: string, failure?: () => AckError) => async (): Promise<string> => {
      calls[clusterId] = (calls[clusterId] ?? 0) + 1;
      if (failure) throw failure();
      return clusterId;
    },
  };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) =>
      error instanceof AckError ? (error.details.upstreamCode ?? error.kind) : String(error),
  );

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

describe('errors: what a failure says is unwell', () => {
  it("marks connection, DNS and TLS failures as the endpoint's, 5xx/HTML/timeouts as the call's, 4xx and throttling as neither", () => {
    expect(FAIL.refused().details).toMatchObject({ scope: 'endpoint', retryable: true });
    expect(FAIL.reset().details.scope).toBe('endpoint');
    expect(FAIL.dns().details.scope).toBe('endpoint');
    expect(FAIL.tls()).toMatchObject({ kind: 'UNAVAILABLE', details: { scope: 'endpoint' } });
    expect(FAIL.tls().details.retryable).toBeUndefined();
    expect(
      toAckError(Object.assign(new Error('x'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' })).details.scope,
    ).toBe('endpoint');
    expect(FAIL.unavailable().details).toMatchObject({ scope: 'resource', retryable: true });
    expect(FAIL.html().details.scope).toBe('resource');
    expect(FAIL.timeout().details.scope).toBe('resource');
    for (const failure of [FAIL.forbidden(), FAIL.notFound(), FAIL.badRequest(), FAIL.credentials()]) {
      expect(failure.details.scope).toBeUndefined();
    }
    expect(FAIL.throttled(100)).toMatchObject({ kind: 'THROTTLED', details: { retryAfterMs: 100 } });
    expect(FAIL.throttled().details.scope).toBeUndefined();
  });
});

describe('AdaptiveLimit', () => {
  function limitAt(max = 16) {
    let now = 1_000;
    const limit = new AdaptiveLimit({ max, baseDelayMs: 100, maxDelayMs: 2_000, now: () => now });
    return { limit, tick: (ms: number) => (now += ms), now: () => now };
  }

  it('halves on a throttle, once per burst sent under one limit, never below 1', () => {
    const { limit } = limitAt(16);
    const epoch = limit.epoch;
    limit.onThrottle(epoch);
    expect(limit.limit).toBe(8);
    // Ten more throttles of calls sent before the halving: they already counted.
    for (let i = 0; i < 10; i++) limit.onThrottle(epoch);
    expect(limit.limit).toBe(8);
    for (let i = 0; i < 10; i++) limit.onThrottle(limit.epoch);
    expect(limit.limit).toBe(1);
  });

  it('adds one per success of a call sent under the current limit, up to the max', () => {
    const { limit } = limitAt(4);
    const before = limit.epoch;
    limit.onThrottle(before);
    limit.onThrottle(limit.epoch);
    expect(limit.limit).toBe(1);
    // Successes of calls sent before the drop say nothing about the new limit.
    limit.onSuccess(before);
    expect(limit.limit).toBe(1);
    for (const expected of [2, 3, 4, 4, 4]) {
      limit.onSuccess(limit.epoch);
      expect(limit.limit).toBe(expected);
    }
  });

  it("pauses for ACK's retry-after, bounded by the longest delay; a doubling backoff without one", () => {
    const { limit, now, tick } = limitAt();
    limit.onThrottle(limit.epoch, 700);
    expect(limit.pausedUntil).toBe(now() + 700);
    limit.onThrottle(limit.epoch, 60_000);
    expect(limit.pausedUntil).toBe(now() + 2_000);
    // A shorter pause never shortens a longer one already running.
    limit.onThrottle(limit.epoch, 10);
    expect(limit.pausedUntil).toBe(now() + 2_000);

    const fresh = limitAt();
    fresh.limit.onThrottle(fresh.limit.epoch);
    expect(fresh.limit.pausedUntil).toBe(fresh.now() + 100);
    fresh.tick(1_000);
    fresh.limit.onThrottle(fresh.limit.epoch);
    expect(fresh.limit.pausedUntil).toBe(fresh.now() + 200);
    fresh.tick(1_000);
    fresh.limit.onSuccess(fresh.limit.epoch);
    fresh.limit.onThrottle(fresh.limit.epoch);
    expect(fresh.limit.pausedUntil).toBe(fresh.now() + 100);
    tick(0);
  });
});

describe('ClusterBreakers', () => {
  const options = { minAttempts: 2, failureRatio: 0.5, windowMs: 10_000, cooldownMs: 1_000 };

  it('holds at most the configured number of breakers; a dropped one is closed', () => {
    const breakers = new ClusterBreakers(options, 3);
    for (const id of ['c1', 'c2', 'c3', 'c4', 'c5']) {
      for (let i = 0; i < 2; i++) breakers.record(breakers.acquire(id)!, 'failure');
    }
    expect(breakers.openCount()).toBe(3);
    expect(['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => breakers.state(id))).toEqual([
      'closed',
      'closed',
      'open',
      'open',
      'open',
    ]);
    expect(breakers.allows('c1')).toBe(true);
    expect(breakers.allows('c5')).toBe(false);
  });

  it('makes no breaker for clusters that only succeed', () => {
    const breakers = new ClusterBreakers(options, 1);
    breakers.record(breakers.acquire('failing')!, 'failure');
    for (let i = 0; i < 50; i++) breakers.record(breakers.acquire(`healthy${i}`)!, 'success');
    breakers.record(breakers.acquire('failing')!, 'failure');
    expect(breakers.state('failing')).toBe('open');
  });

  it('half-open lets one trial through: success closes, failure reopens, a neutral one frees the place', () => {
    let now = 0;
    const breakers = new ClusterBreakers(options, 10, undefined, () => now);
    for (let i = 0; i < 2; i++) breakers.record(breakers.acquire('c')!, 'failure');
    expect(breakers.acquire('c')).toBeUndefined();
    now += 1_000;
    expect(breakers.state('c')).toBe('half-open');
    const trial = breakers.acquire('c')!;
    expect(trial.permit).toBe('trial');
    expect(breakers.acquire('c')).toBeUndefined();
    breakers.record(trial, 'neutral');
    const second = breakers.acquire('c')!;
    breakers.record(second, 'failure');
    expect(breakers.state('c')).toBe('open');
    now += 1_000;
    breakers.record(breakers.acquire('c')!, 'success');
    expect(breakers.state('c')).toBe('closed');
    expect(breakers.acquire('c')?.permit).toBe('pass');
  });
});

describe('AckCallGuard: a breaker per cluster', () => {
  it('opens a failing cluster alone: its calls fail fast without an upstream call, others never are refused', async () => {
    const guard = new AckCallGuard(OPTIONS);
    const { calls, fn } = upstream();
    for (const failure of [FAIL.unavailable, FAIL.html, FAIL.timeout]) {
      expect(await codeOf(guard.run(fn('bad', failure), { clusterId: 'bad' }))).not.toBe('CircuitOpen');
      expect(await codeOf(guard.run(fn('good'), { clusterId: 'good' }))).toBe('ok');
    }
    expect(guard.clusterCircuit('bad')).toBe('open');
    expect(await codeOf(guard.run(fn('bad'), { clusterId: 'bad' }))).toBe('CircuitOpen');
    expect(calls.bad).toBe(3);
    for (let i = 0; i < 20; i++) {
      expect(await codeOf(guard.run(fn(`healthy${i}`), { clusterId: `healthy${i}` }))).toBe('ok');
    }
    expect(guard.status()).toMatchObject({ circuit: 'closed', openClusters: 1, inFlight: 0, queued: 0 });
  });

  it('never opens on 403, 404, 400, rejected credentials or throttling', async () => {
    const guard = new AckCallGuard({ ...OPTIONS, breakerFailureRatio: 0.01 });
    const { fn } = upstream();
    const noes = [FAIL.forbidden, FAIL.notFound, FAIL.badRequest, FAIL.credentials, () => FAIL.throttled(1)];
    for (let round = 0; round < 5; round++) {
      for (const [index, failure] of noes.entries()) {
        await codeOf(guard.run(fn('c1', failure), { clusterId: 'c1' }));
        await codeOf(guard.run(fn(`other${index}`, failure)));
      }
    }
    expect(guard.clusterCircuit('c1')).toBe('closed');
    expect(guard.status()).toMatchObject({ circuit: 'closed', openClusters: 0 });
  });

  it('answers the real failure when the circuit opens between two retries', async () => {
    const guard = new AckCallGuard({
      ...OPTIONS,
      retryMaxAttempts: 5,
      retryBaseDelayMs: 1,
      breakerFailures: 2,
    });
    const { calls, fn } = upstream();
    await expect(guard.run(fn('bad', FAIL.unavailable), { clusterId: 'bad' })).rejects.toMatchObject({
      details: { upstreamCode: 'ServiceUnavailable' },
    });
    expect(calls.bad).toBe(2);
  });

  it('is off, with every other guard, at breakerFailures 0', async () => {
    const guard = new AckCallGuard({ ...OPTIONS, breakerFailures: 0 });
    const { calls, fn } = upstream();
    for (let i = 0; i < 10; i++) await codeOf(guard.run(fn('bad', FAIL.refused), { clusterId: 'bad' }));
    expect(calls.bad).toBe(10);
    expect(guard.status().circuit).toBe('disabled');
    expect(guard.clusterCircuit('bad')).toBe('disabled');
  });
});

describe('AckCallGuard: the endpoint breaker', () => {
  it('opens on connection failures (refused, reset, DNS, TLS) and then refuses every call without calling', async () => {
    for (const failure of [FAIL.refused, FAIL.reset, FAIL.dns, FAIL.tls]) {
      const guard = new AckCallGuard(OPTIONS);
      const { calls, fn } = upstream();
      for (let i = 0; i < 3; i++) {
        expect(await codeOf(guard.run(fn(`c${i}`, failure), { clusterId: `c${i}` }))).not.toBe('CircuitOpen');
      }
      expect(guard.status()).toMatchObject({ circuit: 'open', openClusters: 0 });
      expect(await codeOf(guard.run(fn('healthy'), { clusterId: 'healthy' }))).toBe('CircuitOpen');
      expect(await codeOf(guard.run(fn('list')))).toBe('CircuitOpen');
      expect(calls).toEqual({ c0: 1, c1: 1, c2: 1 });
    }
  });

  it('stays closed while clusters fail with 5xx, HTML and timeouts beside answers', async () => {
    const guard = new AckCallGuard(OPTIONS);
    const { fn } = upstream();
    for (let round = 0; round < 10; round++) {
      for (const [index, failure] of [FAIL.unavailable, FAIL.html, FAIL.timeout].entries()) {
        await codeOf(guard.run(fn(`bad${round}-${index}`, failure), { clusterId: `bad${round}-${index}` }));
      }
      await codeOf(guard.run(fn(`good${round}`), { clusterId: `good${round}` }));
    }
    expect(guard.status().circuit).toBe('closed');
  });

  it('counts a 5xx of a call about no cluster (the cluster list) against the endpoint', async () => {
    const guard = new AckCallGuard(OPTIONS);
    const { fn } = upstream();
    for (let i = 0; i < 3; i++) await codeOf(guard.run(fn('list', FAIL.unavailable)));
    expect(guard.status()).toMatchObject({ circuit: 'open', openClusters: 0 });
  });

  it('opens when many distinct clusters fail with no answer in between and none awaited', async () => {
    const guard = new AckCallGuard({ ...OPTIONS, breakerFailures: 100, endpointBreakerClusters: 4 });
    const { calls, fn } = upstream();
    for (let i = 0; i < 3; i++) await codeOf(guard.run(fn(`bad${i}`, FAIL.html), { clusterId: `bad${i}` }));
    // Any answer, even ACK's "no", shows the endpoint works: the count starts again.
    await codeOf(guard.run(fn('missing', FAIL.notFound), { clusterId: 'missing' }));
    for (let i = 3; i < 6; i++) await codeOf(guard.run(fn(`bad${i}`, FAIL.html), { clusterId: `bad${i}` }));
    expect(guard.status().circuit).toBe('closed');
    await codeOf(guard.run(fn('bad6', FAIL.html), { clusterId: 'bad6' }));
    expect(guard.status().circuit).toBe('open');
    expect(await codeOf(guard.run(fn('healthy'), { clusterId: 'healthy' }))).toBe('CircuitOpen');
    expect(calls.healthy).toBeUndefined();
  });

  it('does not open on spread failures while a call that may still answer is in flight', async () => {
    const guard = new AckCallGuard({ ...OPTIONS, breakerFailures: 100, endpointBreakerClusters: 3 });
    const { fn } = upstream();
    let release!: () => void;
    const slow = guard.run(() => new Promise<string>((resolve) => (release = () => resolve('slow'))), {
      clusterId: 'slow',
    });
    for (let i = 0; i < 5; i++) await codeOf(guard.run(fn(`bad${i}`, FAIL.html), { clusterId: `bad${i}` }));
    expect(guard.status().circuit).toBe('closed');
    release();
    expect(await slow).toBe('slow');
    expect(await codeOf(guard.run(fn('good'), { clusterId: 'good' }))).toBe('ok');
  });

  it('closes after the cool-down when the trial call succeeds', async () => {
    const guard = new AckCallGuard({ ...OPTIONS, breakerCooldownMs: 50 });
    const { fn } = upstream();
    for (let i = 0; i < 3; i++) await codeOf(guard.run(fn('list', FAIL.refused)));
    expect(guard.status().circuit).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 70));
    expect(guard.status().circuit).toBe('half-open');
    expect(await codeOf(guard.run(fn('c1'), { clusterId: 'c1' }))).toBe('ok');
    expect(guard.status().circuit).toBe('closed');
  });

  it('lets probes past an open circuit', async () => {
    const guard = new AckCallGuard(OPTIONS);
    const { calls, fn } = upstream();
    for (let i = 0; i < 3; i++) await codeOf(guard.run(fn('list', FAIL.refused)));
    expect(guard.status().circuit).toBe('open');
    expect(await codeOf(guard.probe(fn('probe')))).toBe('ok');
    expect(calls.probe).toBe(1);
  });
});

describe('AckCallGuard: throttling', () => {
  it('opens no breaker, halves the concurrency limit and pauses every caller for the retry-after', async () => {
    const guard = new AckCallGuard({ ...OPTIONS, maxConcurrency: 8, breakerFailureRatio: 0.01 });
    const { fn } = upstream();
    for (let i = 0; i < 5; i++) {
      expect(
        await codeOf(
          guard.run(
            fn('c1', () => FAIL.throttled(1)),
            { clusterId: 'c1' },
          ),
        ),
      ).toBe('Throttling.User');
    }
    expect(guard.status()).toMatchObject({ circuit: 'closed', openClusters: 0 });
    expect(guard.clusterCircuit('c1')).toBe('closed');
    expect(guard.status().concurrencyLimit).toBe(1);

    const throttledAt = performance.now();
    await codeOf(
      guard.run(
        fn('c1', () => FAIL.throttled(200)),
        { clusterId: 'c1', caller: 'a' },
      ),
    );
    // Another caller's call about another cluster waits the pause out, then is answered.
    expect(await codeOf(guard.run(fn('c2'), { clusterId: 'c2', caller: 'b' }))).toBe('ok');
    expect(performance.now() - throttledAt).toBeGreaterThanOrEqual(190);
    for (let i = 0; i < 10; i++) await guard.run(fn('c2'), { clusterId: 'c2' });
    expect(guard.status().concurrencyLimit).toBe(8);
  });
});

describe('AckCallGuard: the fair queue', () => {
  it("refuses a bursting caller past its share; another caller's call still runs", async () => {
    const guard = new AckCallGuard({ ...OPTIONS, maxConcurrency: 1, maxQueue: 10, maxQueuePerCaller: 3 });
    let release!: () => void;
    const blocker = new Promise<void>((resolve) => (release = resolve));
    const burst = Array.from({ length: 8 }, (_, i) =>
      codeOf(guard.run(() => blocker.then(() => `a${i}`), { caller: 'A', clusterId: `a${i}` })),
    );
    const other = codeOf(guard.run(async () => 'b', { caller: 'B', clusterId: 'b' }));
    expect(guard.status()).toMatchObject({ inFlight: 1, queued: 4 });
    release();
    expect(await other).toBe('ok');
    expect(await Promise.all(burst)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'QueueFull',
      'QueueFull',
      'QueueFull',
      'QueueFull',
    ]);
  });

  it('logs refusals once when they start and once when the queue empties, with the count', async () => {
    const { lines, logger } = capturedLogger();
    const guard = new AckCallGuard(
      { ...OPTIONS, maxConcurrency: 1, maxQueue: 1, maxQueuePerCaller: 1 },
      logger,
    );
    let release!: () => void;
    const blocker = new Promise<void>((resolve) => (release = resolve));
    const calls = Array.from({ length: 50 }, () => codeOf(guard.run(() => blocker, { caller: 'A' })));
    release();
    const codes = await Promise.all(calls);
    expect(codes.filter((code) => code === 'QueueFull')).toHaveLength(48);
    await new Promise((resolve) => setImmediate(resolve));
    const refusals = lines.filter((line) => String(line.msg).includes('queue'));
    expect(refusals.map((line) => [line.msg, line.refused])).toEqual([
      ['ACK calls refused: the queue is full', undefined],
      ['ACK queue emptied; calls are accepted again', 47],
    ]);
    expect(refusals[0]).toMatchObject({ caller: 'A', reason: 'caller' });
  });

  it('logs a cluster circuit opening and closing once each', async () => {
    const { lines, logger } = capturedLogger();
    const guard = new AckCallGuard({ ...OPTIONS, breakerCooldownMs: 30 }, logger);
    const { fn } = upstream();
    for (let i = 0; i < 10; i++) await codeOf(guard.run(fn('bad', FAIL.unavailable), { clusterId: 'bad' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await guard.run(fn('bad'), { clusterId: 'bad' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.filter((line) => line.clusterId === 'bad').map((line) => line.msg)).toEqual([
      "ACK cluster circuit opened: this cluster's calls fail fast",
      'ACK cluster circuit closed',
    ]);
  });
});
