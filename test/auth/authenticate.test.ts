import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { hashApiKey } from '../../src/auth/api-key.js';
import { type AuthenticationConfig, createAuthenticator } from '../../src/auth/authenticate.js';
import { AuthenticationError } from '../../src/auth/authentication-error.js';
import type { JwtConfig } from '../../src/auth/jwt.js';
import { SENSITIVE_SCOPE } from '../../src/auth/principal.js';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const request = (headers: Record<string, string> = {}) =>
  new Request('http://gateway.test/graphql', { headers });

/** Runs `authenticate` expecting a refusal; returns the error after checking it leaks nothing. */
async function refusal(
  authenticate: (request: Request) => Promise<unknown>,
  headers: Record<string, string>,
  secrets: string[] = Object.values(headers),
): Promise<AuthenticationError> {
  const error = await authenticate(request(headers)).then(
    () => expect.fail('expected an AuthenticationError'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  const authError = error as AuthenticationError;
  const shown = [authError.message, String(authError), authError.stack, JSON.stringify(authError)].join('\n');
  for (const secret of secrets) {
    for (const part of secret.replace(/^Bearer /, '').split('.')) {
      if (part.length >= 8) expect(shown).not.toContain(part);
    }
  }
  expect(authError.cause).toBeUndefined();
  return authError;
}

describe('mode none', () => {
  it('makes every caller the anonymous principal, without scopes unless configured', async () => {
    const authenticate = createAuthenticator({ mode: 'none' });
    const principal = await authenticate(request({ authorization: 'Bearer whatever' }));
    expect(principal).toEqual({ kind: 'anonymous', name: 'anonymous', groups: [], scopes: [] });
    expect(Object.isFrozen(principal)).toBe(true);
    const withScopes = createAuthenticator({ mode: 'none', anonymousScopes: [SENSITIVE_SCOPE] });
    expect((await withScopes(request())).scopes).toEqual([SENSITIVE_SCOPE]);
  });
});

describe('mode api-key', () => {
  const dashboardKey = 'dk_0123456789abcdefghijklmnopqrstuvwxyz';
  const ciKey = 'ci_ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210';
  const config: AuthenticationConfig = {
    mode: 'api-key',
    keys: [
      { name: 'dashboard', sha256: hashApiKey(dashboardKey), groups: ['sre'], scopes: [SENSITIVE_SCOPE] },
      { name: 'ci', sha256: hashApiKey(ciKey) },
    ],
  };
  const authenticate = createAuthenticator(config);

  beforeEach(() => {
    vi.mocked(timingSafeEqual).mockClear();
  });

  it('accepts a key as a Bearer token or in x-api-key', async () => {
    const expected = { kind: 'api-key', name: 'dashboard', groups: ['sre'], scopes: [SENSITIVE_SCOPE] };
    expect(await authenticate(request({ authorization: `Bearer ${dashboardKey}` }))).toEqual(expected);
    expect(await authenticate(request({ authorization: `bearer  ${dashboardKey}` }))).toEqual(expected);
    expect(await authenticate(request({ 'x-api-key': dashboardKey }))).toEqual(expected);
    expect(await authenticate(request({ 'x-api-key': ciKey }))).toEqual({
      kind: 'api-key',
      name: 'ci',
      groups: [],
      scopes: [],
    });
    // The same key in both headers is fine.
    const both = { authorization: `Bearer ${ciKey}`, 'x-api-key': ciKey };
    expect((await authenticate(request(both))).name).toBe('ci');
  });

  it('refuses a wrong, missing or malformed key without echoing it', async () => {
    const wrong = await refusal(authenticate, { 'x-api-key': `${dashboardKey}x` });
    expect(wrong.reason).toBe('invalid');
    expect(wrong.message).toBe('The API key is not valid');
    expect((await refusal(authenticate, { authorization: `Bearer ${ciKey.slice(0, -1)}` })).reason).toBe(
      'invalid',
    );

    const missing = await refusal(authenticate, {});
    expect(missing.reason).toBe('missing');
    expect(missing.message).toMatch(/x-api-key/);
    expect(missing.extensions).toEqual({
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="ack-gateway"' } },
    });

    const basic = await refusal(authenticate, { authorization: `Basic ${btoa(`user:${dashboardKey}`)}` });
    expect(basic.reason).toBe('malformed');
    expect(basic.httpHeaders['WWW-Authenticate']).toContain('invalid_request');
    const twoKeys = await refusal(authenticate, {
      authorization: `Bearer ${dashboardKey}`,
      'x-api-key': ciKey,
    });
    expect(twoKeys.reason).toBe('malformed');
    expect((await refusal(authenticate, { 'x-api-key': 'a key with spaces 0123456789' })).reason).toBe(
      'malformed',
    );
    expect((await refusal(authenticate, { 'x-api-key': 'k'.repeat(10_000) })).reason).toBe('malformed');
  });

  it('compares hashes with timingSafeEqual against every configured key, never stopping early', async () => {
    await authenticate(request({ 'x-api-key': dashboardKey })); // matches the first key
    expect(timingSafeEqual).toHaveBeenCalledTimes(2);
    vi.mocked(timingSafeEqual).mockClear();
    await refusal(authenticate, { 'x-api-key': 'not-a-configured-key-0123456789' });
    expect(timingSafeEqual).toHaveBeenCalledTimes(2);
    // Both sides are 32-byte digests, so the comparison's length never depends on the input.
    for (const [a, b] of vi.mocked(timingSafeEqual).mock.calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
  });

  it('hashes keys as hex SHA-256 of their UTF-8 bytes', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('mode jwt', () => {
  const ISSUER = 'https://idp.example.com/';
  const AUDIENCE = 'ack-gateway';
  let rsa: { publicKey: CryptoKey; privateKey: CryptoKey };
  let ec: { publicKey: CryptoKey; privateKey: CryptoKey };
  let other: { publicKey: CryptoKey; privateKey: CryptoKey };
  let server: Server;
  let jwksUrl: string;
  let jwksFetches = 0;
  let rsaPem: string;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true });
    ec = await generateKeyPair('ES256', { extractable: true });
    other = await generateKeyPair('RS256', { extractable: true });
    rsaPem = await exportSPKI(rsa.publicKey);
    const jwks = {
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      ],
    };
    server = createServer((req, res) => {
      jwksFetches++;
      res.writeHead(req.url === '/jwks.json' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const jwtConfig = (overrides: Partial<JwtConfig> = {}): AuthenticationConfig => ({
    mode: 'jwt',
    jwt: { jwksUrl, issuer: [ISSUER], audience: [AUDIENCE], ...overrides },
  });

  async function sign(
    claims: JWTPayload = {},
    options: { key?: CryptoKey | Uint8Array; alg?: string; kid?: string; expiresIn?: string | number } = {},
  ): Promise<string> {
    const alg = options.alg ?? 'RS256';
    return new SignJWT({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, ...claims })
      .setProtectedHeader({ alg, kid: options.kid ?? (alg === 'ES256' ? 'ec-1' : 'rsa-1') })
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key ?? (alg === 'ES256' ? ec.privateKey : rsa.privateKey));
  }

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('verifies against a JWKS URL, fetching the keys once, and reads groups and scopes', async () => {
    const authenticate = createAuthenticator(jwtConfig());
    const before = jwksFetches;
    const token = await sign({ groups: ['sre', 'dev'], scope: `read ${SENSITIVE_SCOPE}` });
    expect(await authenticate(request(bearer(token)))).toEqual({
      kind: 'jwt',
      name: 'alice',
      groups: ['sre', 'dev'],
      scopes: ['read', SENSITIVE_SCOPE],
    });
    const ecToken = await sign({ sub: 'bob', scp: ['a', 'b'] }, { alg: 'ES256' });
    expect(await authenticate(request(bearer(ecToken)))).toEqual({
      kind: 'jwt',
      name: 'bob',
      groups: [],
      scopes: ['a', 'b'],
    });
    expect(jwksFetches - before).toBe(1);
  });

  it('verifies against a PEM public key or a public JWK', async () => {
    const token = await sign({ groups: 'sre' });
    const viaPem = createAuthenticator(jwtConfig({ jwksUrl: undefined, publicKey: rsaPem }));
    expect(await viaPem(request(bearer(token)))).toMatchObject({ name: 'alice', groups: ['sre'] });
    const oneLinePem = rsaPem.trim().replaceAll('\n', '\\n');
    const viaOneLine = createAuthenticator(jwtConfig({ jwksUrl: undefined, publicKey: oneLinePem }));
    expect((await viaOneLine(request(bearer(token)))).name).toBe('alice');
    const jwk = JSON.stringify(await exportJWK(rsa.publicKey));
    const viaJwk = createAuthenticator(jwtConfig({ jwksUrl: undefined, publicKey: jwk }));
    expect((await viaJwk(request(bearer(token)))).name).toBe('alice');
  });

  it('reads groups from a configured claim, a dotted path or a namespaced claim name', async () => {
    const nested = createAuthenticator(jwtConfig({ groupsClaim: 'realm_access.roles' }));
    const token = await sign({ realm_access: { roles: ['ops', 42, 'sre'] }, groups: ['ignored'] });
    expect((await nested(request(bearer(token)))).groups).toEqual(['ops', 'sre']);
    const namespaced = createAuthenticator(jwtConfig({ groupsClaim: 'https://example.com/groups' }));
    const namespacedToken = await sign({ 'https://example.com/groups': ['platform'] });
    expect((await namespaced(request(bearer(namespacedToken)))).groups).toEqual(['platform']);
  });

  it('refuses expired tokens, beyond the clock tolerance', async () => {
    const authenticate = createAuthenticator(jwtConfig());
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign({ iat: now - 600 }, { expiresIn: now - 120 });
    const error = await refusal(authenticate, bearer(expired));
    expect(error.reason).toBe('expired');
    expect(error.message).toBe('The token has expired');
    const withinTolerance = await sign({}, { expiresIn: now - 10 });
    expect((await authenticate(request(bearer(withinTolerance)))).name).toBe('alice');
    const strict = createAuthenticator(jwtConfig({ clockToleranceSeconds: 0 }));
    expect((await refusal(strict, bearer(withinTolerance))).reason).toBe('expired');
  });

  it('refuses a wrong issuer, a wrong audience, or a token without subject or expiry', async () => {
    const authenticate = createAuthenticator(jwtConfig());
    for (const claims of [{ iss: 'https://evil.example.com/' }, { aud: 'another-service' }]) {
      const error = await refusal(authenticate, bearer(await sign(claims)));
      expect(error.reason).toBe('invalid');
      expect(error.message).toMatch(/issuer, audience/);
    }
    const noSubject = await new SignJWT({ iss: ISSUER, aud: AUDIENCE })
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .setExpirationTime('5m')
      .sign(rsa.privateKey);
    expect((await refusal(authenticate, bearer(noSubject))).reason).toBe('invalid');
    const noExpiry = await new SignJWT({ sub: 'alice', iss: ISSUER, aud: AUDIENCE })
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .sign(rsa.privateKey);
    expect((await refusal(authenticate, bearer(noExpiry))).reason).toBe('invalid');
  });

  it('refuses alg none, HS256 keyed with the public key, and algorithms not allowed', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'alice', iss: ISSUER, aud: AUDIENCE, exp: now + 300 };
    const unsecured = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
    const hmacWithPem = await sign({}, { alg: 'HS256', key: new TextEncoder().encode(rsaPem) });
    const rs384Keys = await generateKeyPair('RS384');
    const rs384 = await sign({}, { alg: 'RS384', key: rs384Keys.privateKey });
    for (const config of [jwtConfig(), jwtConfig({ jwksUrl: undefined, publicKey: rsaPem })]) {
      const authenticate = createAuthenticator(config);
      for (const token of [unsecured, hmacWithPem, rs384]) {
        const error = await refusal(authenticate, bearer(token));
        expect(error.reason).toBe('invalid');
        expect(error.message).toBe('The token is not valid');
      }
    }
    expect(() => createAuthenticator(jwtConfig({ algorithms: ['HS256' as never] }))).toThrow(/asymmetric/);
  });

  it('refuses a tampered signature or payload, another key, an unknown kid', async () => {
    const authenticate = createAuthenticator(jwtConfig());
    const token = await sign();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'root' }),
    ).toString('base64url');
    const forged = [
      `${header}.${payload}.${flipped}`,
      `${header}.${forgedPayload}.${signature}`,
      await sign({}, { key: other.privateKey }),
      await sign({}, { kid: 'rsa-unknown' }),
      'not-a-jwt',
      `${header}.${payload}`,
    ];
    for (const bad of forged) {
      expect((await refusal(authenticate, bearer(bad), [bad, token])).reason).toBe('invalid');
    }
  });

  it('answers 503 without the token when the JWKS cannot be fetched', async () => {
    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const port = (down.address() as AddressInfo).port;
    await new Promise<void>((resolve) => down.close(() => resolve()));
    const authenticate = createAuthenticator(jwtConfig({ jwksUrl: `http://127.0.0.1:${port}/jwks.json` }));
    const error = await refusal(authenticate, bearer(await sign()));
    expect(error.reason).toBe('unavailable');
    expect(error.extensions).toEqual({
      code: 'AUTHENTICATION_UNAVAILABLE',
      http: { status: 503, headers: {} },
    });
    const notFound = createAuthenticator(jwtConfig({ jwksUrl: jwksUrl.replace('jwks.json', 'missing') }));
    expect((await refusal(notFound, bearer(await sign()))).reason).toBe('unavailable');
  });

  it('needs a Bearer token; x-api-key is not a JWT header', async () => {
    const authenticate = createAuthenticator(jwtConfig());
    const token = await sign();
    const missing = await refusal(authenticate, { 'x-api-key': token });
    expect(missing.reason).toBe('missing');
    expect(missing.message).not.toMatch(/x-api-key/);
    expect((await refusal(authenticate, { authorization: token })).reason).toBe('malformed');
  });

  it('refuses configurations that cannot verify safely', () => {
    expect(() => createAuthenticator(jwtConfig({ publicKey: rsaPem }))).toThrow(/exactly one/);
    expect(() => createAuthenticator(jwtConfig({ audience: [] }))).toThrow(/audience/);
    expect(() => createAuthenticator({ mode: 'api-key', keys: [] })).toThrow(/at least one key/);
  });
});
