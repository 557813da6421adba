import { boolean, field, int, object } from '../dsl.js';
import { AutoScalingTypeEnum, InternetChargeTypeEnum } from './enums.js';

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
