import type { AckObserver } from '../ack/ack-observer.js';
import type { Logger } from '../logger.js';
import { createLogFold } from './log-throttle.js';

/**
 * One log line per upstream attempt: debug when it succeeded, info when it failed or was
 * refused (attempt 0). Only what identifies the call and how it went: never a header, a
 * signature or a body. Failures and refusals of one kind (action, cluster for failures,
 * outcome, code) are folded into one line per window with a count, so an outage cannot flood
 * the log.
 */
export function createUpstreamLog(logger: Logger, fold = createLogFold()): AckObserver {
  return {
    onCallStart: ({ action, clusterId }) => {
      return (end) => {
        const fields = {
          action,
          clusterId,
          attempt: end.attempt,
          statusCode: end.statusCode,
          outcome: end.outcome,
          upstreamCode: end.upstreamCode,
          ackRequestId: end.requestId,
          ms: Math.round(end.ms),
        };
        if (end.outcome === 'ok') {
          logger.debug(fields, 'ACK call');
          return;
        }
        const refused = end.attempt === 0;
        // Refusals (open circuit, full queue) are about the gateway's state, not one cluster.
        const kind = [refused ? 'refused' : 'failed', action, refused ? '' : (clusterId ?? ''), end.outcome]
          .concat(end.upstreamCode ?? '', String(end.statusCode ?? ''))
          .join('\0');
        fold(kind, (repeated) =>
          logger.info(
            repeated > 0 ? { ...fields, repeated } : fields,
            refused ? 'ACK call refused' : 'ACK call failed',
          ),
        );
      };
    },
  };
}
