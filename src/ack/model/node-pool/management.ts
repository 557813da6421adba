import { boolean, field, int, object, string } from '../dsl.js';

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
