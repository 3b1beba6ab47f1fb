// OpenAPI documents: /openapi/v3 (index), /openapi/v3/<api|apis/g>/<v> with paths, operations,
// group-version-kind extensions and the component schemas of the built-in kinds (from the
// generated 1.32 definitions), and /openapi/v2 as JSON. kubectl reads the PATCH operations to
// learn that the server validates fields itself (fieldValidation), and the schemas for
// `kubectl explain`; custom kinds carry their CRD's schema in v3. /openapi/v2 in protobuf is
// not offered: a client accepting only protobuf gets 406.

import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceType } from '../api/resources.js';
import { notAcceptable, pathNotFound } from '../api/status.js';
import { customComponents, v2Definitions, v3Components } from '../openapi/documents.js';
import { sendJson } from './http-io.js';
import type { SimCluster } from './sim-cluster.js';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

const q = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });

function operation(
  t: ResourceType,
  action: string,
  id: string,
  params: string[],
  body?: string[],
): object {
  const op: Record<string, unknown> = {
    tags: [t.group ? `${t.group.replace(/\..*/, '')}_${t.version}` : `core_${t.version}`],
    operationId: id,
    parameters: params.map(q),
    responses: { '200': { description: 'OK' }, '401': { description: 'Unauthorized' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: t.group, version: t.version, kind: t.kind },
  };
  if (body) {
    op.requestBody = {
      content: Object.fromEntries(body.map((c) => [c, { schema: { type: 'object' } }])),
      required: true,
    };
  }
  return op;
}

function pathsFor(t: ResourceType): Record<string, object> {
  const base = `/${gvPath(t.group, t.version)}`;
  const ns = t.namespaced ? '/namespaces/{namespace}' : '';
  const kind = t.kind;
  const write = ['dryRun', 'fieldManager', 'fieldValidation'];
  const out: Record<string, object> = {};
  if (t.virtual) {
    out[`${base}${ns}/${t.resource}`] = {
      post: operation(t, 'post', `create${kind}`, write, ['*/*']),
    };
    return out;
  }
  out[`${base}${ns}/${t.resource}`] = {
    get: operation(t, 'list', `list${kind}`, [
      'labelSelector',
      'fieldSelector',
      'limit',
      'continue',
      'resourceVersion',
      'watch',
    ]),
    post: operation(t, 'post', `create${kind}`, write, ['*/*']),
    delete: operation(t, 'deletecollection', `deletecollection${kind}`, [
      'labelSelector',
      'fieldSelector',
    ]),
  };
  out[`${base}${ns}/${t.resource}/{name}`] = {
    get: operation(t, 'get', `read${kind}`, []),
    put: operation(t, 'put', `replace${kind}`, write, ['*/*']),
    patch: operation(
      t,
      'patch',
      `patch${kind}`,
      [...write, 'force'],
      [
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/apply-patch+yaml',
      ],
    ),
    delete: operation(t, 'delete', `delete${kind}`, [
      'dryRun',
      'gracePeriodSeconds',
      'propagationPolicy',
    ]),
  };
  return out;
}

function gvDocument(cluster: SimCluster, group: string, version: string): object {
  const paths: Record<string, object> = {};
  const types = cluster.registry.all().filter((t) => t.group === group && t.version === version);
  for (const t of types) Object.assign(paths, pathsFor(t));
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: cluster.kubeVersion },
    paths,
    components: {
      schemas: {
        ...v3Components(types.filter((t) => !t.custom)),
        ...customComponents(cluster.store, types),
      },
    },
  };
}

function v2Document(cluster: SimCluster): object {
  const types = cluster.registry.all();
  const paths: Record<string, object> = {};
  for (const t of types) Object.assign(paths, pathsFor(t));
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: cluster.kubeVersion },
    paths,
    definitions: v2Definitions(types.filter((t) => !t.custom)),
  };
}

function hashOf(doc: object): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
}

export function serveOpenApi(
  cluster: SimCluster,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): void {
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '/openapi/v2') {
    const accept = req.headers.accept ?? '';
    if (accept && !/json|\*\/\*/.test(accept)) throw notAcceptable(['application/json']);
    sendJson(res, 200, v2Document(cluster));
    return;
  }
  if (path === '/openapi/v3') {
    const gvs = new Map<string, { group: string; version: string }>();
    for (const t of cluster.registry.all())
      gvs.set(gvPath(t.group, t.version), { group: t.group, version: t.version });
    const paths: Record<string, object> = {};
    for (const [p, gv] of [...gvs.entries()].sort()) {
      paths[p] = {
        serverRelativeURL: `/openapi/v3/${p}?hash=${hashOf(gvDocument(cluster, gv.group, gv.version))}`,
      };
    }
    sendJson(res, 200, { paths });
    return;
  }
  const m = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (m) {
    const group = m[2] ?? '';
    const version = m[1] ?? m[3] ?? '';
    if (!cluster.registry.hasGroupVersion(group, version)) throw pathNotFound();
    sendJson(res, 200, gvDocument(cluster, group, version), 'application/json', {
      'Cache-Control': 'public, immutable',
    });
    return;
  }
  throw pathNotFound();
}
