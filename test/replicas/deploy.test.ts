import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AuthEnvSchema } from '../../src/auth/auth-config.js';
import { EnvSchema, loadConfig } from '../../src/config.js';

/**
 * What this machine can prove of the deployment files without Docker, a registry or helm
 * (docs/replicas.md says what it cannot): compose.yaml and the Helm chart parse, have the
 * structure their specifications require, start the topology the issue asks for, and set only
 * environment variables the gateway (or the simulator) reads, with values its configuration
 * accepts.
 */

type Json = Record<string, unknown>;
const read = (path: string) => readFileSync(path, 'utf8');
const asRecord = (value: unknown): Json => {
  expect(value, 'an object').toBeTypeOf('object');
  return value as Json;
};

const GATEWAY_VARIABLES = new Set([...Object.keys(EnvSchema.shape), ...Object.keys(AuthEnvSchema.shape)]);
/** The variables src/simulator/main.ts reads. */
const SIMULATOR_VARIABLES = new Set(read('src/simulator/main.ts').match(/SIMULATOR_[A-Z_]+/g) ?? []);

/** `${NAME:-default}` as compose substitutes it with nothing set in the shell. */
const substitute = (text: string) => text.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

describe('compose.yaml', () => {
  const compose = asRecord(parse(read('compose.yaml'), { merge: true }));
  const services = asRecord(compose.services);
  const env = (name: string) =>
    Object.fromEntries(
      Object.entries(asRecord(asRecord(services[name]).environment)).map(([key, value]) => [
        key,
        substitute(String(value)),
      ]),
    );

  it('starts Redis, the simulator as its own service, three gateways and a load balancer', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['gateway-1', 'gateway-2', 'gateway-3', 'lb', 'redis', 'simulator'].sort(),
    );
    expect(asRecord(services.redis).image).toMatch(/^redis:\d/);
    expect(asRecord(services.lb).image).toMatch(/^nginx:\d/);
    expect(asRecord(services.simulator).command).toEqual(['node', 'dist/simulator/main.js']);
    for (const name of ['gateway-1', 'gateway-2', 'gateway-3', 'simulator']) {
      expect(asRecord(services[name]).build).toBe('.');
    }
  });

  it('gives every service a command or image, and depends only on services with a healthcheck', () => {
    for (const [name, raw] of Object.entries(services)) {
      const service = asRecord(raw);
      expect(service.image ?? service.build, `${name} has an image or a build`).toBeDefined();
      for (const [dependency, condition] of Object.entries(asRecord(service.depends_on ?? {}))) {
        expect(Object.keys(services), `${name} depends on a service`).toContain(dependency);
        expect(asRecord(condition).condition).toBe('service_healthy');
        // The gateways' own healthcheck is the image's HEALTHCHECK (/health).
        if (!dependency.startsWith('gateway-')) {
          expect(asRecord(services[dependency]).healthcheck, `${dependency} has a healthcheck`).toBeDefined();
        }
      }
    }
    expect(read('Dockerfile')).toMatch(/HEALTHCHECK[\s\S]*\/health/);
  });

  it('configures the gateways with variables the gateway reads and values it accepts', () => {
    for (const name of ['gateway-1', 'gateway-2', 'gateway-3']) {
      const variables = env(name);
      for (const key of Object.keys(variables)) expect(GATEWAY_VARIABLES, `${name}: ${key}`).toContain(key);
      const config = loadConfig(variables);
      expect(config.redis).toMatchObject({ url: expect.stringMatching(/^redis:\/\/:[^@]+@redis:6379\/0$/) });
      expect(config.simulator).toBeUndefined();
      expect(config.ack).toMatchObject({ endpoint: 'simulator:9000', protocol: 'http' });
      expect(config.ack.credentials?.accessKeyId).toBe(env('simulator').SIMULATOR_ACCESS_KEY_ID);
      expect(config.ack.credentials?.accessKeySecret).toBe(env('simulator').SIMULATOR_ACCESS_KEY_SECRET);
      expect(config.port).toBe(4000);
      const service = asRecord(services[name]);
      expect(service.read_only).toBe(true);
      expect(service.cap_drop).toEqual(['ALL']);
    }
    for (const key of Object.keys(env('simulator'))) expect(SIMULATOR_VARIABLES).toContain(key);
    expect(env('simulator').SIMULATOR_HOST).toBe('0.0.0.0');
    expect(env('simulator').SIMULATOR_PORT).toBe('9000');
    // Redis requires the password the gateways use.
    const redisCommand = (asRecord(services.redis).command as string[]).map(substitute);
    const password = redisCommand[redisCommand.indexOf('--requirepass') + 1];
    expect(env('gateway-1').REDIS_URL).toBe(`redis://:${password}@redis:6379/0`);
    expect(redisCommand).toEqual(expect.arrayContaining(['--maxmemory-policy', 'allkeys-lru']));
  });

  it('balances round-robin over the three gateways on the port they listen on', () => {
    const nginx = read('deploy/compose/nginx.conf');
    const servers = [...nginx.matchAll(/^\s*server\s+([\w-]+):(\d+)/gm)].map(
      (match) => `${match[1]}:${match[2]}`,
    );
    expect(servers).toEqual(['gateway-1:4000', 'gateway-2:4000', 'gateway-3:4000']);
    expect(nginx).not.toMatch(/least_conn|ip_hash|hash\s/);
    expect(nginx).toMatch(/listen 8080;/);
    expect(asRecord(services.lb).ports).toEqual(['8080:8080']);
    expect(asRecord(services.lb).volumes).toEqual(['./deploy/compose/nginx.conf:/etc/nginx/nginx.conf:ro']);
    // Balanced braces: nginx refuses a config that is not.
    expect(nginx.split('{').length).toBe(nginx.split('}').length);
  });
});

