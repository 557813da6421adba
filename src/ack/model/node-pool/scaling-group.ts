/**
 * The SSH logon password of the scaling group is deliberately absent from this table: a value
 * that is not described is never parsed, so it can be neither answered nor logged.
 */
import { boolean, field, int, listOf, object, string } from '../dsl.js';
import { TagSpec } from '../tag.js';
import { DataDiskSpec, DiskInitSpec } from './disks.js';
import {
  InstanceChargeTypeEnum,
  InternetChargeTypeEnum,
  MultiAzPolicyEnum,
  PeriodUnitEnum,
  PrivatePoolMatchCriteriaEnum,
  ResourcePoolStrategyEnum,
  ScalingPolicyEnum,
  SpotStrategyEnum,
} from './enums.js';
import { InstancePatternSpec } from './instance-patterns.js';

export const CpuOptionsSpec = object(
  'CpuOptions',
  'CPU options of the ECS instances of the node pool (`scaling_group.cpu_options`).',
  {
    nested_virtualization: field(
      string,
      'Whether nested virtualization is enabled on the instances: `enabled` or `disabled`.',
    ),
  },
);

export const PrivatePoolOptionsSpec = object(
  'PrivatePoolOptions',
  'The private pool options used to launch instances (`scaling_group.private_pool_options`).',
  {
    id: field(string, 'Private pool ID: the ID of the elasticity assurance or capacity reservation.'),
    match_criteria: field(
      PrivatePoolMatchCriteriaEnum,
      'Which private pool capacity instances are launched from. An elasticity assurance or capacity reservation generates private pool capacity once it takes effect.',
    ),
  },
);

export const ResourcePoolOptionsSpec = object(
  'ResourcePoolOptions',
  'The resource pools and resource pool strategy used when instances are created (`scaling_group.resource_pool_options`).',
  {
    strategy: field(ResourcePoolStrategyEnum, 'Resource pool strategy used when instances are created.'),
    private_pool_ids: field(listOf(string), 'IDs of the private pools.'),
  },
);

export const SpotPriceLimitSpec = object(
  'SpotPriceLimit',
  'The maximum price of one preemptible instance type (`scaling_group.spot_price_limit[]`).',
  {
    instance_type: field(string, 'Preemptible instance type, e.g. "ecs.c6.large".'),
    price_limit: field(
      string,
      'Maximum hourly price of one instance of this type, as a decimal string (USD/hour on the international site, CNY/hour on the China site).',
    ),
  },
);

