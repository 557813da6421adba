import { AckError, type AckErrorDetails, type AckErrorKind, isAckErrorKind } from './errors.js';
import { INVALID_KEYS } from './model/dsl.js';
import { withFastProperties } from './model/walk.js';

/**
 * How the ACK cache's answers travel through the shared tier: as JSON, and back to objects that
 * are indistinguishable from the ones `AckApi` built, so a replica that reads an answer from Redis
 * serves exactly what the replica that asked ACK serves.
 *
 * Plain JSON would lose what the parsed objects carry beyond JSON: the `INVALID_KEYS` set (a
 * symbol-keyed `Set` that makes the schema answer a field ACK sent malformed with an error rather
 * than a silent null), `undefined` properties, `-0`. Those are written as markers: an object
 * whose only key is `$` stands for one such value (`{"$":"u"}` undefined, `{"$":"-0"}`, ...),
 * the key `$i` of an object lists its invalid keys, and an upstream key that itself starts with
 * `$` is written with one more `$`, so no upstream value can pass for a marker. Anything else
 * that is not plain data (a class instance, a function, another symbol) is refused: such an
 * answer is not shared.
 */

/** A value `encodeValue` cannot write faithfully; the answer stays in the first tier. */
export class UnshareableValue extends Error {
  override readonly name = 'UnshareableValue';
}

/** Version of the record layout; a record of another version reads as absent. */
const VERSION = 1;

const MARKER = '$';
const INVALID_MARKER = '$i';
const SPECIAL_NUMBERS: Record<string, number> = {
  '-0': -0,
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** Sets `key` as an own property even when it is `__proto__` (plain assignment would set the prototype). */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function encodeNumber(value: number): unknown {
  if (Object.is(value, -0) || !Number.isFinite(value))
    return { [MARKER]: String(value === 0 ? '-0' : value) };
  return value;
}

/** The JSON-safe form of `value`; throws `UnshareableValue` for what cannot be written faithfully. */
export function encodeValue(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return encodeNumber(value);
    case 'undefined':
      return { [MARKER]: 'u' };
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const items: unknown[] = new Array(value.length);
        for (let index = 0; index < value.length; index++) items[index] = encodeValue(value[index]);
        return items;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) {
        throw new UnshareableValue(`a ${value.constructor?.name ?? 'non-plain'} object`);
      }
      const source = value as Record<string | symbol, unknown>;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(source)) {
        put(out, key.startsWith(MARKER) ? `${MARKER}${key}` : key, encodeValue(source[key]));
      }
      for (const symbol of Object.getOwnPropertySymbols(source)) {
        const invalid = source[symbol];
        if (
          symbol !== INVALID_KEYS ||
          !(invalid instanceof Set) ||
          [...invalid].some((key) => typeof key !== 'string')
        ) {
          throw new UnshareableValue(`the symbol key ${String(symbol)}`);
        }
        out[INVALID_MARKER] = [...(invalid as Set<string>)];
      }
      return out;
    }
    default:
      throw new UnshareableValue(`a ${typeof value}`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value `encodeValue` wrote; throws on a shape it never writes. */
export function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (!isRecord(value)) return value;
  if (Object.hasOwn(value, MARKER)) {
    const marker = value[MARKER];
    if (marker === 'u') return undefined;
    if (typeof marker === 'string' && Object.hasOwn(SPECIAL_NUMBERS, marker)) return SPECIAL_NUMBERS[marker];
    throw new TypeError('unknown marker in a shared record');
  }
  const out: Record<string | symbol, unknown> = {};
  let invalid: Set<string> | undefined;
  for (const key of Object.keys(value)) {
    if (key === INVALID_MARKER) {
      const keys = value[key];
      if (!Array.isArray(keys) || keys.some((item) => typeof item !== 'string')) {
        throw new TypeError('malformed invalid keys in a shared record');
      }
      invalid = new Set(keys as string[]);
    } else {
      put(
        out as Record<string, unknown>,
        key.startsWith(MARKER) ? key.slice(1) : key,
        decodeValue(value[key]),
      );
    }
  }
  if (invalid) out[INVALID_KEYS] = invalid;
  return withFastProperties(out);
}

// ---------------------------------------------------------------------------------------------
// Records: what one key holds in the shared tier

/**
 * One key's entry: an answer, ACK's not-found, or a marker that the answer is too large to share
 * (so the other replicas ask ACK themselves at once instead of waiting for a lease). `at` is when
 * ACK answered (epoch ms, the answering replica's clock).
 */
