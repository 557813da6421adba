/**
 * The model tables of one ACK cluster, as `DescribeClusterDetail` (GET /clusters/{ClusterId})
 * returns it and as `DescribeClustersV1` (GET /api/v1/clusters) lists it (one entry of
 * `clusters`). Field keys are the upstream JSON keys. The list entry carries a subset of the
 * detail's keys with the same meanings, so it is derived from the detail's table (see
 * `AckClusterListEntrySpec`) and each meaning is written once.
 *
 * Sources: the DescribeClusterDetail and DescribeClustersV1 documentation pages and the
 * @alicloud/cs20151215 response models (every JSON key they know, with their `@deprecated`
 * markers). `worker_ram_role_name` is deprecated in the list model only.
 */

import { ClusterAutoModeSpec } from './auto-mode.js';
import {
  boolean,
  datetime,
  enumOf,
  field,
  type InferObject,
  id,
  int,
  json,
  listOf,
  object,
  omitFields,
  string,
} from './dsl.js';
import { TagSpec } from './tag.js';

export { ClusterAutoModeSpec } from './auto-mode.js';

// ---------------------------------------------------------------------------------------------
// Enums (closed sets listed by the documentation). Values map the wire value to its meaning.
// ---------------------------------------------------------------------------------------------

export const ClusterStateEnum = enumOf(
  'ClusterState',
  'State of a cluster. ACK documents the values of DescribeClusterDetail and DescribeClustersV1 in two overlapping lists; this set is their union.',
  {
    initial: 'The cluster is being created.',
    failed: 'The cluster failed to be created.',
    running: 'The cluster is running.',
    updating: 'The cluster is being updated.',
    updating_failed: 'The cluster failed to be updated.',
    upgrading: 'The cluster is being upgraded.',
    scaling: 'The cluster is being scaled.',
    removing: 'Nodes are being removed from the cluster.',
    draining: 'Nodes of the cluster are being drained.',
    waiting: 'A registered cluster waiting for its external Kubernetes cluster to connect.',
    disconnected: 'The cluster is disconnected.',
    inactive: 'The cluster is inactive.',
    unavailable: 'The cluster is unavailable.',
    stopped: 'The cluster has stopped running.',
    deleting: 'The cluster is being deleted.',
    deleted: 'The cluster has been deleted.',
    delete_failed: 'The cluster failed to be deleted.',
    deleted_failed: 'The cluster failed to be deleted (the spelling of older documentation).',
  },
);

export const ClusterTypeEnum = enumOf('ClusterType', 'Type of a cluster.', {
  ManagedKubernetes:
    'ACK managed cluster, Alibaba Cloud runs the control plane: ACK clusters (Pro and Basic), ACK Serverless clusters (Pro and Basic), ACK Edge clusters (Pro and Basic) and ACK Lingjun clusters (Pro). `profile` tells them apart and `clusterSpec` gives the edition.',
  Kubernetes: 'ACK dedicated cluster: the control plane runs on ECS instances of your account.',
  ExternalKubernetes: 'Registered cluster: a Kubernetes cluster outside ACK connected to it.',
});

// ---------------------------------------------------------------------------------------------
// maintenance_window, operation_policy (in both answers)
// ---------------------------------------------------------------------------------------------

export const ClusterMaintenanceWindowSpec = object(
  'ClusterMaintenanceWindow',
  'The maintenance window of the cluster (`maintenance_window`): when ACK may run automatic maintenance such as upgrades. Takes effect only for ACK managed clusters (Pro) and ACK Serverless clusters.',
  {
    enable: field(boolean, 'Whether the maintenance window is enabled. Default: false.'),
    maintenance_time: field(
      string,
      'Start time of the maintenance window, in Go time layout, e.g. "03:00:00Z".',
    ),
    duration: field(
      string,
      'Length of the maintenance window, in hours from 1 to 24, e.g. "3h". Default: 3 hours.',
    ),
    recurrence: field(
      string,
      'Recurrence of the maintenance window as an RFC 5545 recurrence rule, e.g. "FREQ=WEEKLY;INTERVAL=4;BYDAY=MO,TU". Only FREQ=WEEKLY is supported, without COUNT or UNTIL.',
    ),
    weekly_period: field(
      string,
      'Comma-separated days of the week on which maintenance runs (Monday to Sunday), e.g. "Monday,Thursday". Default: Thursday.',
    ),
  },
);

