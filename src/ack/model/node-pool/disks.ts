import { boolean, field, int, object, string } from '../dsl.js';

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
