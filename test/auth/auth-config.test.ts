import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hashApiKey } from '../../src/auth/api-key.js';
import { AuthConfigError, AuthEnvSchema, toAuthConfig } from '../../src/auth/auth-config.js';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { createPolicy } from '../../src/auth/policy.js';

/** As config.ts would do it: its own variables plus the auth fragment, every issue at once. */
const EnvSchema = z.object({ ALIBABA_CLOUD_REGION_ID: z.string().optional() }).extend(AuthEnvSchema.shape);

function load(env: Record<string, string>, readFile?: (path: string) => string) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new AuthConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  return toAuthConfig(parsed.data, { readFile });
}

function problemsOf(env: Record<string, string>, readFile?: (path: string) => string): string {
  try {
    load(env, readFile);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthConfigError);
    return (error as Error).message;
  }
  return expect.fail('expected an AuthConfigError');
}

const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('auth configuration from the environment', () => {
  it('defaults to mode none, no anonymous scopes and no policy', () => {
    expect(load({})).toEqual({
      authentication: { mode: 'none', anonymousScopes: [] },
      policy: { statements: undefined, accountId: undefined, regionId: undefined },
    });
    expect(load({ AUTH_MODE: '', AUTH_ANONYMOUS_SCOPES: 'ack:sensitive, ,x' }).authentication).toEqual({
      mode: 'none',
      anonymousScopes: ['ack:sensitive', 'x'],
    });
  });

  it('reads API keys, and their hashes only', async () => {
    const key = 'dk_0123456789abcdefghijklmnopqrstuvwxyz';
    const config = load({
      AUTH_MODE: 'api-key',
      AUTH_API_KEYS: JSON.stringify([
        { name: 'dashboard', sha256: hashApiKey(key).toUpperCase(), groups: ['sre'] },
      ]),
    });
    expect(config.authentication).toEqual({
      mode: 'api-key',
      keys: [{ name: 'dashboard', sha256: hashApiKey(key), groups: ['sre'] }],
    });
    const authenticate = createAuthenticator(config.authentication);
    const principal = await authenticate(new Request('http://x/', { headers: { 'x-api-key': key } }));
    expect(principal.name).toBe('dashboard');
  });

  it('reads the JWT settings with their defaults', () => {
    const config = load({
      AUTH_MODE: 'jwt',
      AUTH_JWT_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
      AUTH_JWT_ISSUER: 'https://idp.example.com/',
      AUTH_JWT_AUDIENCE: 'ack-gateway, ack-gateway-staging',
    });
    expect(config.authentication).toEqual({
      mode: 'jwt',
      jwt: {
        jwksUrl: 'https://idp.example.com/.well-known/jwks.json',
        issuer: ['https://idp.example.com/'],
        audience: ['ack-gateway', 'ack-gateway-staging'],
        algorithms: ['RS256', 'ES256'],
        groupsClaim: 'groups',
        clockToleranceSeconds: 30,
      },
    });
    const withKey = load({
      AUTH_MODE: 'jwt',
      AUTH_JWT_PUBLIC_KEY: PUBLIC_PEM,
      AUTH_JWT_ISSUER: 'i',
      AUTH_JWT_AUDIENCE: 'a',
      AUTH_JWT_ALGORITHMS: 'ES256',
      AUTH_JWT_GROUPS_CLAIM: 'realm_access.roles',
      AUTH_JWT_CLOCK_TOLERANCE_S: '5',
    });
    expect(withKey.authentication).toMatchObject({
      jwt: { publicKey: PUBLIC_PEM.trim(), algorithms: ['ES256'], groupsClaim: 'realm_access.roles' },
    });
    expect(() => createAuthenticator(withKey.authentication)).not.toThrow();
  });

  it('reports every combination problem at once, so a forgotten AUTH_MODE never leaves the gateway open', () => {
    const message = problemsOf({
      AUTH_API_KEYS: JSON.stringify([{ name: 'k', sha256: hashApiKey('k') }]),
      AUTH_JWT_ISSUER: 'https://idp.example.com/',
      AUTH_POLICY: '[]',
      AUTH_POLICY_FILE: '/etc/policy.json',
    });
    expect(message).toContain('AUTH_API_KEYS: only used with AUTH_MODE=api-key');
    expect(message).toContain('AUTH_JWT_ISSUER: only used with AUTH_MODE=jwt');
    expect(message).toContain('AUTH_POLICY_FILE: set at most one of AUTH_POLICY and AUTH_POLICY_FILE');
    expect(problemsOf({ AUTH_MODE: 'api-key' })).toContain('AUTH_API_KEYS: required with AUTH_MODE=api-key');
    const jwt = problemsOf({ AUTH_MODE: 'jwt', AUTH_ANONYMOUS_SCOPES: 'ack:sensitive' });
    expect(jwt).toContain('AUTH_JWT_JWKS_URL: set exactly one of');
    expect(jwt).toContain('AUTH_JWT_ISSUER: required');
    expect(jwt).toContain('AUTH_JWT_AUDIENCE: required');
    expect(jwt).toContain('AUTH_ANONYMOUS_SCOPES: only used with AUTH_MODE=none');
  });

  it('never echoes a value in a validation error', () => {
    const rawKey = 'sk_live_THIS_IS_THE_RAW_KEY_0123456789';
    const message = problemsOf({
      AUTH_MODE: 'jwt-please',
      AUTH_API_KEYS: JSON.stringify([{ name: 'dashboard', sha256: rawKey }]),
      AUTH_JWT_PUBLIC_KEY: PRIVATE_PEM,
      AUTH_JWT_JWKS_URL: 'http://idp.example.com/jwks?token=SECRET_QUERY_TOKEN',
      AUTH_JWT_ALGORITHMS: 'RS256,HS256',
      AUTH_JWT_CLOCK_TOLERANCE_S: '9000',
      ACK_ACCOUNT_ID: 'acme-SECRET',
    });
    expect(message).toContain('AUTH_MODE: must be none, api-key or jwt');
    expect(message).toContain('AUTH_API_KEYS.0.sha256: must be the 64 hex digits of the SHA-256 of the key');
    expect(message).toContain('AUTH_JWT_PUBLIC_KEY: must be a public key, not a private key');
    expect(message).toContain('AUTH_JWT_JWKS_URL: must be an https URL (http only on localhost)');
    expect(message).toContain('AUTH_JWT_ALGORITHMS: must be a comma list of RS256');
    expect(message).toContain('AUTH_JWT_CLOCK_TOLERANCE_S: must be at most 300');
    expect(message).toContain('ACK_ACCOUNT_ID: must be the numeric Alibaba Cloud account id');
    for (const secret of [
      'jwt-please',
      rawKey,
      'SECRET',
      ...PRIVATE_PEM.split('\n').filter((line) => line.length > 20),
    ]) {
      expect(message).not.toContain(secret);
    }
    // Node's JSON.parse quotes the input in its message; the configuration error does not.
    const notJson = problemsOf({
      AUTH_MODE: 'api-key',
      AUTH_API_KEYS: `[{"name": "x", "sha256": ${rawKey}}]`,
    });
    expect(notJson).toContain('AUTH_API_KEYS: is not valid JSON');
    expect(notJson).not.toContain(rawKey);
    const privateJwk = JSON.stringify(privateKey.export({ format: 'jwk' }));
    const jwkMessage = problemsOf({ AUTH_MODE: 'jwt', AUTH_JWT_PUBLIC_KEY: privateJwk });
    expect(jwkMessage).toContain('AUTH_JWT_PUBLIC_KEY: must be a public JWK');
    expect(jwkMessage).not.toContain(JSON.parse(privateJwk).d);
  });

  it('reads the policy inline or from a file, with the region and account it is evaluated for', () => {
    const statements = [{ principals: ['group:sre'], resources: ['acs:cs:cn-hangzhou:*:cluster/*'] }];
    const inline = load({
      AUTH_POLICY: JSON.stringify(statements),
      ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou',
      ACK_ACCOUNT_ID: '1234567890123456',
    });
    expect(inline.policy).toEqual({
      statements: [{ ...statements[0], effect: 'Allow' }],
      accountId: '1234567890123456',
      regionId: 'cn-hangzhou',
    });
    const policy = createPolicy(inline.policy.statements, inline.policy);
    expect(policy.allowsAll({ kind: 'jwt', name: 'alice', groups: ['sre'], scopes: [] })).toBe(true);

    const fromFile = load({ AUTH_POLICY_FILE: '/etc/ack/policy.json' }, (path) => {
      expect(path).toBe('/etc/ack/policy.json');
      return JSON.stringify(statements);
    });
    expect(fromFile.policy.statements).toEqual(inline.policy.statements);
    expect(fromFile.policy.regionId).toBeUndefined();
  });

  it('says which statement of a policy is wrong, and why', () => {
    const bad = JSON.stringify([
      { principals: ['alice'], resources: ['acs:cs:*:*:cluster/*'], effect: 'deny' },
    ]);
    const inline = problemsOf({ AUTH_POLICY: bad });
    expect(inline).toContain('AUTH_POLICY.0.principals.0: must be one of key:<api key name>');
    expect(inline).toContain('AUTH_POLICY.0.effect: must be "Allow" or "Deny"');
    expect(problemsOf({ AUTH_POLICY_FILE: '/p.json' }, () => bad)).toContain(
      'AUTH_POLICY_FILE: 0.principals.0: must be one of',
    );
    expect(problemsOf({ AUTH_POLICY_FILE: '/p.json' }, () => '{nope')).toContain(
      'AUTH_POLICY_FILE: the file is not valid JSON',
    );
    const missing = problemsOf({ AUTH_POLICY_FILE: '/does/not/exist.json' });
    expect(missing).toContain('AUTH_POLICY_FILE: cannot read the file (ENOENT)');
    expect(problemsOf({ AUTH_POLICY: '{"Statement": []}' })).toContain(
      'AUTH_POLICY: must be a JSON array of statements',
    );
  });
});
