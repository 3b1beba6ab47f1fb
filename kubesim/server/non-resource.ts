// Non-resource endpoints: /version, health checks, and discovery documents.

import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AGGREGATED_V2,
  AGGREGATED_V2BETA1,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from '../api/discovery.js';
import type { RequestInfo } from '../api/request-info.js';
import { notAcceptable, pathNotFound } from '../api/status.js';
import { negotiate, sendJson } from './http-io.js';
import { serveOpenApi } from './openapi.js';
import type { SimCluster } from './sim-cluster.js';

const HEALTH_CHECKS = [
  'ping',
  'log',
  'etcd',
  'poststarthook/start-apiserver-admission-initializer',
  'poststarthook/generic-apiserver-start-informers',
  'poststarthook/rbac/bootstrap-roles',
  'poststarthook/scheduling/bootstrap-system-priority-classes',
  'poststarthook/apiservice-registration-controller',
];

function health(res: ServerResponse, url: URL, name: string): void {
  const verbose = url.searchParams.has('verbose');
  const text = verbose
    ? `${HEALTH_CHECKS.map((c) => `[+]${c} ok`).join('\n')}\n${name} check passed\n`
    : 'ok';
  res.writeHead(200, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

function versionInfo(v: string): unknown {
  const m = /^v(\d+)\.(\d+)/.exec(v);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '32',
    gitVersion: v,
    gitCommit: '9894294ef13a5b32803e3ca2c0d620a088cc84d1',
    gitTreeState: 'clean',
    buildDate: '2025-04-22T15:56:56Z',
    goVersion: 'go1.23.8',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** Sends a discovery document with an ETag, answering 304 to a matching If-None-Match. */
function sendDiscovery(
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  contentType: string,
): void {
  const text = JSON.stringify(body);
  const etag = `"${createHash('sha256').update(text).digest('hex').toUpperCase()}"`;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { Etag: etag, Vary: 'Accept' });
    res.end();
    return;
  }
  sendJson(res, 200, text, contentType, { Etag: etag, Vary: 'Accept' });
}

export function routeNonResource(
  cluster: SimCluster,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  info: RequestInfo,
): void {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/version') {
    sendJson(res, 200, versionInfo(cluster.kubeVersion));
    return;
  }
  for (const h of ['healthz', 'livez', 'readyz']) {
    if (path === `/${h}` || path.startsWith(`/${h}/`)) {
      health(res, url, h);
      return;
    }
  }
  if (path.startsWith('/openapi/')) {
    serveOpenApi(cluster, req, res, url);
    return;
  }
  if (path === '/api' || path === '/apis') {
    const legacy = path === '/api';
    const form = negotiate(req.headers.accept, 'discovery');
    if (!form) throw notAcceptable(['application/json', 'application/yaml']);
    if (form.as === 'discovery') {
      const body = aggregatedDiscovery(cluster.registry, legacy, form.version);
      sendDiscovery(req, res, body, form.version === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1);
      return;
    }
    const host = req.headers.host ?? '127.0.0.1:6443';
    sendDiscovery(
      req,
      res,
      legacy ? apiVersions(host) : apiGroupList(cluster.registry),
      'application/json',
    );
    return;
  }
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'api' && parts.length === 2 && parts[1] === 'v1') {
    sendDiscovery(req, res, apiResourceList(cluster.registry, '', 'v1'), 'application/json');
    return;
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    const g = apiGroup(cluster.registry, parts[1] ?? '');
    if (!g) throw pathNotFound();
    sendDiscovery(req, res, g, 'application/json');
    return;
  }
  if (parts[0] === 'apis' && parts.length === 3) {
    const list = apiResourceList(cluster.registry, parts[1] ?? '', parts[2] ?? '');
    if (!list) throw pathNotFound();
    sendDiscovery(req, res, list, 'application/json');
    return;
  }
  void info;
  throw pathNotFound();
}
