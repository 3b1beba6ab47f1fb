// pods/log: a deterministic synthetic log per container (one line per logLineMs since the
// container started), with container selection errors worded like the kubelet/apiserver,
// tailLines, sinceSeconds, limitBytes, timestamps and follow.

import type { ApiRequest } from '../api/api-request.js';
import { queryBool } from '../api/query-bool.js';
import { badRequest, notFound } from '../api/status.js';
import type { SimCluster } from '../server/sim-cluster.js';
import { asArray, asObject, asString, type KubeObject } from '../storage/types.js';

const MAX_HISTORY = 1000;

export function logLine(pod: string, container: string, seq: number): string {
  const paths = ['/', '/healthz', '/api/items', '/api/orders', '/metrics'];
  const path = paths[seq % paths.length];
  const ms = (seq * 37) % 250;
  return `level=info ts_seq=${seq} pod=${pod} container=${container} msg="GET ${path} 200" duration=${ms}ms`;
}

function nanoTimestamp(t: number): string {
  return `${new Date(t).toISOString().slice(0, 19)}.${String(t % 1000).padStart(3, '0')}000000Z`;
}

/** Picks the container the request names, or the apiserver's 400 when it cannot. */
export function resolveContainer(pod: KubeObject, requested: string): string {
  const spec = asObject(pod.spec);
  const names = asArray(spec.containers).map((c) => asString(c.name));
  const initNames = asArray(spec.initContainers).map((c) => asString(c.name));
  const podName = pod.metadata.name ?? '';
  if (!requested) {
    if (names.length === 1) return names[0] ?? '';
    let msg = `a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`;
    if (initNames.length > 0) msg += ` or one of the init containers: [${initNames.join(' ')}]`;
    throw badRequest(msg);
  }
  if (!names.includes(requested) && !initNames.includes(requested)) {
    throw badRequest(`container ${requested} is not valid for pod ${podName}`);
  }
  return requested;
}

function containerStart(pod: KubeObject, container: string): number | undefined {
  const status = asObject(pod.status);
  const cs = asArray(status.containerStatuses).find((c) => c.name === container);
  const running = asObject(asObject(cs?.state).running);
  const started = Date.parse(asString(running.startedAt) || asString(status.startTime));
  return Number.isNaN(started) ? undefined : started;
}

export async function handlePodLog(cluster: SimCluster, ar: ApiRequest): Promise<void> {
  const { info, url, res, req } = ar;
  const pod = cluster.store.get('pods', info.namespace, info.name);
  if (!pod) throw notFound({ group: '', resource: 'pods' }, info.name);
  const sp = url.searchParams;
  const container = resolveContainer(pod, sp.get('container') ?? '');
  if (queryBool(sp, 'previous')) {
    throw badRequest(
      `previous terminated container "${container}" in pod "${info.name}" not found`,
    );
  }
  const start = containerStart(pod, container);
  if (start === undefined) {
    throw badRequest(
      `container "${container}" in pod "${info.name}" is waiting to start: ContainerCreating`,
    );
  }
  const interval = Math.max(1, cluster.timings.logLineMs);
  const now = cluster.now().getTime();
  const total = Math.max(0, Math.floor((now - start) / interval) + 1);
  let from = Math.max(0, total - MAX_HISTORY);
  const since = sp.get('sinceSeconds');
  const sinceTime = sp.get('sinceTime');
  if (since) from = Math.max(from, Math.ceil((now - Number(since) * 1000 - start) / interval));
  if (sinceTime) from = Math.max(from, Math.ceil((Date.parse(sinceTime) - start) / interval));
  const tail = sp.get('tailLines');
  if (tail !== null && Number(tail) >= 0) from = Math.max(from, total - Number(tail));
  const timestamps = queryBool(sp, 'timestamps');
  const limitBytes = sp.get('limitBytes') ? Number(sp.get('limitBytes')) : Number.POSITIVE_INFINITY;
  const podName = pod.metadata.name ?? '';
  const render = (seq: number) =>
    `${timestamps ? `${nanoTimestamp(start + seq * interval)} ` : ''}${logLine(podName, container, seq)}\n`;

  const follow = queryBool(sp, 'follow');
  // A follow is chunked by Node on HTTP/1.1; HTTP/2 forbids the Transfer-Encoding header.
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  let sent = 0;
  const write = (s: string): boolean => {
    if (sent + s.length > limitBytes) {
      res.write(s.slice(0, Math.max(0, limitBytes - sent)));
      sent = limitBytes;
      return false;
    }
    sent += s.length;
    res.write(s);
    return true;
  };
  let seq = from;
  for (; seq < total; seq++) {
    if (!write(render(seq))) {
      res.end();
      return;
    }
  }
  if (!follow) {
    res.end();
    return;
  }
  const uid = pod.metadata.uid;
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (timer) clearTimeout(timer);
      res.end();
      resolve();
    };
    const tick = () => {
      const current = cluster.store.get('pods', info.namespace, info.name);
      if (!current || current.metadata.uid !== uid) return stop();
      if (!write(render(seq++))) return stop();
      timer = setTimeout(tick, interval - ((cluster.now().getTime() - start) % interval));
    };
    req.on('close', stop);
    timer = setTimeout(tick, start + seq * interval - cluster.now().getTime());
  });
}
