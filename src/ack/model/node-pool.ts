/**
 * The model table of one ACK node pool, as `DescribeClusterNodePools` returns it (one entry of
 * `nodepools`). Field keys are the upstream JSON keys; the fields of `nodepool_info` are hoisted
 * into the flat `NodePool` object with `from`.
 *
 * Sources: the DescribeClusterNodePools documentation page and the @alicloud/cs20151215 response
 * models (every JSON key they know), except the SSH logon password of the scaling group, which is
 * deliberately absent: it is never parsed nor exposed. `status.spot_nodes` is present although the
 * SDK model lacks it.
 */

import {
  boolean,
  datetime,
  enumOf,
  field,
  float,
  type InferObject,
  id,
  int,
  json,
  listOf,
  object,
  string,
} from './dsl.js';

// ---------------------------------------------------------------------------------------------
// Enums (closed sets listed by the documentation). Values map the wire value to its meaning.
// ---------------------------------------------------------------------------------------------

export const NodePoolTypeEnum = enumOf('NodePoolType', 'Node pool type.', {
  ess: 'Standard node pool, with the managed node pool and auto scaling features.',
  edge: 'Edge node pool.',
  lingjun: 'Lingjun node pool.',
});

export const NodePoolStateEnum = enumOf('NodePoolState', 'State of a node pool.', {
  active: 'The node pool is active.',
  scaling: 'The node pool is scaling.',
  removing: 'Nodes are being removed from the node pool.',
  deleting: 'The node pool is being deleted.',
  updating: 'The node pool is being updated.',
});

export const AutoScalingTypeEnum = enumOf(
  'AutoScalingType',
  'Auto scaling type of a node pool, by the kind of instance it scales.',
  {
    cpu: 'Standard instance type.',
    gpu: 'GPU instance type.',
    gpushare: 'GPU sharing type.',
    spot: 'Preemptible (spot) instance type.',
  },
);

export const InternetChargeTypeEnum = enumOf(
  'InternetChargeType',
  'Billing method of a public IP address or EIP.',
  {
    PayByBandwidth: 'Pay by fixed bandwidth.',
    PayByTraffic: 'Pay by data transfer (traffic used).',
  },
);

export const InstanceChargeTypeEnum = enumOf(
  'InstanceChargeType',
  'Billing method of the ECS instances of a node pool.',
  {
    PrePaid: 'Subscription.',
    PostPaid: 'Pay-as-you-go.',
  },
);

export const PeriodUnitEnum = enumOf('PeriodUnit', 'Unit of a subscription period.', {
  Month: 'The subscription is billed by the month.',
  Week: 'The subscription is billed by the week.',
});

export const SpotStrategyEnum = enumOf('SpotStrategy', 'Preemptible (spot) instance bidding strategy.', {
  NoSpot: 'Regular (non-preemptible) instances.',
  SpotWithPriceLimit: 'Preemptible instances with a maximum price (see `spotPriceLimit`).',
  SpotAsPriceGo: 'Preemptible instances whose bid automatically follows the current market price.',
});

export const MultiAzPolicyEnum = enumOf(
  'MultiAzPolicy',
  'How a multi-zone scaling group spreads ECS instances across zones.',
  {
    PRIORITY:
      'Scale by the priority of the configured vSwitches: when instances cannot be created in the zone of a higher-priority vSwitch, the next-priority vSwitch is used.',
    COST_OPTIMIZED:
      'Create instances in ascending order of vCPU unit price, preferring preemptible instances when the scaling configuration allows them (see `compensateWithOnDemand`). Takes effect only with several instance types or preemptible instances.',
    BALANCE:
      'Distribute instances evenly across the zones of the scaling group; an imbalance caused by insufficient inventory can be corrected with the ESS RebalanceInstances API.',
  },
);

export const ScalingPolicyEnum = enumOf('ScalingPolicy', 'Scaling group mode.', {
  release: 'Standard mode: scale by creating and releasing ECS instances.',
  recycle:
    'Swift mode: scale by creating, stopping and starting ECS instances, which speeds up later scale-outs (stopped instances are charged only for storage, except for instance types with local disks).',
});

export const PrivatePoolMatchCriteriaEnum = enumOf(
  'PrivatePoolMatchCriteria',
  'Which private pool capacity (from an elasticity assurance or capacity reservation) instances are launched from.',
  {
    Open: 'Open mode: automatically match open private pool capacity, and fall back to the public pool when none is available.',
    Target:
      'Target mode: launch from the specified private pool only; the launch fails when its capacity is unavailable.',
    None: 'Do not use private pool capacity.',
  },
);