export const ClusterAutoUpgradeSpec = object(
  'ClusterAutoUpgrade',
  'The automatic upgrade of the cluster (`operation_policy.cluster_auto_upgrade`).',
  {
    enabled: field(boolean, 'Whether the cluster is upgraded automatically.'),
    channel: field(
      string,
      'Upgrade frequency (channel): `patch` (the latest patch version), `stable` (the second latest minor version) or `rapid` (the latest minor version).',
    ),
  },
);

export const ClusterOperationPolicySpec = object(
  'ClusterOperationPolicy',
  'The automatic operations and maintenance (O&M) policy of the cluster (`operation_policy`).',
  {
    cluster_auto_upgrade: field(ClusterAutoUpgradeSpec, 'Automatic upgrade of the cluster.'),
  },
);

// ---------------------------------------------------------------------------------------------
// rrsa_config, control_plane_endpoints_config, control_plane_config (detail only)
// ---------------------------------------------------------------------------------------------

export const ClusterRrsaConfigSpec = object(
  'ClusterRrsaConfig',
  'The RRSA (RAM Roles for Service Accounts) configuration of the cluster (`rrsa_config`): Pods exchange OIDC tokens of their service accounts for temporary credentials of RAM roles.',
  {
    enabled: field(boolean, 'Whether RRSA is enabled.'),
    issuer: field(
      string,
      'Issuers of the OIDC tokens, comma-separated. The first one is the `iss` claim of the tokens and the issuer URL of the OIDC identity provider.',
    ),
    audience: field(
      string,
      'Default audiences of the OIDC tokens, comma-separated; they form the `aud` claim of the tokens.',
    ),
    jwks_url: field(string, 'URL of the public keys (JWKS) of the OIDC tokens.'),
    open_api_configuration_url: field(string, 'URL of the OIDC discovery (configuration) document.'),
    oidc_arn: field(
      string,
      'ARN of the OIDC identity provider in RAM, e.g. "acs:ram::1138***:oidc-provider/ack-rrsa-***".',
    ),
    oidc_name: field(string, 'Name of the OIDC identity provider in RAM.'),
    max_oidc_token_expiration: field(
      string,
      'Longest validity period that can be configured for an OIDC token, as a duration such as "12h".',
    ),
  },
);

export const ClusterInternalDnsConfigSpec = object(
  'ClusterInternalDnsConfig',
  'Internal domain name access to the API server (`control_plane_endpoints_config.internal_dns_config`), for ACK managed clusters. When enabled, node-side components (kubelet, kube-proxy) reach the API server through the internal domain name; otherwise through the IP address of its CLB instance.',
  {
    enabled: field(boolean, 'Whether internal domain name access is enabled.'),
    bind_vpcs: field(
      listOf(string),
      'IDs of the VPCs in which the internal domain name records take effect; by default the VPC of the cluster.',
    ),
  },
);

export const ClusterLoadBalancerConfigSpec = object(
  'ClusterLoadBalancerConfig',
  'A load balancer through which the API server is reached (`control_plane_endpoints_config.load_balancers_config[]`).',
  {
    endpoint: field(string, 'Access address of the endpoint.'),
    endpoint_type: field(string, 'Type of the endpoint, e.g. "private".'),
    load_balancer_id: field(string, 'ID of the load balancer (SLB) instance behind the endpoint.'),
  },
);

export const ClusterControlPlaneEndpointsConfigSpec = object(
  'ClusterControlPlaneEndpointsConfig',
  'How the API server of the cluster is reached (`control_plane_endpoints_config`).',
  {
    internal_dns_config: field(
      ClusterInternalDnsConfigSpec,
      'Internal domain name access to the API server, for ACK managed clusters.',
    ),
    load_balancers_config: field(
      listOf(ClusterLoadBalancerConfigSpec),
      'Load balancers through which the API server is reached.',
    ),
  },
);

