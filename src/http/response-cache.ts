import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { DEFAULT_RESPONSE_CACHE_MAX_BYTES } from '../defaults.js';

/** Past this fraction of its life, a served response is re-executed in the background, once. */
export const DEFAULT_RESPONSE_REFRESH_AHEAD_RATIO = 0.8;
/**
 * Questions remembered (as 32-byte digests) to admit an answer on its second request: ~150
 * bytes each, so ~3 MB at most. Distinct traffic (each dashboard asking its own clusters,
 * federated `_entities` batches) then never churns the cache it cannot use.
 */
export const DEFAULT_RESPONSE_CACHE_ADMISSION_KEYS = 20_000;
/** What an entry costs beyond its body and headers: the digest key and the cache's own nodes. */
const ENTRY_OVERHEAD_BYTES = 256;
/** Expired entries are swept at most this often, on writes: no timer to own or stop. */
const PURGE_EVERY_MS = 1_000;

/** One answer as bytes, with the headers a replay needs. */
export interface CachedAnswer {
  status: number;
  headers: [string, string][];
  /**
   * An executed answer is the app's JSON text, sent as it is: bytes made of it per request
   * would each wait for a garbage collection to be freed (a 136 KB dashboard answer at every
   * distinct request, docs/performance.md). A kept answer is bytes, replayed without encoding.
   */
  body: string | Buffer;
  /** Epoch ms until which it may be served again; 0: not to be kept. */
  freshUntil: number;
  /** The operation's name, for the logs and metrics of replays. */
  operationName?: string;
  /** The request id the app gave the execution (its log line has it). */
  requestId?: string;
}

export interface ResponseCacheOptions {
  /** How long answers stay fresh at most (the data cache's TTL): bounds refresh-ahead. */
  ttlMs: number;
  /** @default DEFAULT_RESPONSE_CACHE_MAX_BYTES */
  maxBytes?: number;
  /** @default DEFAULT_RESPONSE_REFRESH_AHEAD_RATIO */
  refreshAheadRatio?: number;
  /** @default DEFAULT_RESPONSE_CACHE_ADMISSION_KEYS */
  admissionKeys?: number;
}

/**
 * One execution in progress. Its answer is handed to the caller that started it directly, and
 * to joiners through a promise made only when the first one joins: a promise made before the
 * execution waited its turn is old by the time it holds the answer, and an old object pointing
 * at an answer keeps it through every young-generation collection until the next full one, even
 * once that object is itself garbage.
 */
interface Flight {
  /** Set once the question has been asked before (or by a second caller joining this flight). */
  admit: boolean;
  joiners?: {
    answer: Promise<CachedAnswer>;
    settle: (answer: CachedAnswer) => void;
    fail: (error: unknown) => void;
  };
}

/** What the caller that started an execution reports it with, once: its answer or its failure. */
export interface FlightHandle {
  settle(answer: CachedAnswer): void;
  fail(error: unknown): void;
}

/** The length of an answer's body in bytes, as Content-Length says it. */
export const byteLengthOf = (body: string | Buffer): number =>
  typeof body === 'string' ? Buffer.byteLength(body) : body.length;

/**
 * The answer with its text as UTF-8 bytes in memory of their own: `Buffer.from` cuts a small
 * text's bytes from Node's shared pool (8 KB slabs by default), and a kept 250-byte answer would
 * hold a whole slab.
 */
function withOwnBytes(answer: CachedAnswer): CachedAnswer {
  if (typeof answer.body !== 'string') return answer;
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(answer.body));
  bytes.write(answer.body);
  return { ...answer, body: bytes };
}

const sizeOf = (answer: CachedAnswer): number => {
  let size = byteLengthOf(answer.body) + ENTRY_OVERHEAD_BYTES;
  for (const [name, value] of answer.headers) size += name.length + value.length;
  return size;
};

/**
 * Pre-serialized answers keyed by a digest of everything they depend on. Everything it holds is
 * counted against `maxBytes` (keys are fixed-size digests, never request bodies); expired
 * entries are swept; an answer is admitted on its question's second request within the TTL;
 * identical concurrent misses share one execution; a hot answer near expiry is re-executed once
 * in the background.
 */
export class ResponseCache {
  private readonly answers: LRUCache<string, CachedAnswer>;
  private readonly asked: LRUCache<string, true>;
  private readonly inFlight = new Map<string, Flight>();
  private readonly refreshing = new Set<string>();
  private readonly refreshWithinMs: number;
  private lastPurge = 0;

