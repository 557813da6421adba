/**
 * The JSON shapes the simulator sends, key for key as ACK sends them (snake_case, except the
 * camelCase `kubelet_configuration` and `hugepage` blocks that mirror kubelet's own config).
 *
 * These describe the simulator's output only; they are deliberately independent of the
 * gateway's upstream types so that tests through the simulator prove something.
 */

export interface WireTag {
  key: string;
  value: string;
}

export interface WireTaint {
  key: string;
  value: string;
  effect: string;
}

export interface WireNodePoolInfo {
  nodepool_id: string;
  name: string;
  type: string;
  is_default: boolean;
  resource_group_id: string;
  region_id: string;
  created: string;
  updated: string;
}

export interface WireNodePoolCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
  last_transition_time: string;
}

export interface WireNodePoolStatus {
  state: string;
  healthy_nodes: number;
  initial_nodes: number;
  failed_nodes: number;
  offline_nodes: number;
  removing_nodes: number;
  serving_nodes: number;
  total_nodes: number;
  /** Sent by real ACK, absent from the 7.2.0 SDK model. */
  spot_nodes: number;
  /** Only in the node pool detail model of the SDK, but ACK sends it in both answers. */
  conditions: WireNodePoolCondition[];
}

export interface WireAutoScaling {
  enable: boolean;
  type: string;
  max_instances: number;
  min_instances: number;
  eip_internet_charge_type: string;
  is_bond_eip: boolean;
  eip_bandwidth: number;
}

export interface WireManagement {
  enable: boolean;
  auto_repair: boolean;
  auto_repair_policy: {
    restart_node: boolean;
    approval_required: boolean;
    auto_repair_policy_id: string;
    max_parallel_repairing_nodes: string;
    max_unhealthy_nodes_threshold: string;
  };
  auto_vul_fix: boolean;
  auto_vul_fix_policy: {
    restart_node: boolean;
    vul_level: string;
    exclude_packages: string;
  };
  auto_upgrade: boolean;
  auto_upgrade_policy: {
    auto_upgrade_kubelet: boolean;
  };
  upgrade_config: {
    auto_upgrade: boolean;
    surge: number;
    surge_percentage: number;
    max_unavailable: number;
  };
  auto_fault_diagnosis: boolean;
  drift_enabled: boolean;
}

export interface WireDataDisk {
  category: string;
  size: number;
  /** A string, `"true"` or `"false"`, exactly as ACK sends it. */
  encrypted: string;
  kms_key_id: string;
  performance_level: string;
  auto_snapshot_policy_id: string;
  bursting_enabled: boolean;
  provisioned_iops: number;
  device: string;
  disk_name: string;
  file_system: string;
  mount_target: string;
  auto_format: boolean;
  snapshot_id: string;
}

export interface WireDiskInit {
  disk_name: string;
  local_disk: boolean;
  mkfs_type: string;
  mount_for_runtime: boolean;
  mount_target: string;
}

export interface WireInstancePatterns {
  architectures: string[];
  burst_performance_option: string;
  core: number;
  cores: number;
  cpu_architectures: string[];
  excluded_instance_types: string[];
  instance_categories: string[];
  instance_family_level: string;
  instance_type_families: string[];
  max_cpu_cores: number;
  max_memory_size: number;
  max_price: number;
  maximum_gpu_amount: number;
  memory: number;
  min_cpu_cores: number;
  min_memory_size: number;
  minimum_eni_ipv6_address_quantity: number;
  minimum_eni_private_ip_address_quantity: number;
  minimum_eni_quantity: number;
}

export interface WireScalingGroup {
  scaling_group_id: string;
  vswitch_ids: string[];
  instance_types: string[];
  instance_charge_type: string;
  period: number;
  period_unit: string;
  auto_renew: boolean;
  auto_renew_period: number;
  spot_strategy: string;
  spot_price_limit: { instance_type: string; price_limit: string }[];
  image_type: string;
  image_id: string;
  system_disk_category: string;
  system_disk_categories: string[];
  system_disk_size: number;
  system_disk_performance_level: string;
  system_disk_encrypted: boolean;
  system_disk_kms_key_id: string;
  system_disk_encrypt_algorithm: string;
  system_disk_bursting_enabled: boolean;
  system_disk_provisioned_iops: number;
  system_disk_snapshot_policy_id: string;
  data_disks: WireDataDisk[];
  disk_init: WireDiskInit[];
  security_group_id: string;
  security_group_ids: string[];
  key_pair: string;
  /** Always `"******"`: ACK masks it, and the gateway must never expose even the mask. */
  login_password: string;
  login_as_non_root: boolean;
  cis_enabled: boolean;
  soc_enabled: boolean;
  security_hardening_os: boolean;
  internet_charge_type: string;
  internet_max_bandwidth_out: number;
  tags: WireTag[];
  desired_size: number;
  multi_az_policy: string;
  scaling_policy: string;
  on_demand_base_capacity: number;
  on_demand_percentage_above_base_capacity: number;
  spot_instance_pools: number;
  spot_instance_remedy: boolean;
  compensate_with_on_demand: boolean;
  deploymentset_id: string;
  rds_instances: string[];
  private_pool_options: { id: string; match_criteria: string };
  platform: string;
  ram_policy: string;
  ram_role_name: string;
  instance_patterns: WireInstancePatterns[];
  resource_pool_options: { strategy: string; private_pool_ids: string[] };
  cpu_options: { nested_virtualization: string };
  enable_high_density_mode: boolean;
  /** Only in the node pool detail model of the SDK. */
  instance_metadata_options: { http_tokens: string };
}

