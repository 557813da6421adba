import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Paths that could carry secrets are censored as a second line of
 * defence: the code never logs credentials, signatures or request headers on purpose.
 */
export function createLogger(level = 'info'): Logger {
  return pino({
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
        'req.headers.authorization',
        'req.headers.cookie',
      ],
      censor: '[redacted]',
    },
  });
}
