import { randomBytes } from 'node:crypto';
import { type AuthConfig, AuthConfigError, loadAuthConfig } from './auth/auth-config.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createGateway } from './gateway.js';
import { createLogger, type Logger } from './logger.js';
import { keepServingOnUnhandledRejection } from './unhandled-rejections.js';

/** How long in-flight requests may take to finish after SIGTERM. */
const SHUTDOWN_GRACE_MS = 10_000;
/** How often connections that became idle are closed while shutting down. */
const SHUTDOWN_SWEEP_MS = 50;

/** Starts the embedded ACK simulator with a fresh key pair and points the config at it. */
async function startSimulator(config: Config, logger: Logger) {
  const settings = config.simulator;
  if (!settings)
    return { config, stop: async () => {}, firstClusterId: undefined, firstNodePoolName: undefined };
  const { createAckSimulator, parseSimulatorFaults, parseSimulatorScaleEvents, SimulatorSpecError } =
    await import('./simulator/index.js');
  const bounds = { clusterCount: settings.clusters, nodePoolsPerCluster: settings.nodePoolsPerCluster };
  let faults: ReturnType<typeof parseSimulatorFaults> | undefined;
  let scaleEvents: ReturnType<typeof parseSimulatorScaleEvents> | undefined;
  try {
    faults = settings.faults
      ? parseSimulatorFaults(settings.faults, { ...bounds, variable: 'SIMULATOR_FAULTS' })
      : {};
    scaleEvents = settings.scaleEvents
      ? parseSimulatorScaleEvents(settings.scaleEvents, { ...bounds, variable: 'SIMULATOR_SCALE_EVENTS' })
      : [];
  } catch (error) {
    if (!(error instanceof SimulatorSpecError)) throw error;
    console.error(`Invalid configuration:\n${error.problems.map((problem) => `  ${problem}`).join('\n')}`);
    process.exit(1);
  }
  const credentials = {
    accessKeyId: `LTAIsim${randomBytes(8).toString('hex')}`,
    accessKeySecret: randomBytes(24).toString('base64url'),
  };
  const simulator = createAckSimulator({
    ...credentials,
    clusterCount: settings.clusters,
    nodePoolsPerCluster: settings.nodePoolsPerCluster,
    latencyMs: settings.latencyMs,
    faults,
    scaleEvents,
    scaleStepMs: settings.scaleStepMs,
    admin: settings.admin,
  });
  const { endpoint, adminUrl } = await simulator.listen(settings.port, '127.0.0.1');
  logger.info(
    { endpoint, adminUrl, clusters: simulator.clusters.map((cluster) => cluster.id) },
    'No ACK endpoint or credentials configured: serving from the embedded ACK simulator (signed calls over HTTP on loopback)',
  );
  return {
    config: { ...config, ack: { ...config.ack, endpoint, protocol: 'http' as const, credentials } },
    stop: () => simulator.close(),
    firstClusterId: simulator.clusters[0]?.id,
    firstNodePoolName: simulator.clusters[0]?.nodePools[0]?.nodepool_info.name,
  };
}

/** The configuration and the auth configuration, or every problem of both at once, then exit 1. */
function readConfiguration(): { config: Config; auth: AuthConfig } {
  const problems: string[] = [];
  let config: Config | undefined;
  let auth: AuthConfig | undefined;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  try {
    auth = loadAuthConfig(process.env);
  } catch (error) {
    if (!(error instanceof AuthConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (!config || !auth) {
    console.error(`Invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    process.exit(1);
  }
  return { config, auth };
}

async function main(): Promise<void> {
  const configuration = readConfiguration();
  const { auth } = configuration;
  const logger = createLogger(configuration.config.logLevel);
  const simulator = await startSimulator(configuration.config, logger);
  const config = simulator.config;
  if (auth.authentication.mode === 'none' && !config.simulator) {
    logger.warn('AUTH_MODE=none against real ACK: every caller is anonymous; set AUTH_MODE for production');
  }
  const gateway = await createGateway(config, logger, {
    auth,
    app: {
      graphiqlExample: { clusterId: simulator.firstClusterId, nodePoolName: simulator.firstNodePoolName },
    },
  });
  keepServingOnUnhandledRejection(logger, gateway.observability.onUnhandledRejection);
  await gateway.ready;
  const { server, url } = await gateway.listen();
  logger.info(
    {
      url: `${url}/graphql`,
      upstream: `${config.ack.protocol}://${config.ack.endpoint ?? `(region ${config.ack.regionId ?? 'unset'})`}`,
      credentials: config.ack.credentials ? 'static access key' : 'default credential chain',
      cacheTtlMs: config.cache.ttlMs,
      resilience: config.resilience,
      metrics: config.observability.metrics.enabled ? '/metrics' : 'off',
      tracing: config.observability.tracing.endpoint ? 'OTLP/HTTP' : 'off',
    },
    'ACK node-pool gateway listening',
  );

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
    // Subscriptions first: their streams complete (SSE ends, WebSockets send `complete` and
    // close with 1001), so the connections they held can close with the rest.
    const streamsDone = gateway
      .stopWatching()
      .catch((error: unknown) => logger.warn({ err: error }, 'Subscriptions not all completed'));
    server.close(async () => {
      await streamsDone;
      await simulator.stop();
      await gateway.close().catch((error: unknown) => logger.warn({ err: error }, 'Traces not flushed'));
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
