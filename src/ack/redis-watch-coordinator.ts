import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DEFAULT_REDIS_KEY_PREFIX } from '../defaults.js';
import type { Logger } from '../logger.js';
import {
  decodeObservation,
  encodeObservation,
  type WatchCoordinator,
  type WatchObservation,
} from './watch-coordinator.js';

export interface RedisWatchCoordinatorOptions {
  /** A connection for commands (the lease, PUBLISH). */
  commands: Redis;
  /** A connection of its own for SUBSCRIBE (a subscribed connection takes no other command). */
  subscriber: Redis;
  /** @default DEFAULT_REDIS_KEY_PREFIX */
  keyPrefix?: string;
  logger?: Logger;
  /** Quit both connections on `close()` (they are this coordinator's own). @default false */
  ownsConnections?: boolean;
}

/** Takes the lease if free (`SET NX PX`), renews it if this holder has it; 1 when held. */
const LEAD_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0
`;
/** Drops the lease only for its holder. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

type Scripted = Redis & {
  watchLead(key: string, token: string, ttlMs: number): Promise<number>;
  watchRelease(key: string, token: string): Promise<number>;
};

/**
 * The fleet-wide coordinator: one replica holds a watched cluster's lease
 * (`<prefix>v1:watch:lease:<key>`, `SET NX PX`, renewed by its holder at every poll) and polls it;
 * its observations reach every replica's subscribers over pub/sub
 * (`<prefix>v1:watch:obs:<key>`). When Redis cannot be asked, `tryLead` answers true: each
 * replica then polls its own watched clusters (as without Redis) rather than none doing so.
 */
export class RedisWatchCoordinator implements WatchCoordinator {
  private readonly commands: Scripted;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly token = randomBytes(12).toString('hex');
  private readonly listeners = new Map<string, Set<(observation: WatchObservation) => void>>();
  private readonly logger: Logger | undefined;
  private readonly ownsConnections: boolean;
  private degraded = false;

  constructor(options: RedisWatchCoordinatorOptions) {
    this.commands = options.commands as Scripted;
    this.subscriber = options.subscriber;
    this.prefix = `${options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX}v1:watch:`;
    this.logger = options.logger;
    this.ownsConnections = options.ownsConnections ?? false;
    // Defining again (another coordinator on the same connection) only replaces the same script.
    this.commands.defineCommand('watchLead', { numberOfKeys: 1, lua: LEAD_SCRIPT });
    this.commands.defineCommand('watchRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    // After a reconnect, the channels of the clusters still watched: the connection is a
    // duplicate of the shared tier's subscriber, which has ioredis' own resubscription off
    // (it leaves its promise unhandled; see RedisTier).
    this.subscriber.on('ready', () => {
      const channels = [...this.listeners.keys()].map((key) => `${this.prefix}obs:${key}`);
      if (channels.length > 0) {
        this.subscriber.subscribe(...channels).catch((error: unknown) => this.note(true, error));
      }
    });
    this.subscriber.on('message', (channel: string, message: string) => {
      const key = channel.slice(`${this.prefix}obs:`.length);
      const listeners = this.listeners.get(key);
      if (!listeners) return;
      const observation = decodeObservation(message);
      if (!observation) return;
      for (const listener of [...listeners]) listener(observation);
    });
  }

  async tryLead(key: string, ttlMs: number): Promise<boolean> {
    try {
      const held = (await this.commands.watchLead(`${this.prefix}lease:${key}`, this.token, ttlMs)) === 1;
      this.note(false);
      return held;
    } catch (error) {
      this.note(true, error);
      return true;
    }
  }

  async release(key: string): Promise<void> {
    await this.commands.watchRelease(`${this.prefix}lease:${key}`, this.token);
  }

  async publish(key: string, observation: WatchObservation): Promise<void> {
    await this.commands.publish(`${this.prefix}obs:${key}`, encodeObservation(observation));
  }

  subscribe(key: string, listener: (observation: WatchObservation) => void): () => void {
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
      this.subscriber.subscribe(`${this.prefix}obs:${key}`).catch((error: unknown) => this.note(true, error));
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size > 0 || this.listeners.get(key) !== set) return;
      this.listeners.delete(key);
      this.subscriber.unsubscribe(`${this.prefix}obs:${key}`).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    if (this.ownsConnections) {
      await Promise.allSettled([this.commands.quit(), this.subscriber.quit()]);
    }
  }

  /** Logs once per change between Redis answering and not. */
  private note(failing: boolean, error?: unknown): void {
    if (failing === this.degraded) return;
    this.degraded = failing;
    if (failing) {
      this.logger?.warn(
        { reason: error instanceof Error ? error.message : String(error) },
        'Redis not answering the watch lease: each replica polls its own watched clusters meanwhile',
      );
    } else this.logger?.info('Redis answers the watch lease again: one replica polls each watched cluster');
  }
}