export interface WireKubeletConfiguration {
  allowedUnsafeSysctls: string[];
  clusterDNS: string[];
  containerLogMaxFiles: number;
  containerLogMaxSize: string;
  containerLogMaxWorkers: number;
  containerLogMonitorInterval: string;
  cpuCFSQuota: boolean;
  cpuCFSQuotaPeriod: string;
  cpuManagerPolicy: string;
  eventBurst: number;
  eventRecordQPS: number;
  evictionHard: Record<string, string>;
  evictionSoft: Record<string, string>;
  evictionSoftGracePeriod: Record<string, string>;
  featureGates: Record<string, boolean>;
  imageGCHighThresholdPercent: number;
  imageGCLowThresholdPercent: number;
  kubeAPIBurst: number;
  kubeAPIQPS: number;
  kubeReserved: Record<string, string>;
  maxPods: number;
  memoryManagerPolicy: string;
  podPidsLimit: number;
  readOnlyPort: number;
  registryBurst: number;
  registryPullQPS: number;
  reservedMemory: { limits: Record<string, string>; numaNode: number }[];
  serializeImagePulls: boolean;
  serverTLSBootstrap: boolean;
  systemReserved: Record<string, string>;
  topologyManagerPolicy: string;
  tracing: { endpoint: string; samplingRatePerMillion: number };
}

export interface WireHugepage {
  khugepagedAllocSleepMillisecs: number;
  khugepagedDefrag: number;
  khugepagedPagesToScan: number;
  khugepagedScanSleepMillisecs: number;
  transparentDefrag: string;
  transparentEnabled: string;
}

export interface WireKubernetesConfig {
  labels: WireTag[];
  taints: WireTaint[];
  runtime: string;
  runtime_version: string;
  cpu_policy: string;
  user_data: string;
  pre_user_data: string;
  unschedulable: boolean;
  cms_enabled: boolean;
  node_name_mode: string;
}

export interface WireNodeComponent {
  name: string;
  version: string;
  config_revision: string;
  config: {
    custom_config: Record<string, unknown>;
    envs: { name: string; value: string }[];
  };
}

export interface WireNodePool {
  nodepool_info: WireNodePoolInfo;
  status: WireNodePoolStatus;
  auto_scaling: WireAutoScaling;
  management: WireManagement;
  scaling_group: WireScalingGroup;
  node_config: {
    kubelet_configuration: WireKubeletConfiguration;
    node_os_config: { hugepage: WireHugepage };
  };
  kubernetes_config: WireKubernetesConfig;
  tee_config: { tee_enable: boolean };
  interconnect_config: {
    cen_id: string;
    ccn_id: string;
    ccn_region_id: string;
    bandwidth: number;
    improved_period: string;
  };
  max_nodes: number;
  interconnect_mode: string;
  auto_mode: { enable: boolean };
  node_components: WireNodeComponent[];
  eflo_node_group: {
    cluster_id: string;
    group_id: string;
    auto_attach_enabled: boolean;
    worker_ram_role_name: string;
  };
  /** Only in the node pool detail model of the SDK. */
  host_network: boolean;
  /** Only in the node pool detail model of the SDK. */
  intranet: boolean;
}

export interface WireMaintenanceWindow {
  enable: boolean;
  maintenance_time: string;
  duration: string;
  recurrence: string;
  weekly_period: string;
}

export interface WireOperationPolicy {
  cluster_auto_upgrade: { enabled: boolean; channel: string };
}

