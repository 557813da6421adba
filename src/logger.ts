import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

/**
 * Fields every log line gets from what is running now (the active trace and span ids, from
 * tracing): registered by whoever knows, read by pino's mixin, so the logger stays at the bottom.
 */
const contextSources = new Set<() => Record<string, unknown> | undefined>();

/** Adds a source of per-line fields; returns the function that removes it. */
export function addLogContext(source: () => Record<string, unknown> | undefined): () => void {
  contextSources.add(source);
  return () => contextSources.delete(source);
}

function logContext(): Record<string, unknown> {
  let fields: Record<string, unknown> | undefined;
  for (const source of contextSources) {
    const found = source();
    if (found) fields = { ...fields, ...found };
  }
  return fields ?? {};
}

/**
 * Structured JSON logs. Paths that could carry secrets are censored as a second line of
 * defence: the code never logs credentials, signatures or request headers on purpose.
 */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const options: LoggerOptions<never> = {
    level,
    base: { service: 'ack-nodepool-gateway' },
    mixin: logContext,
    redact: {
      paths: [
        '*.accessKeySecret',
        '*.accessKeyId',
        '*.securityToken',
        '*.authorization',
        '*.Authorization',
        '*.password',
        '*["x-api-key"]',
        '*.userData',
        '*.preUserData',
        'req.headers.authorization',
        'req.headers.cookie',
      ],
      censor: '[redacted]',
    },
  };
  // A destination (tests capture lines with one); stdout otherwise.
  return destination ? pino(options, destination) : pino(options);
}
