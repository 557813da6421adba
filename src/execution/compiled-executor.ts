import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  isScalarType,
  type OperationDefinitionNode,
  type Source,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { hasIntrospection } from '../introspection.js';
import { placeRejectedListItemsAtTheirIndex } from './jit-runtime.js';
import { schemaForCompiledExecution } from './jit-schema.js';

/**
 * Queries executed by code graphql-jit compiles from each (document, operation) once, instead of
 * graphql-js walking the document field by field on every request. graphql-js stays the
 * executor of everything else: mutations, subscriptions, introspection, documents larger than
 * {@link CompiledExecutorOptions.maxDocumentBytes}, documents graphql-jit cannot compile (each
 * remembered, so it is tried once), and requests whose variables do not coerce (so their errors
 * are graphql-js' own words). The answers are the same, errors included: the differential test
 * (test/execution/differential.test.ts) runs both executors over the same documents and data.
 *
 * Two differences of graphql-jit are made up for here:
 *
 * - A list item that is a promise which rejects is written by graphql-jit with `push(null)`, at
 *   the end of the list, instead of at its index (graphql-jit's `compileListType`), so a failing
 *   item of `clusters(ids:)` or `_entities` moved or vanished: src/execution/jit-runtime.ts
 *   completes such an item as the Error it rejected with, which graphql-jit places at its index.
 * - graphql-jit's errors carry `locations` but no source positions, which yoga's serializer
 *   rebuilds errors from (it would drop the locations): they are rebuilt here as graphql-js
 *   errors, with the same message, locations, path, extensions and original error.
 */
export interface CompiledExecutorOptions {
  /** Compiled operations (and remembered fallbacks) kept at most. @default 500 */
  maxDocuments?: number;
  /** Characters of document text the compiled operations are kept for, in all. @default 8 MiB */
  maxCachedBytes?: number;
  /** Longer documents are executed by graphql-js, never compiled. @default 64 KiB */
  maxDocumentBytes?: number;
  /** Called once per document that falls back, with why (tests, debugging). */
  onFallback?: (reason: FallbackReason, operationName: string | undefined) => void;
}

export type FallbackReason =
  | 'not-a-query'
  | 'introspection'
  | 'too-large'
  | 'no-source'
  | 'compile-error'
  | 'variables'
  | 'null-root';

export const DEFAULT_MAX_COMPILED_DOCUMENTS = 500;
export const DEFAULT_MAX_COMPILED_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_COMPILED_DOCUMENT_BYTES = 64 * 1024;

/** What the cache holds for one (document, operation): its compiled query, or why there is none. */
type Entry = { compiled: CompiledQuery; source: Source } | { fallback: FallbackReason };

/** Whether queries run compiled, process-wide (the differential test runs both ways on one gateway). */
let compiledExecutionOn = true;

/** Switches the compiled path on or off for every gateway of this process; off, graphql-js runs all. */
export function setCompiledExecution(on: boolean): void {
  compiledExecutionOn = on;
}

/** Executions per executor since the process started (tests check which one answered). */
export const executionCounts = { compiled: 0, graphqlJs: 0 };

export function useCompiledExecutor(schema: GraphQLSchema, options: CompiledExecutorOptions = {}): Plugin {
  const executor = createCompiledExecutor(schema, options);
  return {
    onExecute: ({ args, setExecuteFn, executeFn }) => {
      const run = compiledExecutionOn
        ? executor.executorFor(args.document, args.operationName ?? undefined)
        : undefined;
      if (run) setExecuteFn((executionArgs) => run(executionArgs, executeFn));
      else executionCounts.graphqlJs += 1;
      return {
        onExecuteDone: ({ result, setResult }) => {
          if (isAsyncIterable(result)) return;
          const ordered = inAnswerOrder(result);
          if (ordered !== result) setResult(ordered);
        },
      };
    },
  };
}

/**
 * The result with its errors in the order of their paths in the answer (fields in the order
 * they are answered, list items by index; errors without a path first), whichever executor
 * made it. Each executor lists errors as they happen, and two fields failing on the same
 * upstream answer fail in the same microtask, in an order that depends on how many promise
 * steps each executor takes to reach them: ordered by path, the answer is the same, from either
 * executor and from one request to the next.
 */
