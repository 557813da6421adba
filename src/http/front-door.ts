import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app.js';
import type { Authenticator } from '../auth/authenticate.js';
import type { Policy } from '../auth/policy.js';
import { hasScope, type Principal, SENSITIVE_SCOPE } from '../auth/principal.js';
import { DEFAULT_RESPONSE_CACHE_MAX_BYTES } from '../defaults.js';
import { LIMIT_ERROR_CODE } from '../limit-error.js';
import type { Exchange, FrontDoorEvent } from '../request/exchange.js';
import { acceptedRequestId, exchangeScope } from '../request-id.js';
import { AbandonedError, createExecutionGate } from './execution-gate.js';
import { hasValidHost, readBody, requestHeaders, sendError } from './node-adapter.js';
import { byteLengthOf, type CachedAnswer, type FlightHandle, ResponseCache } from './response-cache.js';

export type { FrontDoorEvent };

export interface HttpHandlerOptions {
  /** Answer repeated identical queries from pre-serialized bytes. @default true */
  responseCache?: boolean;
  /** @default DEFAULT_RESPONSE_CACHE_MAX_BYTES */
  responseCacheMaxBytes?: number;
  /** How long answers stay fresh (the data cache's TTL): bounds refresh-ahead. */
  ttlMs: number;
  /** Bodies larger than this are refused with 413 before anything else. */
  maxBodyBytes: number;
  /** The same authenticator and policy as the app's: the cache key carries the caller's scope. */
  authenticate?: Authenticator;
  policy?: Policy;
  /**
   * Told of every query the response cache path answers: misses went through the app (which
   * logs and measures them too); hits and shared answers did not, so this is their only trace.
   */
  onAnswer?: (event: FrontDoorEvent) => void;
  /** Executions of POSTed queries at once; the others wait in line (0: no limit). @default 0 */
  maxConcurrentExecutions?: number;
  /** Told of each waiting execution dropped unstarted because every caller of it hung up. */
  onAbandoned?: () => void;
}

/** Response headers that belong to one exchange, not to the answer. */
const PER_EXCHANGE_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'x-request-id',
]);
const JSON_BODY = /^application\/json/i;
/** Subscriptions over SSE stream their answer: straight to the app, never buffered or kept. */
const EVENT_STREAM = /text\/event-stream/i;

function send(
  res: ServerResponse,
  answer: CachedAnswer,
  cacheStatus: FrontDoorEvent['result'] | undefined,
  requestId: string,
) {
  res.statusCode = answer.status;
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.setHeader('content-length', byteLengthOf(answer.body));
  if (cacheStatus) res.setHeader('x-response-cache', cacheStatus);
  res.setHeader('x-request-id', requestId);
  res.end(answer.body);
}

/** Whether the caller of `res` is still there to be answered (false once it hung up unanswered). */
function stillConnected(res: ServerResponse): () => boolean {
  let hungUp = false;
  res.once('close', () => {
    hungUp = !res.writableFinished;
  });
  return () => !hungUp;
}

function operationNameOf(body: Buffer): string | undefined {
  try {
    const { operationName } = JSON.parse(body.toString('utf8')) as { operationName?: unknown };
    return typeof operationName === 'string' ? operationName : undefined;
  } catch {
    return undefined;
  }
}

/** Who may see what: the caller's clusters and, apart, whether it may read sensitive fields. */
function scopeOf(caller: Principal | undefined, policy: Policy | undefined): string {
  if (!caller) return 'all';
  const clusters = policy ? policy.scopeKey(caller) : 'all';
  return `${clusters}${hasScope(caller, SENSITIVE_SCOPE) ? '+sensitive' : ''}`;
}

