import { GraphQLError } from 'graphql';
import { AckError, type AckErrorKind } from '../ack/errors.js';

/** The `extensions.code` of each upstream failure kind (API.md, "Errors"). */
const CODES: Record<Exclude<AckErrorKind, 'NOT_FOUND'>, string> = {
  FORBIDDEN: 'FORBIDDEN',
  THROTTLED: 'UPSTREAM_THROTTLED',
  TIMEOUT: 'UPSTREAM_TIMEOUT',
  UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  BAD_RESPONSE: 'UPSTREAM_BAD_RESPONSE',
};

export const isNotFound = (error: unknown): boolean =>
  error instanceof AckError && error.kind === 'NOT_FOUND';

/**
 * The GraphQL face of an upstream failure: a stable code, ACK's code and request id when it
 * sent them, never credentials or headers. Errors that are not `AckError`s pass through
 * untouched, so yoga masks them as the bugs they are.
 */
export function toGraphQLError(error: unknown): unknown {
  if (!(error instanceof AckError)) return error;
  const { upstreamCode, requestId, retryAfterMs } = error.details;
  const upstream =
    upstreamCode || requestId
      ? {
          ...(upstreamCode ? { code: upstreamCode } : {}),
          ...(requestId ? { requestId } : {}),
          ...(retryAfterMs ? { retryAfterMs } : {}),
        }
      : undefined;
  return new GraphQLError(error.message, {
    extensions: {
      code: error.kind === 'NOT_FOUND' ? 'NOT_FOUND' : CODES[error.kind],
      ...(upstream ? { upstream } : {}),
    },
  });
}

export const badUserInput = (message: string, argumentName?: string): GraphQLError =>
  new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', ...(argumentName ? { argumentName } : {}) },
  });

/** Runs an upstream read, answering not-found as null and every other failure as a coded error. */
export async function nullIfNotFound<T>(load: Promise<T>): Promise<T | null> {
  try {
    return await load;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw toGraphQLError(error);
  }
}
