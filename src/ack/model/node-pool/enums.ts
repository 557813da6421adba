import { enumOf } from '../dsl.js';

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
