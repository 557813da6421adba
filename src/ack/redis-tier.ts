import { createHash, randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import {
  DEFAULT_REDIS_KEY_PREFIX,
  DEFAULT_REDIS_LEASE_MS,
  DEFAULT_REDIS_MAX_VALUE_BYTES,
  DEFAULT_REDIS_TIMEOUT_MS,
} from '../defaults.js';
import type { Logger } from '../logger.js';
import type {
  SharedClaim,
  SharedLease,
  SharedSettlement,
  SharedTier,
  SharedTierStatus,
  SharedWaiter,
} from './shared-tier.js';

export interface RedisTierOptions {
  /** `redis://` or `rediss://` URL, user, password and database included (config.ts checks it). */
  url: string;
  /** @default DEFAULT_REDIS_KEY_PREFIX */
  keyPrefix?: string;
  /** Longest wait for one command. @default DEFAULT_REDIS_TIMEOUT_MS */
  timeoutMs?: number;
  /** Only used to size the probe's own key; leases get their length per claim. @default DEFAULT_REDIS_LEASE_MS */
  leaseMs?: number;
  /** @default DEFAULT_REDIS_MAX_VALUE_BYTES */
  maxValueBytes?: number;
  /** Where state changes are logged (once per change), with the host only. */
  logger: Logger;
}

/** While down, how often a probe checks whether Redis answers (and takes writes) again. */
const PROBE_INTERVAL_MS = 1_000;
/** Longest pause between reconnection attempts. */
const MAX_RECONNECT_DELAY_MS = 2_000;
/**
 * The client's own command timeout, a multiple of REDIS_TIMEOUT_MS: only a safety net so that no
 * command stays pending forever on a dead connection; the tier's decision uses `timeoutMs`.
 */
const HARD_TIMEOUT_FACTOR = 10;
/** Without notices (PSUBSCRIBE refused or not yet on), how often a waiter looks again. */
const POLL_WITHOUT_NOTICES_MS = 50;

/**
 * The record under KEYS[1] if its `at` (the number that opens every record) is at least
 * ARGV[3]; else the lease KEYS[2] for ARGV[1] (token), ARGV[2] ms if free; else how long the
 * lease still runs. One script, so no replica can slip between the read and the lease.
 */
const CLAIM_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current then
  local at = tonumber(string.match(current, '^{"at":(%d+)'))
  if at and at >= tonumber(ARGV[3]) then return {1, current} end
end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2, current or ''} end
return {3, current or '', redis.call('PTTL', KEYS[2])}
`;

/** Extends the lease KEYS[1] only for its holder (ARGV[1]). */
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/**
 * Ends a lease: ARGV[2] `set` writes ARGV[3] under KEYS[1] for ARGV[4] ms unless a record with a
 * later `at` than ARGV[5] is there, `del` deletes it; the lease KEYS[2] is deleted only if
 * ARGV[1] still holds it; ARGV[7] is published on ARGV[6].
 */
const SETTLE_SCRIPT = `
if ARGV[2] == 'set' then
  local current = redis.call('GET', KEYS[1])
  local at = current and tonumber(string.match(current, '^{"at":(%d+)'))
  if not at or at <= tonumber(ARGV[5]) then redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4]) end
elseif ARGV[2] == 'del' then
  redis.call('DEL', KEYS[1])
end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
redis.call('PUBLISH', ARGV[6], ARGV[7])
return 1
`;

interface Scripted {
  ackClaim(
    data: string,
    lease: string,
    token: string,
    leaseMs: number,
    minAt: number,
  ): Promise<[1, string] | [2, string] | [3, string, number]>;
  ackRenew(lease: string, token: string, leaseMs: number): Promise<number>;
  ackSettle(
    data: string,
    lease: string,
    token: string,
    mode: 'set' | 'del' | 'keep',
    record: string,
    ttlMs: number,
    at: number,
    channel: string,
    notice: string,
  ): Promise<number>;
}

/** Where Redis is, as logs and metrics may show it: host, port, database, TLS; never a password. */
export function redisTarget(url: string): string {
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, '') || '0';
  return `${parsed.protocol === 'rediss:' ? 'rediss' : 'redis'}://${parsed.hostname}:${parsed.port || '6379'}/${db}`;
}

