import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type ApiKeyConfig, ApiKeysSchema } from './api-key.js';
import type { AuthenticationConfig } from './authenticate.js';
import {
  checkJwksUrl,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_GROUPS_CLAIM,
  DEFAULT_JWT_ALGORITHMS,
  JWT_ALGORITHMS,
  type JwtAlgorithm,
  parseJwtPublicKey,
} from './jwt.js';
import { type PolicyOptions, PolicySchema, type PolicyStatement } from './policy.js';

/** Longest clock leeway accepted for JWTs. */
export const MAX_CLOCK_TOLERANCE_SECONDS = 300;

/** An empty or blank variable counts as unset. */
const unsetIfBlank = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const text = z.preprocess(unsetIfBlank, z.string().trim().optional());
const commaList = z.preprocess(
  unsetIfBlank,
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .optional(),
);

/**
 * A variable holding JSON of the given shape. Neither JSON.parse's message (Node quotes the
 * input) nor the value is ever put in an issue: only paths and rules.
 */
function jsonVariable<T extends z.ZodTypeAny>(schema: T) {
  return z.preprocess(
    unsetIfBlank,
    z
      .string()
      .transform((raw, ctx): z.output<T> => {
        let value: unknown;
        try {
          value = JSON.parse(raw);
        } catch {
          ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
          return z.NEVER;
        }
        const parsed = schema.safeParse(value);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
          }
          return z.NEVER;
        }
        return parsed.data;
      })
      .optional(),
  );
}

/**
 * The authentication and authorization variables, as a fragment of the gateway's env schema
 * (`EnvSchema.extend(AuthEnvSchema.shape)`). Each variable is checked on its own here;
 * `toAuthConfig` checks how they combine. No message ever contains a value.
 */
