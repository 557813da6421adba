import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (`main`) and ESM (`module`). Node loads the CJS build for the
    // dependencies vitest leaves to it; point our own imports at the same build so one graphql
    // realm exists, as in production.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Shared 2-core machines: keep concurrency modest so timing-sensitive knobs stay meaningful.
    maxWorkers: 2,
  },
});
