import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LRUCache } from 'lru-cache';
import type { App } from './app.js';
import type { Authenticator } from './auth/authenticate.js';
import type { Policy } from './auth/policy.js';
import { hasScope, SENSITIVE_SCOPE } from './auth/principal.js';
import { acceptedRequestId } from './context.js';
import { contextOf, markRefresh } from './request-state.js';

/** Bytes of answers the response cache keeps at most. */
export const DEFAULT_RESPONSE_CACHE_MAX_BYTES = 64 * 1024 * 1024;
/** Past this fraction of its life, a served response is re-executed in the background, once. */
export const DEFAULT_RESPONSE_REFRESH_AHEAD_RATIO = 0.8;

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
   * Told of every query the front door answers: misses went through the app (which logs and
   * measures them too); hits and shared answers did not, so this is their only trace.
   */
  onAnswer?: (event: FrontDoorEvent) => void;
}

/** One query answered by the front door. */
export interface FrontDoorEvent {
  result: 'hit' | 'shared' | 'miss';
  requestId: string;
  operationName?: string;
  status: number;
  durationMs: number;
}

/** One answer as bytes, with the headers a replay needs. */
interface Answer {
  status: number;
  headers: [string, string][];
  body: Buffer;
  /** Epoch ms until which it may be served again; 0: not cacheable. */
  freshUntil: number;
  /** The operation's name, for the logs and metrics of replays. */
  operationName?: string;
  /** The request id the app gave the execution (its log line has it). */
  requestId?: string;
}

/** Response headers that belong to one exchange, not to the answer. */
const PER_EXCHANGE_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
]);
const INTROSPECTION = /\b__(schema|type)\b/;
const MUTATION_OR_SUBSCRIPTION = /^\s*(?:#[^\n]*\n\s*)*(mutation|subscription)\b/m;
const JSON_BODY = /^application\/json/i;

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      resolve(undefined);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let seen = 0;
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) {
        // Answer 413 now; the rest is discarded and the connection closed after the answer.
        req.off('data', onData);
        req.resume();
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Request headers of the hop, not of the request: the body is handed over whole. */
const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'upgrade',
  'expect',
]);

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_HEADERS.has(name)) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

/** A response worth keeping: a successful query answer without errors, warnings or introspection. */
function isCacheable(answer: Answer, requestBody: string): boolean {
  if (answer.status !== 200 || answer.freshUntil <= Date.now()) return false;
  if (INTROSPECTION.test(requestBody) || MUTATION_OR_SUBSCRIPTION.test(requestBody)) return false;
  try {
    const result = JSON.parse(answer.body.toString('utf8')) as { errors?: unknown; extensions?: unknown };
    return result.errors === undefined && result.extensions === undefined;
  } catch {
    return false;
  }
}

function send(
  res: ServerResponse,
  answer: Answer,
  cacheStatus: 'hit' | 'miss' | 'shared',
  requestId: string,
) {
  res.statusCode = answer.status;
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.setHeader('content-length', answer.body.length);
  res.setHeader('x-response-cache', cacheStatus);
  res.setHeader('x-request-id', requestId);
  res.end(answer.body);
}

