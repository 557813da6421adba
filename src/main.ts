import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AckApi } from './ack/ack-api.js';
import { AckCache } from './ack/ack-cache.js';
import { AckClient } from './ack/ack-client.js';
import { createApp } from './app.js';
import { createAuthenticator } from './auth/authenticate.js';
import { createPolicy } from './auth/policy.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createHttpHandler } from './http-handler.js';
import { createLogger, type Logger } from './logger.js';
import { createObservability } from './observability/observability.js';
import { warmUp } from './warm-up.js';

/** How long in-flight requests may take to finish after SIGTERM. */
const SHUTDOWN_GRACE_MS = 10_000;
/** How often connections that became idle are closed while shutting down. */
const SHUTDOWN_SWEEP_MS = 50;

/** Starts the embedded ACK simulator with a fresh key pair and points the config at it. */
async function startSimulator(config: Config, logger: Logger) {
  const settings = config.simulator;
  if (!settings) return { config, stop: async () => {}, firstClusterId: undefined };
  const { createAckSimulator } = await import('./simulator/index.js');
  const credentials = {
    accessKeyId: `LTAIsim${randomBytes(8).toString('hex')}`,
    accessKeySecret: randomBytes(24).toString('base64url'),
  };
  const simulator = createAckSimulator({
    ...credentials,
    clusterCount: settings.clusters,
    nodePoolsPerCluster: settings.nodePoolsPerCluster,
    latencyMs: settings.latencyMs,
  });
  const { endpoint } = await simulator.listen(0, '127.0.0.1');
  logger.info(
    { endpoint, clusters: simulator.clusters.map((cluster) => cluster.id) },
    'No ACK endpoint or credentials configured: serving from the embedded ACK simulator (signed calls over HTTP on loopback)',
  );
  return {
    config: { ...config, ack: { ...config.ack, endpoint, protocol: 'http' as const, credentials } },
    stop: () => simulator.close(),
    firstClusterId: simulator.clusters[0]?.id,
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const simulator = await startSimulator(config, logger);
  config = simulator.config;

  const observability = await createObservability(config.observability, logger);
  const observer = observability.ackObserver;
  const client = new AckClient({ ...config.ack, resilience: config.resilience.client, logger, observer });
  observability.watch(client);
  const cache = new AckCache({ ...config.cache, ...config.resilience.cache, observer });
  const ack = new AckApi(client, cache, logger);
  if (config.auth.authentication.mode === 'none' && !config.simulator) {
    logger.warn('AUTH_MODE=none against real ACK: every caller is anonymous; set AUTH_MODE for production');
  }
  const authenticate = createAuthenticator(config.auth.authentication);
  const policy = createPolicy(config.auth.policy.statements, config.auth.policy);
  const app = createApp({
    authenticate,
    policy,
    ack,
    logger,
    graphiql: config.graphiql,
    introspection: config.introspection,
    csrfPrevention: config.csrfPrevention,
    corsOrigins: config.corsOrigins,
    limits: config.limits,
    requestDeadlineMs: config.requestDeadlineMs,
    graphiqlVariables: { clusterId: simulator.firstClusterId ?? 'c0123456789abcdef0123456789abcdef' },
    observability: observability.app,
  });
  // Before listening: the first burst of real requests should not meet cold code.
  if (config.warmUp) await warmUp(logger);
  const server = createServer(
    createHttpHandler(app, {
      responseCache: config.responseCache.enabled,
      responseCacheMaxBytes: config.responseCache.maxBytes,
      ttlMs: config.cache.ttlMs,
      maxBodyBytes: config.limits.maxBodyBytes,
      authenticate,
      policy,
      onAnswer: observability.onFrontDoorAnswer,
    }),
  );
  server.listen(config.port, config.host, () => {
    const { port } = server.address() as AddressInfo;
    logger.info(
      {
        url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql`,
        upstream: `${config.ack.protocol}://${config.ack.endpoint ?? `(region ${config.ack.regionId ?? 'unset'})`}`,
        credentials: config.ack.credentials ? 'static access key' : 'default credential chain',
        cacheTtlMs: config.cache.ttlMs,
        resilience: config.resilience,
        metrics: config.observability.metrics.enabled ? '/metrics' : 'off',
        tracing: config.observability.tracing.endpoint ? 'OTLP/HTTP' : 'off',
      },
      'ACK node-pool gateway listening',
    );
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down: no new connections, finishing in-flight requests');
    const force = setTimeout(() => {
      logger.warn('In-flight requests did not finish in time; closing connections');
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(async () => {
      await simulator.stop();
      await observability
        .shutdown()
        .catch((error: unknown) => logger.warn({ err: error }, 'Traces not flushed'));
      logger.info('Stopped');
      process.exit(0);
    });
    // close() waits for every connection: drop keep-alive ones as soon as their answer is sent,
    // rather than when the client's idle timeout ends them.
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), SHUTDOWN_SWEEP_MS).unref();
    server.on('request', (_request, response) => response.setHeader('connection', 'close'));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

await main();
