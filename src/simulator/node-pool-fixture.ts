/**
 * One generated node pool, with every key ACK sends (every key of the SDK's list and detail
 * models, plus `status.spot_nodes`, plus the masked `login_password`).
 *
 * Closed-set fields are "covered": across the first {@link COVER_WINDOW} pools of a cluster,
 * each value of each documented enum (and both values of each boolean) appears at least once,
 * with a per-cluster rotation so clusters differ. Later pools draw at random. Node counts are
 * consistent: total = serving + initial + failed + removing, healthy = serving - offline.
 */
import {
  AUTO_SCALING_TYPES,
  CPU_INSTANCE_FAMILIES,
  CPU_POLICIES,
  GPU_INSTANCE_TYPES,
  GPU_SHARE_INSTANCE_TYPES,
  IMAGES,
  INSTANCE_CHARGE_TYPES,
  INTERCONNECT_MODES,
  INTERNET_CHARGE_TYPES,
  MULTI_AZ_POLICIES,
  NAME_BY_WORKLOAD,
  PERIOD_UNITS,
  PRIVATE_POOL_MATCH_CRITERIA,
  RESOURCE_POOL_STRATEGIES,
  RUNTIMES,
  SCALING_POLICIES,
  SPOT_INSTANCE_TYPES,
  SPOT_STRATEGIES,
  TAINT_EFFECTS,
} from './node-pool-catalog.js';
import { DISK_CATEGORIES, diskSpec } from './node-pool-disks.js';
import { kubeletConfiguration, nodeComponents } from './node-pool-node-config.js';
import { createPrng, mixSeed } from './prng.js';
import { FIXTURE_NOW_MS, formatMillis, formatNanos } from './timestamps.js';
import type {
  WireDataDisk,
  WireDiskInit,
  WireInstancePatterns,
  WireNodePool,
  WireNodePoolCondition,
  WireTag,
  WireTaint,
} from './wire-types.js';

/** Pools 0..COVER_WINDOW-1 of every cluster together show every enum value. */
export const COVER_WINDOW = 5;

export const DEFAULT_NODE_POOL_NAME = 'default-nodepool';

/** The masked password ACK returns in place of a node pool's SSH password. */
export const MASKED_LOGIN_PASSWORD = '******';

/** What a node pool inherits from its cluster. */
export interface NodePoolFixtureContext {
  readonly seed: number;
  readonly clusterIndex: number;
  readonly clusterId: string;
  readonly regionId: string;
  readonly zoneIds: readonly string[];
  readonly vswitchIds: readonly string[];
  readonly securityGroupId: string;
  readonly resourceGroupId: string;
  readonly workerRamRoleName: string;
  /** e.g. `1.33.3-aliyun.1`: the kubelet component's version. */
  readonly kubernetesVersion: string;
  readonly clusterCreatedMs: number;
}

