import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('starts the embedded simulator when nothing says where ACK is or who we are', () => {
    const config = loadConfig({});
    expect(config.simulator).toEqual({
      clusters: 3,
      nodePoolsPerCluster: 5,
      latencyMs: 0,
      port: 0,
      faults: undefined,
      scaleEvents: undefined,
      scaleStepMs: 1_000,
      admin: true,
    });
    expect(config.port).toBe(4000);
    expect(config.cache.ttlMs).toBe(30_000);
    expect(config.ack.protocol).toBe('https');
  });

  it('talks to real ACK when an endpoint or credentials are configured', () => {
    const config = loadConfig({
      ACK_ENDPOINT: 'cs.cn-hangzhou.aliyuncs.com',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'id',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret',
    });
    expect(config.simulator).toBeUndefined();
    expect(config.ack.credentials).toEqual({
      accessKeyId: 'id',
      accessKeySecret: 'secret',
      securityToken: undefined,
    });
    expect(loadConfig({ ALIBABA_CLOUD_REGION_ID: 'cn-beijing' }).simulator).toBeUndefined();
    expect(loadConfig({ ACK_ENDPOINT: 'x:1', ACK_SIMULATOR: '1' }).simulator).toBeDefined();
  });

  it('reports every problem at once, without echoing secret values', () => {
    let message = '';
    try {
      loadConfig({
        PORT: 'abc',
        ACK_PROTOCOL: 'ftp',
        ACK_ENDPOINT: 'https://cs.example.com',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'super-secret-value',
      });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    for (const name of ['PORT', 'ACK_PROTOCOL', 'ACK_ENDPOINT', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET']) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain('super-secret-value');
  });
});
