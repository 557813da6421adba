import { boolean, field, object, string } from '../dsl.js';

export const EfloNodeGroupSpec = object(
  'EfloNodeGroup',
  'The Lingjun node group behind a Lingjun node pool (`eflo_node_group`).',
  {
    cluster_id: field(string, 'ID of the Lingjun cluster.'),
    group_id: field(string, 'ID of the Lingjun node group.'),
    auto_attach_enabled: field(
      boolean,
      'Whether nodes are added to the Lingjun node pool automatically. ACK reports this flag but it currently has no effect.',
    ),
    worker_ram_role_name: field(string, 'Name of the worker RAM role used by the Lingjun node pool.'),
  },
);
