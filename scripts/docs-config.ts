/**
 * `npm run docs:config [-- --check]`: writes `docs/configuration.md` and `.env.example` from the
 * environment schemas (`EnvSchema` in src/config.ts, `AuthEnvSchema` in src/auth/auth-config.ts):
 * each variable's default is read from the schema, its meaning from its `.describe()`. With
 * `--check` nothing is written; the exit status says whether both files are current.
 * `test/docs/configuration.test.ts` fails when they drift.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AuthEnvSchema } from '../src/auth/auth-config.js';
import { EnvSchema } from '../src/config.js';

/**
 * The groups of the reference, in order. Patterns are whole variable names or end in `*` (a
 * prefix). Every variable must land in exactly one group, and every pattern must match one.
 */
export const CONFIG_GROUPS: readonly { title: string; intro: string; patterns: readonly string[] }[] = [
  {
    title: 'Server',
    intro: 'Where the gateway listens, what it logs, and how it starts.',
    patterns: ['PORT', 'HOST', 'LOG_LEVEL', 'WARM_UP'],
  },
  {
    title: 'Upstream ACK',
    intro:
      'Where ACK is and who the gateway is to it. Without an endpoint, a region and credentials the ' +
      'gateway serves from its embedded simulator ([simulator.md](simulator.md)).',
    patterns: [
      'ACK_ENDPOINT',
      'ACK_PROTOCOL',
      'ALIBABA_CLOUD_*',
      'ACK_CONNECT_TIMEOUT_MS',
      'ACK_READ_TIMEOUT_MS',
      'ACK_SIMULATOR',
    ],
  },
  {
    title: 'Cache',
    intro: 'The process-wide cache of ACK answers ([resilience.md](resilience.md#the-cache-when-ack-fails)).',
    patterns: ['CACHE_*'],
  },
  {
    title: 'Shared cache',
    intro:
      'An optional Redis the replicas share for ACK answers, leases and notifications; unset, each ' +
      'process caches alone.',
    patterns: ['REDIS_*'],
  },
  {
    title: 'Resilience',
    intro: 'Retries, circuit breakers and the fair queue of ACK calls ([resilience.md](resilience.md)).',
    patterns: [
      'ACK_RETRY_*',
      'ACK_BREAKER_*',
      'ACK_MAX_*',
      'ACK_ENDPOINT_BREAKER_CLUSTERS',
      'REQUEST_DEADLINE_MS',
    ],
  },
  {
    title: 'Limits',
    intro:
      'What one request may cost, checked before any ACK call; each refusal answers ' +
      '`QUERY_LIMIT_EXCEEDED` ([api.md](api.md#errors)).',
    patterns: ['MAX_*'],
  },
  {
    title: 'HTTP',
    intro: 'The HTTP server and what browsers may do ([security.md](security.md)).',
    patterns: ['HTTP_*', 'GRAPHIQL', 'GRAPHQL_INTROSPECTION', 'CSRF_PREVENTION', 'CORS_ORIGINS'],
  },
  {
    title: 'Response cache',
    intro: 'Answers to repeated identical queries, from stored bytes ([performance.md](performance.md)).',
    patterns: ['RESPONSE_CACHE*'],
  },
  {
    title: 'Trusted documents',
    intro:
      'Persisted operations for frontends: documents by id from codegen manifests, and whether any ' +
      'other document is refused ([api.md](api.md)).',
    patterns: ['TRUSTED_DOCUMENTS*'],
  },
  {
    title: 'Live updates',
    intro: 'The `nodePools` subscription: how often watched clusters are polled, and how many may watch.',
    patterns: ['WATCH_*'],
  },
  {
    title: 'Observability',
    intro: 'Metrics and traces ([operations.md](operations.md#metrics)).',
    patterns: ['METRICS*', 'OTEL_*'],
  },
  {
    title: 'Auth',
    intro:
      'Who callers are and which clusters they may see ([security.md](security.md)). A variable ' +
      'marked `api-key`, `jwt` or `none` belongs to that `AUTH_MODE` only.',
    patterns: ['AUTH_*', 'ACK_ACCOUNT_ID'],
  },
  {
    title: 'Simulator',
    intro:
      'The embedded ACK simulator, when it runs. The standalone simulator (`npm run simulator`) reads ' +
      'a few more ([simulator.md](simulator.md#environment-variables)).',
    patterns: ['SIMULATOR_*'],
  },
];

