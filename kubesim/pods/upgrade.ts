// Connection upgrades (WebSocket) for pods/exec, pods/attach and pods/portforward.

import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { SimCluster } from '../server/sim-cluster.js';

export async function handleUpgrade(
  _cluster: SimCluster,
  _req: IncomingMessage,
  socket: Socket,
  _head: Buffer,
): Promise<void> {
  socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
}
