import { boolean, field, listOf, object, string } from '../dsl.js';
import { TagSpec } from '../tag.js';
import { CpuPolicyEnum } from './enums.js';

export const TaintSpec = object(
  'Taint',
  'A Kubernetes taint applied to the nodes of the pool (`kubernetes_config.taints`).',
  {
    key: field(string, 'Key of the taint.'),
    value: field(string, 'Value of the taint.'),
    effect: field(
      string,
      'Effect of the taint: `NoSchedule` (Pods that do not tolerate it are not scheduled onto the node; running Pods are unaffected), `NoExecute` (Pods that do not tolerate it are also evicted) or `PreferNoSchedule` (the scheduler tries to avoid the node). Default: `NoSchedule`.',
    ),
  },
);

export const KubernetesConfigSpec = object(
  'KubernetesConfig',
  'The Kubernetes-side configuration of the nodes (`kubernetes_config`): labels, taints, container runtime and initialization scripts.',
  {
    labels: field(listOf(TagSpec), 'Kubernetes labels added to the nodes.'),
    taints: field(
      listOf(TaintSpec),
      'Taints added to the nodes. Taints and tolerations together keep Pods off nodes that do not suit them.',
    ),
    runtime: field(
      string,
      'Container runtime: `containerd` (recommended, all cluster versions), `Sandboxed-Container.runv` (sandboxed containers with stronger isolation, clusters of version 1.31 and earlier) or `docker` (no longer maintained, clusters of version 1.22 and earlier).',
    ),
    runtime_version: field(string, 'Version of the container runtime, e.g. "1.6.38".'),
    cpu_policy: field(CpuPolicyEnum, 'CPU management policy of the nodes.'),
    unschedulable: field(boolean, 'Whether nodes are unschedulable after they are added by a scale-out.'),
    cms_enabled: field(
      boolean,
      'Whether the CloudMonitor agent is installed on the ECS nodes, so that their monitoring data shows in the CloudMonitor console.',
    ),
    node_name_mode: field(
      string,
      'Custom node naming: prefix + a substring of the node IP address + suffix. Prefix and suffix consist of parts separated by "." (lowercase letters, digits and "-"); the IP substring is the last 5 to 12 digits of the IP address. Example: IP 192.168.0.55, prefix aliyun.com, length 5 and suffix test give aliyun.com00055test.',
    ),
    pre_user_data: field(
      string,
      'Base64-encoded script run on each node before it is initialized (instance user data). It may embed secrets: answered only to callers holding the `ack:sensitive` scope.',
      { sensitive: true },
    ),
    user_data: field(
      string,
      'Base64-encoded script run on each node after it is initialized (instance user data). It may embed secrets: answered only to callers holding the `ack:sensitive` scope.',
      { sensitive: true },
    ),
  },
);
