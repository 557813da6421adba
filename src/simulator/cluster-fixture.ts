/**
 * One generated cluster: its DescribeClusterDetail answer, the DescribeClustersV1 entry derived
 * from it, and its node pools (pool 0 is the default pool).
 */
import { generateNodePool, type NodePoolFixtureContext } from './node-pool-fixture.js';
import { createPrng, mixSeed } from './prng.js';
import { FIXTURE_NOW_MS, formatMillis, formatSeconds } from './timestamps.js';
import {
  CLUSTER_LIST_ENTRY_KEYS,
  type SimulatedCluster,
  type WireClusterDetail,
  type WireClusterListEntry,
} from './wire-types.js';

export const CLUSTER_TYPES = ['ManagedKubernetes', 'Kubernetes', 'ExternalKubernetes'] as const;
/** Cluster i gets state CLUSTER_STATE_CYCLE[i % length]: mostly running, some not. */
export const CLUSTER_STATE_CYCLE = [
  'running',
  'updating',
  'failed',
  'running',
  'scaling',
  'running',
  'initial',
] as const;

export const REGIONS: readonly { id: string; zones: readonly string[] }[] = [
  { id: 'cn-hangzhou', zones: ['cn-hangzhou-h', 'cn-hangzhou-i', 'cn-hangzhou-j', 'cn-hangzhou-k'] },
  { id: 'cn-beijing', zones: ['cn-beijing-f', 'cn-beijing-g', 'cn-beijing-h'] },
  { id: 'cn-shanghai', zones: ['cn-shanghai-e', 'cn-shanghai-f', 'cn-shanghai-g', 'cn-shanghai-l'] },
  { id: 'cn-shenzhen', zones: ['cn-shenzhen-c', 'cn-shenzhen-d', 'cn-shenzhen-e'] },
  { id: 'ap-southeast-1', zones: ['ap-southeast-1a', 'ap-southeast-1b', 'ap-southeast-1c'] },
];

/** Each version, the release after it (or '' for the newest). */
const KUBERNETES_VERSIONS = [
  { version: '1.33.3-aliyun.1', next: '' },
  { version: '1.32.7-aliyun.1', next: '1.33.3-aliyun.1' },
  { version: '1.31.9-aliyun.1', next: '1.32.7-aliyun.1' },
] as const;

const ENVIRONMENTS = ['prod', 'staging', 'dev', 'test'] as const;

/** The Alibaba Cloud account (16 digits) that owns every generated cluster. */
export function accountIdFor(seed: number): string {
  return createPrng(mixSeed(seed, 0xacc)).digits(16);
}