export const ResourcePoolStrategyEnum = enumOf(
  'ResourcePoolStrategy',
  'Resource pool strategy used when instances are created.',
  {
    PrivatePoolFirst: 'Use private pools first.',
    PrivatePoolOnly: 'Use private pools only.',
    None: 'Do not use a resource pool strategy.',
  },
);

export const CpuPolicyEnum = enumOf(
  'CpuPolicy',
  'CPU management policy of the nodes (clusters of version 1.12.6 and later).',
  {
    static:
      'Grants Pods with certain resource characteristics enhanced CPU affinity and exclusivity on the node.',
    none: 'Uses the default CPU affinity scheme.',
  },
);

export const InterconnectModeEnum = enumOf('InterconnectMode', 'Network type of an edge node pool.', {
  basic:
    'Public network: nodes talk to cloud nodes over the Internet, and applications in the node pool cannot reach the cloud VPC directly.',
  private:
    'Private network: nodes connect to the cloud through Express Connect, VPN or CEN, for better cloud-edge communication quality and security.',
});

// ---------------------------------------------------------------------------------------------
// Shared small objects.
// ---------------------------------------------------------------------------------------------

export const TagSpec = object(
  'Tag',
  'A key-value pair: an ECS instance tag (`scaling_group.tags`) or a Kubernetes node label (`kubernetes_config.labels`).',
  {
    key: field(string, 'Key of the tag or label.'),
    value: field(string, 'Value of the tag or label.'),
  },
);

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

// ---------------------------------------------------------------------------------------------
// status
// ---------------------------------------------------------------------------------------------

export const NodePoolStatusSpec = object(
  'NodePoolStatus',
  'Status of the node pool and counts of its nodes by state (`status`).',
  {
    state: field(NodePoolStateEnum, 'State of the node pool.'),
    healthy_nodes: field(int, 'Number of healthy nodes.'),
    initial_nodes: field(int, 'Number of nodes being created.'),
    failed_nodes: field(int, 'Number of failed nodes.'),
    offline_nodes: field(int, 'Number of offline nodes.'),
    removing_nodes: field(int, 'Number of nodes being removed.'),
    serving_nodes: field(int, 'Number of nodes in the serving state.'),
    spot_nodes: field(int, 'Number of preemptible (spot) nodes.'),
    total_nodes: field(int, 'Total number of nodes in the node pool.'),
  },
);

// ---------------------------------------------------------------------------------------------
// auto_scaling
// ---------------------------------------------------------------------------------------------

export const AutoScalingSpec = object(
  'AutoScaling',
  'The auto scaling configuration of the node pool (`auto_scaling`).',
  {
    enable: field(
      boolean,
      'Whether auto scaling is enabled. When true, ACK scales nodes between the minimum and maximum instance counts whenever the cluster capacity cannot satisfy Pod scheduling (clusters of version 1.24 and later use instant node elasticity by default, earlier versions node auto scaling). When false, ACK keeps the node count at the desired size (`scalingGroup.desiredSize`) and the other auto scaling settings have no effect.',
    ),
    type: field(AutoScalingTypeEnum, 'Auto scaling type, by the kind of instance scaled.'),
    max_instances: field(
      int,
      'Maximum number of instances the node pool can scale out to, excluding your existing instances.',
    ),
    min_instances: field(
      int,
      'Minimum number of instances the node pool keeps when scaling in, excluding your existing instances.',
    ),
    eip_internet_charge_type: field(InternetChargeTypeEnum, 'Billing method of the EIP.'),
    is_bond_eip: field(boolean, 'Whether an EIP is bound to the nodes.'),
    eip_bandwidth: field(int, 'Peak bandwidth of the EIP, in Mbit/s. Valid values: 1 to 100.'),
  },
);

// ---------------------------------------------------------------------------------------------
// management
// ---------------------------------------------------------------------------------------------