export const ClusterInstanceMetadataOptionsSpec = object(
  'ClusterInstanceMetadataOptions',
  'How the ECS instances access the instance metadata service (`control_plane_config.instance_metadata_options`).',
  {
    http_tokens: field(
      string,
      'Access mode of the instance metadata: `optional` (normal and security-hardened mode both work; the default) or `required` (security-hardened mode, IMDSv2, only).',
    ),
  },
);

export const ClusterControlPlaneConfigSpec = object(
  'ClusterControlPlaneConfig',
  'The control plane of an ACK dedicated cluster (`control_plane_config`): the ECS instances that run its master nodes.',
  {
    size: field(int, 'Number of control plane (master) nodes, e.g. 3.'),
    instance_types: field(listOf(string), 'ECS instance types of the control plane nodes.'),
    charge_type: field(
      string,
      'Billing method of the control plane nodes: `PrePaid` (subscription) or `PostPaid` (pay-as-you-go).',
    ),
    period: field(int, 'Subscription duration of the control plane nodes, in `periodUnit` units.'),
    period_unit: field(string, 'Unit of the subscription duration, e.g. `Month`.'),
    auto_renew: field(
      boolean,
      'Whether the subscription of the control plane nodes is renewed automatically.',
    ),
    auto_renew_period: field(
      int,
      'Duration of each automatic renewal of the control plane nodes, in `periodUnit` units.',
    ),
    image_type: field(string, 'Type of the operating system image of the nodes, e.g. "AliyunLinux3".'),
    image_id: field(string, 'ID of the operating system image of the nodes.'),
    runtime: field(string, 'Container runtime of the nodes, e.g. "containerd".'),
    key_pair: field(string, 'Name of the key pair used to log on to the nodes.'),
    deploymentset_id: field(string, 'ID of the deployment set the nodes are placed in.'),
    cpu_policy: field(
      string,
      'CPU management policy of the nodes: `none` (the default CPU affinity scheme) or `static` (enhanced CPU affinity and exclusivity for Pods with certain resource characteristics).',
    ),
    node_port_range: field(string, 'Port range of NodePort Services, e.g. "30000-32767".'),
    cloud_monitor_flags: field(boolean, 'Whether the CloudMonitor agent is installed on the nodes.'),
    security_hardening_os: field(
      boolean,
      'Whether the Alibaba Cloud Linux security hardening of the operating system is enabled.',
    ),
    soc_enabled: field(boolean, 'Whether MLPS 2.0 (classified protection) security hardening is enabled.'),
    instance_metadata_options: field(
      ClusterInstanceMetadataOptionsSpec,
      'How the nodes access the ECS instance metadata service.',
    ),
    system_disk_category: field(string, 'Category of the system disks of the nodes, e.g. `cloud_essd`.'),
    system_disk_size: field(int, 'Size of the system disks of the nodes, in GiB (at least 40).'),
    system_disk_performance_level: field(
      string,
      'Performance level of the system disks, for ESSDs only (PL0, PL1, PL2 or PL3).',
    ),
    system_disk_provisioned_iops: field(
      int,
      'Provisioned read/write IOPS of the system disks, for `cloud_auto` (ESSD AutoPL) disks only.',
    ),
    system_disk_bursting_enabled: field(
      boolean,
      'Whether performance bursting is enabled for the system disks, for `cloud_auto` (ESSD AutoPL) disks only.',
    ),
    system_disk_snapshot_policy_id: field(
      string,
      'ID of the automatic snapshot policy that backs up the system disks.',
    ),
  },
);

const workerRamRoleNameDescription =
  'Name of the worker RAM role: the RAM role that authorizes the ECS instances of the cluster to act as worker nodes.';

// ---------------------------------------------------------------------------------------------
// The cluster, as DescribeClusterDetail and DescribeClustersV1 return it
// ---------------------------------------------------------------------------------------------

