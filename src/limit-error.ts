import { GraphQLError } from 'graphql';

/** The code of every limit error; `extensions.limit` names the limit. */
export const LIMIT_ERROR_CODE = 'QUERY_LIMIT_EXCEEDED';

/** A request refused for a limit, before it costs anything upstream. */
export const limitExceeded = (message: string, limit: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code: LIMIT_ERROR_CODE, limit, ...extensions } });
