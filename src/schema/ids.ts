import { GraphQLError } from 'graphql';
import { isAckId } from '../ack/ids.js';
import type { Context } from '../context.js';
import { badUserInput } from './errors.js';

/** Rejects a malformed cluster or node-pool id before anything is asked upstream. */
export function assertAckId(value: string, argumentName: string): string {
  if (!isAckId(value)) {
    throw badUserInput(
      `Invalid ${argumentName}: ids are 1 to 128 letters, digits, "-" or "_", starting with a letter or digit.`,
      argumentName,
    );
  }
  return value;
}

/**
 * Checks the id, then the caller's right to see the cluster, before anything is asked upstream.
 * A denied cluster answers the same whether or not it exists.
 */
export function authorizedClusterId(value: string, argumentName: string, ctx: Context): string {
  const clusterId = assertAckId(value, argumentName);
  if (!ctx.policy.isAllowed(ctx.caller, clusterId)) {
    throw new GraphQLError('You may not read this cluster.', { extensions: { code: 'FORBIDDEN' } });
  }
  return clusterId;
}

/**
 * The id in an entity representation (`_entities`), which arrives as untyped JSON: a string
 * (or an integer, as the ID scalar allows); anything else, a missing key included, is the
 * caller's mistake, refused before anything is asked upstream.
 */
export function representationId(value: unknown, argumentName: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw badUserInput(`Invalid ${argumentName}: the representation carries no id.`, argumentName);
}
