/**
 * Cluster and node-pool ids: 1 to 128 letters, digits, `-` and `_`, starting with a letter or a
 * digit (ACK's own are `c` / `np` followed by 32 hex digits). Anything else never reaches a URL.
 */
export const ACK_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export const isAckId = (value: string): boolean => ACK_ID_PATTERN.test(value);
