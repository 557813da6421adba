import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** A key name: what policies (`key:<name>`) and logs call the key. */
export const API_KEY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const SHA256_HEX_PATTERN = /^[0-9a-fA-F]{64}$/;
const NAME_PATTERN = /^[^\p{Cc}]{1,256}$/u;
/** Most API keys one gateway accepts; each request hashes once and compares with every one. */
export const MAX_API_KEYS = 1000;

/** One accepted API key as configured: its name and the SHA-256 of the key, never the key. */
export interface ApiKeyConfig {
  name: string;
  /** Lower-case hex SHA-256 of the key's UTF-8 bytes (`npm run hash-api-key`). */
  sha256: string;
  /** Groups the key's principal belongs to, matched by `group:<name>` in the policy. @default [] */
  groups?: string[];
  /** Scopes the key grants, e.g. `ack:sensitive`. @default [] */
  scopes?: string[];
}

const nameList = z
  .array(z.string().regex(NAME_PATTERN, { message: 'must be 1-256 characters, no control characters' }))
  .max(256);

/** The shape of `AUTH_API_KEYS`. Messages name the rule, never the value (a key pasted by mistake). */
export const ApiKeysSchema = z
  .array(
    z
      .object({
        name: z.string({ message: 'must be a string' }).regex(API_KEY_NAME_PATTERN, {
          message: 'must be 1-64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit',
        }),
        sha256: z
          .string({ message: 'must be a string' })
          .regex(SHA256_HEX_PATTERN, {
            message:
              'must be the 64 hex digits of the SHA-256 of the key (npm run hash-api-key), not the key',
          })
          .transform((hex) => hex.toLowerCase()),
        groups: nameList.optional(),
        scopes: nameList.optional(),
      })
      .strict(),
    { message: 'must be a JSON array of {"name", "sha256", "groups"?, "scopes"?}' },
  )
  .min(1, { message: 'must list at least one key' })
  .max(MAX_API_KEYS, { message: `must list at most ${MAX_API_KEYS} keys` })
  .superRefine((keys, ctx) => {
    const names = new Set<string>();
    const hashes = new Set<string>();
    keys.forEach((key, index) => {
      if (names.has(key.name))
        ctx.addIssue({ code: 'custom', path: [index, 'name'], message: 'duplicate key name' });
      if (hashes.has(key.sha256))
        ctx.addIssue({ code: 'custom', path: [index, 'sha256'], message: 'the same key is listed twice' });
      names.add(key.name);
      hashes.add(key.sha256);
    });
  });

/** The lower-case hex SHA-256 of a key's UTF-8 bytes: what `AUTH_API_KEYS` holds instead of the key. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Finds the configured key a presented key hashes to. Plain SHA-256 suffices because keys are
 * long random strings (no dictionary to try); the hashes only keep the keys themselves out of
 * the configuration. The presented key's hash is compared with every configured hash with
 * `timingSafeEqual`, without stopping at a match, so the time taken says nothing about how
 * much of a hash matched nor which key it was.
 */
export function createApiKeyMatcher(
  keys: readonly ApiKeyConfig[],
): (presented: string) => ApiKeyConfig | undefined {
  const entries = keys.map((key) => {
    if (!SHA256_HEX_PATTERN.test(key.sha256)) {
      throw new Error(`API key "${key.name}": sha256 must be 64 hex digits`);
    }
    return { key, digest: Buffer.from(key.sha256, 'hex') };
  });
  return (presented) => {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let found: ApiKeyConfig | undefined;
    for (const entry of entries) {
      if (timingSafeEqual(digest, entry.digest) && found === undefined) found = entry.key;
    }
    return found;
  };
}
