import type { Prng } from './prng.js';
import type { WireKubeletConfiguration, WireNodeComponent } from './wire-types.js';

export function kubeletConfiguration(
  rng: Prng,
  cpuPolicy: string,
  cpuCfsQuota: boolean,
): WireKubeletConfiguration {
  const lowGc = rng.pick([70, 75, 80]);
  return {
    allowedUnsafeSysctls: rng.chance(0.5) ? ['net.core.somaxconn', 'net.ipv4.tcp_tw_reuse'] : [],
    clusterDNS: ['172.21.0.10'],
    containerLogMaxFiles: rng.int(3, 10),
    containerLogMaxSize: rng.pick(['10Mi', '50Mi', '100Mi']),
    containerLogMaxWorkers: rng.int(1, 4),
    containerLogMonitorInterval: rng.pick(['10s', '30s']),
    cpuCFSQuota: cpuCfsQuota,
    cpuCFSQuotaPeriod: '100ms',
    cpuManagerPolicy: cpuPolicy,
    eventBurst: rng.pick([50, 100]),
    eventRecordQPS: rng.pick([50, 5]),
    evictionHard: {
      'memory.available': rng.pick(['100Mi', '300Mi']),
      'nodefs.available': '10%',
      'imagefs.available': '15%',
    },
    evictionSoft: { 'memory.available': rng.pick(['200Mi', '500Mi']) },
    evictionSoftGracePeriod: { 'memory.available': rng.pick(['1m30s', '2m']) },
    featureGates: { InPlacePodVerticalScaling: rng.chance(0.5), CPUManagerPolicyAlphaOptions: false },
    imageGCHighThresholdPercent: lowGc + rng.pick([5, 10, 15]),
    imageGCLowThresholdPercent: lowGc,
    kubeAPIBurst: rng.pick([10, 100]),
    kubeAPIQPS: rng.pick([5, 50]),
    kubeReserved: { cpu: rng.pick(['100m', '200m']), memory: rng.pick(['1Gi', '2Gi']) },
    maxPods: rng.pick([64, 110, 128, 256]),
    memoryManagerPolicy: cpuPolicy === 'static' ? rng.pick(['None', 'Static']) : 'None',
    podPidsLimit: rng.pick([-1, 4096, 16384]),
    readOnlyPort: 0,
    registryBurst: rng.pick([10, 20]),
    registryPullQPS: rng.pick([5, 10]),
    reservedMemory: [{ limits: { memory: rng.pick(['1Gi', '2Gi']) }, numaNode: 0 }],
    serializeImagePulls: rng.chance(0.5),
    serverTLSBootstrap: rng.chance(0.5),
    systemReserved: { cpu: '100m', memory: rng.pick(['512Mi', '1Gi']), 'ephemeral-storage': '10Gi' },
    topologyManagerPolicy: rng.pick(['none', 'best-effort', 'restricted', 'single-numa-node']),
    tracing: { endpoint: 'localhost:4317', samplingRatePerMillion: rng.pick([0, 100, 1000]) },
  };
}

export function nodeComponents(
  rng: Prng,
  kubernetesVersion: string,
  cpuPolicy: string,
  runtimeVersion: string,
): WireNodeComponent[] {
  const components: WireNodeComponent[] = [
    {
      name: 'kubelet',
      version: kubernetesVersion,
      config_revision: String(rng.int(1, 9)),
      config: {
        custom_config: { cpuManagerPolicy: cpuPolicy, maxPods: rng.pick([110, 128]) },
        envs: rng.chance(0.5) ? [{ name: 'GODEBUG', value: 'madvdontneed=1' }] : [],
      },
    },
  ];
  if (rng.chance(0.6)) {
    components.push({
      name: 'containerd',
      version: runtimeVersion,
      config_revision: String(rng.int(1, 5)),
      config: {
        custom_config: {
          max_concurrent_downloads: rng.pick([3, 5, 10]),
          registry_mirrors: 'https://registry.example.internal',
        },
        envs: [{ name: 'HTTP_PROXY', value: '' }],
      },
    });
  }
  return components;
}