export const AutoRepairPolicySpec = object(
  'AutoRepairPolicy',
  'The automatic node repair policy of a managed node pool (`management.auto_repair_policy`).',
  {
    restart_node: field(
      boolean,
      'Whether nodes may be restarted during repair. Takes effect only when `autoRepair` is true.',
    ),
    approval_required: field(boolean, 'Whether node repair requires manual approval.'),
    auto_repair_policy_id: field(string, 'ID of the automatic repair policy.'),
    max_parallel_repairing_nodes: field(
      string,
      'Maximum number of nodes repaired at the same time when many nodes of the pool are unhealthy: a node count (e.g. "1") or a percentage of the nodes (e.g. "10%").',
    ),
    max_unhealthy_nodes_threshold: field(
      string,
      'Circuit breaker of self-healing: once the number or percentage of faulty nodes exceeds this threshold, self-healing stops starting new repairs. A node count (e.g. "3") or a percentage of the nodes (e.g. "10%").',
    ),
  },
);

export const AutoVulFixPolicySpec = object(
  'AutoVulFixPolicy',
  'The automatic CVE fix policy of a managed node pool (`management.auto_vul_fix_policy`).',
  {
    restart_node: field(
      boolean,
      'Whether nodes may be restarted to fix vulnerabilities. Takes effect only when `autoVulFix` is true.',
    ),
    vul_level: field(
      string,
      'Comma-separated severity levels of the vulnerabilities fixed automatically: `asap` (high), `later` (medium), `nntf` (low). Example: "asap,nntf".',
    ),
    exclude_packages: field(string, 'Packages excluded from automatic vulnerability fixes, e.g. "kernel".'),
  },
);

export const AutoUpgradePolicySpec = object(
  'AutoUpgradePolicy',
  'The automatic upgrade policy of a managed node pool (`management.auto_upgrade_policy`).',
  {
    auto_upgrade_kubelet: field(
      boolean,
      'Whether the kubelet may be upgraded automatically. Takes effect only when `autoUpgrade` is true.',
    ),
  },
);

export const UpgradeConfigSpec = object(
  'UpgradeConfig',
  'The automatic upgrade settings of a managed node pool (`management.upgrade_config`). Take effect only when `enable` is true.',
  {
    auto_upgrade: field(boolean, 'Whether automatic upgrade is enabled.'),
    surge: field(
      int,
      'Number of extra nodes added during an upgrade. Mutually exclusive with `surgePercentage`.',
    ),
    surge_percentage: field(
      int,
      'Extra nodes added during an upgrade, as a percentage of the node count: 50 with 6 existing nodes means 3 extra nodes. Mutually exclusive with `surge`.',
    ),
    max_unavailable: field(
      int,
      'Maximum number of unavailable nodes during an upgrade. Valid values: 1 to 1000. Default: 1.',
    ),
  },
);

export const ManagementSpec = object(
  'Management',
  'The managed node pool configuration (`management`). Takes effect only in ACK Pro (professional managed) clusters.',
  {
    enable: field(
      boolean,
      'Whether the managed node pool feature is enabled. The other management settings take effect only when this is true.',
    ),
    auto_repair: field(
      boolean,
      'Whether nodes are repaired automatically. Takes effect only when `enable` is true.',
    ),
    auto_repair_policy: field(AutoRepairPolicySpec, 'Automatic node repair policy.'),
    auto_vul_fix: field(
      boolean,
      'Whether CVE vulnerabilities are fixed automatically. Takes effect only when `enable` is true.',
    ),
    auto_vul_fix_policy: field(AutoVulFixPolicySpec, 'Automatic CVE fix policy.'),
    auto_upgrade: field(
      boolean,
      'Whether nodes are upgraded automatically. Takes effect only when `enable` is true.',
    ),
    auto_upgrade_policy: field(AutoUpgradePolicySpec, 'Automatic upgrade policy.'),
    upgrade_config: field(
      UpgradeConfigSpec,
      'Automatic upgrade settings. Take effect only when `enable` is true.',
    ),
    auto_fault_diagnosis: field(
      boolean,
      'Whether ECS fault detection (automatic fault diagnosis) is enabled for node self-healing.',
    ),
    drift_enabled: field(
      boolean,
      'Whether node rotation is enabled: nodes that have drifted from the node pool configuration are replaced. Only intelligent managed node pools (`autoMode`) support it, and there it is enabled by default; regular node pools do not support it.',
    ),
  },
);

// ---------------------------------------------------------------------------------------------
// scaling_group
// ---------------------------------------------------------------------------------------------

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

