import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  configVariables,
  generatedConfigFiles,
  groupVariables,
  MAX_LINE_WIDTH,
} from '../../scripts/docs-config.js';
import { AuthEnvSchema } from '../../src/auth/auth-config.js';
import { EnvSchema } from '../../src/config.js';

/** Every .ts file under `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `e.NAME`, `env.NAME` and `process.env.NAME` reads of a source file. */
const envReads = (source: string): string[] =>
  [...source.matchAll(/\b(?:e|env)\.([A-Z][A-Z0-9_]*)\b/g)].map((match) => match[1]!);

const schemaKeys = [...Object.keys(EnvSchema.shape), ...Object.keys(AuthEnvSchema.shape)];

describe('the configuration reference (npm run docs:config)', () => {
  it.each(Object.entries(generatedConfigFiles()))('%s is what the script writes', (path, expected) => {
    // On failure: run `npm run docs:config` and commit the result.
    expect(readFileSync(path, 'utf8')).toBe(expected);
  });

  it('describes every variable of both schemas', () => {
    const missing = Object.entries({ ...EnvSchema.shape, ...AuthEnvSchema.shape })
      .filter(([, schema]) => !schema.description?.trim())
      .map(([name]) => name);
    expect(missing).toEqual([]);
    expect(configVariables().map((variable) => variable.name)).toEqual(schemaKeys);
  });

  it('knows every variable the gateway reads: each is a schema key, hence described', () => {
    const read = new Map<string, string>();
    for (const file of sourceFiles('src')) {
      // The standalone simulator is a process of its own, checked below.
      if (file.startsWith(join('src', 'simulator'))) continue;
      for (const name of envReads(readFileSync(file, 'utf8'))) read.set(name, file);
    }
    expect(read.size).toBeGreaterThan(50);
    const unknown = [...read].filter(([name]) => !schemaKeys.includes(name));
    expect(unknown, 'read from the environment but missing from EnvSchema/AuthEnvSchema').toEqual([]);
  });

  it('documents every variable the standalone simulator reads in docs/simulator.md', () => {
    const source = readFileSync('src/simulator/main.ts', 'utf8');
    const names = new Set([
      ...[...source.matchAll(/FromEnv\(\s*'([A-Z][A-Z0-9_]*)'/g)].map((match) => match[1]!),
      ...[...source.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]!),
    ]);
    expect(names.size).toBeGreaterThan(5);
    const page = readFileSync('docs/simulator.md', 'utf8');
    // The page lists `SIMULATOR_ACCESS_KEY_ID`, `_SECRET` as one row.
    const missing = [...names].filter(
      (name) => !page.includes(`\`${name}\``) && !page.includes(`\`_${name.split('_').pop()}\``),
    );
    expect(missing).toEqual([]);
  });

  it('puts every variable in exactly one group, and fails loudly on one that fits none', () => {
    const groups = groupVariables();
    const grouped = groups.flatMap((group) => group.variables.map((variable) => variable.name));
    expect(grouped.toSorted()).toEqual(schemaKeys.toSorted());
    expect(() => groupVariables([...configVariables(), { name: 'NEW_KNOB', meaning: 'x' }])).toThrow(
      /NEW_KNOB is in no group/,
    );
    expect(() => groupVariables([{ name: 'PORT', meaning: 'x' }])).toThrow(/matches no variable/);
  });

  it('reads defaults from the schemas, and states flag defaults from their descriptions', () => {
    const byName = new Map(configVariables().map((variable) => [variable.name, variable]));
    const parsed = EnvSchema.parse({});
    expect(byName.get('PORT')?.defaultValue).toBe(String(parsed.PORT));
    expect(byName.get('ACK_BREAKER_FAILURE_RATIO')?.defaultValue).toBe(
      String(parsed.ACK_BREAKER_FAILURE_RATIO),
    );
    expect(byName.get('ACK_BREAKER_WINDOW_MS')?.defaultValue).toBe(String(parsed.ACK_BREAKER_WINDOW_MS));
    expect(byName.get('AUTH_MODE')?.defaultValue).toBe('none');
    expect(byName.get('AUTH_JWT_CLOCK_TOLERANCE_S')?.defaultValue).toBe('30');
    // A flag has no schema default (unset and "0" differ); its description says what unset means.
    expect(byName.get('METRICS')).toMatchObject({ defaultValue: 'true' });
    expect(byName.get('METRICS')?.meaning).not.toMatch(/default/);
    expect(byName.get('ACK_ENDPOINT')?.defaultValue).toBeUndefined();
  });

  it('is readable in 100 columns', () => {
    for (const text of Object.values(generatedConfigFiles())) {
      const wide = text.split('\n').filter((line) => [...line].length > MAX_LINE_WIDTH);
      expect(wide).toEqual([]);
    }
  });

  it('writes an .env.example whose values the gateway accepts as they are', () => {
    const example = readFileSync('.env.example', 'utf8');
    const env = Object.fromEntries(
      [...example.matchAll(/^# ([A-Z][A-Z0-9_]*)=(.+)$/gm)].map((match) => [match[1]!, match[2]!]),
    );
    expect(Object.keys(env)).toContain('ACK_BREAKER_FAILURE_RATIO');
    expect(Object.keys(env)).toContain('ACK_BREAKER_WINDOW_MS');
    for (const name of schemaKeys) expect(example).toMatch(new RegExp(`^# ${name}=`, 'm'));
    expect(EnvSchema.safeParse(env).error?.issues ?? []).toEqual([]);
    expect(AuthEnvSchema.safeParse(env).error?.issues ?? []).toEqual([]);
  });
});
