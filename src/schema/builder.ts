import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { JsonObject } from '../ack/model/dsl.js';
import type { Context } from '../context.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  // Every upstream-backed field is nullable: one failure never nulls its parent.
  DefaultFieldNullability: true;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date | string };
    JSONObject: { Input: JsonObject; Output: JsonObject };
  };
}>({
  // Federation last: it must see resolvers as the other plugins leave them.
  plugins: [DirectivesPlugin, DataloaderPlugin, FederationPlugin],
});
