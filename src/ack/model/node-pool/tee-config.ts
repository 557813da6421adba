import { boolean, field, object } from '../dsl.js';

export const TeeConfigSpec = object(
  'TeeConfig',
  'The confidential computing (TEE) configuration of the node pool (`tee_config`).',
  {
    tee_enable: field(boolean, 'Whether confidential computing is enabled.'),
  },
);
