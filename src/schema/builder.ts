import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
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
  plugins: [DataloaderPlugin],
});
