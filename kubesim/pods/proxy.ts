// pods/{name}[:port]/proxy/<path> and services/{name}[:port]/proxy/<path>: the apiserver relays
// the request to a pod and the pod's answer back, headers and all. Here the pod is its
// simulated app (port-responder), the one port-forward reaches: a text line naming the pod and
// request, or the document of its `kubesim.io/app-body` annotation. A scheme prefix
// (`https:name:port`) is accepted and ignored; a service needs a running pod behind it.

import type { ApiRequest } from '../api/api-request.js';
import { badRequest, notFound, serviceUnavailable } from '../api/status.js';
import { readBody } from '../server/http-io.js';
import type { SimCluster } from '../server/sim-cluster.js';
import { fromLabelSelectorObject, matchLabels } from '../storage/selectors.js';
import { asArray, asNumber, asObject, asString, type KubeObject } from '../storage/types.js';
import { isPortOpen } from './port-forward.js';
import { type ResponderContext, responderBody, responderContentType } from './port-responder.js';

interface ProxyName {
  name: string;
  port: string;
}

/** `[scheme:]name[:port]`, as net.SplitSchemeNamePort reads it. */
function splitName(raw: string): ProxyName {
  const parts = raw.split(':');
  if (parts.length === 1) return { name: raw, port: '' };
  if (parts.length === 2) return { name: parts[0] ?? '', port: parts[1] ?? '' };
  if (parts.length === 3 && (parts[0] === 'http' || parts[0] === 'https' || parts[0] === '')) {
    return { name: parts[1] ?? '', port: parts[2] ?? '' };
  }
  throw badRequest(`invalid request "${raw}"`);
}

/** The path below `.../proxy`, with its query, as the pod receives it. */
function podPath(ar: ApiRequest): string {
  const segments = ar.url.pathname.split('/');
  const at = segments.findIndex(
    (s, i) => s === ar.info.resource && segments[i + 2] === 'proxy' && i > 0,
  );
  const rest = at < 0 ? '' : segments.slice(at + 3).join('/');
  return `/${rest}${ar.url.search}`;
}

const isRunning = (pod: KubeObject) => asString(asObject(pod.status).phase) === 'Running';

function podTarget(cluster: SimCluster, ar: ApiRequest, target: ProxyName): ResponderContext {
  const pod = cluster.store.get('pods', ar.info.namespace, target.name);
  if (!pod) throw notFound({ group: '', resource: 'pods' }, target.name);
  if (!isRunning(pod)) throw badRequest(`pod ${target.name} is not running`);
  const port = target.port === '' ? 80 : Number(target.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535 || !isPortOpen(pod, port)) {
    throw serviceUnavailable(`error trying to reach service: dial tcp: connection refused`);
  }
  return { pod, port, now: () => cluster.now() };
}

function serviceTarget(cluster: SimCluster, ar: ApiRequest, target: ProxyName): ResponderContext {
  const svc = cluster.store.get('services', ar.info.namespace, target.name);
  if (!svc) throw notFound({ group: '', resource: 'services' }, target.name);
  const spec = asObject(svc.spec);
  const ports = asArray(spec.ports);
  const port =
    target.port === ''
      ? ports[0]
      : ports.find((p) => asString(p.name) === target.port || String(p.port) === target.port);
  if (!port) {
    throw serviceUnavailable(`no endpoints available for service "${target.name}"`);
  }
  const selector = fromLabelSelectorObject({ matchLabels: asObject(spec.selector) });
  const pod = cluster.store
    .list('pods', ar.info.namespace)
    .map((stored) => JSON.parse(stored.json) as KubeObject)
    .filter((p) => matchLabels(selector, p.metadata.labels) && isRunning(p))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
  if (!pod) throw serviceUnavailable(`no endpoints available for service "${target.name}"`);
  const wanted = port.targetPort ?? port.port;
  const containerPorts = asArray(asObject(pod.spec).containers).flatMap((c) => asArray(c.ports));
  const number =
    typeof wanted === 'number'
      ? wanted
      : asNumber(containerPorts.find((c) => c.name === wanted)?.containerPort, asNumber(port.port));
  return { pod, port: number, now: () => cluster.now() };
}

export async function handleProxy(cluster: SimCluster, ar: ApiRequest): Promise<void> {
  const target = splitName(ar.info.name);
  const ctx =
    ar.info.resource === 'services'
      ? serviceTarget(cluster, ar, target)
      : podTarget(cluster, ar, target);
  await readBody(ar.req);
  const method = ar.req.method ?? 'GET';
  const body = Buffer.from(responderBody(ctx, method, podPath(ar)));
  ar.res.writeHead(200, {
    'Content-Type': responderContentType(ctx),
    'Content-Length': body.length,
    Server: 'kubesim',
  });
  ar.res.end(method === 'HEAD' ? undefined : body);
}
