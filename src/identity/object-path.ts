/** Reads and writes dot-separated paths (`serviceAccount.password`) in provider settings. */

export function getPath(obj: Record<string, unknown>, path: string): unknown {
  let node: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** A copy of `obj` with `path` set (or removed when `value` is undefined). */
export function withPath(
  obj: Record<string, unknown>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  const copy = { ...obj };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  const child = copy[head];
  const base =
    typeof child === 'object' && child !== null ? (child as Record<string, unknown>) : {};
  copy[head] = withPath(base, rest.join('.'), value);
  return copy;
}