/** One environment variable as the reference shows it. */
export interface ConfigVariable {
  name: string;
  /** The schema's `.default()`, or the default its description states; undefined: unset. */
  defaultValue?: string;
  /** The description, without the default it states. */
  meaning: string;
}

/** Where a description states its default: "... (default on)." */
const STATED_DEFAULT = /\s*\(default ([^)]+)\)/;

/** A flag's default as the environment spells it: documented "on" is `true`, "off" `false`. */
const flagValue = (stated: string | undefined): string | undefined =>
  stated === 'on' ? 'true' : stated === 'off' ? 'false' : stated;

/** The `.default()` of a variable's schema, through preprocess, refinements, pipes and optionals. */
function schemaDefault(schema: z.ZodTypeAny): unknown {
  let current: z.ZodTypeAny | undefined = schema;
  while (current) {
    if (current instanceof z.ZodDefault) return current._def.defaultValue();
    if (current instanceof z.ZodEffects) current = current._def.schema;
    else if (current instanceof z.ZodPipeline) current = current._def.in;
    else if (current instanceof z.ZodOptional || current instanceof z.ZodNullable)
      current = current._def.innerType;
    else if (current instanceof z.ZodBranded) current = current._def.type;
    else current = undefined;
  }
  return undefined;
}

/** Every variable of both schemas, with its default and meaning; throws on one without a description. */
export function configVariables(): ConfigVariable[] {
  const envKeys = Object.keys(EnvSchema.shape);
  const shapes: Record<string, z.ZodTypeAny> = { ...EnvSchema.shape };
  const problems: string[] = [];
  for (const [name, schema] of Object.entries(AuthEnvSchema.shape)) {
    if (envKeys.includes(name)) problems.push(`${name} is in both EnvSchema and AuthEnvSchema`);
    shapes[name] = schema;
  }
  const variables = Object.entries(shapes).map(([name, schema]): ConfigVariable => {
    const description = schema.description?.trim();
    if (!description) {
      problems.push(`${name} has no .describe()`);
      return { name, meaning: '' };
    }
    const fromSchema = schemaDefault(schema);
    const stated = STATED_DEFAULT.exec(description)?.[1];
    return {
      name,
      defaultValue: fromSchema !== undefined ? String(fromSchema) : flagValue(stated),
      meaning: stated === undefined ? description : description.replace(STATED_DEFAULT, ''),
    };
  });
  if (problems.length > 0) throw new Error(`Configuration schema problems:\n  ${problems.join('\n  ')}`);
  return variables;
}

const matches = (pattern: string, name: string): boolean =>
  pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;

/** The variables by group, in `CONFIG_GROUPS` order; throws unless each lands in exactly one group. */
export function groupVariables(variables: readonly ConfigVariable[] = configVariables()) {
  const problems: string[] = [];
  for (const group of CONFIG_GROUPS) {
    for (const pattern of group.patterns) {
      if (!variables.some((variable) => matches(pattern, variable.name)))
        problems.push(`pattern ${pattern} of group ${group.title} matches no variable`);
    }
  }
  const groups = CONFIG_GROUPS.map((group) => ({ ...group, variables: [] as ConfigVariable[] }));
  for (const variable of variables) {
    const owners = groups.filter((group) =>
      group.patterns.some((pattern) => matches(pattern, variable.name)),
    );
    if (owners.length !== 1) {
      problems.push(
        owners.length === 0
          ? `${variable.name} is in no group: add it to CONFIG_GROUPS in scripts/docs-config.ts`
          : `${variable.name} is in several groups: ${owners.map((group) => group.title).join(', ')}`,
      );
    } else owners[0]!.variables.push(variable);
  }
  if (problems.length > 0) throw new Error(`Configuration groups:\n  ${problems.join('\n  ')}`);
  return groups;
}

/** Lines of the generated reference are at most this wide, tables included. */
export const MAX_LINE_WIDTH = 100;

const cell = (text: string): string => text.replaceAll('|', '\\|');

function tableDefault(value: string | undefined): string {
  if (value === undefined) return '—';
  if (value === '') return '(empty)';
  return `\`${value}\``;
}

/** Words of `text`, a code span (`a b`) counting as one word. */
function words(text: string): string[] {
  const found: string[] = [];
  let word = '';
  let inCode = false;
  for (const char of text) {
    if (char === '`') inCode = !inCode;
    if (/\s/.test(char) && !inCode) {
      if (word) found.push(word);
      word = '';
    } else word += char;
  }
  if (word) found.push(word);
  return found;
}

