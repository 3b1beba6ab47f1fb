/** Builds API paths: `/api/v1/namespaces/ns/pods/name/status?labelSelector=...`. */
import type { KubeResource } from '../../domain/kube-api.js';
import { PaddockError } from '../../errors/index.js';

export function groupVersionPath(resource: Pick<KubeResource, 'group' | 'version'>): string {
  return resource.group === ''
    ? `/api/${resource.version}`
    : `/apis/${resource.group}/${resource.version}`;
}

export function resourcePath(
  resource: KubeResource,
  namespace: string | undefined,
  name?: string,
  subresource?: string,
): string {
  let path = groupVersionPath(resource);
  if (resource.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${resource.resource}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource !== undefined) path += `/${subresource}`;
  return path;
}

export function withQuery(
  path: string,
  query: Record<string, string | number | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** A group (DNS subdomain) and a version as Kubernetes names them: `apps/v1`, `v1beta2`. */
const API_VERSION = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;

/**
 * `apps/v1` → `{ group: 'apps', version: 'v1' }`; `v1` → the core group. Anything else is
 * refused: the parts become a discovery path, and `../..` there would reach another API path.
 */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  if (!API_VERSION.test(apiVersion)) {
    throw new PaddockError(
      'VALIDATION_FAILED',
      `apiVersion: ${JSON.stringify(apiVersion).slice(0, 80)} is not an apiVersion`,
      {
        reason: 'invalid_api_version',
      },
    );
  }
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
