import { printSubgraphSchema } from '@apollo/subgraph';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './src/schema/index.js';

/**
 * `npm run codegen`: writes the schema the code builds to `schema/schema.graphql`, the Federation 2
 * subgraph SDL (with its `@link` and `@key` directives, which `printSchema` drops) to
 * `schema/subgraph.graphql`, both sorted so diffs stay stable, and typed documents for the
 * operations in `test/` and in the example frontend (`examples/dashboard/`, with its
 * persisted-documents manifest). A test fails when any of them is stale.
 */
const config: CodegenConfig = {
  schema: printSchema(schema),
  ignoreNoDocuments: true,
  // Relative imports with `.js`, as NodeNext resolution requires.
  emitLegacyCommonJSImports: false,
  generates: {
    'schema/schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: true, sort: true },
    },
    'schema/subgraph.graphql': {
      plugins: [{ add: { content: printSubgraphSchema(lexicographicSortSchema(schema)) } }],
    },
    'test/gql/': {
      documents: ['test/**/*.test.ts'],
      preset: 'client',
      // String documents: typed, and sent as-is by fetch-based clients (what browsers use).
      config: { enumsAsTypes: true, useTypeImports: true, documentMode: 'string' },
      presetConfig: { fragmentMasking: false },
    },
    // The example frontend: ids only (persisted-documents.json), served in TRUSTED_DOCUMENTS mode.
    'examples/dashboard/src/gql/': {
      documents: ['examples/dashboard/src/**/*.ts', '!examples/dashboard/src/gql/**'],
      preset: 'client',
      config: { enumsAsTypes: true, useTypeImports: true, documentMode: 'string' },
      presetConfig: { fragmentMasking: false, persistedDocuments: true },
    },
  },
};

export default config;
