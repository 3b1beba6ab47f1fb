/**
 * Reads `verb resource[.group][/subresource]` the way `kubectl auth can-i` does, with a table
 * of well-known resources standing in for discovery: `deployments` means `deployments.apps`.
 */
import type { AccessRequest } from './policy-rule.js';

const GROUP_OF: Readonly<Record<string, string>> = {
  deployments: 'apps',
  daemonsets: 'apps',
  replicasets: 'apps',
  statefulsets: 'apps',
  controllerrevisions: 'apps',
  jobs: 'batch',
  cronjobs: 'batch',
  horizontalpodautoscalers: 'autoscaling',
  poddisruptionbudgets: 'policy',
  ingresses: 'networking.k8s.io',
  networkpolicies: 'networking.k8s.io',
  ingressclasses: 'networking.k8s.io',
  endpointslices: 'discovery.k8s.io',
  storageclasses: 'storage.k8s.io',
  roles: 'rbac.authorization.k8s.io',
  rolebindings: 'rbac.authorization.k8s.io',
  clusterroles: 'rbac.authorization.k8s.io',
  clusterrolebindings: 'rbac.authorization.k8s.io',
  customresourcedefinitions: 'apiextensions.k8s.io',
  leases: 'coordination.k8s.io',
};

export interface RequestParts {
  readonly verb: string;
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
}

export function parseAccessRequest(parts: RequestParts): AccessRequest {
  if (parts.resource.startsWith('/')) {
    return { kind: 'nonResource', verb: parts.verb, path: parts.resource };
  }
  const [typed = '', subresource] = parts.resource.split('/', 2);
  const dot = typed.indexOf('.');
  const resource = dot === -1 ? typed : typed.slice(0, dot);
  const apiGroup = dot === -1 ? (GROUP_OF[resource] ?? '') : typed.slice(dot + 1);
  return {
    kind: 'resource',
    verb: parts.verb,
    apiGroup,
    resource,
    ...(subresource ? { subresource } : {}),
    ...(parts.name ? { name: parts.name } : {}),
    ...(parts.namespace ? { namespace: parts.namespace } : {}),
  };
}
