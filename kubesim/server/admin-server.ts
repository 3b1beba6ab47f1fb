// Admin endpoint (plain HTTP on loopback) for fault injection from outside the process:
//   GET    /clusters                      descriptions
//   GET    /clusters/<name>/faults        current faults
//   PUT    /clusters/<name>/faults        merge faults (JSON FaultSettings)
//   DELETE /clusters/<name>/faults        clear faults (and bring the cluster up)
//   POST   /clusters/<name>/drop-watches  end open watch streams

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FaultSettings } from '../faults/faults.js';
import type { ClusterHandle } from './cluster-handle.js';
import { readBody } from './http-io.js';

function json(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function handle(
  handles: Map<string, ClusterHandle>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const parts = new URL(req.url ?? '/', 'http://admin').pathname.split('/').filter(Boolean);
  if (parts[0] !== 'clusters') return json(res, 404, { error: 'not found' });
  if (parts.length === 1 && req.method === 'GET') {
    return json(res, 200, { clusters: [...handles.values()].map((h) => h.describe()) });
  }
  const h = handles.get(decodeURIComponent(parts[1] ?? ''));
  if (!h) return json(res, 404, { error: `no cluster ${parts[1]}` });
  if (parts[2] === 'faults') {
    if (req.method === 'GET') return json(res, 200, h.faults);
    if (req.method === 'PUT' || req.method === 'POST' || req.method === 'PATCH') {
      const raw = (await readBody(req)).toString('utf8');
      const patch = (raw ? JSON.parse(raw) : {}) as FaultSettings;
      return json(res, 200, await h.setFaults(patch));
    }
    if (req.method === 'DELETE') {
      await h.clearFaults();
      return json(res, 200, h.faults);
    }
  }
  if (parts[2] === 'drop-watches' && req.method === 'POST') {
    return json(res, 200, { dropped: h.dropWatches() });
  }
  return json(res, 404, { error: 'not found' });
}

export async function startAdminServer(
  handles: Map<string, ClusterHandle>,
  port: number,
  host = '127.0.0.1',
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handle(handles, req, res).catch((err: unknown) => json(res, 400, { error: String(err) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const p = addr && typeof addr === 'object' ? addr.port : port;
  return { server, url: `http://${host}:${p}` };
}