// The list entry is derived from this table: a key added here is listed by DescribeClustersV1
// too, unless DETAIL_ONLY_KEYS names it.
export const AckClusterDetailSpec = object(
  'ClusterDetail',
  'An ACK cluster as DescribeClusterDetail returns it: its type and edition, state, versions, network, endpoints, maintenance and control plane settings.',
  {
    cluster_id: field(id, 'Cluster ID.', { required: true }),
    name: field(string, 'Cluster name.'),
    region_id: field(string, 'ID of the region of the cluster, e.g. "cn-beijing".'),
    zone_id: field(string, 'ID of the zone of the cluster, e.g. "cn-beijing-a".', {
      deprecated: 'Deprecated by ACK. The zones of the cluster are those of its vSwitches (`vswitchIds`).',
    }),
    cluster_type: field(ClusterTypeEnum, 'Type of the cluster.'),
    profile: field(
      string,
      'Subtype of an ACK managed cluster: `Default` (ACK cluster, Pro or Basic), `Edge` (ACK Edge cluster, Pro or Basic), `Serverless` (ACK Serverless cluster, Pro or Basic) or `Lingjun` (ACK Lingjun cluster, Pro).',
    ),
    cluster_spec: field(
      string,
      'Edition of an ACK managed cluster: `ack.standard` (Basic; assumed when empty), `ack.pro.small` (Pro), or a tier of the ACK Pro provisioned control plane with pre-allocated, dedicated control plane resources: `ack.pro.xlarge` (Pro XL), `ack.pro.2xlarge` (Pro 2XL), `ack.pro.4xlarge` (Pro 4XL).',
    ),
    state: field(ClusterStateEnum, 'State of the cluster.'),
    size: field(int, 'Number of nodes in the cluster, master and worker nodes included.'),
    current_version: field(string, 'Current Kubernetes version of the cluster, e.g. "1.32.1-aliyun.1".'),
    init_version: field(string, 'Kubernetes version the cluster was created with.'),
    next_version: field(
      string,
      'Kubernetes version the cluster can be upgraded to; empty when none is available.',
    ),
    created: field(datetime, 'Time the cluster was created.'),
    updated: field(datetime, 'Time the cluster was last updated.'),
    deletion_protection: field(
      boolean,
      'Whether deletion protection is enabled: when true, the cluster cannot be deleted through the console or the API.',
    ),
    resource_group_id: field(string, 'ID of the resource group of the cluster.'),
    tags: field(listOf(TagSpec), 'Resource tags of the cluster.'),
    vpc_id: field(string, 'ID of the VPC of the cluster.'),
    vswitch_id: field(string, 'vSwitch IDs of the cluster, comma-separated.', {
      deprecated:
        'Deprecated by ACK. Use `vswitchIds` for the vSwitches of the control plane, and the vSwitches of the node pools (`scalingGroup.vswitchIds`) for the data plane.',
    }),
    vswitch_ids: field(listOf(string), 'IDs of the vSwitches of the cluster control plane.'),
    security_group_id: field(string, 'ID of the security group of the cluster.'),
    container_cidr: field(
      string,
      'Pod CIDR block of the cluster (Flannel network plugin), e.g. "172.20.0.0/16".',
    ),
    subnet_cidr: field(string, 'Pod CIDR block of the cluster.', {
      deprecated: 'Deprecated by ACK. Use `containerCidr`.',
    }),
    service_cidr: field(string, 'Service CIDR block of the cluster, e.g. "172.21.0.0/20".'),
    node_cidr_mask: field(
      string,
      'Mask length of the pod CIDR block of each node (Flannel network plugin only), e.g. "26": it bounds how many pod IP addresses a node can be assigned.',
    ),
    ip_stack: field(
      string,
      'IP protocol stack of the cluster: `ipv4` (IPv4 only) or `dual` (IPv4/IPv6 dual stack).',
    ),
    proxy_mode: field(
      string,
      'kube-proxy mode: `iptables` (mature and stable; Services are implemented with iptables rules, with moderate performance that degrades with scale; suits clusters with few Services) or `ipvs` (high performance with the Linux IPVS module; suits clusters with many Services).',
    ),
    network_mode: field(
      string,
      'Network mode of the cluster: `classic` (classic network), `vpc` (VPC), `overlay` (overlay network) or `calico` (Calico network).',
      { deprecated: 'Deprecated by ACK, with no replacement.' },
    ),
    cluster_domain: field(string, 'Local domain name of the cluster, e.g. "cluster.local".'),
    timezone: field(string, 'Time zone of the cluster, e.g. "Asia/Shanghai".'),
    master_url: field(
      string,
      'Access addresses of the API server, as JSON text: `api_server_endpoint` (public) and `intranet_api_server_endpoint` (internal), e.g. {"intranet_api_server_endpoint":"https://192.168.0.1:6443"}.',
    ),
    external_loadbalancer_id: field(
      string,
      'ID of the Server Load Balancer (SLB) instance associated with the Ingress of the cluster.',
      {
        deprecated:
          'Deprecated by ACK. The load balancers that expose the API server are listed in `controlPlaneEndpointsConfig.loadBalancersConfig` of the cluster detail (DescribeClusterDetail).',
      },
    ),
    control_plane_endpoints_config: field(
      ClusterControlPlaneEndpointsConfigSpec,
      'How the API server of the cluster is reached: internal domain name and load balancers.',
    ),
    extra_sans: field(
      listOf(string),
      'Custom Subject Alternative Names (SANs) of the API server certificate.',
    ),
    private_zone: field(boolean, 'Whether PrivateZone is enabled for the cluster. Default: false.', {
      deprecated: 'Deprecated by ACK, with no replacement.',
    }),
    docker_version: field(string, 'Docker version of the cluster, e.g. "19.03.5".', {
      deprecated:
        'Deprecated by ACK, with no replacement: the container runtime of the nodes is configured per node pool (`kubernetesConfig.runtime`).',
    }),
    worker_ram_role_name: field(string, workerRamRoleNameDescription),
    meta_data: field(string, 'Metadata of the cluster, as JSON text (for example its add-ons).'),
    parameters: field(
      json,
      'Resource Orchestration Service (ROS) parameters of the cluster: parameter name to value.',
      { deprecated: 'Deprecated by ACK, with no replacement.' },
    ),
    maintenance_window: field(
      ClusterMaintenanceWindowSpec,
      'Maintenance window of the cluster; takes effect only for ACK managed clusters (Pro) and ACK Serverless clusters.',
    ),
    operation_policy: field(ClusterOperationPolicySpec, 'Automatic O&M policy of the cluster.'),
    auto_mode: field(ClusterAutoModeSpec, 'Intelligent managed mode of the cluster.'),
    rrsa_config: field(ClusterRrsaConfigSpec, 'RRSA (RAM Roles for Service Accounts) configuration.'),
    control_plane_config: field(
      ClusterControlPlaneConfigSpec,
      'Control plane of an ACK dedicated cluster: the ECS instances that run its master nodes.',
    ),
  },
);

