// `GATEWAY_URL=http://localhost:4000/graphql node dist/main.js`: the dashboard's two screens,
// printed, against a gateway that serves this folder's persisted-documents.json.
import { createDashboardClient } from './client.js';
import { DashboardClusters, PoolByName } from './operations.js';

const client = createDashboardClient(process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql');
const clusters = await client.execute(DashboardClusters, { first: 10 });
if (clusters.errors) throw new Error(JSON.stringify(clusters.errors));
for (const cluster of clusters.data?.clusterList.nodes ?? []) {
  console.log(`${cluster.name} (${cluster.state}): ${cluster.nodePools?.length ?? 0} pools`);
}
const first = clusters.data?.clusterList.nodes[0];
const pool = first?.nodePools?.[0];
if (first && pool?.name) {
  const detail = await client.execute(PoolByName, { clusterId: first.id, name: pool.name });
  console.log(JSON.stringify(detail.data, null, 2));
}
