import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import type { JsonObject } from '../ack/model/dsl.js';
import { hasScope, SENSITIVE_SCOPE } from '../auth/principal.js';
import type { Context } from '../context.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  Connection: { totalCount: number };
  AuthScopes: { sensitive: boolean };
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  // Every upstream-backed field is nullable: one failure never nulls its parent.
  DefaultFieldNullability: true;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date | string };
    JSONObject: { Input: JsonObject; Output: JsonObject };
  };
}>({
  // Federation last: it must see resolvers as the other plugins leave them.
  plugins: [ScopeAuthPlugin, DirectivesPlugin, DataloaderPlugin, RelayPlugin, FederationPlugin],
  scopeAuth: {
    authScopes: (ctx) => ({ sensitive: hasScope(ctx.caller, SENSITIVE_SCOPE) }),
    unauthorizedError: () =>
      new GraphQLError(`This field needs the ${SENSITIVE_SCOPE} scope.`, {
        extensions: { code: 'FORBIDDEN' },
      }),
  },
  relay: {
    // Connections only: clusters are addressed by ACK id, not by Relay global ids.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    nodesOnConnection: { description: 'The items of the page, without their cursors.' },
    // Other subgraphs define PageInfo too: federation requires it to be shareable.
    pageInfoTypeOptions: { shareable: true, description: 'Where a page sits in a connection (Relay).' },
    edgesFieldOptions: { nullable: false, description: 'The page, one edge per item, with its cursor.' },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    cursorFieldOptions: {
      description: 'Opaque cursor of this item: pass it as `after` to continue from it.',
    },
    pageInfoFieldOptions: { description: 'Where this page sits in the whole list.' },
    hasNextPageFieldOptions: { description: 'Whether items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Whether items precede this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first item of the page.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of the page.' },
    firstArgOptions: {
      description: 'How many items to answer (default and maximum in the field description).',
    },
    afterArgOptions: { description: 'Answer the items after this cursor.' },
    lastArgOptions: { description: 'How many items to answer, counting back from `before`.' },
    beforeArgOptions: { description: 'Answer the items before this cursor (with `last`).' },
  },
});
