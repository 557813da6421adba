/** `status.spot_nodes` is read although the SDK's model lacks it: ACK sends it. */
import { field, int, object } from '../dsl.js';
import { NodePoolStateEnum } from './enums.js';

export const NodePoolStatusSpec = object(
  'NodePoolStatus',
  'Status of the node pool and counts of its nodes by state (`status`).',
  {
    state: field(NodePoolStateEnum, 'State of the node pool.'),
    healthy_nodes: field(int, 'Number of healthy nodes.'),
    initial_nodes: field(int, 'Number of nodes being created.'),
    failed_nodes: field(int, 'Number of failed nodes.'),
    offline_nodes: field(int, 'Number of offline nodes.'),
    removing_nodes: field(int, 'Number of nodes being removed.'),
    serving_nodes: field(int, 'Number of nodes in the serving state.'),
    spot_nodes: field(int, 'Number of preemptible (spot) nodes.'),
    total_nodes: field(int, 'Total number of nodes in the node pool.'),
  },
);
