import { builder } from './builder.js';
import './scalars.js';
import './cluster.js';
import './node-pool.js';

builder.queryType({
  description: 'ACK node pools as a graph: start from a cluster id, or ask for node pools directly.',
});

export const schema = builder.toSchema({ sortSchema: true });
