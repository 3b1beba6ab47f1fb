/**
 * Per-request memo for downstream reads several fields share (all pods of a cluster for node
 * and capacity sums, endpoints of a namespace): keyed by the request's context, so nothing
 * outlives the request or crosses callers.
 */
const memos = new WeakMap<object, Map<string, Promise<unknown>>>();

export function memo<T>(ctx: object, key: string, load: () => Promise<T>): Promise<T> {
  let map = memos.get(ctx);
  if (map === undefined) {
    map = new Map();
    memos.set(ctx, map);
  }
  const hit = map.get(key);
  if (hit !== undefined) return hit as Promise<T>;
  const value = load();
  map.set(key, value);
  return value;
}
