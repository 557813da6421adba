// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are rover config values, not templates.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { composeSupergraph, expandVariables } from '../../scripts/compose-supergraph.js';
import { OWNERSHIP_TYPE_DEFS } from '../helpers/ownership-subgraph.js';

const ACK_GRAPH = (url: string) =>
  new RegExp(`ACK @join__graph\\(name: "ack", url: "${url.replaceAll(/[./?]/g, '\\$&')}"\\)`);

describe('npm run supergraph', () => {
  it('composes the committed supergraph.yaml (rover format) from the committed subgraph SDL', async () => {
    const supergraph = await composeSupergraph('supergraph.yaml', { env: {} });
    expect(supergraph).toContain('join__Graph');
    expect(supergraph).toMatch(ACK_GRAPH('http://localhost:4000/graphql'));
    expect(supergraph).toMatch(/type NodePool\s+@join__type\(graph: ACK, key: "clusterId id"\)/);
  });

  it("takes this subgraph's routing URL from ACK_SUBGRAPH_URL, as rover does", async () => {
    // The committed file uses rover's expansion syntax, with the local gateway as the default.
    const config = parseYaml(await readFile('supergraph.yaml', 'utf8'));
    expect(config.subgraphs.ack.routing_url).toBe('${env.ACK_SUBGRAPH_URL:-http://localhost:4000/graphql}');
    const url = 'https://ack-gateway.internal/graphql';
    expect(await composeSupergraph('supergraph.yaml', { env: { ACK_SUBGRAPH_URL: url } })).toMatch(
      ACK_GRAPH(url),
    );
  });

  it("composes with another team's subgraph, and reports composition errors", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'supergraph-'));
    const config = (ownershipSdl: string) =>
      stringify({
        federation_version: '=2.14.4',
        subgraphs: {
          ack: { routing_url: 'http://ack/graphql', schema: { file: resolve('schema/subgraph.graphql') } },
          ownership: { routing_url: 'http://ownership/graphql', schema: { sdl: ownershipSdl } },
        },
      });
    await writeFile(join(dir, 'ok.yaml'), config(print(OWNERSHIP_TYPE_DEFS)));
    expect(await composeSupergraph(join(dir, 'ok.yaml'))).toMatch(
      /team: Team @join__field\(graph: OWNERSHIP\)/,
    );

    // Another subgraph that also resolves Cluster.nodePools without @shareable cannot compose.
    const clash = `${print(OWNERSHIP_TYPE_DEFS)}\nextend type Cluster { nodePools: [String] }`;
    await writeFile(join(dir, 'clash.yaml'), config(clash));
    await expect(composeSupergraph(join(dir, 'clash.yaml'))).rejects.toThrow(/Composition failed/);
  });
});

describe("rover's variable expansion", () => {
  const env = { URL: 'http://set/graphql', EMPTY: '', TOKEN: 'abc' };

  it('expands ${env.NAME} and ${env.NAME:-default} in values, at any depth, never in keys', () => {
    expect(
      expandVariables(
        {
          a: '${env.URL}',
          b: '${env.UNSET:-http://fallback:4000/graphql}',
          c: ['Bearer ${env.TOKEN}', 7, true, null],
          d: { nested: '${env.URL:-unused}/x ${env.TOKEN}' },
          '${env.URL}': 'a key stays as written',
        },
        env,
      ),
    ).toEqual({
      a: 'http://set/graphql',
      b: 'http://fallback:4000/graphql',
      c: ['Bearer abc', 7, true, null],
      d: { nested: 'http://set/graphql/x abc' },
      '${env.URL}': 'a key stays as written',
    });
  });

  it('keeps a set but empty variable empty (the default is for unset ones), like rover', () => {
    expect(expandVariables('[${env.EMPTY:-default}]', env)).toBe('[]');
    expect(expandVariables('[${env.EMPTY}]', env)).toBe('[]');
  });

  it('refuses an unset variable without a default, and expansions it does not implement', () => {
    expect(() => expandVariables('${env.UNSET}', env)).toThrow(/UNSET is not set and has no default/);
    expect(() => expandVariables('${file.token.txt}', env)).toThrow(/only \$\{env\.NAME\}/);
    expect(() => expandVariables('${URL}', env)).toThrow(/only \$\{env\.NAME\}/);
  });
});