export function inAnswerOrder(result: ExecutionResult): ExecutionResult {
  const errors = result.errors;
  if (!errors || errors.length < 2) return result;
  const keys = errors.map((error) => positionInAnswer(result.data, error.path));
  const order = errors.map((_, index) => index);
  order.sort((a, b) => comparePositions(keys[a] ?? [], keys[b] ?? []) || a - b);
  if (order.every((index, position) => index === position)) return result;
  return { ...result, errors: order.map((index) => errors[index] as GraphQLError) };
}

/** Where a path points in the answer: list indexes, and each field's position among its siblings. */
function positionInAnswer(data: unknown, path: readonly (string | number)[] | undefined): number[] {
  if (!path) return [];
  const position: number[] = [];
  let current: unknown = data;
  for (const segment of path) {
    if (typeof segment === 'number') {
      position.push(segment);
      current = Array.isArray(current) ? current[segment] : undefined;
    } else {
      // A field under a parent nulled by a non-null error has no position left: after the rest.
      const siblings = current && typeof current === 'object' ? Object.keys(current) : [];
      const index = siblings.indexOf(segment);
      position.push(index < 0 ? Number.MAX_SAFE_INTEGER : index);
      current = index < 0 ? undefined : (current as Record<string, unknown>)[segment];
    }
  }
  return position;
}

