import { field, int, object, string } from '../dsl.js';

export const interconnectDeprecated =
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
