import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Paths that could carry secrets are censored as a second line of
 * defence: the code never logs credentials, signatures or request headers on purpose.
 */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const options: LoggerOptions<never> = {
    level,
    base: { service: 'ack-nodepool-gateway' },
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
