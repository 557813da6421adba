import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('observability configuration', () => {
  it('serves metrics without a token and leaves tracing off by default', () => {
    expect(loadConfig({}).observability).toEqual({
      metrics: { enabled: true, token: undefined },
      tracing: { endpoint: undefined, serviceName: 'ack-nodepool-gateway' },
    });
  });

  it('reads METRICS, METRICS_TOKEN, OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME', () => {
    const config = loadConfig({
      METRICS: 'false',
      METRICS_TOKEN: 'scrape-me',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
      OTEL_SERVICE_NAME: 'ack-gateway-eu',
    });
    expect(config.observability).toEqual({
      metrics: { enabled: false, token: 'scrape-me' },
      tracing: { endpoint: 'http://otel-collector:4318', serviceName: 'ack-gateway-eu' },
    });
  });

  it('refuses an endpoint that is not a URL', () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4318' })).toThrow(ConfigError);
  });
});
