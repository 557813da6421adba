import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { type DocumentNode, GraphQLError, type GraphQLSchema, parse, validate } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Authenticator } from './auth/authenticate.js';
import { hasScope } from './auth/principal.js';
import type { ServerContext } from './request/exchange.js';

/**
 * How the gateway treats documents: `off`, any document and no ids; `accept`, trusted documents
 * by id as well as any document; `only`, trusted documents alone (production frontends).
 */
export type TrustedDocumentsMode = 'off' | 'accept' | 'only';

/** The scope that lets a caller send any document in `only` mode, when the GraphiQL switch is on. */
export const EXPLORE_SCOPE = 'ack:explore';

export interface TrustedDocumentsOptions {
  mode: TrustedDocumentsMode;
  /** Manifests as the codegen client preset writes them (`persisted-documents.json`: id -> document). */
  files: readonly string[];
  /**
   * In `only` mode, callers holding `ack:explore` may still send any document (GraphiQL, ad-hoc
   * exploration). Off unless switched on explicitly.
   */
  allowExplorers: boolean;
}

export class TrustedDocumentsError extends Error {
  override readonly name = 'TrustedDocumentsError';
}

/**
 * Reads the manifests, parses and validates every document against `schema` once, at start: a
 * document the schema no longer accepts stops the gateway from starting, instead of failing
 * for the frontend that sends it.
 */
export function loadTrustedDocuments(
  schema: GraphQLSchema,
  files: readonly string[],
): Map<string, DocumentNode> {
  const documents = new Map<string, DocumentNode>();
  for (const file of files) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new TrustedDocumentsError(`${file}: not a readable JSON manifest (${(error as Error).message})`);
    }
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
      throw new TrustedDocumentsError(`${file}: a manifest is a JSON object of id -> document`);
    }
    for (const [id, text] of Object.entries(manifest)) {
      if (typeof text !== 'string')
        throw new TrustedDocumentsError(`${file}: ${id} is not a document string`);
      let document: DocumentNode;
      try {
        document = parse(text);
      } catch (error) {
        throw new TrustedDocumentsError(`${file}: ${id} does not parse: ${(error as Error).message}`);
      }
      const errors = validate(schema, document);
      if (errors.length > 0) {
        throw new TrustedDocumentsError(
          `${file}: ${id} is not valid here: ${errors.map((e) => e.message).join('; ')}`,
        );
      }
      documents.set(id, document);
    }
  }
  return documents;
}

/** The id a request names its document by: the client preset's `documentId`, or Apollo's APQ hash. */
function documentIdOf(params: Record<string, unknown>): string | null {
  if (typeof params.documentId === 'string') return params.documentId;
  const persisted = (
    params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | undefined
  )?.persistedQuery;
  if (persisted?.version === 1 && typeof persisted.sha256Hash === 'string') {
    // The client preset's ids are `sha256:<hex>` or the bare hex; APQ sends the bare hex.
    return persisted.sha256Hash;
  }
  return null;
}

const refuse = (message: string, code: string, status: number) =>
  new GraphQLError(message, { extensions: { code, http: { status } } });

/**
 * The yoga plugins of a trusted-documents mode. Documents are looked up by id in the loaded
 * manifests (parsed and validated once, so validation is skipped per request); in `only` mode a
 * request with a document of its own is refused before it is parsed, unless its caller holds
 * `ack:explore` and `allowExplorers` is on.
 */
export function useTrustedDocuments(
  schema: GraphQLSchema,
  options: TrustedDocumentsOptions,
  authenticate?: Authenticator,
): Plugin[] {
  if (options.mode === 'off') return [];
  const documents = loadTrustedDocuments(schema, options.files);
  const lookup = (id: string) => documents.get(id) ?? documents.get(`sha256:${id}`) ?? null;
  const only = options.mode === 'only';
  const mayExplore = async (request: Request, context: ServerContext): Promise<boolean> => {
    if (!options.allowExplorers) return false;
    try {
      const caller = await (context.exchange?.caller ?? authenticate?.(request));
      // No authenticator: every caller is anonymous, and explorers are allowed by the switch alone.
      return caller === undefined ? !authenticate : hasScope(caller, EXPLORE_SCOPE);
    } catch {
      return false;
    }
  };
  const guard: Plugin<ServerContext> = {
    onParams: async ({ params, request, context }) => {
      if (!only || !params.query) return;
      if (await mayExplore(request, context)) return;
      throw refuse(
        'This gateway answers trusted documents only: send a documentId from the frontend manifest.',
        'PERSISTED_QUERY_ONLY',
        400,
      );
    },
  };
  return [
    guard as Plugin,
    usePersistedOperations({
      allowArbitraryOperations: true,
      skipDocumentValidation: true,
      extractPersistedOperationId: (params) => documentIdOf(params as Record<string, unknown>),
      getPersistedOperation: (id) => lookup(id),
      customErrors: {
        notFound: {
          message: 'No trusted document has this id.',
          extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 404 } },
        },
        keyNotFound: {
          message: 'Send a query or a documentId.',
          extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED', http: { status: 400 } },
        },
      },
    }) as Plugin,
  ];
}
