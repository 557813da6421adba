import type { AckObserver } from '../ack/ack-observer.js';
import type { Logger } from '../logger.js';

/**
 * One log line per upstream attempt: debug when it succeeded, info when it failed or was
 * refused (attempt 0). Only what identifies the call and how it went: never a header, a
 * signature or a body.
 */
export function createUpstreamLog(logger: Logger): AckObserver {
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
        if (end.outcome === 'ok') logger.debug(fields, 'ACK call');
        else logger.info(fields, end.attempt === 0 ? 'ACK call refused' : 'ACK call failed');
      };
    },
  };
}
