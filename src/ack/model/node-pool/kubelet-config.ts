import { boolean, field, int, json, listOf, object, string } from '../dsl.js';

export const KubeletReservedMemorySpec = object(
  'KubeletReservedMemory',
  'Memory reserved on one NUMA node for the Static memory manager policy (`kubelet_configuration.reservedMemory[]`).',
  {
    numaNode: field(int, 'Index of the NUMA node.'),
    limits: field(json, 'Amount reserved per memory resource on this NUMA node, e.g. {"memory": "1Gi"}.'),
  },
);

export const KubeletTracingSpec = object(
  'KubeletTracing',
  'OpenTelemetry tracing of the kubelet (`kubelet_configuration.tracing`).',
  {
    endpoint: field(
      string,
      'Endpoint of the OpenTelemetry collector, e.g. "localhost:4317" (the kubelet default).',
    ),
    samplingRatePerMillion: field(
      int,
      'Number of spans sampled per million spans; 0 (the kubelet default) samples none.',
    ),
  },
);

export const KubeletConfigSpec = object(
  'KubeletConfig',
  'Kubelet parameters of the nodes (`node_config.kubelet_configuration`), with the names and meanings of the Kubernetes KubeletConfiguration (v1beta1).',
  {
    allowedUnsafeSysctls: field(
      listOf(string),
      'Unsafe sysctls, or sysctl patterns ending in "*", that Pods are allowed to set.',
    ),
    clusterDNS: field(
      listOf(string),
      'IP addresses of the cluster DNS servers that containers use for name resolution.',
    ),
    containerLogMaxFiles: field(int, 'Maximum number of log files kept per container. Kubelet default: 5.'),
    containerLogMaxSize: field(
      string,
      'Maximum size a container log file reaches before it is rotated, as a quantity such as "10Mi" (the kubelet default).',
    ),
    containerLogMaxWorkers: field(
      int,
      'Maximum number of concurrent workers that rotate container logs. Kubelet default: 1.',
    ),
    containerLogMonitorInterval: field(
      string,
      'Interval at which container logs are checked for rotation, as a duration such as "10s" (the kubelet default).',
    ),
    cpuCFSQuota: field(
      boolean,
      'Whether CPU limits of containers are enforced with the CFS quota. Kubelet default: true.',
    ),
    cpuCFSQuotaPeriod: field(
      string,
      'CFS quota period used to enforce CPU limits, as a duration such as "100ms" (the kubelet default).',
    ),
    cpuManagerPolicy: field(string, 'CPU manager policy of the kubelet: `none` (default) or `static`.'),
    memoryManagerPolicy: field(string, 'Memory manager policy of the kubelet: `None` (default) or `Static`.'),
    topologyManagerPolicy: field(
      string,
      'Topology manager policy of the kubelet: `none` (default), `best-effort`, `restricted` or `single-numa-node`.',
    ),
    eventRecordQPS: field(
      int,
      'Maximum number of events the kubelet creates per second; 0 means no limit. Kubelet default: 50.',
    ),
    eventBurst: field(
      int,
      'Maximum burst of event creations, allowed temporarily above `eventRecordQPS`. Kubelet default: 100.',
    ),
    kubeAPIQPS: field(
      int,
      'Queries per second the kubelet sends to the Kubernetes API server. Kubelet default: 50.',
    ),
    kubeAPIBurst: field(
      int,
      'Maximum burst of requests to the Kubernetes API server, allowed temporarily above `kubeAPIQPS`. Kubelet default: 100.',
    ),
    registryPullQPS: field(
      int,
      'Maximum number of image pulls per second; 0 means no limit. Kubelet default: 5.',
    ),
    registryBurst: field(
      int,
      'Maximum burst of image pulls, allowed temporarily above `registryPullQPS`. Kubelet default: 10.',
    ),
    serializeImagePulls: field(boolean, 'Whether images are pulled one at a time. Kubelet default: true.'),
    evictionHard: field(
      json,
      'Hard eviction thresholds: signal name to quantity or percentage, e.g. {"memory.available": "100Mi"}. Pods are evicted as soon as a threshold is met.',
    ),
    evictionSoft: field(
      json,
      'Soft eviction thresholds: signal name to quantity or percentage. Pods are evicted when a threshold stays met for its grace period (`evictionSoftGracePeriod`).',
    ),
    evictionSoftGracePeriod: field(
      json,
      'Grace periods of the soft eviction thresholds: signal name to duration, e.g. {"memory.available": "1m30s"}.',
    ),
    featureGates: field(
      json,
      'Kubernetes feature gates of the kubelet: feature name to enabled (true) or disabled (false).',
    ),
    imageGCHighThresholdPercent: field(
      int,
      'Disk usage percentage above which image garbage collection always runs. Kubelet default: 85.',
    ),
    imageGCLowThresholdPercent: field(
      int,
      'Disk usage percentage below which image garbage collection never runs; collection frees space down to it. Kubelet default: 80.',
    ),
    kubeReserved: field(
      json,
      'Resources reserved for Kubernetes system components: resource name to quantity, e.g. {"cpu": "100m", "memory": "1Gi"}.',
    ),
    systemReserved: field(
      json,
      'Resources reserved for non-Kubernetes system daemons: resource name to quantity, e.g. {"cpu": "100m", "memory": "1Gi"}.',
    ),
    reservedMemory: field(
      listOf(KubeletReservedMemorySpec),
      'Memory reserved per NUMA node for the Static memory manager policy.',
    ),
    maxPods: field(int, 'Maximum number of Pods that can run on the node. Kubelet default: 110.'),
    podPidsLimit: field(int, 'Maximum number of process IDs per Pod; -1 means no limit.'),
    readOnlyPort: field(int, 'Port of the read-only, unauthenticated kubelet endpoint; 0 disables it.'),
    serverTLSBootstrap: field(
      boolean,
      'Whether the kubelet requests its serving certificate from the certificates.k8s.io API instead of signing it itself.',
    ),
    tracing: field(KubeletTracingSpec, 'OpenTelemetry tracing of the kubelet.'),
  },
);