/** FNV-1a, to turn a field name into a per-field rotation. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function generateNodePool(ctx: NodePoolFixtureContext, poolIndex: number): WireNodePool {
  const rng = createPrng(mixSeed(ctx.seed, ctx.clusterIndex, poolIndex, 0x6e70));
  const clusterSalt = mixSeed(ctx.seed, ctx.clusterIndex, 0x726f74);
  const isDefault = poolIndex === 0;

  /** Index-driven choice: pools 0..COVER_WINDOW-1 walk through every value. */
  const cover = <T>(field: string, values: readonly T[]): T => {
    if (poolIndex >= COVER_WINDOW) return rng.pick(values);
    const rotation = mixSeed(clusterSalt, hashName(field)) % values.length;
    return values[(poolIndex + rotation) % values.length] as T;
  };
  /** Like `cover`, for fields the default pool fixes: pools 1..COVER_WINDOW-1 walk through `values`. */
  const coverOthers = <T>(field: string, values: readonly T[], defaultValue: T, later: readonly T[]): T => {
    if (isDefault) return defaultValue;
    if (poolIndex >= COVER_WINDOW) return rng.pick(later);
    const rotation = mixSeed(clusterSalt, hashName(field)) % values.length;
    return values[(poolIndex - 1 + rotation) % values.length] as T;
  };
  const flag = (field: string): boolean => cover(field, [true, false]);

  // Identity. The default pool is a plain, active, CPU ess pool, as ACK creates it.
  const type = coverOthers('nodepool_info.type', ['edge', 'lingjun', 'ess'] as const, 'ess', [
    'ess',
    'ess',
    'edge',
    'lingjun',
  ]);
  const state = coverOthers(
    'status.state',
    ['scaling', 'removing', 'deleting', 'updating'] as const,
    'active',
    ['active', 'active', 'active', 'scaling', 'updating'],
  );
  const workload = coverOthers('auto_scaling.type', AUTO_SCALING_TYPES, 'cpu', AUTO_SCALING_TYPES);
  const name = isDefault
    ? DEFAULT_NODE_POOL_NAME
    : type === 'edge'
      ? `edge-${ctx.regionId.replace(/^[a-z]+-/, '')}-${String(poolIndex).padStart(2, '0')}`
      : type === 'lingjun'
        ? `lingjun-train-${String(poolIndex).padStart(2, '0')}`
        : `${rng.pick(NAME_BY_WORKLOAD[workload] ?? ['general'])}-${String(poolIndex).padStart(2, '0')}`;
  const nodepoolId = `np${rng.hex(32)}`;

  // The default pool comes with the cluster; the others anywhere between then and two days ago.
  const latestCreateMs = FIXTURE_NOW_MS - 2 * 86_400_000;
  const createdMs = isDefault
    ? ctx.clusterCreatedMs + rng.int(60_000, 600_000)
    : rng.int(ctx.clusterCreatedMs + 3_600_000, Math.max(ctx.clusterCreatedMs + 3_600_000, latestCreateMs));
  const updatedMs = Math.min(createdMs + rng.int(3_000, 30 * 86_400_000), FIXTURE_NOW_MS);

  // Capacity and node counts.
  const autoScalingEnabled = flag('auto_scaling.enable');
  const minInstances = autoScalingEnabled ? rng.int(0, 3) : 0;
  const maxInstances = autoScalingEnabled ? minInstances + rng.int(5, 20) : 0;
  const existing = autoScalingEnabled
    ? rng.int(minInstances, Math.min(maxInstances, minInstances + 8))
    : isDefault
      ? rng.int(2, 6)
      : rng.int(1, 10);
  let initial = 0;
  let failed = 0;
  let removing = 0;
  let offline = 0;
  let serving = existing;
  switch (state) {
    case 'active':
      failed = existing > 2 && rng.chance(0.25) ? 1 : 0;
      serving = existing - failed;
      offline = serving > 1 && rng.chance(0.25) ? 1 : 0;
      break;
    case 'scaling':
      initial = rng.int(1, 3);
      failed = existing > 2 && rng.chance(0.3) ? 1 : 0;
      serving = existing - failed;
      break;
    case 'removing':
      removing = rng.int(1, Math.max(1, existing));
      serving = Math.max(0, existing - removing);
      removing = existing - serving;
      break;
    case 'deleting':
      removing = existing;
      serving = 0;
      break;
    case 'updating':
      offline = Math.min(existing, rng.int(1, 2));
      break;
  }
  const total = serving + initial + failed + removing;
  const desiredSize = state === 'deleting' ? 0 : serving + initial + failed;

  const spotStrategy = cover('scaling_group.spot_strategy', SPOT_STRATEGIES);
  const spotNodes = spotStrategy === 'NoSpot' ? 0 : rng.int(0, total);

  const instanceTypes: string[] =
    workload === 'gpu'
      ? [...rng.sample(GPU_INSTANCE_TYPES, rng.int(1, 2))]
      : workload === 'gpushare'
        ? [...rng.sample(GPU_SHARE_INSTANCE_TYPES, 1)]
        : workload === 'spot'
          ? [...rng.sample(SPOT_INSTANCE_TYPES, rng.int(2, 3))]
          : [...rng.pick(CPU_INSTANCE_FAMILIES)];
  const isGpu = workload === 'gpu' || workload === 'gpushare';

  const image = isGpu ? IMAGES[0] : rng.pick(IMAGES);
  const runtime = image.type === 'ContainerOS' ? RUNTIMES[0] : rng.pick(RUNTIMES);
  const cpuPolicy = cover('kubernetes_config.cpu_policy', CPU_POLICIES);
  const chargeType = cover('scaling_group.instance_charge_type', INSTANCE_CHARGE_TYPES);
  const periodUnit = cover('scaling_group.period_unit', PERIOD_UNITS);
  const period = periodUnit === 'Week' ? rng.int(1, 4) : rng.pick([1, 2, 3, 6, 12]);
  const matchCriteria = cover(
    'scaling_group.private_pool_options.match_criteria',
    PRIVATE_POOL_MATCH_CRITERIA,
  );
  const poolStrategy = cover('scaling_group.resource_pool_options.strategy', RESOURCE_POOL_STRATEGIES);
  const interconnectMode = cover('interconnect_mode', INTERCONNECT_MODES);
  const systemDisk = diskSpec(rng, cover('scaling_group.system_disk_category', DISK_CATEGORIES), true);
  const systemDiskEncrypted = flag('scaling_group.system_disk_encrypted');
  const securityGroupIds = flag('scaling_group.extra_security_group')
    ? [ctx.securityGroupId, `sg-${rng.alnum(20)}`]
    : [ctx.securityGroupId];
  const keyPairLogin = flag('scaling_group.key_pair');
  const edgeMaxNodes = type === 'edge' ? Math.max(total, rng.int(10, 50)) : 0;

  const labels: WireTag[] = [];
  if (!isDefault) labels.push({ key: 'workload', value: isGpu ? 'gpu' : type === 'ess' ? workload : type });
  if (isGpu) labels.push({ key: 'nvidia.com/gpu.present', value: 'true' });
  if (type === 'edge') labels.push({ key: 'alibabacloud.com/is-edge-worker', value: 'true' });
  if (flag('kubernetes_config.labels.team'))
    labels.push({ key: 'team', value: rng.pick(['platform', 'data', 'ml', 'web']) });

  const taints: WireTaint[] = [];
  if (!isDefault) {
    const effect = cover('kubernetes_config.taints.effect', TAINT_EFFECTS);
    const key = isGpu ? 'nvidia.com/gpu' : workload === 'spot' ? 'spot' : type === 'ess' ? 'dedicated' : type;
    taints.push({ key, value: isGpu ? 'true' : name, effect });
    if (state === 'deleting' || state === 'removing') {
      taints.push({ key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoExecute' });
    }
  }

  const dataDisks: WireDataDisk[] = [];
  const dataDiskCount = rng.int(1, 3);
  for (let d = 0; d < dataDiskCount; d++) {
    const spec = diskSpec(rng, rng.pick(DISK_CATEGORIES));
    const encrypted = d === 0 ? flag('scaling_group.data_disks.encrypted') : rng.chance(0.4);
    dataDisks.push({
      category: spec.category,
      size: spec.size,
      encrypted: encrypted ? 'true' : 'false',
      kms_key_id: encrypted ? rng.uuid() : '',
      performance_level: spec.performanceLevel,
      auto_snapshot_policy_id: rng.chance(0.4) ? `sp-${rng.alnum(20)}` : '',
      bursting_enabled: spec.burstingEnabled,
      provisioned_iops: spec.provisionedIops,
      device: `/dev/xvd${'bcd'[d]}`,
      disk_name: d === 0 ? '' : `${name}-data-${d}`,
      file_system: d === 0 ? 'ext4' : rng.pick(['ext4', 'xfs']),
      mount_target: d === 0 ? '/var/lib/container' : `/mnt/disk${d}`,
      auto_format: d === 0 ? true : rng.chance(0.7),
      snapshot_id: rng.chance(0.2) ? `s-${rng.alnum(20)}` : '',
    });
  }

  const diskInit: WireDiskInit[] = flag('scaling_group.disk_init')
    ? [
        {
          disk_name: 'nvme0n1',
          local_disk: true,
          mkfs_type: rng.pick(['ext4', 'xfs']),
          mount_for_runtime: true,
          mount_target: '/var/lib/container',
        },
      ]
    : [];

  const instancePatterns: WireInstancePatterns[] = flag('scaling_group.instance_patterns')
    ? [
        {
          architectures: ['X86'],
          burst_performance_option: 'Exclude',
          core: 8,
          cores: 8,
          cpu_architectures: ['X86'],
          excluded_instance_types: ['ecs.t6*', 'ecs.s6*'],
          instance_categories: ['General-purpose', 'Compute-optimized'],
          instance_family_level: 'EnterpriseLevel',
          instance_type_families: ['ecs.g7', 'ecs.c7'],
          max_cpu_cores: 16,
          max_memory_size: 64,
          max_price: 2.5,
          maximum_gpu_amount: 0,
          memory: 32,
          min_cpu_cores: 4,
          min_memory_size: 16,
          minimum_eni_ipv6_address_quantity: 0,
          minimum_eni_private_ip_address_quantity: 10,
          minimum_eni_quantity: 2,
        },
      ]
    : [];

  const vswitchIds = rng.sample(ctx.vswitchIds, rng.int(1, ctx.vswitchIds.length));
  const conditions: WireNodePoolCondition[] = [
    {
      type: 'Ready',
      status: state === 'active' ? 'True' : 'False',
      reason: state === 'active' ? 'NodePoolActive' : `NodePool${state[0]!.toUpperCase()}${state.slice(1)}`,
      message: state === 'active' ? '' : `node pool is ${state}`,
      last_transition_time: formatMillis(updatedMs),
    },
  ];

  return {
    nodepool_info: {
      nodepool_id: nodepoolId,
      name,
      type,
      is_default: isDefault,
      resource_group_id: ctx.resourceGroupId,
      region_id: ctx.regionId,
      created: formatNanos(createdMs, rng.int(0, 999_999)),
      updated: formatMillis(updatedMs),
    },
    status: {
      state,
      healthy_nodes: serving - offline,
      initial_nodes: initial,
      failed_nodes: failed,
      offline_nodes: offline,
      removing_nodes: removing,
      serving_nodes: serving,
      total_nodes: total,
      spot_nodes: spotNodes,
      conditions,
    },
    auto_scaling: {
      enable: autoScalingEnabled,
      type: workload,
      max_instances: maxInstances,
      min_instances: minInstances,
      eip_internet_charge_type: cover('auto_scaling.eip_internet_charge_type', INTERNET_CHARGE_TYPES),
      is_bond_eip: flag('auto_scaling.is_bond_eip'),
      eip_bandwidth: rng.pick([1, 5, 10, 20, 50, 100]),
    },
    management: {
      enable: flag('management.enable'),
      auto_repair: flag('management.auto_repair'),
      auto_repair_policy: {
        restart_node: flag('management.auto_repair_policy.restart_node'),
        approval_required: flag('management.auto_repair_policy.approval_required'),
        auto_repair_policy_id: `r-${rng.alnum(16)}`,
        max_parallel_repairing_nodes: String(rng.int(1, 3)),
        max_unhealthy_nodes_threshold: `${rng.pick([10, 20, 30])}%`,
      },
      auto_vul_fix: flag('management.auto_vul_fix'),
      auto_vul_fix_policy: {
        restart_node: flag('management.auto_vul_fix_policy.restart_node'),
        vul_level: rng.pick(['asap', 'asap,later', 'asap,nntf', 'asap,later,nntf']),
        exclude_packages: rng.pick(['', 'kernel', 'kernel,containerd']),
      },
      auto_upgrade: flag('management.auto_upgrade'),
      auto_upgrade_policy: {
        auto_upgrade_kubelet: flag('management.auto_upgrade_policy.auto_upgrade_kubelet'),
      },
      upgrade_config: {
        auto_upgrade: flag('management.upgrade_config.auto_upgrade'),
        surge: rng.pick([0, 1, 2, 5]),
        surge_percentage: 0,
        max_unavailable: rng.int(1, 3),
      },
      auto_fault_diagnosis: flag('management.auto_fault_diagnosis'),
      drift_enabled: flag('management.drift_enabled'),
    },
    scaling_group: {
      scaling_group_id: `asg-${rng.alnum(20)}`,
      vswitch_ids: vswitchIds,
      instance_types: instanceTypes,
      instance_charge_type: chargeType,
      period,
      period_unit: periodUnit,
      auto_renew: chargeType === 'PrePaid' && flag('scaling_group.auto_renew'),
      auto_renew_period:
        chargeType === 'PrePaid' ? (periodUnit === 'Week' ? rng.int(1, 3) : rng.pick([1, 3, 6])) : 0,
      spot_strategy: spotStrategy,
      spot_price_limit:
        spotStrategy === 'SpotWithPriceLimit'
          ? instanceTypes.map((instanceType) => ({
              instance_type: instanceType,
              price_limit: (rng.int(5, 300) / 100).toFixed(2),
            }))
          : [],
      image_type: image.type,
      image_id: image.id,
      system_disk_category: systemDisk.category,
      system_disk_categories: [
        systemDisk.category,
        ...(systemDisk.category === 'cloud_essd' ? ['cloud_auto'] : []),
      ],
      system_disk_size: systemDisk.size,
      system_disk_performance_level: systemDisk.performanceLevel,
      system_disk_encrypted: systemDiskEncrypted,
      system_disk_kms_key_id: systemDiskEncrypted ? rng.uuid() : '',
      system_disk_encrypt_algorithm: systemDiskEncrypted ? 'aes-256' : '',
      system_disk_bursting_enabled: systemDisk.burstingEnabled,
      system_disk_provisioned_iops: systemDisk.provisionedIops,
      system_disk_snapshot_policy_id: rng.chance(0.4) ? `sp-${rng.alnum(20)}` : '',
      data_disks: dataDisks,
      disk_init: diskInit,
      security_group_id: securityGroupIds[0] ?? '',
      security_group_ids: securityGroupIds,
      key_pair: keyPairLogin ? `${ctx.regionId}-ops-key` : '',
      login_password: MASKED_LOGIN_PASSWORD,
      login_as_non_root: flag('scaling_group.login_as_non_root'),
      cis_enabled: false,
      soc_enabled: flag('scaling_group.soc_enabled'),
      security_hardening_os: flag('scaling_group.security_hardening_os'),
      internet_charge_type: cover('scaling_group.internet_charge_type', INTERNET_CHARGE_TYPES),
      internet_max_bandwidth_out: rng.pick([0, 5, 10, 100]),
      tags: [
        { key: 'env', value: rng.pick(['prod', 'staging', 'dev']) },
        { key: 'cost-center', value: `cc-${rng.int(100, 999)}` },
        { key: 'ack.aliyun.com', value: ctx.clusterId },
      ],
      desired_size: desiredSize,
      multi_az_policy: cover('scaling_group.multi_az_policy', MULTI_AZ_POLICIES),
      scaling_policy: cover('scaling_group.scaling_policy', SCALING_POLICIES),
      on_demand_base_capacity: spotStrategy === 'NoSpot' ? 0 : rng.int(0, 2),
      on_demand_percentage_above_base_capacity: spotStrategy === 'NoSpot' ? 100 : rng.pick([0, 20, 50]),
      spot_instance_pools: spotStrategy === 'NoSpot' ? 0 : rng.int(1, 5),
      spot_instance_remedy: flag('scaling_group.spot_instance_remedy'),
      compensate_with_on_demand: flag('scaling_group.compensate_with_on_demand'),
      deploymentset_id: rng.chance(0.3) ? `ds-${rng.alnum(20)}` : '',
      rds_instances: rng.chance(0.3) ? [`rm-${rng.alnum(20)}`] : [],
      private_pool_options: {
        id: matchCriteria === 'Target' ? `eap-${rng.alnum(17)}` : '',
        match_criteria: matchCriteria,
      },
      platform: image.platform,
      ram_policy: ctx.workerRamRoleName,
      ram_role_name: ctx.workerRamRoleName,
      instance_patterns: instancePatterns,
      resource_pool_options: {
        strategy: poolStrategy,
        private_pool_ids: poolStrategy === 'None' ? [] : [`eap-${rng.alnum(17)}`],
      },
      cpu_options: {
        nested_virtualization: flag('scaling_group.cpu_options.nested_virtualization') ? 'true' : 'false',
      },
      enable_high_density_mode: flag('scaling_group.enable_high_density_mode'),
      instance_metadata_options: {
        http_tokens: cover('instance_metadata_options.http_tokens', ['optional', 'required']),
      },
    },
    node_config: {
      kubelet_configuration: kubeletConfiguration(rng, cpuPolicy, flag('kubelet.cpuCFSQuota')),
      node_os_config: {
        hugepage: {
          khugepagedAllocSleepMillisecs: rng.pick([60_000, 30_000]),
          khugepagedDefrag: rng.int(0, 1),
          khugepagedPagesToScan: rng.pick([4096, 8192]),
          khugepagedScanSleepMillisecs: rng.pick([10_000, 5_000]),
          transparentDefrag: rng.pick(['madvise', 'defer', 'never']),
          transparentEnabled: rng.pick(['always', 'madvise', 'never']),
        },
      },
    },
    kubernetes_config: {
      labels,
      taints,
      runtime: runtime.runtime,
      runtime_version: runtime.version,
      cpu_policy: cpuPolicy,
      user_data: flag('kubernetes_config.user_data') ? 'IyEvYmluL3NoCmVjaG8gIkhlbGxvIEFDSyI=' : '',
      pre_user_data: flag('kubernetes_config.pre_user_data') ? 'IyEvYmluL3NoCmVjaG8gInByZSBpbml0Ig==' : '',
      unschedulable: flag('kubernetes_config.unschedulable'),
      cms_enabled: flag('kubernetes_config.cms_enabled'),
      node_name_mode: flag('kubernetes_config.node_name_mode') ? 'customized,aliyun.com,5,test' : '',
    },
    tee_config: { tee_enable: flag('tee_config.tee_enable') },
    interconnect_config:
      type === 'edge' && interconnectMode === 'private'
        ? {
            cen_id: `cen-${rng.alnum(15)}`,
            ccn_id: `ccn-${rng.alnum(15)}`,
            ccn_region_id: ctx.regionId,
            bandwidth: rng.pick([10, 20, 50]),
            improved_period: String(rng.pick([1, 3, 6])),
          }
        : { cen_id: '', ccn_id: '', ccn_region_id: '', bandwidth: 0, improved_period: '' },
    max_nodes: edgeMaxNodes,
    interconnect_mode: interconnectMode,
    auto_mode: { enable: flag('auto_mode.enable') },
    node_components: nodeComponents(rng, ctx.kubernetesVersion, cpuPolicy, runtime.version),
    eflo_node_group:
      type === 'lingjun'
        ? {
            cluster_id: `i${rng.digits(21)}`,
            group_id: `i${rng.digits(21)}`,
            auto_attach_enabled: flag('eflo_node_group.auto_attach_enabled'),
            worker_ram_role_name: ctx.workerRamRoleName,
          }
        : { cluster_id: '', group_id: '', auto_attach_enabled: false, worker_ram_role_name: '' },
    host_network: flag('host_network'),
    intranet: type === 'edge' && interconnectMode === 'private',
  };
}
