// Connection upgrades for pods/exec, pods/attach and pods/portforward: the request runs the
// usual filters (faults, authentication, impersonation, authorization; a WebSocket GET is
// authorized with the `get` verb as in 1.32, a SPDY POST with `create`), then switches to
// WebSocket channels, SPDY, or SPDY tunnelled in WebSocket.

import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { queryBool } from '../api/query-bool.js';
import {
  badRequest,
  methodNotAllowed,
  notFound,
  pathNotFound,
  type StatusError,
} from '../api/status.js';
import { authenticateAndAuthorize } from '../server/pipeline.js';
import type { SimCluster } from '../server/sim-cluster.js';
import { isSpdyUpgrade } from '../spdy/transports.js';
import { asObject, asString } from '../storage/types.js';
import { runExecSession } from './exec-session.js';
import { resolveContainer } from './logs.js';
import { upgradePortForward } from './port-forward-upgrade.js';
import { upgradeSpdyExec } from './spdy-exec.js';
import { reject, rejectStatus, rejectText } from './upgrade-responses.js';
import { channelWebSockets, openWebSocketSession } from './websocket-exec.js';

/** PodExecOptions/PodAttachOptions flags, decoded by the apiserver before the kubelet sees them. */
function flag(url: URL, name: string): boolean {
  return queryBool(url.searchParams, name);
}

export async function handleUpgrade(
  cluster: SimCluster,
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
): Promise<void> {
  try {
    if (cluster.faults.hang) return;
    const injected = cluster.faults.injectedError();
    if (injected) return rejectStatus(socket, injected);
    const auth = authenticateAndAuthorize(cluster, req);
    if (!auth.ok) {
      if ('error' in auth) return rejectStatus(socket, auth.error);
      return reject(socket, auth.text.code, `${auth.text.text}\n`, 'text/plain; charset=utf-8');
    }
    const { info, url } = auth;
    if (!info.isResourceRequest || info.resource !== 'pods' || info.apiGroup !== '')
      throw pathNotFound();
    const mode = info.subresource;
    if (mode !== 'exec' && mode !== 'attach' && mode !== 'portforward') throw pathNotFound();
    if (info.verb !== 'get' && info.verb !== 'create') throw methodNotAllowed();
    const pod = cluster.store.get('pods', info.namespace, info.name);
    if (!pod) throw notFound({ group: '', resource: 'pods' }, info.name);
    const running = asObject(pod.status).phase === 'Running';
    if (mode === 'portforward') {
      // The apiserver needs the pod's node to reach its kubelet (PortForwardLocation).
      if (!asString(asObject(pod.spec).nodeName))
        throw badRequest(`pod ${info.name} does not have a host assigned`);
      if (!running) throw badRequest('unable to upgrade connection: pod does not exist');
      return upgradePortForward(cluster, req, socket, head, pod);
    }
    const container = resolveContainer(pod, url.searchParams.get('container') ?? '');
    if (!running) {
      throw badRequest(`unable to upgrade connection: container not found ("${container}")`);
    }
    const argv = url.searchParams.getAll('command');
    if (mode === 'exec' && argv.length === 0)
      throw badRequest('you must specify at least 1 command');
    const tty = flag(url, 'tty');
    const streams = {
      stdin: flag(url, 'stdin'),
      stdout: flag(url, 'stdout'),
      stderr: flag(url, 'stderr'),
      tty,
    };
    // The kubelet's check, proxied back as its plain-text answer.
    if (!streams.stdin && !streams.stdout && !streams.stderr)
      return rejectText(socket, 400, 'you must specify at least 1 of stdin, stdout, stderr');
    const request = { pod, container, mode, argv, tty } as const;
    if (isSpdyUpgrade(req)) {
      upgradeSpdyExec(cluster, req, socket, head, request, streams);
      return;
    }
    channelWebSockets.handleUpgrade(req, socket, head, (ws) => {
      void runExecSession(cluster, openWebSocketSession(ws, tty), request);
    });
  } catch (err) {
    if (err && typeof err === 'object' && 'status' in err)
      return rejectStatus(socket, err as StatusError);
    reject(socket, 500, JSON.stringify({ message: String(err) }));
  }
}
