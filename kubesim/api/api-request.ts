// The per-request bundle passed to resource handlers, and object responses in the negotiated
// form (JSON, YAML, Table, PartialObjectMetadata).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringify as toYaml } from 'yaml';
import type { UserInfo } from '../auth/user.js';
import type { ClusterContext } from '../server/context.js';
import { type ResponseForm, sendJson } from '../server/http-io.js';
import type { JsonObject, KubeObject } from '../storage/types.js';
import { buildTable, type CustomColumn, type IncludeObject } from '../table/table.js';
import type { RequestInfo } from './request-info.js';
import { groupVersion, type ResourceType } from './resources.js';

export interface ApiRequest {
  ctx: ClusterContext;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  info: RequestInfo;
  user: UserInfo;
  t: ResourceType;
  form: ResponseForm;
  customColumns?: CustomColumn[];
}

export const TABLE_CONTENT_TYPE = (v: string) => `application/json;as=Table;v=${v};g=meta.k8s.io`;

export function includeObjectOf(url: URL): IncludeObject {
  const v = url.searchParams.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

/** Sends one object in the negotiated representation. */
export function respondObject(ar: ApiRequest, code: number, obj: KubeObject): void {
  const form = ar.form;
  if (form.as === 'table') {
    const { kind: _k, apiVersion: _a, ...rest } = obj;
    const table = buildTable(
      ar.t,
      [rest as JsonObject],
      { resourceVersion: obj.metadata.resourceVersion ?? '' },
      {
        now: ar.ctx.now(),
        includeObject: includeObjectOf(ar.url),
        apiVersion: groupVersion(ar.t),
        kind: ar.t.kind,
        customColumns: ar.customColumns,
      },
      form.version,
    );
    sendJson(ar.res, code, table, TABLE_CONTENT_TYPE(form.version));
    return;
  }
  if (form.as === 'partial') {
    sendJson(ar.res, code, {
      kind: 'PartialObjectMetadata',
      apiVersion: `meta.k8s.io/${form.version}`,
      metadata: obj.metadata,
    });
    return;
  }
  if (form.as === 'yaml') {
    const text = toYaml(obj);
    ar.res.writeHead(code, {
      'Content-Type': 'application/yaml',
      'Content-Length': Buffer.byteLength(text),
    });
    ar.res.end(text);
    return;
  }
  sendJson(ar.res, code, obj);
}
