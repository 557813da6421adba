import type { TypedDocumentString } from './gql/graphql.js';

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface DashboardClient {
  /** Runs a trusted document by its id: the text never leaves the frontend build. */
  execute<T, V>(document: TypedDocumentString<T, V>, variables: V): Promise<GraphQLResponse<T>>;
}

/**
 * A fetch client for the gateway in `TRUSTED_DOCUMENTS=only` mode: it sends each operation's
 * `documentId` (the hash the codegen client preset wrote into `persisted-documents.json`, which
 * the gateway loads at start), never the document itself.
 */
export function createDashboardClient(url: string, headers: Record<string, string> = {}): DashboardClient {
  return {
    async execute(document, variables) {
      const documentId = (document as unknown as { __meta__?: { hash?: string } }).__meta__?.hash;
      if (!documentId) throw new Error('not a persisted document: run the codegen with persistedDocuments');
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          ...headers,
        },
        body: JSON.stringify({ documentId, variables }),
      });
      return (await response.json()) as GraphQLResponse<never>;
    },
  };
}
