// Admin endpoint (plain HTTP on loopback) for fault injection from outside the process:
//   GET    /clusters                      descriptions
//   GET    /clusters/<name>/faults        current faults
//   PUT    /clusters/<name>/faults        merge faults (JSON FaultSettings)
//   DELETE /clusters/<name>/faults        clear faults (and bring the cluster up)
//   POST   /clusters/<name>/drop-watches  end open watch streams
//   PUT    /clusters/<name>/nodes/<node>/fault        NodeFault JSON (ready, *Pressure, cordoned)
//   PUT    /clusters/<name>/pods/<ns>/<pod>/crashloop CrashLoopFault JSON (restarts, crashing)
//   POST   /clusters/<name>/jobs/<ns>/<job>/fail      the Job fails (BackoffLimitExceeded)
//   POST   /clusters/<name>/events                    WarningEvent JSON
//   GET|PUT /churn                                     { eventsPerSecond } fleet-wide pod writes

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FaultSettings } from '../faults/faults.js';
import type { CrashLoopFault, NodeFault, WarningEvent } from '../faults/object-faults.js';
import type { Churn } from '../seed/churn.js';
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
  churn: Churn | undefined,
): Promise<void> {
  const parts = new URL(req.url ?? '/', 'http://admin').pathname.split('/').filter(Boolean);
  if (parts[0] === 'churn' && parts.length === 1 && churn !== undefined) {
    if (req.method === 'PUT' || req.method === 'POST') {
      const raw = (await readBody(req)).toString('utf8');
      const rate = Number(
        (JSON.parse(raw || '{}') as { eventsPerSecond?: unknown }).eventsPerSecond,
      );
      if (!Number.isFinite(rate) || rate < 0)
        return json(res, 400, { error: 'eventsPerSecond must be a number >= 0' });
      churn.setRate(rate);
    }
    return json(res, 200, { eventsPerSecond: churn.rate, writes: churn.writes });
  }
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
  const body = async <T>() => {
    const raw = (await readBody(req)).toString('utf8');
    return (raw ? JSON.parse(raw) : {}) as T;
  };
  const at = (i: number) => decodeURIComponent(parts[i] ?? '');
  const writes = req.method === 'PUT' || req.method === 'POST';
  if (writes && parts[2] === 'nodes' && parts[4] === 'fault' && parts.length === 5) {
    return json(res, 200, h.setNodeFault(at(3), await body<NodeFault>()));
  }
  if (writes && parts[2] === 'pods' && parts[5] === 'crashloop' && parts.length === 6) {
    return json(res, 200, h.setCrashLoop(at(3), at(4), await body<CrashLoopFault>()));
  }
  if (writes && parts[2] === 'jobs' && parts[5] === 'fail' && parts.length === 6) {
    return json(res, 200, h.failJob(at(3), at(4)));
  }
  if (req.method === 'POST' && parts[2] === 'events' && parts.length === 3) {
    return json(res, 201, h.recordEvent(await body<WarningEvent>()));
  }
  return json(res, 404, { error: 'not found' });
}

export async function startAdminServer(
  handles: Map<string, ClusterHandle>,
  port: number,
  host = '127.0.0.1',
  churn?: Churn,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handle(handles, req, res, churn).catch((err: unknown) => {
      const status = (err as { status?: unknown }).status === 404 ? 404 : 400;
      json(res, status, { error: String(err) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const p = addr && typeof addr === 'object' ? addr.port : port;
  return { server, url: `http://${host}:${p}` };
}
