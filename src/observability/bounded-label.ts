/** Longest label value kept; longer ones are cut (GraphQL names have no length limit). */
const MAX_LABEL_LENGTH = 100;

/**
 * A metric label fed by callers (operation names, error codes): the first `max` distinct values
 * are kept as they are, later ones become `overflow`, so a client inventing names cannot grow
 * the number of time series without bound.
 */
export function createBoundedLabel(max: number, overflow = 'other') {
  const seen = new Set<string>();
  return (value: string): string => {
    const label = value.slice(0, MAX_LABEL_LENGTH);
    if (seen.has(label)) return label;
    if (seen.size >= max) return overflow;
    seen.add(label);
    return label;
  };
}
