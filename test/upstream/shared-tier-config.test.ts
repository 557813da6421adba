import { describe, expect, it } from 'vitest';
import { redisTarget } from '../../src/ack/redis-tier.js';
import { ConfigError, loadConfig } from '../../src/config.js';

/** REDIS_* as the configuration reads them: optional, checked, and never echoed. */
describe('REDIS_* configuration', () => {
  it('is off without REDIS_URL: one process, as before', () => {
    expect(loadConfig({}).redis).toBeUndefined();
    expect(loadConfig({ REDIS_URL: '  ' }).redis).toBeUndefined();
  });

  it('groups the variables with their defaults', () => {
    expect(loadConfig({ REDIS_URL: 'redis://redis:6379' }).redis).toEqual({
      url: 'redis://redis:6379',
      keyPrefix: 'ack-gateway:',
      timeoutMs: 200,
      leaseMs: 3_000,
      maxValueBytes: 1_048_576,
    });
    expect(
      loadConfig({
        REDIS_URL: 'rediss://gateway:p%40ss@redis.internal:6380/2',
        REDIS_KEY_PREFIX: 'team-a:',
        REDIS_TIMEOUT_MS: '50',
        REDIS_LEASE_MS: '1000',
        REDIS_MAX_VALUE_BYTES: '65536',
      }).redis,
    ).toEqual({
      url: 'rediss://gateway:p%40ss@redis.internal:6380/2',
      keyPrefix: 'team-a:',
      timeoutMs: 50,
      leaseMs: 1_000,
      maxValueBytes: 65_536,
    });
  });

  it.each([
    ['http://redis:6379', 'redis:// or rediss://'],
    ['redis-host:6379', 'redis:// or rediss://'],
    ['not a url', 'must be a URL'],
    ['redis://:secret-password@redis/abc', 'database number'],
  ])('refuses %s without repeating it', (url, rule) => {
    let problems: readonly string[] = [];
    try {
      loadConfig({ REDIS_URL: url });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    expect(problems).toEqual([expect.stringContaining(`REDIS_URL: `)]);
    expect(problems[0]).toContain(rule);
    expect(problems.join('\n')).not.toContain('secret-password');
  });

  it('refuses a lease too short to be renewed and a zero timeout', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://r', REDIS_LEASE_MS: '10' })).toThrow(/REDIS_LEASE_MS/);
    expect(() => loadConfig({ REDIS_URL: 'redis://r', REDIS_TIMEOUT_MS: '0' })).toThrow(/REDIS_TIMEOUT_MS/);
  });

  it('shows where Redis is without the password', () => {
    expect(redisTarget('rediss://user:secret@redis.internal:6380/2')).toBe('rediss://redis.internal:6380/2');
    expect(redisTarget('redis://:secret@10.0.0.5')).toBe('redis://10.0.0.5:6379/0');
  });
});
