import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import type { Context as WsContext } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { type App, webSocketRequests } from '../app.js';
import type { Authenticator } from '../auth/authenticate.js';
import { AuthenticationError } from '../auth/authentication-error.js';
import type { Principal } from '../auth/principal.js';
import { DEFAULT_WATCH_KEEP_ALIVE_MS, DEFAULT_WS_MAX_BUFFERED_BYTES } from '../defaults.js';
import type { Logger } from '../logger.js';
import { hasValidHost } from './node-adapter.js';

const GRAPHQL_PATH = '/graphql';
/** Close codes of authentication failures (graphql-ws reserves 4400-4499 for the protocol's own). */
const UNAUTHORIZED_CLOSE = 4401;
const TRY_AGAIN_LATER_CLOSE = 1013;
/** How long `close()` waits at most for operations to send their `complete`. */
const DEFAULT_CLOSE_GRACE_MS = 1_000;

export interface WebSocketOptions {
  /** The same authenticator as the HTTP path's. @default every caller anonymous */
  authenticate?: Authenticator;
  /** When set, a browser's `Origin` must be one of these (or the gateway's own). @default any */
  corsOrigins?: readonly string[];
  /** Largest message a client may send (the HTTP body limit). */
  maxPayloadBytes: number;
  /** Ping period (a peer that does not answer in as long is dropped). @default DEFAULT_WATCH_KEEP_ALIVE_MS */
  keepAliveMs?: number;
  /** A socket with more than this waiting to be sent is dropped as too slow. @default DEFAULT_WS_MAX_BUFFERED_BYTES */
  maxBufferedBytes?: number;
  logger?: Logger;
}

export interface WebSocketTransport {
  /** Open sockets. */
  connections(): number;
  /**
   * Refuses new sockets, waits (up to `graceMs`) until every operation has sent its `complete`
   * (after the watcher ended the streams), then closes every socket with 1001 (going away).
   */
  close(graceMs?: number): Promise<void>;
}

/** What one socket carries beside graphql-ws' own context. */
interface SocketState extends Record<PropertyKey, unknown> {
  caller?: Principal;
}

type Enveloped = ReturnType<App['getEnveloped']>;

/** The credential of a connection: from `connectionParams` when it sends one, else the upgrade request's headers. */
function credentialHeaders(params: Readonly<Record<string, unknown>> | undefined, request: IncomingMessage) {
  const headers = new Headers();
  const fromParams = Object.entries(params ?? {}).filter(
    ([key, value]) => ['authorization', 'x-api-key'].includes(key.toLowerCase()) && typeof value === 'string',
  );
  if (fromParams.length > 0) {
    for (const [key, value] of fromParams) headers.set(key.toLowerCase(), value as string);
    return headers;
  }
  for (const name of ['authorization', 'x-api-key']) {
    const value = request.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  return headers;
}

/** Answers an upgrade that is not served, and ends the socket. */
function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * GraphQL over WebSocket (`graphql-transport-ws`, the graphql-ws library) on `/graphql` of
 * `server`: upgrades are taken there (404 elsewhere; 403 for a browser origin outside
 * CORS_ORIGINS when that is set), the connection is authenticated once from `connectionParams`
 * (`Authorization` / `x-api-key`) or the upgrade request's headers with the HTTP path's
 * authenticator, and every operation runs through yoga's envelop (`getEnveloped`): the same
 * plugins, limits, context and error masking as over HTTP. CSRF does not apply: the browser
 * attaches no ambient credential to a WebSocket here.
 */
export function attachWebSocket(server: Server, app: App, options: WebSocketOptions): WebSocketTransport {
  const origins = new Set(options.corsOrigins ?? []);
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_WS_MAX_BUFFERED_BYTES;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const contexts = new Set<WsContext<Record<string, unknown> | undefined, SocketState>>();
  let closing = false;

  const originAllowed = (request: IncomingMessage): boolean => {
    const origin = request.headers.origin;
    if (origin === undefined || origins.size === 0 || origins.has(origin)) return true;
    try {
      return new URL(origin).host === request.headers.host;
    } catch {
      return false;
    }
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!hasValidHost(request)) return refuse(socket, 400, 'Bad Request');
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== GRAPHQL_PATH)
      return refuse(socket, 404, 'Not Found');
    if (closing) return refuse(socket, 503, 'Service Unavailable');
    if (!originAllowed(request)) return refuse(socket, 403, 'Forbidden');
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  server.on('upgrade', onUpgrade);

  const transport = useServer<Record<string, unknown> | undefined, SocketState>(
    {
      onConnect: async (ctx) => {
        contexts.add(ctx);
        if (!options.authenticate) return true;
        try {
          ctx.extra.caller = await options.authenticate({
            headers: credentialHeaders(ctx.connectionParams, ctx.extra.request),
          });
        } catch (error) {
          const failure =
            error instanceof AuthenticationError
              ? error
              : new AuthenticationError('malformed', 'The credential could not be read');
          ctx.extra.socket.close(
            failure.reason === 'unavailable' ? TRY_AGAIN_LATER_CLOSE : UNAUTHORIZED_CLOSE,
            `${failure.code}: ${failure.message}`.slice(0, 120),
          );
          return false;
        }
        return true;
      },
      onClose: (ctx) => {
        contexts.delete(ctx);
      },
      onSubscribe: async (ctx, _id, payload) => {
        const upgrade = ctx.extra.request;
        const headers = new Headers();
        const requestId = upgrade.headers['x-request-id'];
        if (typeof requestId === 'string') headers.set('x-request-id', requestId);
        const request = new Request(`http://localhost${GRAPHQL_PATH}`, { headers });
        webSocketRequests.add(request);
        const enveloped: Enveloped = app.getEnveloped({
          request,
          params: payload,
          exchange: { caller: Promise.resolve(ctx.extra.caller) },
        } as Parameters<App['getEnveloped']>[0]);
        // The limits' plugins throw their refusals (graphql-armor's propagateOnRejection), as
        // does the context factory an authentication failure: each is the operation's error.
        let document: ReturnType<Enveloped['parse']>;
        let contextValue: unknown;
        try {
          document = enveloped.parse(payload.query);
          const errors = enveloped.validate(enveloped.schema, document);
          if (errors.length > 0) return errors;
          contextValue = await enveloped.contextFactory();
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const args: ExecutionArgs = {
          schema: enveloped.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
          rootValue: enveloped,
        };
        return args;
      },
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
      onNext: (ctx) => {
        // A reader this far behind holds the gateway's memory: drop it (the watcher only
        // ever keeps one undelivered event per subscriber, the socket's buffer is the rest).
        if (ctx.extra.socket.bufferedAmount > maxBuffered) {
          options.logger?.warn(
            { bufferedBytes: ctx.extra.socket.bufferedAmount },
            'Dropping a slow WebSocket',
          );
          ctx.extra.socket.terminate();
        }
      },
    },
    wss,
    options.keepAliveMs ?? DEFAULT_WATCH_KEEP_ALIVE_MS,
  );

  return {
    connections: () => wss.clients.size,
    close: async (graceMs = DEFAULT_CLOSE_GRACE_MS) => {
      closing = true;
      const until = Date.now() + graceMs;
      const running = () =>
        [...contexts].some(
          (ctx) =>
            Object.keys(ctx.subscriptions).length > 0 &&
            (ctx.extra.socket as WebSocket).readyState === (ctx.extra.socket as WebSocket).OPEN,
        );
      while (running() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      server.off('upgrade', onUpgrade);
      await transport.dispose();
    },
  };
}
