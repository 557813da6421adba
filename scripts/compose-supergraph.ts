/**
 * `npm run supergraph [-- --config supergraph.yaml --output supergraph.graphql]`: composes the
 * subgraphs listed in a rover-format config with @apollo/composition and writes the supergraph
 * SDL a router (Apollo Router, Apollo Gateway, Hive Gateway) loads.
 *
 * Values may use rover's variable expansion (the GraphOS Router's syntax), so that this script
 * and `rover supergraph compose` read the file alike: `${env.NAME}` is the environment variable
 * `NAME`, `${env.NAME:-default}` falls back to `default` when `NAME` is not set (an empty value
 * stays empty, as in rover).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { parse as parseYaml } from 'yaml';

interface SubgraphConfig {
  routing_url?: string;
  schema: { file?: string; sdl?: string; subgraph_url?: string };
}

interface SupergraphConfig {
  federation_version?: string | number;
  subgraphs: Record<string, SubgraphConfig>;
}

/** `${env.NAME}` or `${env.NAME:-default}`; any other `${...}` is refused rather than kept. */
const EXPANSION = /\$\{([^}]*)\}/g;
const ENV_REFERENCE = /^env\.([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * Expands rover's variable references in every string value of a parsed config (never in keys,
 * as rover). Throws, naming the reference, for an unset variable without a default and for
 * expansions this script does not implement (`${file.path}`).
 */
export function expandVariables(value: unknown, env: NodeJS.ProcessEnv = process.env): unknown {
  if (typeof value === 'string') {
    return value.replace(EXPANSION, (whole, reference: string) => {
      const match = ENV_REFERENCE.exec(reference);
      if (!match) throw new Error(`${whole}: only \${env.NAME} and \${env.NAME:-default} are supported`);
      const [, name, fallback] = match as unknown as [string, string, string | undefined];
      const found = env[name];
      if (found !== undefined) return found;
      if (fallback !== undefined) return fallback;
      throw new Error(`${whole}: environment variable ${name} is not set and has no default`);
    });
  }
  if (Array.isArray(value)) return value.map((item) => expandVariables(item, env));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expandVariables(item, env)]));
  }
  return value;
}

export interface ComposeOptions {
  /** Where `${env.NAME}` references are looked up. @default process.env */
  env?: NodeJS.ProcessEnv;
}

async function loadSdl(name: string, config: SubgraphConfig, baseDir: string): Promise<string> {
  const { schema } = config;
  if (schema.sdl) return schema.sdl;
  if (schema.file) return readFile(resolve(baseDir, schema.file), 'utf8');
  if (schema.subgraph_url) {
    const response = await fetch(schema.subgraph_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    const body = (await response.json()) as { data?: { _service?: { sdl?: string } } };
    const sdl = body.data?._service?.sdl;
    if (!sdl) throw new Error(`subgraph ${name}: ${schema.subgraph_url} did not answer _service { sdl }`);
    return sdl;
  }
  throw new Error(`subgraph ${name}: schema needs one of file, sdl or subgraph_url`);
}

/** Composes the subgraphs of a rover-format config file; throws with every composition error. */
export async function composeSupergraph(configPath: string, options: ComposeOptions = {}): Promise<string> {
  const config = expandVariables(
    parseYaml(await readFile(configPath, 'utf8')),
    options.env,
  ) as SupergraphConfig;
  const baseDir = dirname(resolve(configPath));
  const services = await Promise.all(
    Object.entries(config.subgraphs ?? {}).map(async ([name, subgraph]) => ({
      name,
      url: subgraph.routing_url,
      typeDefs: parse(await loadSdl(name, subgraph, baseDir)),
    })),
  );
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((error) => `  ${error.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: 'supergraph.yaml' },
      output: { type: 'string', default: 'supergraph.graphql' },
    },
  });
  const supergraph = await composeSupergraph(values.config);
  await writeFile(values.output, supergraph);
  console.log(`Composed ${values.config} into ${values.output}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