export const DataDiskSpec = object(
  'DataDisk',
  'The configuration of one data disk of the nodes (`scaling_group.data_disks[]`).',
  {
    category: field(
      string,
      'Disk category: `cloud` (basic disk), `cloud_efficiency` (ultra disk), `cloud_ssd` (standard SSD), `cloud_essd` (ESSD), `cloud_auto` (ESSD AutoPL), `cloud_essd_entry` (ESSD Entry), `elastic_ephemeral_disk_premium` or `elastic_ephemeral_disk_standard` (premium or standard elastic ephemeral disk). Default: `cloud_efficiency`.',
    ),
    size: field(int, 'Size of the data disk, in GiB. Valid values: 40 to 32768. Default: 120.'),
    encrypted: field(boolean, 'Whether the data disk is encrypted. Default: false.'),
    kms_key_id: field(string, 'ID of the KMS key used to encrypt the data disk.'),
    auto_snapshot_policy_id: field(
      string,
      'ID of the automatic snapshot policy that backs up the disk. Empty means no automatic backup.',
    ),
    performance_level: field(
      string,
      'Performance level of the disk, for ESSDs only (PL0, PL1, PL2 or PL3); the available levels depend on the disk size.',
    ),
    provisioned_iops: field(
      int,
      'Provisioned read/write IOPS of the disk, for `cloud_auto` (ESSD AutoPL) disks only.',
    ),
    bursting_enabled: field(
      boolean,
      'Whether performance bursting is enabled, for `cloud_auto` (ESSD AutoPL) disks only.',
    ),
    device: field(
      string,
      'Device name of the data disk on the instance, from /dev/xvdb to /dev/xvdz; assigned automatically when not specified.',
    ),
    disk_name: field(
      string,
      'Name of the data disk (2 to 128 characters). `diskInit` entries refer to data disks by this name.',
    ),
    snapshot_id: field(
      string,
      'ID of the snapshot the data disk is created from. When set, the disk takes the size of the snapshot.',
    ),
    auto_format: field(boolean, 'Whether the data disk is formatted and mounted automatically.', {
      deprecated: 'Deprecated by ACK. Use `scalingGroup.diskInit` (`mkfsType`, `mountTarget`).',
    }),
    file_system: field(
      string,
      'File system the data disk is formatted with (`ext4` or `xfs`) when `autoFormat` is true.',
      { deprecated: 'Deprecated by ACK. Use `mkfsType` in `scalingGroup.diskInit`.' },
    ),
    mount_target: field(string, 'Path the data disk is mounted at, e.g. "/mnt/path1".', {
      deprecated: 'Deprecated by ACK. Use `mountTarget` in `scalingGroup.diskInit`.',
    }),
  },
);

export const DiskInitSpec = object(
  'DiskInit',
  'The initialization of one block device of the nodes (`scaling_group.disk_init[]`): formatting, mount point and container runtime storage.',
  {
    disk_name: field(
      string,
      'Identifies the disk within the node pool. When `localDisk` is false it matches the `diskName` of one of `scalingGroup.dataDisks`; when true it differs from all of them.',
    ),
    local_disk: field(
      boolean,
      'Whether this entry configures a local disk. A local disk is matched when no cloud disk matches by name; it is re-initialized at boot when found uninitialized; `mkfsType` and `mountTarget` are then both set or both empty; combined with `mountForRuntime`, a node whose local disk was re-initialized must be removed from and re-added to the node pool.',
    ),
    mkfs_type: field(
      string,
      'File system the disk is formatted with automatically, e.g. "ext4". Empty means not formatted.',
    ),
    mount_target: field(
      string,
      'Directory the disk is mounted at, e.g. "/mnt/disk0". Empty means not mounted.',
    ),
    mount_for_runtime: field(boolean, 'Whether the container runtime stores its data on this disk.'),
  },
);

