import { field, int, object, string } from '../dsl.js';
import { KubeletConfigSpec } from './kubelet-config.js';

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