export function generateCluster(seed: number, clusterIndex: number, nodePoolCount: number): SimulatedCluster {
  const rng = createPrng(mixSeed(seed, clusterIndex, 0xc1));
  const accountId = accountIdFor(seed);

  const id = `c${rng.hex(32)}`;
  const clusterType = CLUSTER_TYPES[clusterIndex % CLUSTER_TYPES.length]!;
  const region = REGIONS[clusterIndex % REGIONS.length]!;
  const state = CLUSTER_STATE_CYCLE[clusterIndex % CLUSTER_STATE_CYCLE.length]!;
  const environment = ENVIRONMENTS[(clusterIndex + (seed % ENVIRONMENTS.length)) % ENVIRONMENTS.length]!;
  const name = `${environment}-${region.id.replace(/^[a-z]+-/, '')}-${String(clusterIndex + 1).padStart(2, '0')}`;
  const versionIndex = rng.int(0, KUBERNETES_VERSIONS.length - 1);
  const version = KUBERNETES_VERSIONS[versionIndex]!;
  const initVersion = KUBERNETES_VERSIONS[rng.int(versionIndex, KUBERNETES_VERSIONS.length - 1)]!.version;
  // Newer clusters first, as ACK lists them.
  const createdMs = FIXTURE_NOW_MS - (clusterIndex + 1) * 60 * 86_400_000 - rng.int(0, 59 * 86_400) * 1000;
  const updatedMs = Math.min(createdMs + rng.int(1, 45 * 86_400) * 1000, FIXTURE_NOW_MS);

  const zones = rng.sample(region.zones, rng.int(2, region.zones.length));
  const vpcId = `vpc-${rng.alnum(21)}`;
  const vswitchIds = zones.map(() => `vsw-${rng.alnum(21)}`);
  const securityGroupId = `sg-${rng.alnum(20)}`;
  const resourceGroupId = `rg-acfm${rng.alnum(11)}`;
  const workerRamRoleName = `KubernetesWorkerRole-${rng.uuid()}`;
  const loadBalancerId = `lb-${rng.alnum(20)}`;
  const terway = rng.chance(0.5);
  const containerCidr = terway ? '' : rng.pick(['172.20.0.0/16', '10.128.0.0/16']);
  const serviceCidr = rng.pick(['172.21.0.0/20', '192.168.0.0/16']);
  const proxyMode = rng.pick(['ipvs', 'iptables']);
  const ipStack = rng.chance(0.2) ? 'dual' : 'ipv4';
  const publicIp = `47.${rng.int(90, 120)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  const privateIp = `192.168.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  const rrsaEnabled = rng.chance(0.5);
  const managed = clusterType === 'ManagedKubernetes';
  const dedicated = clusterType === 'Kubernetes';
  const autoUpgrade = rng.chance(0.5);

  const poolContext: NodePoolFixtureContext = {
    seed,
    clusterIndex,
    clusterId: id,
    regionId: region.id,
    zoneIds: zones,
    vswitchIds,
    securityGroupId,
    resourceGroupId,
    workerRamRoleName,
    kubernetesVersion: version.version,
    clusterCreatedMs: createdMs,
  };
  const nodePools = Array.from({ length: nodePoolCount }, (_, poolIndex) =>
    generateNodePool(poolContext, poolIndex),
  );
  const size = nodePools.reduce((sum, pool) => sum + pool.status.total_nodes, 0);

  const detail: WireClusterDetail = {
    cluster_id: id,
    name,
    region_id: region.id,
    zone_id: zones[0]!,
    state,
    cluster_type: clusterType,
    cluster_spec: managed ? rng.pick(['ack.pro.small', 'ack.standard']) : '',
    profile: 'Default',
    current_version: version.version,
    init_version: initVersion,
    next_version: version.next,
    created: formatSeconds(createdMs),
    updated: formatSeconds(updatedMs),
    size,
    vpc_id: vpcId,
    vswitch_id: vswitchIds[0]!,
    vswitch_ids: vswitchIds,
    security_group_id: securityGroupId,
    resource_group_id: resourceGroupId,
    tags: [
      { key: 'ack.aliyun.com', value: id },
      { key: 'env', value: environment },
    ],
    cluster_domain: 'cluster.local',
    container_cidr: containerCidr,
    service_cidr: serviceCidr,
    subnet_cidr: containerCidr,
    node_cidr_mask: terway ? '' : '26',
    ip_stack: ipStack,
    proxy_mode: proxyMode,
    network_mode: 'vpc',
    timezone: 'Asia/Shanghai',
    docker_version: '',
    external_loadbalancer_id: clusterType === 'ExternalKubernetes' ? '' : loadBalancerId,
    master_url:
      clusterType === 'ExternalKubernetes'
        ? ''
        : JSON.stringify({
            api_server_endpoint: `https://${publicIp}:6443`,
            intranet_api_server_endpoint: `https://${privateIp}:6443`,
          }),
    meta_data: JSON.stringify({
      Capabilities: { AnyAZ: true, Network: terway ? 'terway-eniip' : 'flannel', ProxyMode: proxyMode },
      KubernetesVersion: version.version,
      ResourceGroupId: resourceGroupId,
      VpcId: vpcId,
    }),
    deletion_protection: rng.chance(0.5),
    private_zone: rng.chance(0.3),
    worker_ram_role_name: workerRamRoleName,
    extra_sans: rng.chance(0.5) ? [`api.${name}.example.internal`] : [],
    parameters: {
      ClusterType: clusterType,
      KubernetesVersion: version.version,
      Network: terway ? 'terway-eniip' : 'flannel',
      ProxyMode: proxyMode,
      ServiceCIDR: serviceCidr,
      VpcId: vpcId,
    },
    maintenance_window: {
      enable: rng.chance(0.5),
      maintenance_time: formatMillis(createdMs + 86_400_000),
      duration: rng.pick(['3h', '4h', '6h']),
      recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TH',
      weekly_period: 'Monday,Thursday',
    },
    operation_policy: {
      cluster_auto_upgrade: {
        enabled: autoUpgrade,
        channel: autoUpgrade ? rng.pick(['patch', 'stable', 'rapid']) : '',
      },
    },
    auto_mode: { enable: rng.chance(0.3) },
    rrsa_config: rrsaEnabled
      ? {
          enabled: true,
          issuer: `https://oidc-ack-${region.id}.oss-${region.id}.aliyuncs.com/${id}`,
          audience: 'sts.aliyuncs.com',
          jwks_url: `https://oidc-ack-${region.id}.oss-${region.id}.aliyuncs.com/${id}/keys.json`,
          open_api_configuration_url: `https://oidc-ack-${region.id}.oss-${region.id}.aliyuncs.com/${id}/.well-known/openid-configuration`,
          oidc_arn: `acs:ram::${accountId}:oidc-provider/ack-rrsa-${id}`,
          oidc_name: `ack-rrsa-${id}`,
          max_oidc_token_expiration: '12h',
        }
      : {
          enabled: false,
          issuer: '',
          audience: '',
          jwks_url: '',
          open_api_configuration_url: '',
          oidc_arn: '',
          oidc_name: '',
          max_oidc_token_expiration: '',
        },
    control_plane_config: dedicated
      ? {
          auto_renew: false,
          auto_renew_period: 0,
          charge_type: 'PostPaid',
          cloud_monitor_flags: true,
          cpu_policy: 'none',
          deploymentset_id: `ds-${rng.alnum(20)}`,
          image_id: 'aliyun_3_x64_20G_alibase_20241218.vhd',
          image_type: 'AliyunLinux3',
          instance_metadata_options: { http_tokens: 'optional' },
          instance_types: ['ecs.g7.xlarge'],
          key_pair: `${region.id}-ops-key`,
          node_port_range: '30000-32767',
          period: 1,
          period_unit: 'Month',
          runtime: 'containerd',
          security_hardening_os: false,
          size: 3,
          soc_enabled: false,
          system_disk_bursting_enabled: false,
          system_disk_category: 'cloud_essd',
          system_disk_performance_level: 'PL1',
          system_disk_provisioned_iops: 0,
          system_disk_size: 120,
          system_disk_snapshot_policy_id: '',
        }
      : {
          auto_renew: false,
          auto_renew_period: 0,
          charge_type: '',
          cloud_monitor_flags: false,
          cpu_policy: '',
          deploymentset_id: '',
          image_id: '',
          image_type: '',
          instance_metadata_options: { http_tokens: '' },
          instance_types: [],
          key_pair: '',
          node_port_range: managed ? '30000-32767' : '',
          period: 0,
          period_unit: '',
          runtime: '',
          security_hardening_os: false,
          size: 0,
          soc_enabled: false,
          system_disk_bursting_enabled: false,
          system_disk_category: '',
          system_disk_performance_level: '',
          system_disk_provisioned_iops: 0,
          system_disk_size: 0,
          system_disk_snapshot_policy_id: '',
        },
    control_plane_endpoints_config: {
      internal_dns_config: { bind_vpcs: [vpcId], enabled: rng.chance(0.5) },
      load_balancers_config:
        clusterType === 'ExternalKubernetes'
          ? []
          : [
              {
                endpoint: `https://${privateIp}:6443`,
                endpoint_type: 'intranet',
                load_balancer_id: loadBalancerId,
              },
            ],
    },
  };

  return { id, detail, listEntry: toListEntry(detail), nodePools };
}

/** The DescribeClustersV1 entry: the list model's keys, taken from the detail. */
export function toListEntry(detail: WireClusterDetail): WireClusterListEntry {
  const entry: Partial<Record<keyof WireClusterListEntry, unknown>> = {};
  for (const key of CLUSTER_LIST_ENTRY_KEYS) entry[key] = detail[key];
  return entry as WireClusterListEntry;
}