/** `text` in lines of at most `width` characters (a longer word keeps a line of its own). */
function wrap(text: string, width: number, prefix = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words(text)) {
    if (line && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(prefix + line);
  return lines;
}

type Row = [string, string, string];

/**
 * A table whose lines fit `MAX_LINE_WIDTH`: the first two columns are padded, and the last one
 * wraps onto continuation rows whose other cells are empty.
 */
function table(header: Row, rows: readonly Row[]): string[] {
  const width = (column: 0 | 1) => Math.max(3, ...[header, ...rows].map((row) => row[column].length));
  const [first, second] = [width(0), width(1)];
  const last = MAX_LINE_WIDTH - first - second - 10;
  const line = (a: string, b: string, c: string) => `| ${a.padEnd(first)} | ${b.padEnd(second)} | ${c} |`;
  const lines = [line(...header), `| ${'-'.repeat(first)} | ${'-'.repeat(second)} | ${'-'.repeat(last)} |`];
  for (const [a, b, c] of rows) {
    wrap(c, last).forEach((part, index) => {
      lines.push(index === 0 ? line(a, b, part) : line('', '', part));
    });
  }
  return lines;
}

const paragraph = (text: string): string[] => [...wrap(text, MAX_LINE_WIDTH), ''];

/** The text of `docs/configuration.md`. */
export function renderConfigurationDoc(): string {
  const groups = groupVariables();
  const lines = [
    '# Configuration',
    '',
    '<!-- Generated by `npm run docs:config` from src/config.ts and src/auth/auth-config.ts: edit the',
    '     `.describe()` of a variable there, not this file. A test fails when the two drift. -->',
    '',
    ...paragraph(
      'Every variable is optional. The environment is read once, at start; every problem is reported ' +
        'at once (naming the variable and the rule, never the value) and the process exits with ' +
        'status 1. With no `ACK_ENDPOINT`, no `ALIBABA_CLOUD_REGION_ID` and no access key, the gateway ' +
        'serves from its embedded ACK simulator. [`.env.example`](../.env.example) lists the same ' +
        'variables with their defaults.',
    ),
    ...paragraph(
      'A default of "—" means unset. Flags take `1`/`0`, `true`/`false` or `yes`/`no`. A long meaning ' +
        'continues on the rows below its variable.',
    ),
    ...groups.map((group) => `- [${group.title}](#${anchorOf(group.title)})`),
    '',
  ];
  for (const group of groups) {
    const rows = group.variables.map(
      (variable): Row => [
        `\`${variable.name}\``,
        tableDefault(variable.defaultValue),
        cell(variable.meaning),
      ],
    );
    lines.push(`## ${group.title}`, '', ...paragraph(group.intro));
    lines.push(...table(['variable', 'default', 'meaning'], rows), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as dashes. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The text of `.env.example`. */
export function renderEnvExample(): string {
  const lines = [
    ...wrap(
      'Generated by `npm run docs:config` from src/config.ts and src/auth/auth-config.ts; ' +
        'docs/configuration.md explains each variable. Copy to .env (never commit it) or export in ' +
        'your shell. Every variable is optional: each is shown commented out, with its default ' +
        '(nothing after "=": unset). With no endpoint (ACK_ENDPOINT), no region ' +
        '(ALIBABA_CLOUD_REGION_ID) and no credentials (ALIBABA_CLOUD_ACCESS_KEY_ID and _SECRET), the ' +
        'gateway serves from its embedded ACK simulator.',
      MAX_LINE_WIDTH,
      '# ',
    ),
    '',
  ];
  for (const group of groupVariables()) {
    lines.push(`# ---- ${group.title} ----`, '');
    for (const variable of group.variables) {
      lines.push(
        ...wrap(variable.meaning, MAX_LINE_WIDTH, '# '),
        `# ${variable.name}=${variable.defaultValue ?? ''}`,
        '',
      );
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The generated files, by path from the repository root. */
export function generatedConfigFiles(): Record<string, string> {
  return { 'docs/configuration.md': renderConfigurationDoc(), '.env.example': renderEnvExample() };
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const stale: string[] = [];
  for (const [path, text] of Object.entries(generatedConfigFiles())) {
    const current = await readFile(ROOT + path, 'utf8').catch(() => undefined);
    if (current === text) continue;
    stale.push(path);
    if (!values.check) await writeFile(ROOT + path, text);
  }
  if (values.check && stale.length > 0) {
    console.error(`Stale: ${stale.join(', ')}; run npm run docs:config`);
    process.exit(1);
  }
  console.log(stale.length === 0 ? 'Configuration docs are current' : `Wrote ${stale.join(', ')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
