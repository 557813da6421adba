/**
 * The direction of imports in src/ (README "Layout"): entry -> http -> app -> schema -> ack,
 * the simulator apart, config, logger and the small request-scope modules at the bottom.
 * `npm test` runs it (`npm run lint:deps`): a cycle or an arrow back up fails CI.
 */
const BOTTOM = '^src/(config|defaults|logger|request-id|limit-error)(\\.ts|/)';
const layer = (name, path, mayNotImport) => ({
  name,
  severity: 'error',
  comment: `${path} must not import ${mayNotImport}`,
  from: { path },
  to: { path: mayNotImport },
});

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'An import cycle: split the shared part out, or define the field where the type lives.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    layer(
      'bottom-stays-at-the-bottom',
      BOTTOM,
      '^src/(?!(config|defaults|logger|request-id|limit-error)(\\.ts|/))',
    ),
    layer(
      'ack-knows-no-graphql',
      '^src/ack/',
      '^src/(schema|http|app|gateway|context|main|warm-up|auth|observability)',
    ),
    layer(
      'schema-knows-no-http',
      '^src/schema/',
      '^src/(http|app|gateway|main|warm-up|limits|observability)',
    ),
    layer('context-below-schema', '^src/(context\\.ts|request/)', '^src/(schema|http|app|gateway|main)'),
    layer('auth-below-schema', '^src/auth/', '^src/(schema|http|app|gateway|main|context|observability)'),
    layer('observability-below-http', '^src/observability/', '^src/(http|app|gateway|main|schema)'),
    layer('app-below-http', '^src/(app|limits|introspection|warm-up)\\.ts', '^src/(http|main)(\\.ts|/)'),
    layer('http-below-entry', '^src/http/', '^src/main\\.ts'),
    {
      name: 'simulator-apart',
      severity: 'error',
      comment: 'The simulator is an independent stand-in for ACK: it imports nothing of the gateway.',
      from: { path: '^src/simulator/' },
      to: { path: '^src/(?!simulator/)' },
    },
    {
      name: 'only-the-entry-starts-the-simulator',
      severity: 'error',
      comment: 'Only main.ts decides to start the simulator.',
      from: { path: '^src/(?!simulator/|main\\.ts)' },
      to: { path: '^src/simulator/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