  constructor(private readonly options: ResponseCacheOptions) {
    this.answers = new LRUCache({
      maxSize: options.maxBytes ?? DEFAULT_RESPONSE_CACHE_MAX_BYTES,
      sizeCalculation: sizeOf,
    });
    this.asked = new LRUCache({
      max: options.admissionKeys ?? DEFAULT_RESPONSE_CACHE_ADMISSION_KEYS,
      ttl: options.ttlMs,
      ttlResolution: 100,
    });
    this.refreshWithinMs =
      options.ttlMs * (1 - (options.refreshAheadRatio ?? DEFAULT_RESPONSE_REFRESH_AHEAD_RATIO));
  }

  /** A fixed-size key for `parts` (each may be large: the request body is one). */
  static key(parts: readonly string[]): string {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part).update('\0');
    return hash.digest('base64url');
  }

  /** The fresh answer kept for `key`, if any. */
  get(key: string): CachedAnswer | undefined {
    const answer = this.answers.get(key);
    return answer && answer.freshUntil > Date.now() ? answer : undefined;
  }

  /** Whether a served answer is near enough its expiry to be refreshed ahead. */
  dueForRefresh(answer: CachedAnswer): boolean {
    return answer.freshUntil - Date.now() < this.refreshWithinMs;
  }

  /**
   * The execution of `key` already in progress, if any, as its answer to wait for; joining it
   * marks its answer for keeping (the question is asked twice).
   */
  join(key: string): Promise<CachedAnswer> | undefined {
    const flight = this.inFlight.get(key);
    if (!flight) return undefined;
    flight.admit = true;
    if (!flight.joiners) {
      let settle!: (answer: CachedAnswer) => void;
      let fail!: (error: unknown) => void;
      const answer = new Promise<CachedAnswer>((resolve, reject) => {
        settle = resolve;
        fail = reject;
      });
      // A failure nobody waits for any more (every joiner hung up) is no unhandled rejection.
      answer.catch(() => {});
      flight.joiners = { answer, settle, fail };
    }
    return flight.joiners.answer;
  }

  /**
   * Registers the execution of `key`, which identical requests then join; the caller executes
   * and reports the outcome through the handle, which keeps the answer when it may be kept and
   * its question has been asked before.
   */
  begin(key: string): FlightHandle {
    const flight: Flight = { admit: this.asked.has(key) };
    this.asked.set(key, true);
    this.inFlight.set(key, flight);
    let done = false;
    const end = () => {
      if (done) return false;
      done = true;
      if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
      return true;
    };
    return {
      settle: (answer) => {
        if (!end()) return;
        // Encoded once for everyone else: each joiner and every replay writes the same bytes.
        const shared = flight.admit || flight.joiners ? withOwnBytes(answer) : answer;
        if (flight.admit) this.keep(key, shared);
        flight.joiners?.settle(shared);
      },
      fail: (error) => {
        if (end()) flight.joiners?.fail(error);
      },
    };
  }

  /** Executes once for all identical concurrent requests: {@link join}, else {@link begin}. */
  run(key: string, execute: () => Promise<CachedAnswer>): { answer: Promise<CachedAnswer>; joined: boolean } {
    const shared = this.join(key);
    if (shared) return { answer: shared, joined: true };
    const flight = this.begin(key);
    const answer = execute().then(
      (answer) => {
        flight.settle(answer);
        return answer;
      },
      (error: unknown) => {
        flight.fail(error);
        throw error;
      },
    );
    return { answer, joined: false };
  }

  /** Re-executes a kept answer in the background, once, replacing it when the new one may be kept. */
  refresh(key: string, execute: () => Promise<CachedAnswer>): void {
    if (this.refreshing.has(key) || this.inFlight.has(key)) return;
    this.refreshing.add(key);
    this.asked.set(key, true);
    this.run(key, execute)
      .answer.catch(() => {})
      .finally(() => this.refreshing.delete(key));
  }

  /** What the cache holds now, for tests and operators. */
  stats(): { entries: number; bytes: number; admissionKeys: number } {
    return { entries: this.answers.size, bytes: this.answers.calculatedSize, admissionKeys: this.asked.size };
  }

  /** Keeps an answer its flight has already made bytes of (`settle`). */
  private keep(key: string, answer: CachedAnswer): void {
    const now = Date.now();
    if (now - this.lastPurge > PURGE_EVERY_MS) {
      this.lastPurge = now;
      this.answers.purgeStale();
    }
    const ttl = Math.min(answer.freshUntil - now, this.options.ttlMs);
    if (ttl > 0) this.answers.set(key, answer, { ttl });
  }
}
