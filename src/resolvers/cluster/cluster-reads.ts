/** Whole-cluster reads several fields of one request share (memoized per request). */
import type { KubeObject, KubeResource } from '../../domain/kube-api.js';
import type { GraphQLContext } from '../context.js';
import { kubeClient } from './kube-access.js';
import { memo } from './request-memo.js';

/** Every object of a kind in one cluster (or namespace) the caller may list, in chunks. */
export function listAll(
  ctx: GraphQLContext,
  clusterId: string,
  resource: KubeResource,
  options: { namespace?: string; fieldSelector?: string; signal?: AbortSignal } = {},
): Promise<KubeObject[]> {
  const key = `all:${clusterId}:${resource.group}/${resource.resource}:${options.namespace ?? ''}:${options.fieldSelector ?? ''}`;
  return memo(ctx, key, async () => {
    const kube = kubeClient(ctx);
    const out: KubeObject[] = [];
    let token: string | undefined;
    do {
      const list = await kube.list(clusterId, resource, {
        limit: 500,
        ...(options.namespace ? { namespace: options.namespace } : {}),
        ...(options.fieldSelector ? { fieldSelector: options.fieldSelector } : {}),
        ...(token ? { continue: token } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      out.push(...list.items);
      token = list.continue;
    } while (token);
    return out;
  });
}