export const InstancePatternSpec = object(
  'InstancePattern',
  'Instance attributes the node pool selects instance types by, instead of listing them (`scaling_group.instance_patterns[]`).',
  {
    cores: field(int, 'Number of vCPU cores of the instance type.'),
    memory: field(float, 'Memory size of the instance type, in GiB.'),
    min_cpu_cores: field(int, 'Minimum number of vCPU cores of the instance type.'),
    max_cpu_cores: field(int, 'Maximum number of vCPU cores of the instance type.'),
    min_memory_size: field(float, 'Minimum memory size of the instance type, in GiB.'),
    max_memory_size: field(float, 'Maximum memory size of the instance type, in GiB.'),
    instance_family_level: field(
      string,
      'Level of the instance family, e.g. `EnterpriseLevel`, `EntryLevel` or `CreditEntryLevel`.',
    ),
    instance_type_families: field(listOf(string), 'Instance families to use, e.g. "ecs.c6".'),
    excluded_instance_types: field(
      listOf(string),
      'Instance types to exclude, e.g. "ecs.c6.large"; wildcards are allowed.',
    ),
    instance_categories: field(
      listOf(string),
      'Instance categories to use, e.g. "General-purpose", "Compute-optimized", "Memory-optimized".',
    ),
    cpu_architectures: field(listOf(string), 'CPU architectures of the instance type, e.g. "X86", "ARM".'),
    maximum_gpu_amount: field(int, 'Maximum number of GPUs per instance.'),
    minimum_eni_quantity: field(int, 'Minimum number of elastic network interfaces (ENIs) per instance.'),
    minimum_eni_private_ip_address_quantity: field(int, 'Minimum number of private IPv4 addresses per ENI.'),
    minimum_eni_ipv6_address_quantity: field(int, 'Minimum number of IPv6 addresses per ENI.'),
    core: field(int, 'Number of vCPU cores of the instance type.', {
      deprecated: 'Deprecated by ACK. Use `cores`.',
    }),
    architectures: field(listOf(string), 'Architectures of the instance type.', {
      deprecated: 'Deprecated by ACK. Use `cpuArchitectures`.',
    }),
    max_price: field(float, 'Maximum hourly price of the instance.', {
      deprecated: 'Deprecated by ACK, with no replacement.',
    }),
    burst_performance_option: field(
      string,
      'Whether burstable instance types are included: `Include`, `Exclude` or `Required`.',
      { deprecated: 'Deprecated by ACK, with no replacement.' },
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

// ---------------------------------------------------------------------------------------------
// kubernetes_config
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// node_config
// ---------------------------------------------------------------------------------------------

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

export const HugepageSpec = object(
  'Hugepage',
  'Transparent huge page (THP) settings of the node operating system (`node_config.node_os_config.hugepage`).',
  {
    transparentEnabled: field(
      string,
      'Transparent huge pages mode (/sys/kernel/mm/transparent_hugepage/enabled): `always`, `madvise` or `never`.',
    ),
    transparentDefrag: field(
      string,
      'When the kernel defragments memory to allocate transparent huge pages (/sys/kernel/mm/transparent_hugepage/defrag): `always`, `defer`, `defer+madvise`, `madvise` or `never`.',
    ),
    khugepagedDefrag: field(
      int,
      'Whether khugepaged defragments memory to collapse pages into huge pages: 1 (yes) or 0 (no).',
    ),
    khugepagedAllocSleepMillisecs: field(
      int,
      'Time khugepaged waits after a failed huge page allocation before trying again, in milliseconds.',
    ),
    khugepagedScanSleepMillisecs: field(int, 'Time khugepaged sleeps between scan passes, in milliseconds.'),
    khugepagedPagesToScan: field(int, 'Number of pages khugepaged scans in each pass.'),
  },
);

export const NodeOsConfigSpec = object(
  'NodeOsConfig',
  'Operating system configuration of the nodes (`node_config.node_os_config`).',
  {
    hugepage: field(HugepageSpec, 'Transparent huge page settings.'),
  },
);

export const NodeConfigSpec = object(
  'NodeConfig',
  'Node configuration (`node_config`): kubelet parameters and operating system settings.',
  {
    kubelet_configuration: field(KubeletConfigSpec, 'Kubelet parameters.'),
    node_os_config: field(NodeOsConfigSpec, 'Operating system configuration of the nodes.'),
  },
);

// ---------------------------------------------------------------------------------------------
// tee_config, interconnect_config, auto_mode, node_components, eflo_node_group
// ---------------------------------------------------------------------------------------------

export const TeeConfigSpec = object(
  'TeeConfig',
  'The confidential computing (TEE) configuration of the node pool (`tee_config`).',
  {
    tee_enable: field(boolean, 'Whether confidential computing is enabled.'),
  },
);

const interconnectDeprecated =
  'Deprecated by ACK; edge node pools report their network type in `interconnectMode`.';

export const InterconnectConfigSpec = object(
  'InterconnectConfig',
  'Network configuration of an enhanced edge node pool (`interconnect_config`); meaningful only for edge node pools. Deprecated by ACK.',
  {
    cen_id: field(
      string,
      'ID of the Cloud Enterprise Network (CEN) instance bound to the enhanced edge node pool.',
      { deprecated: interconnectDeprecated },
    ),
    ccn_id: field(
      string,
      'ID of the Cloud Connect Network (CCN) instance bound to the enhanced edge node pool.',
      { deprecated: interconnectDeprecated },
    ),
    ccn_region_id: field(
      string,
      'Region of the Cloud Connect Network (CCN) instance bound to the enhanced edge node pool.',
      { deprecated: interconnectDeprecated },
    ),
    bandwidth: field(int, 'Network bandwidth of the enhanced edge node pool, in Mbit/s.', {
      deprecated: interconnectDeprecated,
    }),
    improved_period: field(string, 'Purchase duration of the enhanced edge node pool, in months.', {
      deprecated: interconnectDeprecated,
    }),
  },
);

export const AutoModeSpec = object(
  'AutoMode',
  'The intelligent managed mode of the node pool (`auto_mode`).',
  {
    enable: field(boolean, 'Whether intelligent managed mode is enabled.'),
  },
);

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

// ---------------------------------------------------------------------------------------------
// The node pool
// ---------------------------------------------------------------------------------------------

export const AckNodePoolSpec = object(
  'NodePool',
  'An ACK node pool, as DescribeClusterNodePools returns it: a group of nodes of a cluster with the same configuration, managed together (scaling, upgrades, repair). The fields of `nodepool_info` are flattened into it.',
  {
    nodepool_id: field(id, 'Node pool ID.', {
      from: ['nodepool_info', 'nodepool_id'],
      graphqlName: 'id',
      required: true,
    }),
    name: field(string, 'Name of the node pool.', { from: ['nodepool_info', 'name'] }),
    type: field(NodePoolTypeEnum, 'Type of the node pool.', { from: ['nodepool_info', 'type'] }),
    is_default: field(
      boolean,
      'Whether this is the default node pool of the cluster; a cluster usually has one.',
      { from: ['nodepool_info', 'is_default'] },
    ),
    resource_group_id: field(string, 'ID of the resource group of the node pool.', {
      from: ['nodepool_info', 'resource_group_id'],
    }),
    region_id: field(string, 'ID of the region of the node pool.', {
      from: ['nodepool_info', 'region_id'],
    }),
    created: field(datetime, 'Time the node pool was created.', {
      from: ['nodepool_info', 'created'],
    }),
    updated: field(datetime, 'Time the node pool was last updated.', {
      from: ['nodepool_info', 'updated'],
    }),
    status: field(NodePoolStatusSpec, 'Status of the node pool and counts of its nodes.'),
    auto_scaling: field(AutoScalingSpec, 'Auto scaling configuration.'),
    management: field(
      ManagementSpec,
      'Managed node pool configuration; takes effect only in ACK Pro clusters.',
    ),
    scaling_group: field(ScalingGroupSpec, 'Scaling group configuration of the node pool.'),
    kubernetes_config: field(
      KubernetesConfigSpec,
      'Kubernetes-side configuration of the nodes: labels, taints, runtime, scripts.',
    ),
    node_config: field(NodeConfigSpec, 'Node configuration: kubelet and operating system.'),
    tee_config: field(TeeConfigSpec, 'Confidential computing configuration.'),
    interconnect_config: field(
      InterconnectConfigSpec,
      'Network configuration of an enhanced edge node pool; meaningful only for edge node pools.',
      { deprecated: interconnectDeprecated },
    ),
    interconnect_mode: field(
      InterconnectModeEnum,
      'Network type of an edge node pool; takes effect only when `type` is `EDGE`.',
    ),
    max_nodes: field(
      int,
      'Maximum number of nodes the edge node pool may hold. 0 means no limit beyond the cluster node quota; ess node pools and default edge node pools report 0.',
    ),
    auto_mode: field(AutoModeSpec, 'Intelligent managed mode configuration.'),
    node_components: field(
      listOf(NodeComponentSpec),
      'Components installed on the nodes, such as the kubelet, with their versions and configuration.',
    ),
    eflo_node_group: field(EfloNodeGroupSpec, 'Lingjun node group of a Lingjun node pool.'),
  },
);

export type AckNodePool = InferObject<typeof AckNodePoolSpec.fields>;
