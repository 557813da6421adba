import { field, object, string } from './dsl.js';

// One Tag type for node pools and clusters alike: ACK sends the same key-value shape in each.
export const TagSpec = object(
  'Tag',
  'A key-value pair: an ECS instance tag (`scaling_group.tags`) or a Kubernetes node label (`kubernetes_config.labels`).',
  {
    key: field(string, 'Key of the tag or label.'),
    value: field(string, 'Value of the tag or label.'),
  },
);
