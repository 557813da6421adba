import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LIMIT_ERROR_CODE } from './limit-error.js';
import { upstreamBudgetExceeded } from './request/call-budget.js';
import { estimateUpstreamCalls } from './schema/upstream-cost.js';

export { LIMIT_ERROR_CODE };

/** Every limit a request meets before anything is asked upstream. */
export interface QueryLimits {
  /** Deepest selection (fragments flattened). @default 15 */
  maxDepth: number;
  /** graphql-armor cost: objects 2, scalars 1, times 1.5 per level. @default 50_000 */
  maxCost: number;
  /** Aliases per operation. @default 50 */
  maxAliases: number;
  /** Directives per operation. @default 30 */
  maxDirectives: number;
  /** Tokens in the document. @default 5_000 */
  maxTokens: number;
  /** Bytes of a request body. @default 100_000 */
  maxBodyBytes: number;
}

/** graphql-armor rejects with a bare GraphQLError: give it the stable code and the limit's name. */
const coded =
  (limit: string) =>
  (_context: unknown, error: GraphQLError): void => {
    Object.assign(error.extensions, { code: LIMIT_ERROR_CODE, limit });
    // graphql-armor words its refusals as parse errors; they are limits.
    error.message = error.message.replace(/^Syntax Error: /, '');
  };

/** Reads a body up to `maxBytes`, failing as soon as it grows past them. */
async function readCapped(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<string> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let seen = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += value.byteLength;
    if (seen > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One non-negative integer: anything else (`5, 5` from a smuggling attempt, `-1`) is refused. */
const DECLARED_LENGTH = /^\d+$/;

/**
 * The gateway's only body limit (yoga's own is off: it piped every body through a stream).
 * Rejects oversized bodies: by Content-Length before reading, and while reading when a JSON
 * body is streamed without one (other streamed bodies must declare their length). JSON bodies,
 * declared or streamed, are read by one parser, so an unreadable one gets the same answer.
 */
function useBodySizeLimit(maxBytes: number): Plugin {
  const tooLarge = () =>
    new GraphQLError(`Request body exceeds ${maxBytes} bytes.`, {
      extensions: { code: LIMIT_ERROR_CODE, limit: 'bodyBytes', http: { status: 413 } },
    });
  const badRequest = (message: string, status: number) =>
    new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status } } });
  return {
    onRequestParse({ request, setRequestParser }) {
      if (request.method !== 'POST') return;
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        if (!DECLARED_LENGTH.test(declared)) throw badRequest('The Content-Length header is invalid.', 400);
        if (Number(declared) > maxBytes) throw tooLarge();
      }
      const json = request.headers.get('content-type')?.includes('json') ?? false;
      if (!json) {
        if (declared !== null) return;
        throw badRequest('A streamed request body must be JSON, or declare its Content-Length.', 411);
      }
      setRequestParser(async (posted) => {
        // A declared length is the body's (Node's HTTP parser holds a body to its length, and
        // the front door declares the one it read): read whole, without a stream.
        let text = '';
        if (declared !== null) text = await posted.text();
        else if (posted.body) text = await readCapped(posted.body, maxBytes, tooLarge);
        try {
          return JSON.parse(text);
        } catch {
          throw badRequest('The request body is not valid JSON.', 400);
        }
      });
    },
  };
}

/** The yoga plugins that enforce `limits`, each answering `QUERY_LIMIT_EXCEEDED`. */
export function useQueryLimits(limits: QueryLimits): Plugin[] {
  const common = { exposeLimits: true, propagateOnRejection: true } as const;
  return [
    useBodySizeLimit(limits.maxBodyBytes),
    maxTokensPlugin({ ...common, n: limits.maxTokens, onReject: [coded('tokens')] }) as Plugin,
    maxDepthPlugin({
      ...common,
      n: limits.maxDepth,
      flattenFragments: true,
      onReject: [coded('depth')],
    }) as Plugin,
    costLimitPlugin({ ...common, maxCost: limits.maxCost, onReject: [coded('cost')] }) as Plugin,
    maxAliasesPlugin({ ...common, n: limits.maxAliases, onReject: [coded('aliases')] }) as Plugin,
    maxDirectivesPlugin({ ...common, n: limits.maxDirectives, onReject: [coded('directives')] }) as Plugin,
  ];
}

/**
 * Refuses, before any upstream call, an operation whose estimated fan-out
 * (`estimateUpstreamCalls`) is over `max`. The request's loaders also count the calls they
 * really make against the same budget (`createCallBudget`), for whatever the estimate misses.
 */
export function useUpstreamBudget(max: number): Plugin {
  return {
    onExecute: ({ args, setResultAndStopExecution }) => {
      const wanted = estimateUpstreamCalls(args.document, args.operationName, args.variableValues);
      if (wanted > max) setResultAndStopExecution({ errors: [upstreamBudgetExceeded(max, wanted)] });
    },
  };
}
