import { field, float, int, listOf, object, string } from '../dsl.js';

export const InstancePatternSpec = object(
  'InstancePattern',
  'Instance attributes the node pool selects instance types by, instead of listing them (`scaling_group.instance_patterns[]`).',
  {
    cores: field(int, 'Number of vCPU cores of the instance type.'),
    memory: field(float, 'Memory size of the instance type, in GiB.'),
    min_cpu_cores: field(int, 'Minimum number of vCPU cores of the instance type.'),
    max_cpu_cores: field(int, 'Maximum number of vCPU cores of the instance type.'),
    min_memory_size: field(float, 'Minimum memory size of the instance type, in GiB.'),
    max_memory_size: field(float, 'Maximum memory size of the instance type, in GiB.'),
    instance_family_level: field(
      string,
      'Level of the instance family, e.g. `EnterpriseLevel`, `EntryLevel` or `CreditEntryLevel`.',
    ),
    instance_type_families: field(listOf(string), 'Instance families to use, e.g. "ecs.c6".'),
    excluded_instance_types: field(
      listOf(string),
      'Instance types to exclude, e.g. "ecs.c6.large"; wildcards are allowed.',
    ),
    instance_categories: field(
      listOf(string),
      'Instance categories to use, e.g. "General-purpose", "Compute-optimized", "Memory-optimized".',
    ),
    cpu_architectures: field(listOf(string), 'CPU architectures of the instance type, e.g. "X86", "ARM".'),
    maximum_gpu_amount: field(int, 'Maximum number of GPUs per instance.'),
    minimum_eni_quantity: field(int, 'Minimum number of elastic network interfaces (ENIs) per instance.'),
    minimum_eni_private_ip_address_quantity: field(int, 'Minimum number of private IPv4 addresses per ENI.'),
    minimum_eni_ipv6_address_quantity: field(int, 'Minimum number of IPv6 addresses per ENI.'),
    core: field(int, 'Number of vCPU cores of the instance type.', {
      deprecated: 'Deprecated by ACK. Use `cores`.',
    }),
    architectures: field(listOf(string), 'Architectures of the instance type.', {
      deprecated: 'Deprecated by ACK. Use `cpuArchitectures`.',
    }),
    max_price: field(float, 'Maximum hourly price of the instance.', {
      deprecated: 'Deprecated by ACK, with no replacement.',
    }),
    burst_performance_option: field(
      string,
      'Whether burstable instance types are included: `Include`, `Exclude` or `Required`.',
      { deprecated: 'Deprecated by ACK, with no replacement.' },
    ),
  },
);
