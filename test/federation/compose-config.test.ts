import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { composeSupergraph } from '../../scripts/compose-supergraph.js';
import { OWNERSHIP_TYPE_DEFS } from './ownership-subgraph.js';

describe('npm run supergraph', () => {
  it('composes the committed supergraph.yaml (rover format) from the committed subgraph SDL', async () => {
    const supergraph = await composeSupergraph('supergraph.yaml');
    expect(supergraph).toContain('join__Graph');
    expect(supergraph).toMatch(/ACK @join__graph\(name: "ack", url: "http:\/\/localhost:4000\/graphql"\)/);
    expect(supergraph).toMatch(/type NodePool\s+@join__type\(graph: ACK, key: "clusterId id"\)/);
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