/**
 * The HTTP layer in front of the app. Every exchange runs in its own `exchangeScope` (so even a
 * stray rejection names its request) and a malformed Host is answered 400 here. POSTed JSON
 * queries are read here, then executed through the execution gate (with or without the
 * response cache): the caller is authenticated once, here, and the app is handed that answer;
 * the app says, from the parsed operation and its result, whether the answer may be kept and
 * until when (`Exchange.outcome`); repeated questions from callers who see the same things are
 * answered from bytes. Everything else (GET, GraphiQL, SSE, /health, /metrics, ...) goes
 * straight to the app.
 */
export function createHttpHandler(app: App, options: HttpHandlerOptions) {
  const cache =
    options.responseCache !== false && options.ttlMs > 0
      ? new ResponseCache({ ttlMs: options.ttlMs, maxBytes: options.responseCacheMaxBytes })
      : undefined;
  const authenticate = (headers: Headers) => options.authenticate?.({ headers });

  const gate = createExecutionGate(options.maxConcurrentExecutions ?? 0, options.onAbandoned);
  /** Callers still connected per in-flight execution of the response cache (joiners included). */
  const connected = new Map<string, number>();

  /** Counts `res` as waiting for the execution of `key` until it is answered or hangs up. */
  function waitFor(key: string, res: ServerResponse): () => void {
    connected.set(key, (connected.get(key) ?? 0) + 1);
    let counted = true;
    const leave = () => {
      if (!counted) return;
      counted = false;
      const left = (connected.get(key) ?? 1) - 1;
      if (left > 0) connected.set(key, left);
      else connected.delete(key);
    };
    res.once('close', leave);
    return leave;
  }

  /** The app's answer to one POSTed query, with the headers a replay needs. */
  async function answerOf(
    req: IncomingMessage,
    headers: Headers,
    body: Buffer,
    exchange: Exchange,
  ): Promise<CachedAnswer> {
    // Yoga's own Request: Node's global one (undici) wraps the body in a web stream and checks
    // every header: 2.5% of the CPU of a distinct dashboard answer (docs/performance.md).
    const request = new app.fetchAPI.Request(
      `http://${req.headers.host ?? 'localhost'}${req.url ?? '/graphql'}`,
      {
        method: 'POST',
        headers,
        body: new Uint8Array(body),
      },
    );
    // The hop's Content-Length went with the other hop headers; with the length of the body
    // read here declared, the limits plugin reads it whole instead of through a stream.
    request.headers.set('content-length', String(body.length));
    const response = await app.fetch(request, { exchange });
    // The JSON text yoga made, not a copy: every answer here is JSON (SSE and the rest go
    // straight to the app).
    const text = await response.text();
    const kept: [string, string][] = [];
    response.headers.forEach((value, name) => {
      if (!PER_EXCHANGE_HEADERS.has(name)) kept.push([name, value]);
    });
    const answer: CachedAnswer = {
      status: response.status,
      headers: kept,
      body: text,
      freshUntil: 0,
      operationName: exchange.outcome?.operationName ?? operationNameOf(body),
      requestId: response.headers.get('x-request-id') ?? undefined,
    };
    const { outcome } = exchange;
    if (outcome?.cacheable && answer.status === 200) {
      // A response that used no ACK answer at all stays as long as the data would.
      answer.freshUntil = Number.isFinite(outcome.freshUntil)
        ? outcome.freshUntil
        : Date.now() + options.ttlMs;
    }
    return answer;
  }

  async function handleQuery(
    req: IncomingMessage,
    res: ServerResponse,
    responses: ResponseCache | undefined,
  ) {
    const body = await readBody(req, options.maxBodyBytes);
    if (!body) {
      sendError(
        res,
        413,
        `Request body exceeds ${options.maxBodyBytes} bytes.`,
        { code: LIMIT_ERROR_CODE, limit: 'bodyBytes' },
        { connection: 'close' },
      );
      return;
    }
    const started = performance.now();
    const incomingId = req.headers['x-request-id'];
    const givenId = acceptedRequestId(typeof incomingId === 'string' ? incomingId : undefined);
    /** `result` undefined: no response cache, so no cache status to send or report. */
    const reply = (answer: CachedAnswer, result: FrontDoorEvent['result'] | undefined) => {
      // An executed answer keeps the id the app logged; a replay gets the caller's or a fresh one.
      const executed = result === undefined || result === 'miss';
      const requestId = (executed ? answer.requestId : givenId) ?? givenId ?? randomUUID();
      send(res, answer, result, requestId);
      if (result === undefined) return;
      options.onAnswer?.({
        result,
        requestId,
        operationName: answer.operationName,
        status: answer.status,
        durationMs: performance.now() - started,
      });
    };
    const headers = requestHeaders(req);
    const caller = authenticate(headers);
    /**
     * Executes in line with the others (the gate) and replies from inside the turn. Everything
     * made before the turn (this exchange's frames and promises) has outlived young-generation
     * collections while it waited, and an old object pointing at a young one keeps it through
     * every young-generation collection until the next full one, even once the old object is
     * itself garbage. An answer handed back through them (its bytes, yoga's response with its
     * JSON string: 136 KB each for a dashboard) was promoted with every distinct request
     * (docs/performance.md).
     */
    const answerInTurn = (
      result: FrontDoorEvent['result'] | undefined,
      wanted: () => boolean,
      flight?: FlightHandle,
    ) =>
      gate(async () => {
        const answer = await answerOf(req, headers, body, { caller });
        flight?.settle(answer);
        reply(answer, result);
      }, wanted);
    if (!responses) {
      // No response cache: answered as the app did, with no cache status.
      await answerInTurn(undefined, stillConnected(res));
      return;
    }
    let scope: string | undefined;
    try {
      scope = scopeOf(await caller, options.policy);
    } catch {
      // The app answers the authentication failure from the same promise.
    }
    if (scope === undefined) {
      await answerInTurn('miss', stillConnected(res));
      return;
    }
    // Everything the answer depends on: who may see what, how it is encoded, CORS, the question.
    const key = ResponseCache.key([
      scope,
      req.url ?? '',
      req.headers.accept ?? '',
      req.headers.origin ?? '',
      body.toString('latin1'),
    ]);
    const hit = responses.get(key);
    if (hit) {
      reply(hit, 'hit');
      if (responses.dueForRefresh(hit)) {
        // Asked as the caller is now: a credential that expired meanwhile refreshes nothing.
        responses.refresh(key, () =>
          gate(() => answerOf(req, headers, body, { caller: authenticate(headers), refresh: true })),
        );
      }
      return;
    }
    const leave = waitFor(key, res);
    try {
      const shared = responses.join(key);
      if (shared) {
        reply(await shared, 'shared');
        return;
      }
      const flight = responses.begin(key);
      try {
        await answerInTurn('miss', () => connected.has(key), flight);
      } catch (error) {
        flight.fail(error);
        throw error;
      }
    } finally {
      leave();
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    if (!hasValidHost(req)) {
      req.resume();
      sendError(res, 400, 'The Host header is malformed.', { code: 'BAD_REQUEST' }, { connection: 'close' });
      return;
    }
    const isQuery =
      req.method === 'POST' &&
      (req.url === '/graphql' || req.url?.startsWith('/graphql?')) &&
      JSON_BODY.test(req.headers['content-type'] ?? '') &&
      !EVENT_STREAM.test(req.headers.accept ?? '');
    if (!isQuery) {
      app(req, res);
      return;
    }
    handleQuery(req, res, cache).catch((error: unknown) => {
      // Dropped unstarted because everyone waiting for it hung up: nobody to answer (a caller
      // still connected would have kept it wanted; should one be, it hears of it).
      if (error instanceof AbandonedError && !res.socket?.writable) return;
      sendError(res, 500, 'Unexpected error.', { code: 'INTERNAL_SERVER_ERROR' });
    });
  }

  return (req: IncomingMessage, res: ServerResponse): void => exchangeScope.run({}, () => handle(req, res));
}