export const AuthEnvSchema = z.object({
  AUTH_MODE: z
    .preprocess(
      unsetIfBlank,
      z
        .enum(['none', 'api-key', 'jwt'], { errorMap: () => ({ message: 'must be none, api-key or jwt' }) })
        .default('none'),
    )
    .describe('How callers authenticate: `none` (all anonymous, for local development), `api-key` or `jwt`.'),
  AUTH_API_KEYS: jsonVariable(ApiKeysSchema).describe(
    'api-key: JSON `[{"name","sha256","groups"?,"scopes"?}]`, the SHA-256 of each key, never the key.',
  ),
  AUTH_ANONYMOUS_SCOPES: commaList.describe(
    'none: comma list of scopes the anonymous caller holds, e.g. `ack:sensitive`.',
  ),
  AUTH_JWT_JWKS_URL: text
    .superRefine((value, ctx) => {
      const problem = value === undefined ? undefined : checkJwksUrl(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe('jwt: JWKS URL the tokens are verified with (https; http only on localhost).'),
  AUTH_JWT_PUBLIC_KEY: text
    .superRefine((value, ctx) => {
      if (value === undefined) return;
      try {
        parseJwtPublicKey(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    })
    .describe('jwt: instead of a JWKS, one public key (SPKI PEM or a public JWK).'),
  AUTH_JWT_ISSUER: commaList.describe('jwt (required): comma list of accepted `iss` values.'),
  AUTH_JWT_AUDIENCE: commaList.describe('jwt (required): comma list of accepted `aud` values.'),
  AUTH_JWT_ALGORITHMS: commaList
    .superRefine((value, ctx) => {
      if (value?.some((algorithm) => !(JWT_ALGORITHMS as readonly string[]).includes(algorithm))) {
        ctx.addIssue({ code: 'custom', message: `must be a comma list of ${JWT_ALGORITHMS.join(', ')}` });
      }
    })
    .describe(
      `jwt: comma list of accepted asymmetric algorithms (default ${DEFAULT_JWT_ALGORITHMS.join(',')}).`,
    ),
  AUTH_JWT_GROUPS_CLAIM: text.describe(
    `jwt: claim holding the caller's groups, a name or a dotted path (default ${DEFAULT_GROUPS_CLAIM}).`,
  ),
  AUTH_JWT_CLOCK_TOLERANCE_S: z
    .preprocess(
      unsetIfBlank,
      z.coerce
        .number({ message: 'must be a whole number of seconds' })
        .int({ message: 'must be a whole number of seconds' })
        .min(0, { message: 'must not be negative' })
        .max(MAX_CLOCK_TOLERANCE_SECONDS, { message: `must be at most ${MAX_CLOCK_TOLERANCE_SECONDS}` })
        .default(DEFAULT_CLOCK_TOLERANCE_SECONDS),
    )
    .describe(
      `jwt: clock skew tolerated on \`exp\`/\`nbf\`, in seconds (at most ${MAX_CLOCK_TOLERANCE_SECONDS}).`,
    ),
  AUTH_POLICY: jsonVariable(PolicySchema).describe(
    'RAM-style JSON policy: which callers see which clusters (docs/security.md); unset: all.',
  ),
  AUTH_POLICY_FILE: text.describe('A file holding the AUTH_POLICY JSON instead (set at most one of them).'),
  ACK_ACCOUNT_ID: text
    .superRefine((value, ctx) => {
      if (value !== undefined && value !== '*' && !/^[0-9]{1,32}$/.test(value)) {
        ctx.addIssue({ code: 'custom', message: 'must be the numeric Alibaba Cloud account id (UID), or *' });
      }
    })
    .describe('Account UID (or `*`) in the cluster ARNs policies match; unset: unknown, fails closed.'),
});

export type AuthEnv = z.output<typeof AuthEnvSchema>;

export interface AuthConfig {
  /** For `createAuthenticator`. */
  authentication: AuthenticationConfig;
  /** For `createPolicy(policy.statements, policy)`; `statements` undefined: no policy, allow all. */
  policy: PolicyOptions & { statements?: PolicyStatement[] };
}

export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';

  /** One line per problem, `VARIABLE: rule`, like the gateway's other configuration errors. */
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  }
}

export interface ToAuthConfigOptions {
  /** Reads `AUTH_POLICY_FILE` (tests replace it). @default fs.readFileSync(path, 'utf8') */
  readFile?: (path: string) => string;
}

const JWT_VARIABLES = [
  'AUTH_JWT_JWKS_URL',
  'AUTH_JWT_PUBLIC_KEY',
  'AUTH_JWT_ISSUER',
  'AUTH_JWT_AUDIENCE',
  'AUTH_JWT_ALGORITHMS',
  'AUTH_JWT_GROUPS_CLAIM',
] as const;

/**
 * Turns the parsed variables into the auth configuration. Reports every problem of how they
 * combine at once (AuthConfigError), including a mode's missing variables and variables that
 * belong to another mode (a forgotten `AUTH_MODE` would otherwise leave the gateway open), and
 * reads and validates `AUTH_POLICY_FILE`. `ALIBABA_CLOUD_REGION_ID` is the gateway's own.
 */
export function toAuthConfig(
  env: AuthEnv & { ALIBABA_CLOUD_REGION_ID?: string },
  options: ToAuthConfigOptions = {},
): AuthConfig {
  const problems: string[] = [];
  const mode = env.AUTH_MODE;
  const belongsTo = (variable: string, owner: string) =>
    problems.push(`${variable}: only used with AUTH_MODE=${owner}; set AUTH_MODE=${owner} or unset it`);
  if (mode !== 'api-key' && env.AUTH_API_KEYS) belongsTo('AUTH_API_KEYS', 'api-key');
  if (mode !== 'none' && env.AUTH_ANONYMOUS_SCOPES) belongsTo('AUTH_ANONYMOUS_SCOPES', 'none');
  if (mode !== 'jwt') {
    for (const variable of JWT_VARIABLES) if (env[variable] !== undefined) belongsTo(variable, 'jwt');
  }

  let authentication: AuthenticationConfig | undefined;
  if (mode === 'none') {
    authentication = { mode, anonymousScopes: env.AUTH_ANONYMOUS_SCOPES ?? [] };
  } else if (mode === 'api-key') {
    if (!env.AUTH_API_KEYS) problems.push('AUTH_API_KEYS: required with AUTH_MODE=api-key');
    authentication = { mode, keys: env.AUTH_API_KEYS ?? ([] as ApiKeyConfig[]) };
  } else {
    const { AUTH_JWT_JWKS_URL: jwksUrl, AUTH_JWT_PUBLIC_KEY: publicKey } = env;
    if (Boolean(jwksUrl) === Boolean(publicKey)) {
      problems.push('AUTH_JWT_JWKS_URL: set exactly one of AUTH_JWT_JWKS_URL and AUTH_JWT_PUBLIC_KEY');
    }
    if (!env.AUTH_JWT_ISSUER?.length) problems.push('AUTH_JWT_ISSUER: required with AUTH_MODE=jwt');
    if (!env.AUTH_JWT_AUDIENCE?.length) problems.push('AUTH_JWT_AUDIENCE: required with AUTH_MODE=jwt');
    authentication = {
      mode,
      jwt: {
        ...(jwksUrl ? { jwksUrl } : { publicKey }),
        issuer: env.AUTH_JWT_ISSUER ?? [],
        audience: env.AUTH_JWT_AUDIENCE ?? [],
        algorithms: (env.AUTH_JWT_ALGORITHMS as JwtAlgorithm[] | undefined) ?? [...DEFAULT_JWT_ALGORITHMS],
        groupsClaim: env.AUTH_JWT_GROUPS_CLAIM ?? DEFAULT_GROUPS_CLAIM,
        clockToleranceSeconds: env.AUTH_JWT_CLOCK_TOLERANCE_S,
      },
    };
  }

  let statements = env.AUTH_POLICY;
  if (env.AUTH_POLICY && env.AUTH_POLICY_FILE) {
    problems.push('AUTH_POLICY_FILE: set at most one of AUTH_POLICY and AUTH_POLICY_FILE');
  } else if (env.AUTH_POLICY_FILE) {
    statements = readPolicyFile(env.AUTH_POLICY_FILE, problems, options.readFile);
  }

  const regionId = env.ALIBABA_CLOUD_REGION_ID?.trim() || undefined;
  if (statements && regionId && !/^[a-z0-9][a-z0-9-]{0,63}$/.test(regionId)) {
    problems.push('ALIBABA_CLOUD_REGION_ID: must be a region id such as cn-hangzhou to evaluate AUTH_POLICY');
  }
  if (problems.length > 0) throw new AuthConfigError(problems);
  return {
    authentication: authentication!,
    policy: { statements, accountId: env.ACK_ACCOUNT_ID, regionId },
  };
}

function readPolicyFile(
  path: string,
  problems: string[],
  readFile: (path: string) => string = (file) => readFileSync(file, 'utf8'),
): PolicyStatement[] | undefined {
  let raw: string;
  try {
    raw = readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    problems.push(`AUTH_POLICY_FILE: cannot read the file (${code})`);
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    problems.push('AUTH_POLICY_FILE: the file is not valid JSON');
    return undefined;
  }
  const parsed = PolicySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    problems.push(`AUTH_POLICY_FILE: ${[...issue.path].join('.') || '(root)'}: ${issue.message}`);
  }
  return undefined;
}

/**
 * The AUTH_* variables (and `ACK_ACCOUNT_ID`, `ALIBABA_CLOUD_REGION_ID` for the policy's ARNs)
 * of `env`, checked and combined; every problem at once in an `AuthConfigError`.
 */
export function loadAuthConfig(env: NodeJS.ProcessEnv, options: ToAuthConfigOptions = {}): AuthConfig {
  const parsed = AuthEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new AuthConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  return toAuthConfig({ ...parsed.data, ALIBABA_CLOUD_REGION_ID: env.ALIBABA_CLOUD_REGION_ID }, options);
}