export type SharedRecord =
  | { kind: 'answer'; at: number; value: object }
  | { kind: 'not_found'; at: number; error: AckError }
  | { kind: 'not_shared'; at: number };

/** The safe part of an error: what `AckError` promises (no credentials, no headers), checked. */
function encodeError(error: AckError): { kind: AckErrorKind; message: string; details: AckErrorDetails } {
  const { upstreamCode, requestId, statusCode, retryAfterMs, retryable, scope } = error.details;
  return {
    kind: error.kind,
    message: error.message,
    details: { upstreamCode, requestId, statusCode, retryAfterMs, retryable, scope },
  };
}

const optional = <T>(value: unknown, type: 'string' | 'number' | 'boolean'): T | undefined =>
  typeof value === type ? (value as T) : undefined;

function decodeError(value: unknown): AckError | undefined {
  if (!isRecord(value) || typeof value.message !== 'string') return undefined;
  const kind = value.kind;
  if (!isAckErrorKind(kind)) return undefined;
  const given = isRecord(value.details) ? value.details : {};
  const details: AckErrorDetails = {};
  const upstreamCode = optional<string>(given.upstreamCode, 'string');
  const requestId = optional<string>(given.requestId, 'string');
  const statusCode = optional<number>(given.statusCode, 'number');
  const retryAfterMs = optional<number>(given.retryAfterMs, 'number');
  const retryable = optional<boolean>(given.retryable, 'boolean');
  if (upstreamCode !== undefined) details.upstreamCode = upstreamCode;
  if (requestId !== undefined) details.requestId = requestId;
  if (statusCode !== undefined) details.statusCode = statusCode;
  if (retryAfterMs !== undefined) details.retryAfterMs = retryAfterMs;
  if (retryable !== undefined) details.retryable = retryable;
  if (given.scope === 'endpoint' || given.scope === 'resource') details.scope = given.scope;
  return new AckError(kind, value.message, details);
}

/**
 * The record as stored. It starts with `{"at":<integer>` so the tier can keep the newer of two
 * writes without parsing the rest.
 */
export function encodeRecord(record: SharedRecord): string {
  const head = `{"at":${Math.floor(record.at)},"v":${VERSION},"kind":"${record.kind}"`;
  switch (record.kind) {
    case 'answer':
      return `${head},"value":${JSON.stringify(encodeValue(record.value))}}`;
    case 'not_found':
      return `${head},"error":${JSON.stringify(encodeError(record.error))}}`;
    case 'not_shared':
      return `${head}}`;
  }
}

/** The record, or undefined for one this version cannot read (treated as absent). */
export function decodeRecord(text: string | undefined): SharedRecord | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!isRecord(parsed) || parsed.v !== VERSION || !Number.isSafeInteger(parsed.at)) return undefined;
    const at = parsed.at as number;
    if (parsed.kind === 'answer') {
      const value = decodeValue(parsed.value);
      return isRecord(value) ? { kind: 'answer', at, value } : undefined;
    }
    if (parsed.kind === 'not_found') {
      const error = decodeError(parsed.error);
      return error?.kind === 'NOT_FOUND' ? { kind: 'not_found', at, error } : undefined;
    }
    if (parsed.kind === 'not_shared') return { kind: 'not_shared', at };
    return undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Notices: what a lease holder tells the replicas waiting for its answer

/**
 * `stored`: the answer (or not-found) is in the tier, read it; `error`: ACK failed, here is how
 * (the waiters treat it as their own call's failure: stale-if-error, forbidden drops);
 * `failed`: the holder failed otherwise, ask again; `not_shared`: too large, ask ACK yourself.
 */
export type SharedNotice =
  | { outcome: 'stored' }
  | { outcome: 'error'; error: AckError }
  | { outcome: 'failed' }
  | { outcome: 'not_shared' };

export function encodeNotice(notice: SharedNotice): string {
  return notice.outcome === 'error'
    ? JSON.stringify({ o: 'error', error: encodeError(notice.error) })
    : JSON.stringify({ o: notice.outcome });
}

/** The notice, or `failed` for anything unreadable (the waiter then simply asks again). */
export function decodeNotice(text: string): SharedNotice {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (isRecord(parsed)) {
      if (parsed.o === 'stored' || parsed.o === 'not_shared') return { outcome: parsed.o };
      if (parsed.o === 'error') {
        const error = decodeError(parsed.error);
        if (error) return { outcome: 'error', error };
      }
    }
  } catch {
    // unreadable: fall through
  }
  return { outcome: 'failed' };
}