/**
 * Connection options from the URL, parsed here rather than by the client so that nothing in the
 * URL's query can override the timeouts and queueing that keep a failing Redis off the request
 * path.
 */
function connectionOptions(url: string, timeoutMs: number): RedisOptions {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const db = Number(parsed.pathname.replace(/^\//, '') || '0');
  return {
    host,
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    db,
    ...(parsed.protocol === 'rediss:' ? { tls: { servername: host } } : {}),
    // RESP2: what every Redis (and managed Redis) speaks; pub/sub on a connection of its own.
    protocol: 2,
    connectionName: 'ack-nodepool-gateway',
    disableClientInfo: true,
    // INFO may be denied to an ACL user; the probe below is the gateway's own readiness check.
    enableReadyCheck: false,
    connectTimeout: Math.max(1_000, timeoutMs * 10),
    keepAlive: 10_000,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), MAX_RECONNECT_DELAY_MS),
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** `*`, `?`, `[` and `\` of the prefix matched literally in a PSUBSCRIBE pattern. */
const globEscape = (text: string) => text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/timed? ?out/i.test(message)) return 'timeout';
  if (/^OOM\b/.test(message)) return 'full';
  if (/^(NOPERM|NOAUTH|WRONGPASS)\b/.test(message)) return 'denied';
  if (/closed|writeable|ECONNREFUSED|ECONNRESET|EPIPE|ENOTFOUND|EAI_AGAIN|max retries/i.test(message)) {
    return 'unreachable';
  }
  return 'error';
}

interface Listener {
  notices: string[];
  wake?: () => void;
}

/**
 * The shared tier in Redis: one kept connection for commands, one for notices (pub/sub), both
 * reconnecting by themselves. Keys are `<prefix>v1:data:<sha256 of the cache key>` (the
 * answers), `...:lease:<sha>` (who is asking ACK) and the channel `...:done:<sha>` (the answer
 * is there); every write has a PX. A command that fails or takes longer than the timeout marks
 * Redis down: until a probe succeeds, `status()` says so and the cache does not ask it, so a
 * failing Redis costs one timeout, not one per request.
 */
export class RedisTier implements SharedTier {
  readonly maxValueBytes: number;
  private readonly commands: Redis & Scripted;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly target: string;
  private readonly logger: Logger;
  private readonly probeKey: string;
  private readonly probeTtlMs: number;
  private readonly timeoutMs: number;
  private readonly instance = randomBytes(8).toString('hex');
  private leases = 0;
  private state: SharedTierStatus['state'] = 'connecting';
  private reason: string | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private closed = false;
  /** Whether notices arrive (the PSUBSCRIBE went through); else waiters poll. */
  private notices = false;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly upListeners = new Set<() => void>();

  constructor(options: RedisTierOptions) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
    this.timeoutMs = timeoutMs;
    this.maxValueBytes = options.maxValueBytes ?? DEFAULT_REDIS_MAX_VALUE_BYTES;
    this.prefix = `${options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX}v1:`;
    this.target = redisTarget(options.url);
    this.logger = options.logger;
    this.probeKey = `${this.prefix}probe:${this.instance}`;
    this.probeTtlMs = Math.max(options.leaseMs ?? DEFAULT_REDIS_LEASE_MS, 10_000);
    const base = connectionOptions(options.url, timeoutMs);
    this.commands = new Redis({
      ...base,
      lazyConnect: true,
      commandTimeout: Math.max(1_000, timeoutMs * HARD_TIMEOUT_FACTOR),
      // Fail at once while disconnected, never queue or replay: the caller asks ACK instead.
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
    }) as Redis & Scripted;
    this.commands.defineCommand('ackClaim', { numberOfKeys: 2, lua: CLAIM_SCRIPT });
    this.commands.defineCommand('ackRenew', { numberOfKeys: 1, lua: RENEW_SCRIPT });
    this.commands.defineCommand('ackSettle', { numberOfKeys: 2, lua: SETTLE_SCRIPT });
    this.subscriber = new Redis({
      ...base,
      lazyConnect: true,
      // Subscribed again on every 'ready' below: ioredis' own resubscription leaves its promise
      // unhandled, and a connection lost while it is pending rejects it as an unhandled
      // rejection. The watch coordinator's duplicate of this connection does the same.
      autoResubscribe: false,
      maxRetriesPerRequest: null,
    });

    // Errors also arrive as 'close' and failed commands; the events must have a listener.
    this.commands.on('error', () => {});
    this.subscriber.on('error', () => {});
    this.commands.on('ready', () => void this.probe());
    this.commands.on('close', () => {
      if (!this.closed) this.markDown('unreachable');
    });
    this.subscriber.on('close', () => this.wakeAll());
    this.subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
      const sha = channel.slice(this.prefix.length + 'done:'.length);
      for (const listener of this.listeners.get(sha) ?? []) {
        listener.notices.push(message);
        listener.wake?.();
      }
    });
    this.commands.connect().catch(() => this.markDown('unreachable'));
    let refusalLogged = false;
    this.subscriber.on('ready', () => {
      this.subscriber.psubscribe(`${globEscape(this.prefix)}done:*`).then(
        () => {
          this.notices = true;
        },
        (error: unknown) => {
          // Lost again meanwhile: the next 'ready' subscribes again.
          if (this.subscriber.status !== 'ready' || refusalLogged) return;
          refusalLogged = true;
          // An ACL without the channel pattern: sharing still works, waiters poll instead.
          this.logger.warn(
            { redis: this.target, reason: reasonOf(error) },
            'Redis refused PSUBSCRIBE for lease notices: replicas waiting for another one poll instead (see docs/replicas.md for the ACL)',
          );
        },
      );
    });
    this.subscriber.connect().catch(() => {});
  }

  status(): SharedTierStatus {
    return { state: this.state, target: this.target, ...(this.reason ? { reason: this.reason } : {}) };
  }

  /** Resolves once Redis is up, or after `ms` (whatever its state then). */
  whenUp(ms: number): Promise<void> {
    if (this.state === 'up') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.upListeners.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.upListeners.add(done);
    });
  }

  async claim(key: string, leaseMs: number, minAt: number): Promise<SharedClaim> {
    const sha = sha256(key);
    const token = `${this.instance}:${++this.leases}`;
    const reply = await this.run(() =>
      this.commands.ackClaim(this.dataKey(sha), this.leaseKey(sha), token, leaseMs, minAt),
    );
    if (reply[0] === 1) return { kind: 'record', record: reply[1] };
    const previous = reply[1] || undefined;
    if (reply[0] === 2) return { kind: 'lease', lease: { key, token }, ...(previous ? { previous } : {}) };
    // PTTL is -1 (no expiry: never written so by the gateway) or -2 (just released): ask again soon.
    return { kind: 'held', heldForMs: Math.max(0, reply[2]), ...(previous ? { previous } : {}) };
  }

  async renew(lease: SharedLease, leaseMs: number): Promise<boolean> {
    const sha = sha256(lease.key);
    const renewed = await this.run(
      () => this.commands.ackRenew(this.leaseKey(sha), lease.token, leaseMs),
      true,
    );
    return renewed === 1;
  }

  async settle(lease: SharedLease, settlement: SharedSettlement): Promise<void> {
    const sha = sha256(lease.key);
    const { store } = settlement;
    await this.run(
      () =>
        this.commands.ackSettle(
          this.dataKey(sha),
          this.leaseKey(sha),
          lease.token,
          store === undefined ? 'keep' : store === 'delete' ? 'del' : 'set',
          typeof store === 'object' ? store.record : '',
          typeof store === 'object' ? Math.max(1, Math.ceil(store.ttlMs)) : 0,
          typeof store === 'object' ? Math.floor(store.at) : 0,
          `${this.prefix}done:${sha}`,
          settlement.notice,
        ),
      true,
    );
  }

  async drop(key: string): Promise<void> {
    await this.run(() => this.commands.del(this.dataKey(sha256(key))));
  }

  waiter(key: string): SharedWaiter {
    const sha = sha256(key);
    const listener: Listener = { notices: [] };
    let set = this.listeners.get(sha);
    if (!set) {
      set = new Set();
      this.listeners.set(sha, set);
    }
    set.add(listener);
    return {
      next: (ms) => {
        const queued = listener.notices.shift();
        if (queued !== undefined) return Promise.resolve(queued);
        if (this.state !== 'up') return Promise.resolve(undefined);
        const waitMs = this.notices ? ms : Math.min(ms, POLL_WITHOUT_NOTICES_MS);
        return new Promise((resolve) => {
          const timer = setTimeout(() => finish(), waitMs);
          const finish = () => {
            clearTimeout(timer);
            listener.wake = undefined;
            resolve(listener.notices.shift());
          };
          listener.wake = finish;
        });
      },
      close: () => {
        listener.wake?.();
        set.delete(listener);
        if (set.size === 0) this.listeners.delete(sha);
      },
    };
  }

  /**
   * Two more connections with this tier's settings (URL, TLS, ACL user, timeouts, no offline
   * queue), for another user of the same Redis: the watch lease and its notices. The caller
   * quits them.
   */
  openConnections(): { commands: Redis; subscriber: Redis } {
    const commands = this.commands.duplicate();
    const subscriber = this.subscriber.duplicate();
    for (const connection of [commands, subscriber]) {
      connection.on('error', () => {});
      connection.connect().catch(() => {});
    }
    return { commands, subscriber };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.probeTimer);
    this.wakeAll();
    const quit = (client: Redis) =>
      Promise.race([
        client.quit().catch(() => {}),
        new Promise((resolve) => setTimeout(resolve, 1_000).unref()),
      ]).finally(() => client.disconnect());
    await Promise.all([quit(this.commands), quit(this.subscriber)]);
  }

  private dataKey(sha: string): string {
    return `${this.prefix}data:${sha}`;
  }

  private leaseKey(sha: string): string {
    return `${this.prefix}lease:${sha}`;
  }

  /**
   * Runs one command while up (`evenIfDown`: whatever the state, for a lease holder's renewals
   * and its settlement, which other replicas wait for); a failure, or no answer within the
   * timeout, marks Redis down and rejects.
   */
  private async run<T>(command: () => Promise<T>, evenIfDown = false): Promise<T> {
    if (this.state !== 'up' && !evenIfDown) throw new Error(`Redis is ${this.state}`);
    try {
      return await this.withinTimeout(command());
    } catch (error) {
      // A script's own error (a bug, not Redis failing) would arrive the same way: still safe.
      this.markDown(reasonOf(error));
      throw error;
    }
  }

  /**
   * `pending`, or a timeout error after `timeoutMs`. When the timer fires, the decision waits
   * for the poll phase once (setImmediate): a busy event loop runs expired timers before it reads
   * the sockets, so a reply that came in time would otherwise count as Redis being slow.
   */
  private withinTimeout<T>(pending: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        setImmediate(() => {
          if (settled) return;
          settled = true;
          reject(new Error(`Redis command timed out after ${this.timeoutMs} ms`));
        });
      }, this.timeoutMs);
      pending.then(
        (value) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** One write with a TTL: Redis is up only if it answers and takes writes (not full). */
  private async probe(): Promise<void> {
    if (this.probing || this.closed) return;
    this.probing = true;
    try {
      await this.withinTimeout(this.commands.set(this.probeKey, '1', 'PX', this.probeTtlMs));
      this.markUp();
    } catch (error) {
      this.markDown(reasonOf(error));
    } finally {
      this.probing = false;
    }
  }

  private markUp(): void {
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    if (this.state === 'up') return;
    const was = this.state;
    this.state = 'up';
    this.reason = undefined;
    this.logger.info(
      { redis: this.target, was },
      'Redis shared cache is up: replicas share ACK answers and leases',
    );
    for (const listener of [...this.upListeners]) listener();
  }

  private markDown(reason: string): void {
    if (this.closed) return;
    if (this.state !== 'down') {
      this.state = 'down';
      this.reason = reason;
      this.logger.warn(
        { redis: this.target, reason },
        'Redis shared cache is down: answering from memory and ACK until it is back',
      );
      this.wakeAll();
    }
    // While connected, probe on a timer; while disconnected, the next 'ready' probes.
    if (this.probeTimer === undefined) {
      this.probeTimer = setTimeout(() => {
        this.probeTimer = undefined;
        if (this.closed || this.state === 'up') return;
        if (this.commands.status === 'ready') void this.probe();
        else this.markDown(this.reason ?? reason);
      }, PROBE_INTERVAL_MS);
      this.probeTimer.unref();
    }
  }

  private wakeAll(): void {
    for (const set of this.listeners.values()) for (const listener of set) listener.wake?.();
  }
}
