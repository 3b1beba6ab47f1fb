// Derives authorization attributes from a request the way apiserver's RequestInfoFactory does:
// API prefix, group/version, namespace, resource, name, subresource and the verb.

import { nameFromFieldSelector } from '../storage/selectors.js';
import { queryBool } from './query-bool.js';

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  parts: string[];
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed ? trimmed.split('/') : [];
}

/** Parses method + URL into RequestInfo; non-API paths come back with isResourceRequest false. */
export function parseRequestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const lowerMethod = method.toLowerCase();
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: lowerMethod,
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  let parts = splitPath(path);
  if (parts.length < 1 || (parts[0] !== 'api' && parts[0] !== 'apis')) return info;
  info.apiPrefix = parts[0] ?? '';
  parts = parts.slice(1);
  if (info.apiPrefix === 'apis') {
    if (parts.length < 2) return info;
    info.apiGroup = parts[0] ?? '';
    parts = parts.slice(1);
  }
  if (parts.length < 1) return info;
  info.apiVersion = parts[0] ?? '';
  parts = parts.slice(1);
  if (parts.length < 1) return info;

  info.isResourceRequest = true;
  switch (method) {
    case 'POST':
      info.verb = 'create';
      break;
    case 'GET':
    case 'HEAD':
      info.verb = 'get';
      break;
    case 'PUT':
      info.verb = 'update';
      break;
    case 'PATCH':
      info.verb = 'patch';
      break;
    case 'DELETE':
      info.verb = 'delete';
      break;
    default:
      info.verb = '';
  }
  // Legacy /watch/ prefix.
  if (parts[0] === 'watch') {
    parts = parts.slice(1);
    if (info.verb === 'get') info.verb = 'watch';
  }
  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1] ?? '';
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2] ?? '')) parts = parts.slice(2);
    }
  }
  info.parts = parts;
  if (parts.length >= 3) info.subresource = parts[2] ?? '';
  if (parts.length >= 2) info.name = parts[1] ?? '';
  if (parts.length >= 1) info.resource = parts[0] ?? '';
  // A namespace object itself: /api/v1/namespaces/<name>
  if (info.resource === 'namespaces' && info.name) info.namespace = info.name;
  if (info.resource === 'namespaces' && !info.name) info.namespace = '';

  if (!info.name && info.verb === 'get') {
    info.verb = queryBool(url.searchParams, 'watch') ? 'watch' : 'list';
  }
  if (!info.name && info.verb === 'delete') info.verb = 'deletecollection';
  if (info.verb === 'list' || info.verb === 'watch') {
    const n = nameFromFieldSelector(url.searchParams.get('fieldSelector'));
    if (n !== undefined) info.name = n;
  }
  return info;
}
