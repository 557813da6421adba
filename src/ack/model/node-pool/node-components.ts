import { field, json, listOf, object, string } from '../dsl.js';

export const NodeComponentEnvSpec = object(
  'NodeComponentEnv',
  'An environment variable of a node component (`node_components[].config.envs[]`).',
  {
    name: field(string, 'Name of the environment variable.'),
    value: field(string, 'Value of the environment variable.'),
  },
);

export const NodeComponentConfigSpec = object(
  'NodeComponentConfig',
  'The configuration of a node component (`node_components[].config`).',
  {
    custom_config: field(
      json,
      'Custom configuration of the component: parameter name to value, e.g. {"cpuManagerPolicy": "static"}.',
    ),
    envs: field(listOf(NodeComponentEnvSpec), 'Environment variables of the component.'),
  },
);

export const NodeComponentSpec = object(
  'NodeComponent',
  'A component installed on the nodes, such as the kubelet (`node_components[]`).',
  {
    name: field(string, 'Name of the component, e.g. "kubelet".'),
    version: field(string, 'Version of the component, e.g. "1.33.3-aliyun.1".'),
    config: field(NodeComponentConfigSpec, 'Configuration of the component.'),
    config_revision: field(string, 'Revision number of the custom configuration of the component.'),
  },
);