function operationNameOf(body: Buffer): string | undefined {
  try {
    const { operationName } = JSON.parse(body.toString('utf8')) as { operationName?: unknown };
    return typeof operationName === 'string' ? operationName : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The HTTP front door. Dashboards poll the same heavy question: identical POSTed queries from
 * callers with the same permissions are answered from pre-serialized bytes (O(1) per hit, no
 * parse, validation or execution), identical concurrent misses share one execution, and a hot
 * answer near its expiry is re-executed in the background once, asking ACK anew, so polling
 * never waits at the TTL boundary. An answer is kept only while every ACK answer it used is
 * fresh, and never when it carries errors or warnings, introspection or a mutation. Everything
 * else (GET, GraphiQL, /health, /metrics, ...) goes straight to the app.
 */
export function createHttpHandler(app: App, options: HttpHandlerOptions) {
  const enabled = options.responseCache !== false && options.ttlMs > 0;
  const cache = new LRUCache<string, Answer>({
    maxSize: options.responseCacheMaxBytes ?? DEFAULT_RESPONSE_CACHE_MAX_BYTES,
    sizeCalculation: (answer) => answer.body.length + 512,
  });
  const inFlight = new Map<string, Promise<Answer>>();
  const refreshing = new Set<string>();
  const refreshAfterMs = options.ttlMs * DEFAULT_RESPONSE_REFRESH_AHEAD_RATIO;

  async function execute(
    req: IncomingMessage,
    requestHeaders: Headers,
    body: Buffer,
    refresh: boolean,
  ): Promise<Answer> {
    const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/graphql'}`, {
      method: 'POST',
      headers: requestHeaders,
      body: new Uint8Array(body),
    });
    if (refresh) markRefresh(request);
    const response = await app.fetch(request);
    const headers: [string, string][] = [];
    response.headers.forEach((value, name) => {
      if (!PER_EXCHANGE_HEADERS.has(name) && name !== 'x-request-id') headers.push([name, value]);
    });
    const answer: Answer = {
      status: response.status,
      headers,
      body: Buffer.from(await response.arrayBuffer()),
      freshUntil: 0,
      operationName: operationNameOf(body),
      requestId: response.headers.get('x-request-id') ?? undefined,
    };
    const freshUntil = contextOf(request)?.warnings.freshUntil() ?? 0;
    // A response that used no ACK answer at all stays as long as the data would.
    answer.freshUntil = Number.isFinite(freshUntil) ? freshUntil : Date.now() + options.ttlMs;
    if (!isCacheable(answer, body.toString('utf8'))) answer.freshUntil = 0;
    return answer;
  }

  /** Executes once for all identical concurrent requests, keeping the answer when it may be. */
  function shared(key: string, run: () => Promise<Answer>): { answer: Promise<Answer>; joined: boolean } {
    const pending = inFlight.get(key);
    if (pending) return { answer: pending, joined: true };
    const answer = run()
      .then((result) => {
        if (result.freshUntil > Date.now()) cache.set(key, result, { ttl: result.freshUntil - Date.now() });
        return result;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, answer);
    return { answer, joined: false };
  }

  function refreshInBackground(key: string, req: IncomingMessage, headers: Headers, body: Buffer): void {
    if (refreshing.has(key) || inFlight.has(key)) return;
    refreshing.add(key);
    shared(key, () => execute(req, headers, body, true))
      .answer.catch(() => {})
      .finally(() => refreshing.delete(key));
  }

  async function scopeOf(headers: Headers): Promise<string | undefined> {
    try {
      const caller = await options.authenticate?.({ headers });
      if (!caller) return 'all';
      const clusters = options.policy ? options.policy.scopeKey(caller) : 'all';
      return `${clusters}${hasScope(caller, SENSITIVE_SCOPE) ? '+sensitive' : ''}`;
    } catch {
      return undefined; // the app answers the authentication failure
    }
  }

  async function handleQuery(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, options.maxBodyBytes);
    if (!body) {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(
        JSON.stringify({
          errors: [
            {
              message: `Request body exceeds ${options.maxBodyBytes} bytes.`,
              extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit: 'bodyBytes' },
            },
          ],
        }),
      );
      return;
    }
    const started = performance.now();
    const incomingId = req.headers['x-request-id'];
    const givenId = acceptedRequestId(typeof incomingId === 'string' ? incomingId : undefined);
    const reply = (answer: Answer, result: FrontDoorEvent['result']) => {
      // A miss keeps the id the app logged; a replay gets the caller's or a fresh one.
      const requestId = (result === 'miss' ? answer.requestId : givenId) ?? givenId ?? randomUUID();
      send(res, answer, result, requestId);
      options.onAnswer?.({
        result,
        requestId,
        operationName: answer.operationName,
        status: answer.status,
        durationMs: performance.now() - started,
      });
    };
    // Read once: authentication and, on a miss, the app see the same headers.
    const headers = toHeaders(req);
    const scope = await scopeOf(headers);
    if (scope === undefined) {
      reply(await execute(req, headers, body, false), 'miss');
      return;
    }
    // Everything the answer depends on: who may see what, how it is encoded, CORS, the question.
    const key = [
      scope,
      req.url,
      req.headers.accept ?? '',
      req.headers.origin ?? '',
      body.toString('latin1'),
    ].join('\0');
    const hit = cache.get(key);
    if (hit && hit.freshUntil > Date.now()) {
      reply(hit, 'hit');
      if (hit.freshUntil - Date.now() < options.ttlMs - refreshAfterMs)
        refreshInBackground(key, req, headers, body);
      return;
    }
    const { answer, joined } = shared(key, () => execute(req, headers, body, false));
    reply(await answer, joined ? 'shared' : 'miss');
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const isQuery =
      enabled &&
      req.method === 'POST' &&
      (req.url === '/graphql' || req.url?.startsWith('/graphql?')) &&
      JSON_BODY.test(req.headers['content-type'] ?? '');
    if (!isQuery) {
      app(req, res);
      return;
    }
    handleQuery(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        }),
      );
    });
  };
}
