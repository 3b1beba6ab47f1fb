// A stand-in for the cloud (or k3s ServiceLB) load-balancer controller: a Service of type
// LoadBalancer gets status.loadBalancer.ingress with the first ready node's InternalIP, as
// clients such as `helm install --wait` and `kubectl get svc` expect; a Service that stops
// being a LoadBalancer loses it.

import { updateObject } from '../api/object-service.js';
import type { ResourceType } from '../api/resources.js';
import type { ClusterContext } from '../server/context.js';
import { asArray, asObject, type KubeObject } from '../storage/types.js';

function nodeAddress(ctx: ClusterContext): string {
  for (const s of ctx.store.list('nodes')) {
    const node = JSON.parse(s.json) as KubeObject;
    const address = asArray(asObject(node.status).addresses)
      .map(asObject)
      .find((a) => a.type === 'InternalIP')?.address;
    if (typeof address === 'string') return address;
  }
  return '192.0.2.1';
}

export function onServiceWritten(ctx: ClusterContext, t: ResourceType, svc: KubeObject): void {
  const wantsLb = asObject(svc.spec).type === 'LoadBalancer';
  const ingress = asArray(asObject(asObject(svc.status).loadBalancer).ingress);
  if (wantsLb === ingress.length > 0) return;
  const ns = svc.metadata.namespace ?? '';
  const name = svc.metadata.name ?? '';
  ctx.later(50, () => {
    const current = ctx.store.get('services', ns, name);
    if (!current || current.metadata.uid !== svc.metadata.uid) return;
    const lb = asObject(current.spec).type === 'LoadBalancer';
    try {
      updateObject(
        ctx,
        t,
        ns,
        name,
        {
          ...current,
          status: {
            ...asObject(current.status),
            loadBalancer: lb ? { ingress: [{ ip: nodeAddress(ctx), ipMode: 'VIP' }] } : {},
          },
        },
        { subresource: 'status' },
      );
    } catch {
      // Changed meanwhile; the write that changed it brings this controller back.
    }
  });
}
