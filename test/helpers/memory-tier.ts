import type {
  SharedClaim,
  SharedLease,
  SharedSettlement,
  SharedTier,
  SharedTierStatus,
  SharedWaiter,
} from '../../src/ack/shared-tier.js';

/**
 * The `SharedTier` contract in memory, for unit tests of the cache's cross-replica logic: several
 * `AckCache`s over one `MemoryTier` behave like replicas over one Redis, deterministically. It
 * keeps records and leases with their expiry, tells waiters, and can be switched down or made to
 * fail, like Redis. `redis-tier.ts` is tested against the same expectations with a real Redis.
 */
export class MemoryTier implements SharedTier {
  readonly maxValueBytes: number;
  private readonly records = new Map<string, { record: string; until: number }>();
  private readonly leases = new Map<string, { token: string; until: number }>();
  private readonly listeners = new Map<string, Set<{ notices: string[]; wake?: () => void }>>();
  private state: SharedTierStatus['state'] = 'up';
  private tokens = 0;
  /** Commands run, by name. */
  readonly calls: Record<string, number> = {};
  /** When set, every command rejects with it (the status stays up: a Redis that fails its commands). */
  failing: Error | undefined;

  constructor(options: { maxValueBytes?: number } = {}) {
    this.maxValueBytes = options.maxValueBytes ?? 1024 * 1024;
  }

  status(): SharedTierStatus {
    return { state: this.state, target: 'memory' };
  }

  setUp(up: boolean): void {
    this.state = up ? 'up' : 'down';
    if (!up) for (const set of this.listeners.values()) for (const listener of set) listener.wake?.();
  }

  /** The record under a cache key, as stored. */
  peek(key: string): string | undefined {
    const entry = this.records.get(key);
    return entry && entry.until > Date.now() ? entry.record : undefined;
  }

  /** A lease held by nobody that will never be settled (a replica that died holding it). */
  abandonLease(key: string, ms: number): void {
    this.leases.set(key, { token: 'dead-replica', until: Date.now() + ms });
  }

  private count(name: string): void {
    this.calls[name] = (this.calls[name] ?? 0) + 1;
    if (this.failing) throw this.failing;
  }

  async claim(key: string, leaseMs: number, minAt: number): Promise<SharedClaim> {
    this.count('claim');
    const now = Date.now();
    const current = this.peek(key);
    const at = current ? Number(/^\{"at":(\d+)/.exec(current)?.[1]) : Number.NaN;
    if (current && at >= minAt) return { kind: 'record', record: current };
    const previous = current ? { previous: current } : {};
    const lease = this.leases.get(key);
    if (!lease || lease.until <= now) {
      const token = `t${++this.tokens}`;
      this.leases.set(key, { token, until: now + leaseMs });
      return { kind: 'lease', lease: { key, token }, ...previous };
    }
    return { kind: 'held', heldForMs: lease.until - now, ...previous };
  }

  async renew(lease: SharedLease, leaseMs: number): Promise<boolean> {
    this.count('renew');
    const held = this.leases.get(lease.key);
    if (held?.token !== lease.token || held.until <= Date.now()) return false;
    held.until = Date.now() + leaseMs;
    return true;
  }

  async settle(lease: SharedLease, { store, notice }: SharedSettlement): Promise<void> {
    this.count('settle');
    const { key } = lease;
    if (store === 'delete') this.records.delete(key);
    else if (store) {
      const current = this.peek(key);
      const at = current ? Number(/^\{"at":(\d+)/.exec(current)?.[1]) : Number.NaN;
      if (!(at > store.at)) this.records.set(key, { record: store.record, until: Date.now() + store.ttlMs });
    }
    if (this.leases.get(key)?.token === lease.token) this.leases.delete(key);
    for (const listener of this.listeners.get(key) ?? []) {
      listener.notices.push(notice);
      listener.wake?.();
    }
  }

  async drop(key: string): Promise<void> {
    this.count('drop');
    this.records.delete(key);
  }

  waiter(key: string): SharedWaiter {
    const listener: { notices: string[]; wake?: () => void } = { notices: [] };
    const set = this.listeners.get(key) ?? new Set();
    this.listeners.set(key, set);
    set.add(listener);
    return {
      next: (ms) => {
        const queued = listener.notices.shift();
        if (queued !== undefined) return Promise.resolve(queued);
        if (this.state !== 'up') return Promise.resolve(undefined);
        return new Promise((resolve) => {
          const finish = () => {
            clearTimeout(timer);
            listener.wake = undefined;
            resolve(listener.notices.shift());
          };
          const timer = setTimeout(finish, ms);
          listener.wake = finish;
        });
      },
      close: () => {
        listener.wake?.();
        set.delete(listener);
      },
    };
  }

  async close(): Promise<void> {}
}