export const ScalingGroupSpec = object(
  'ScalingGroup',
  "The node pool's ECS scaling group configuration (`scaling_group`): instance types, billing, disks, network, security and image of the nodes.",
  {
    scaling_group_id: field(string, 'ID of the ESS scaling group.'),
    vswitch_ids: field(listOf(string), 'IDs of the vSwitches the nodes are created in.'),
    instance_types: field(
      listOf(string),
      'Instance types of the nodes, in order of preference: each node is bought with the first type that has inventory, so the actual type can vary.',
    ),
    instance_patterns: field(
      listOf(InstancePatternSpec),
      'Instance attributes used to select instance types instead of listing them.',
    ),
    instance_charge_type: field(InstanceChargeTypeEnum, 'Billing method of the nodes.'),
    period: field(
      int,
      'Subscription duration of the nodes, in `periodUnit`s; only for `PrePaid` nodes. Valid values: 1 to 4 weeks, or 1 to 9, 12, 24, 36, 48 or 60 months.',
    ),
    period_unit: field(PeriodUnitEnum, 'Unit of the subscription duration; only for `PrePaid` nodes.'),
    auto_renew: field(boolean, 'Whether the nodes are renewed automatically; only for `PrePaid` nodes.'),
    auto_renew_period: field(
      int,
      'Duration of each automatic renewal, in `periodUnit`s. Valid values: 1, 2 or 3 weeks, or 1, 2, 3, 6, 12, 24, 36, 48 or 60 months.',
    ),
    spot_strategy: field(SpotStrategyEnum, 'Preemptible (spot) instance bidding strategy.'),
    spot_price_limit: field(
      listOf(SpotPriceLimitSpec),
      'Maximum prices of the preemptible instances, per instance type.',
    ),
    spot_instance_pools: field(
      int,
      'Number of instance types the scaling group spreads preemptible instances over, choosing the lowest-cost ones. Valid values: 1 to 10.',
    ),
    spot_instance_remedy: field(
      boolean,
      'Whether preemptible instances are supplemented: when a preemptible instance is about to be reclaimed, the scaling group tries to create a replacement.',
    ),
    compensate_with_on_demand: field(
      boolean,
      'When `multiAzPolicy` is `COST_OPTIMIZED`: whether pay-as-you-go instances are created when preemptible instances cannot be, because of price or inventory.',
    ),
    on_demand_base_capacity: field(
      int,
      'Minimum number of pay-as-you-go instances in the scaling group; below it, pay-as-you-go instances are created first. Valid values: 0 to 1000.',
    ),
    on_demand_percentage_above_base_capacity: field(
      int,
      'Percentage of pay-as-you-go instances among the instances beyond `onDemandBaseCapacity`. Valid values: 0 to 100.',
    ),
    multi_az_policy: field(MultiAzPolicyEnum, 'How the scaling group spreads ECS instances across zones.'),
    scaling_policy: field(ScalingPolicyEnum, 'Scaling group mode.'),
    desired_size: field(int, 'Desired number of nodes in the node pool.'),
    image_type: field(
      string,
      'Operating system image type, e.g. `AliyunLinux3` (Alibaba Cloud Linux 3), `AliyunLinux3Arm64`, `AliyunLinux3Security` (UEFI), `AliyunLinux3ContainerOptimized`, `AliyunLinux` (Alibaba Cloud Linux 2), `AliyunLinuxSecurity`, `ContainerOS`, `CentOS`, `Windows` or `WindowsCore`.',
    ),
    image_id: field(
      string,
      'ID of the custom image; the images ACK supports are listed by DescribeKubernetesVersionMetadata.',
    ),
    system_disk_category: field(
      string,
      'System disk category: `cloud_efficiency` (ultra disk), `cloud_ssd` (standard SSD), `cloud_essd` (ESSD), `cloud_auto` (ESSD AutoPL) or `cloud_essd_entry` (ESSD Entry).',
    ),
    system_disk_categories: field(
      listOf(string),
      'System disk categories in order of priority: when a category is unavailable, the next one is tried.',
    ),
    system_disk_size: field(int, 'Size of the system disk, in GiB. Valid values: 20 to 2048.'),
    system_disk_performance_level: field(
      string,
      'Performance level of the system disk, for ESSDs only; it depends on the disk size. PL0 and PL1: moderate concurrent I/O with relatively stable latency; PL2: high concurrent I/O with stable latency; PL3: very high concurrent I/O with very stable latency.',
    ),
    system_disk_encrypted: field(boolean, 'Whether the system disk is encrypted.'),
    system_disk_kms_key_id: field(string, 'ID of the KMS key used to encrypt the system disk.'),
    system_disk_encrypt_algorithm: field(
      string,
      'Encryption algorithm of the system disk. Valid value: `aes-256`.',
    ),
    system_disk_bursting_enabled: field(
      boolean,
      'Whether performance bursting is enabled on the system disk, which temporarily raises performance under bursts of reads and writes. Only for `cloud_auto` (ESSD AutoPL) disks.',
    ),
    system_disk_provisioned_iops: field(
      int,
      'Provisioned read/write IOPS of the system disk, for `cloud_auto` (ESSD AutoPL) disks.',
    ),
    system_disk_snapshot_policy_id: field(string, 'ID of the snapshot policy of the system disk.'),
    data_disks: field(listOf(DataDiskSpec), 'Data disks of the nodes: category, size and so on.'),
    disk_init: field(
      listOf(DiskInitSpec),
      'Block device initialization: how the disks of the nodes are formatted and mounted.',
    ),
    enable_high_density_mode: field(
      boolean,
      'Whether high-density cloud disk mode is enabled (only when the node pool specifies instance types): the system and data cloud disks together then stay within the maximum number of high-density cloud disks the instance type supports.',
    ),
    cpu_options: field(CpuOptionsSpec, 'CPU options of the instances.'),
    security_group_ids: field(listOf(string), 'IDs of the security groups of the node pool.'),
    security_group_id: field(
      string,
      'ID of the security group of the node pool; with several security groups, the first of `securityGroupIds`.',
      { deprecated: 'Use `securityGroupIds`.' },
    ),
    key_pair: field(
      string,
      'Name of the SSH key pair used to log on to the nodes; the alternative to a logon password. Managed node pools support key pairs only.',
    ),
    login_as_non_root: field(
      boolean,
      'Whether the ECS instances are logged on to as the non-root user `ecs-user` (true) or as root (false).',
    ),
    security_hardening_os: field(
      boolean,
      'Whether Alibaba Cloud OS security hardening is enabled. Default: false.',
    ),
    soc_enabled: field(
      boolean,
      'Whether MLPS (China classified protection) security hardening is enabled. Available only with Alibaba Cloud Linux 2 or 3 images, for which Alibaba Cloud provides MLPS level 3 compliance baselines and scanning.',
    ),
    cis_enabled: field(boolean, 'Whether CIS security hardening is enabled.', {
      deprecated: 'Use `securityHardeningOs`.',
    }),
    internet_charge_type: field(
      InternetChargeTypeEnum,
      'Billing method of the public IP addresses of the nodes.',
    ),
    internet_max_bandwidth_out: field(
      int,
      'Maximum outbound bandwidth of the public IP addresses of the nodes, in Mbit/s. Valid values: 1 to 100.',
    ),
    tags: field(listOf(TagSpec), 'Tags added to the ECS instances.'),
    deploymentset_id: field(string, 'ID of the deployment set of the instances.'),
    rds_instances: field(
      listOf(string),
      'IDs of ApsaraDB RDS instances whose access whitelist the nodes are added to automatically.',
    ),
    private_pool_options: field(PrivatePoolOptionsSpec, 'Private pool options.'),
    resource_pool_options: field(
      ResourcePoolOptionsSpec,
      'Resource pools and resource pool strategy used when instances are created.',
    ),
    ram_role_name: field(string, 'Name of the worker RAM role of the nodes.'),
    ram_policy: field(string, 'Name of the worker RAM role of the nodes.', {
      deprecated: 'Use `ramRoleName`.',
    }),
    platform: field(
      string,
      'Operating system distribution: `CentOS`, `AliyunLinux`, `Windows` or `WindowsCore`.',
      { deprecated: 'Use `imageType`.' },
    ),
  },
);
