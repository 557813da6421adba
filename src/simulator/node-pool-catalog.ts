/**
 * The values generated node pools draw from. The closed sets are the ones the
 * DescribeClusterNodePools documentation lists, since every one of their values must show up in a
 * cluster's first pools; the instance types, images and runtimes are ones real pools use.
 */
export const NODE_POOL_TYPES = ['ess', 'edge', 'lingjun'] as const;
export const NODE_POOL_STATES = ['active', 'scaling', 'removing', 'deleting', 'updating'] as const;
export const AUTO_SCALING_TYPES = ['cpu', 'gpu', 'gpushare', 'spot'] as const;
export const INTERNET_CHARGE_TYPES = ['PayByBandwidth', 'PayByTraffic'] as const;
export const INSTANCE_CHARGE_TYPES = ['PostPaid', 'PrePaid'] as const;
export const PERIOD_UNITS = ['Month', 'Week'] as const;
export const SPOT_STRATEGIES = ['NoSpot', 'SpotWithPriceLimit', 'SpotAsPriceGo'] as const;
export const MULTI_AZ_POLICIES = ['PRIORITY', 'COST_OPTIMIZED', 'BALANCE'] as const;
export const SCALING_POLICIES = ['release', 'recycle'] as const;
export const PRIVATE_POOL_MATCH_CRITERIA = ['Open', 'Target', 'None'] as const;
export const RESOURCE_POOL_STRATEGIES = ['PrivatePoolFirst', 'PrivatePoolOnly', 'None'] as const;
export const CPU_POLICIES = ['none', 'static'] as const;
export const INTERCONNECT_MODES = ['basic', 'private'] as const;
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

export const CPU_INSTANCE_FAMILIES = [
  ['ecs.g7.xlarge', 'ecs.g7.2xlarge'],
  ['ecs.c7.2xlarge', 'ecs.c7.xlarge'],
  ['ecs.r7.large', 'ecs.r7.xlarge'],
  ['ecs.g8i.xlarge', 'ecs.g7.xlarge', 'ecs.c7.2xlarge'],
] as const;
export const GPU_INSTANCE_TYPES = ['ecs.gn7i-c8g1.2xlarge', 'ecs.gn7i-c16g1.4xlarge'] as const;
export const GPU_SHARE_INSTANCE_TYPES = ['ecs.gn7i-c8g1.2xlarge', 'ecs.gn6i-c4g1.xlarge'] as const;
export const SPOT_INSTANCE_TYPES = ['ecs.c7.2xlarge', 'ecs.g7.xlarge', 'ecs.c6.large'] as const;

export const IMAGES = [
  { type: 'AliyunLinux3', id: 'aliyun_3_x64_20G_alibase_20241218.vhd', platform: 'AliyunLinux' },
  {
    type: 'AliyunLinux3ContainerOptimized',
    id: 'aliyun_3_x64_20G_container_optimized_alibase_20250117.vhd',
    platform: 'AliyunLinux',
  },
  {
    type: 'ContainerOS',
    id: 'lifsea_3_x64_10G_containerd_1_6_38_alibase_20250108.vhd',
    platform: 'AliyunLinux',
  },
  { type: 'AliyunLinux3Security', id: 'aliyun_3_x64_20G_uefi_alibase_20241218.vhd', platform: 'AliyunLinux' },
] as const;

export const RUNTIMES = [
  { runtime: 'containerd', version: '1.6.38' },
  { runtime: 'containerd', version: '2.1.1' },
  { runtime: 'Sandboxed-Container.runv', version: '3.1.0' },
] as const;

export const NAME_BY_WORKLOAD: Record<string, readonly string[]> = {
  cpu: ['general', 'compute', 'memory-cache', 'web-frontend', 'batch-workers'],
  gpu: ['gpu-inference', 'gpu-training'],
  gpushare: ['gpu-shared'],
  spot: ['spot-batch', 'spot-ci'],
};