function comparePositions(a: readonly number[], b: readonly number[]): number {
  // Errors without a path (the whole request's) first.
  if (a.length === 0 || b.length === 0) return a.length - b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

type Execute = (args: ExecutionArgs) => ExecutionResult | Promise<ExecutionResult> | unknown;

export interface CompiledExecutor {
  /** How to execute this operation compiled, or undefined when graphql-js should. */
  executorFor(
    document: DocumentNode,
    operationName: string | undefined,
  ): ((args: ExecutionArgs, fallback: Execute) => unknown) | undefined;
  /** Entries the cache holds (compiled and remembered fallbacks). */
  readonly size: number;
}

export function createCompiledExecutor(
  schema: GraphQLSchema,
  options: CompiledExecutorOptions = {},
): CompiledExecutor {
  placeRejectedListItemsAtTheirIndex();
  const jitSchema = schemaForCompiledExecution(schema);
  const serializers = customSerializers(schema);
  const maxDocumentBytes = options.maxDocumentBytes ?? DEFAULT_MAX_COMPILED_DOCUMENT_BYTES;
  const cache = new LRUCache<string, Entry>({
    max: options.maxDocuments ?? DEFAULT_MAX_COMPILED_DOCUMENTS,
    maxSize: options.maxCachedBytes ?? DEFAULT_MAX_COMPILED_BYTES,
    sizeCalculation: (_entry, key) => key.length + 256,
  });

  const entryFor = (document: DocumentNode, operationName: string | undefined): Entry => {
    const source = document.loc?.source;
    if (!source) return { fallback: 'no-source' };
    if (source.body.length > maxDocumentBytes) return { fallback: 'too-large' };
    const key = `${operationName ?? ''}\n${source.body}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const entry = compile(jitSchema, document, operationName, source, serializers);
    if ('fallback' in entry) options.onFallback?.(entry.fallback, operationName);
    cache.set(key, entry);
    return entry;
  };

  return {
    get size() {
      return cache.size;
    },
    executorFor(document, operationName) {
      const entry = entryFor(document, operationName);
      if ('fallback' in entry) return undefined;
      const { compiled, source } = entry;
      return (args, fallback) => {
        const result = compiled.query(args.rootValue, args.contextValue, args.variableValues);
        if (isPromiseLike(result)) return result.then((settled) => finish(settled, source, args, fallback));
        return finish(result, source, args, fallback);
      };
    },
  };

  function finish(result: ExecutionResult, source: Source, args: ExecutionArgs, fallback: Execute) {
    // Variables that do not coerce: graphql-js says why, in its own words. A non-null root field
    // that failed (data null): graphql-js answers with the errors up to that failure and stops,
    // graphql-jit finishes every other field first and reports its errors too.
    if (!('data' in result) || result.data === null) {
      options.onFallback?.(!('data' in result) ? 'variables' : 'null-root', args.operationName ?? undefined);
      executionCounts.graphqlJs += 1;
      return fallback(args);
    }
    executionCounts.compiled += 1;
    if (!result.errors || result.errors.length === 0) return { data: result.data };
    return { errors: result.errors.map((error) => asGraphQLJsError(error, source)), data: result.data };
  }
}

/** Distinct date-time strings the DateTime serializer remembers (then it starts over). */
const MAX_REMEMBERED_DATES = 10_000;

/**
 * Scalars whose serialization graphql-jit may take a shortcut for, with the same JSON:
 * DateTime answers the string `Date#toJSON` gives (what JSON.stringify writes for the Date
 * graphql-scalars returns), remembered per input string; the parsing and validation of the
 * same timestamps on every request then happens once. A Date left in the answer would also
 * keep V8's JSON.stringify off its fast path for the whole answer.
 */
function customSerializers(schema: GraphQLSchema): Record<string, (value: unknown) => unknown> {
  const serializers: Record<string, (value: unknown) => unknown> = {};
  const dateTime = schema.getType('DateTime');
  if (dateTime && isScalarType(dateTime)) {
    const serialize = dateTime.serialize.bind(dateTime);
    const remembered = new Map<string, unknown>();
    const toJson = (value: unknown) => (value instanceof Date ? value.toJSON() : value);
    serializers.DateTime = (value) => {
      if (typeof value !== 'string') return toJson(serialize(value));
      const known = remembered.get(value);
      if (known !== undefined) return known;
      // A value that does not serialize throws here, every time: only answers are remembered.
      const json = toJson(serialize(value));
      if (remembered.size >= MAX_REMEMBERED_DATES) remembered.clear();
      remembered.set(value, json);
      return json;
    };
  }
  return serializers;
}

function compile(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  source: Source,
  serializers: Record<string, (value: unknown) => unknown>,
): Entry {
  let operation: OperationDefinitionNode | null | undefined;
  try {
    operation = getOperationAST(document, operationName);
  } catch {
    operation = undefined;
  }
  if (!operation) return { fallback: 'compile-error' };
  if (operation.operation !== 'query') return { fallback: 'not-a-query' };
  if (hasIntrospection(document)) return { fallback: 'introspection' };
  try {
    const compiled = compileQuery(schema, document, operationName, {
      disablingCapturingStackErrors: true,
      // Enums are scalars in jitSchema and keep their serializer; see schemaForCompiledExecution.
      disableLeafSerialization: true,
      customSerializers: serializers,
    });
    if (!isCompiledQuery(compiled)) return { fallback: 'compile-error' };
    return { compiled, source };
  } catch {
    return { fallback: 'compile-error' };
  }
}

const isPromiseLike = <T>(value: T | Promise<T>): value is Promise<T> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

/** Offsets of the starts of the lines of a document (line 1 at index 0). */
const lineStarts = new WeakMap<Source, number[]>();

function positionOf(source: Source, line: number, column: number): number {
  let starts = lineStarts.get(source);
  if (!starts) {
    starts = [0];
    const body = source.body;
    for (let i = 0; i < body.length; i++) {
      const char = body.charCodeAt(i);
      // \r\n, \n and \r each end a line, as graphql-js' getLocation counts them.
      if (char === 13 && body.charCodeAt(i + 1) === 10) {
        i++;
        starts.push(i + 1);
      } else if (char === 10 || char === 13) {
        starts.push(i + 1);
      }
    }
    lineStarts.set(source, starts);
  }
  return (starts[line - 1] ?? 0) + column - 1;
}

/**
 * graphql-jit's error as graphql-js would have made it: same message, locations (as source
 * positions, which the serializer turns back into locations), path, extensions, original error.
 */
function asGraphQLJsError(error: GraphQLError, source: Source): GraphQLError {
  const locations = (error as { locations?: readonly { line: number; column: number }[] }).locations;
  const original = error.originalError;
  // graphql-js keeps an error that already knows its path (locatedError) as it is.
  if (original instanceof GraphQLError && Array.isArray(original.path) && original.path.length > 0)
    return original;
  return new GraphQLError(error.message, {
    source: locations?.length ? source : undefined,
    positions: locations?.map((location) => positionOf(source, location.line, location.column)),
    path: error.path,
    originalError: original ?? undefined,
    extensions: error.extensions,
  });
}