export type AckClusterDetail = InferObject<typeof AckClusterDetailSpec.fields>;

/** The keys of the detail that DescribeClustersV1 leaves out of its entries. */
const DETAIL_ONLY_KEYS = [
  'node_cidr_mask',
  'control_plane_endpoints_config',
  'extra_sans',
  'parameters',
  'auto_mode',
  'rrsa_config',
  'control_plane_config',
] as const;

/**
 * Every other key of the detail is a key of the list entry with the same meaning, so the entry is
 * the detail's table without those keys: each shared meaning is written once, in the detail's
 * order (the order of the `Cluster` fields in introspection).
 */
export const AckClusterListEntrySpec = object(
  'ClusterListEntry',
  'An ACK cluster as DescribeClustersV1 lists it (one entry of `clusters`): a summary of the cluster detail.',
  {
    ...omitFields(AckClusterDetailSpec.fields, DETAIL_ONLY_KEYS),
    // Same meaning as in the detail, but ACK deprecates it in this list only.
    worker_ram_role_name: field(string, workerRamRoleNameDescription, {
      deprecated:
        'Deprecated by ACK in this list. Read `workerRamRoleName` of the cluster detail (DescribeClusterDetail).',
    }),
  },
);

export type AckClusterListEntry = InferObject<typeof AckClusterListEntrySpec.fields>;
