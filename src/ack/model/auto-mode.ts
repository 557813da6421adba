import { boolean, field, object } from './dsl.js';

/**
 * ACK reports intelligent managed mode (`auto_mode`) with the same shape on clusters and on node
 * pools. The schema has long answered it as two types, `ClusterAutoMode` and `AutoMode`, and
 * clients select them by name, so the shape is written once and named twice.
 */
const autoModeOf = (name: string, owner: string) =>
  object(name, `The intelligent managed mode of the ${owner} (\`auto_mode\`).`, {
    enable: field(boolean, 'Whether intelligent managed mode is enabled.'),
  });

export const AutoModeSpec = autoModeOf('AutoMode', 'node pool');
export const ClusterAutoModeSpec = autoModeOf('ClusterAutoMode', 'cluster');