/** DescribeClusterDetail's answer. */
export interface WireClusterDetail {
  cluster_id: string;
  name: string;
  region_id: string;
  zone_id: string;
  state: string;
  cluster_type: string;
  cluster_spec: string;
  profile: string;
  current_version: string;
  init_version: string;
  next_version: string;
  created: string;
  updated: string;
  size: number;
  vpc_id: string;
  vswitch_id: string;
  vswitch_ids: string[];
  security_group_id: string;
  resource_group_id: string;
  tags: WireTag[];
  cluster_domain: string;
  container_cidr: string;
  service_cidr: string;
  subnet_cidr: string;
  node_cidr_mask: string;
  ip_stack: string;
  proxy_mode: string;
  network_mode: string;
  timezone: string;
  docker_version: string;
  external_loadbalancer_id: string;
  master_url: string;
  meta_data: string;
  deletion_protection: boolean;
  private_zone: boolean;
  worker_ram_role_name: string;
  extra_sans: string[];
  parameters: Record<string, string>;
  maintenance_window: WireMaintenanceWindow;
  operation_policy: WireOperationPolicy;
  auto_mode: { enable: boolean };
  rrsa_config: {
    enabled: boolean;
    issuer: string;
    audience: string;
    jwks_url: string;
    open_api_configuration_url: string;
    oidc_arn: string;
    oidc_name: string;
    max_oidc_token_expiration: string;
  };
  control_plane_config: {
    auto_renew: boolean;
    auto_renew_period: number;
    charge_type: string;
    cloud_monitor_flags: boolean;
    cpu_policy: string;
    deploymentset_id: string;
    image_id: string;
    image_type: string;
    instance_metadata_options: { http_tokens: string };
    instance_types: string[];
    key_pair: string;
    node_port_range: string;
    period: number;
    period_unit: string;
    runtime: string;
    security_hardening_os: boolean;
    size: number;
    soc_enabled: boolean;
    system_disk_bursting_enabled: boolean;
    system_disk_category: string;
    system_disk_performance_level: string;
    system_disk_provisioned_iops: number;
    system_disk_size: number;
    system_disk_snapshot_policy_id: string;
  };
  control_plane_endpoints_config: {
    internal_dns_config: { bind_vpcs: string[]; enabled: boolean };
    load_balancers_config: { endpoint: string; endpoint_type: string; load_balancer_id: string }[];
  };
}

/** One entry of DescribeClustersV1's `clusters`. */
export type WireClusterListEntry = Pick<
  WireClusterDetail,
  | 'cluster_domain'
  | 'cluster_id'
  | 'cluster_spec'
  | 'cluster_type'
  | 'container_cidr'
  | 'created'
  | 'current_version'
  | 'deletion_protection'
  | 'docker_version'
  | 'external_loadbalancer_id'
  | 'init_version'
  | 'ip_stack'
  | 'maintenance_window'
  | 'master_url'
  | 'meta_data'
  | 'name'
  | 'network_mode'
  | 'next_version'
  | 'operation_policy'
  | 'private_zone'
  | 'profile'
  | 'proxy_mode'
  | 'region_id'
  | 'resource_group_id'
  | 'security_group_id'
  | 'service_cidr'
  | 'size'
  | 'state'
  | 'subnet_cidr'
  | 'tags'
  | 'timezone'
  | 'updated'
  | 'vpc_id'
  | 'vswitch_id'
  | 'vswitch_ids'
  | 'worker_ram_role_name'
  | 'zone_id'
>;

/** The keys of a list entry, in the order ACK's list model declares them. */
export const CLUSTER_LIST_ENTRY_KEYS = [
  'cluster_domain',
  'cluster_id',
  'cluster_spec',
  'cluster_type',
  'container_cidr',
  'created',
  'current_version',
  'deletion_protection',
  'docker_version',
  'external_loadbalancer_id',
  'init_version',
  'ip_stack',
  'maintenance_window',
  'master_url',
  'meta_data',
  'name',
  'network_mode',
  'next_version',
  'operation_policy',
  'private_zone',
  'profile',
  'proxy_mode',
  'region_id',
  'resource_group_id',
  'security_group_id',
  'service_cidr',
  'size',
  'state',
  'subnet_cidr',
  'tags',
  'timezone',
  'updated',
  'vpc_id',
  'vswitch_id',
  'vswitch_ids',
  'worker_ram_role_name',
  'zone_id',
] as const satisfies readonly (keyof WireClusterListEntry)[];

/** A generated cluster: its DescribeClusterDetail answer, its list entry and its node pools. */
export interface SimulatedCluster {
  readonly id: string;
  readonly detail: WireClusterDetail;
  readonly listEntry: WireClusterListEntry;
  readonly nodePools: readonly WireNodePool[];
}
