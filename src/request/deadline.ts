import { AckError } from '../ack/errors.js';

/**
 * The request's deadline: a field still waiting for ACK when it passes answers
 * `UPSTREAM_TIMEOUT`. The upstream call itself goes on (other requests may share it) and fills
 * the cache.
 */
export function createDeadline(ms: number) {
  const at = Date.now() + ms;
  let timer: NodeJS.Timeout | undefined;
  let expired: Promise<never> | undefined;
  // The timer starts with the first upstream read: requests answered from memory never set one.
  const whenExpired = (): Promise<never> => {
    expired ??= new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AckError('TIMEOUT', `The request's ${ms} ms deadline passed.`)),
        Math.max(0, at - Date.now()),
      );
      timer.unref();
    });
    return expired;
  };
  return {
    at,
    race: <T>(work: Promise<T>): Promise<T> => Promise.race([work, whenExpired()]),
    clear: () => clearTimeout(timer),
  };
}

export type Deadline = ReturnType<typeof createDeadline>;
