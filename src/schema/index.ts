import { builder } from './builder.js';
import './scalars.js';
import './cluster.js';
import './cluster-list.js';
import './node-pool.js';
import './subscription.js';
import { isolateEntities } from './entities.js';

builder.queryType({
  description: 'ACK node pools as a graph: start from a cluster id, or ask for node pools directly.',
});

/**
 * The schema served: an Apollo Federation 2 subgraph (`_service`, `_entities`), whose `@link`
 * imports only the federation directives the types use.
 */
export const schema = isolateEntities(builder.toSubGraphSchema({ sortSchema: true }));
