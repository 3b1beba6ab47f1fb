// Routes an authorized resource request to the verb handler or subresource.

import type { ApiRequest } from '../api/api-request.js';
import {
  handleCreate,
  handleDelete,
  handleDeleteCollection,
  handleGet,
  handleList,
  handlePatch,
  handleUpdate,
  handleWatch,
} from '../api/rest-handler.js';
import { handleScale } from '../api/scale.js';
import { badRequest, methodNotAllowed, pathNotFound } from '../api/status.js';
import { handleReview, handleTokenRequest } from '../auth/reviews.js';
import { handlePodLog } from '../pods/logs.js';
import { handleProxy } from '../pods/proxy.js';
import type { SimCluster } from './sim-cluster.js';

export async function routeResource(cluster: SimCluster, ar: ApiRequest): Promise<void> {
  const { info, t } = ar;
  if (t.virtual) {
    if (info.verb !== 'create' || info.name) throw methodNotAllowed();
    await handleReview(cluster, ar);
    return;
  }
  if (t.namespaced && !info.namespace && info.name) throw pathNotFound();
  const sub = info.subresource;
  if (sub && !(t.subresources ?? []).some((s) => s.name === sub)) throw pathNotFound();
  switch (sub) {
    case '':
      break;
    case 'status':
      if (info.verb === 'get') return handleGet(ar);
      if (info.verb === 'update') return handleUpdate(ar);
      if (info.verb === 'patch') return handlePatch(ar);
      throw methodNotAllowed();
    case 'scale':
      return handleScale(ar);
    case 'log':
      if (info.verb !== 'get') throw methodNotAllowed();
      return handlePodLog(cluster, ar);
    case 'token':
      if (info.verb !== 'create') throw methodNotAllowed();
      return handleTokenRequest(cluster, ar);
    case 'proxy':
      if (info.resource !== 'pods' && info.resource !== 'services') throw pathNotFound();
      return handleProxy(cluster, ar);
    case 'exec':
    case 'attach':
    case 'portforward':
      throw badRequest('Upgrade request required');
    default:
      throw pathNotFound();
  }
  switch (info.verb) {
    case 'get':
      return handleGet(ar);
    case 'list':
      return handleList(ar);
    case 'watch':
      if (cluster.faults.dropWatches) {
        // No Transfer-Encoding: Node chunks HTTP/1.1 itself, and HTTP/2 forbids the header.
        ar.res.writeHead(200, { 'Content-Type': 'application/json' });
        ar.res.end();
        return;
      }
      return handleWatch(ar, cluster.watches, cluster.timings.bookmarkMs);
    case 'create':
      if (info.name) throw methodNotAllowed();
      return handleCreate(ar);
    case 'update':
      return handleUpdate(ar);
    case 'patch':
      return handlePatch(ar);
    case 'delete':
      return handleDelete(ar);
    case 'deletecollection':
      return handleDeleteCollection(ar);
    default:
      throw methodNotAllowed();
  }
}