describe('Helm chart deploy/helm/ack-nodepool-gateway', () => {
  const dir = 'deploy/helm/ack-nodepool-gateway';
  const chart = asRecord(parse(read(join(dir, 'Chart.yaml'))));
  const values = asRecord(parse(read(join(dir, 'values.yaml'))));
  const templates = Object.fromEntries(
    readdirSync(join(dir, 'templates')).map((name) => [name, read(join(dir, 'templates', name))]),
  );
  const at = (path: string): unknown =>
    path.split('.').reduce<unknown>((node, key) => (node as Json | undefined)?.[key], values);

  it('is a v2 chart with Redis as an optional dependency', () => {
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'ack-nodepool-gateway', type: 'application' });
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(chart.dependencies).toEqual([
      expect.objectContaining({ name: 'redis', condition: 'redis.enabled' }),
    ]);
    expect(at('redis.enabled')).toBe(false);
  });

  it('has the objects the issue asks for, each of its kind and API version', () => {
    const kinds = Object.entries(templates)
      .filter(([name]) => name.endsWith('.yaml'))
      .map(([, text]) => `${/^apiVersion: (\S+)/m.exec(text)?.[1]} ${/^kind: (\S+)/m.exec(text)?.[1]}`)
      .sort();
    expect(kinds).toEqual(
      [
        'apps/v1 Deployment',
        'autoscaling/v2 HorizontalPodAutoscaler',
        'monitoring.coreos.com/v1 ServiceMonitor',
        'policy/v1 PodDisruptionBudget',
        'v1 ConfigMap',
        'v1 Secret',
        'v1 Service',
        'v1 ServiceAccount',
      ].sort(),
    );
    expect(templates['servicemonitor.yaml']).toMatch(/^\{\{- if \.Values\.serviceMonitor\.enabled \}\}/);
    expect(at('serviceMonitor.enabled')).toBe(false);
  });

  it('closes every template action and block', () => {
    for (const [name, text] of Object.entries(templates)) {
      expect(text.split('{{').length, `${name}: {{ vs }}`).toBe(text.split('}}').length);
      const opens = text.match(/\{\{-?\s*(if|with|range|define)\b/g)?.length ?? 0;
      const ends = text.match(/\{\{-?\s*end\s*-?\}\}/g)?.length ?? 0;
      expect(ends, `${name}: blocks closed`).toBe(opens);
    }
  });

  it('reads only values that values.yaml defines', () => {
    const referenced = new Set(
      Object.values(templates).flatMap((text) =>
        [...text.matchAll(/\.Values\.([\w.]+)/g)].map((m) => m[1] ?? ''),
      ),
    );
    for (const path of referenced) expect(at(path), `.Values.${path}`).not.toBeUndefined();
  });

  it('probes /health for liveness and /ready for readiness, runs non-root, bounded, spread', () => {
    expect(at('livenessProbe.httpGet.path')).toBe('/health');
    expect(at('readinessProbe.httpGet.path')).toBe('/ready');
    expect(at('startupProbe.httpGet.path')).toBe('/health');
    expect(templates['deployment.yaml']).toMatch(/livenessProbe:[\s\S]*readinessProbe:[\s\S]*startupProbe:/);
    expect(at('podSecurityContext.runAsNonRoot')).toBe(true);
    expect(at('podSecurityContext.runAsUser')).not.toBe(0);
    expect(at('securityContext')).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    for (const kind of ['requests', 'limits']) {
      expect(at(`resources.${kind}.cpu`)).toBeDefined();
      expect(at(`resources.${kind}.memory`)).toBeDefined();
    }
    expect(at('autoscaling.minReplicas')).toBeGreaterThanOrEqual(2);
    expect(at('podDisruptionBudget.enabled')).toBe(true);
    expect(templates['deployment.yaml']).toMatch(/podAntiAffinity:/);
    expect(templates['deployment.yaml']).toMatch(/configMapRef:[\s\S]*secretRef:/);
    // The Dockerfile's user is `node` (uid 1000), as the securityContext says.
    expect(read('Dockerfile')).toMatch(/^USER node$/m);
    expect(at('podSecurityContext.runAsUser')).toBe(1000);
  });

  it('sets only variables the gateway reads, with values its configuration accepts', () => {
    const config = Object.fromEntries(
      Object.entries(asRecord(values.config)).map(([key, value]) => [key, String(value)]),
    );
    const written = new Set([
      ...Object.keys(config),
      ...[...(templates['configmap.yaml'] ?? '').matchAll(/^ {2}([A-Z_]+):/gm)].map((m) => m[1] ?? ''),
      ...[
        ...Object.values(templates)
          .join('\n')
          .matchAll(/name: ([A-Z][A-Z_]+)$/gm),
      ].map((m) => m[1] ?? ''),
      'REDIS_URL',
    ]);
    for (const name of written) expect(GATEWAY_VARIABLES, name).toContain(name);
    const parsed = loadConfig({
      ...config,
      PORT: String(values.containerPort),
      HOST: '0.0.0.0',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIexample',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'example',
      REDIS_URL: 'rediss://gateway:p%40ss@redis.example:6380/2',
    });
    expect(parsed.redis).toMatchObject({ keyPrefix: 'ack-gateway:', timeoutMs: 200, leaseMs: 3000 });
    expect(parsed.simulator).toBeUndefined();
    // The URL the chart builds for its Redis dependency URL-encodes the password.
    expect(templates['_helpers.tpl']).toMatch(/urlquery \$password/);
  });
});

describe('the Dockerfile', () => {
  it('runs the gateway with the node flags npm start uses (package.json config.nodeFlags)', () => {
    const { config } = JSON.parse(read('package.json')) as { config: { nodeFlags: string } };
    const cmd = read('Dockerfile')
      .split('\n')
      .filter((line) => line.startsWith('CMD '))
      .at(-1);
    expect(JSON.parse(cmd?.slice('CMD '.length) ?? 'null')).toEqual([
      'node',
      ...config.nodeFlags.split(/\s+/),
      'dist/main.js',
    ]);
  });
});
