import { isAckId } from '../ack/ids.js';
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
