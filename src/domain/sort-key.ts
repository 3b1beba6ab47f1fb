/**
 * The order of sort keys, the tuples every paged list sorts by and puts in its cursors (the
 * resolvers' string keys, the fleet index's strings and numbers): element by element, the
 * shorter key first when one is a prefix of the other.
 */
export function compareSortKeys(
  a: readonly (string | number)[],
  b: readonly (string | number)[],
): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
