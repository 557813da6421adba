/**
 * Who is calling (authentication) and which clusters they may see (authorization). Wiring:
 * config.ts extends its env schema with `AuthEnvSchema` and calls `toAuthConfig`; the app builds
 * `createAuthenticator(auth.authentication)` and `createPolicy(auth.policy.statements, auth.policy)`
 * once, and the context factory resolves the principal per request.
 */
export type { ApiKeyConfig } from './api-key.js';
export { hashApiKey } from './api-key.js';
export type { AuthConfig, AuthEnv, ToAuthConfigOptions } from './auth-config.js';
export { AuthConfigError, AuthEnvSchema, loadAuthConfig, toAuthConfig } from './auth-config.js';
export type { AuthenticationConfig, Authenticator, AuthMode, CredentialSource } from './authenticate.js';
export { createAuthenticator } from './authenticate.js';
export type { AuthenticationFailure } from './authentication-error.js';
export { AuthenticationError } from './authentication-error.js';
export type { JwtAlgorithm, JwtConfig } from './jwt.js';
export type { Policy, PolicyOptions, PolicyStatement, PolicyStatementInput } from './policy.js';
export { clusterArn, createPolicy, PolicyError, parsePolicy } from './policy.js';
export type { Principal } from './principal.js';
export { hasScope, SENSITIVE_SCOPE } from './principal.js';
