/** The scope of a cluster tool from GraphQL arguments; a project id may be bare or qualified. */
import type { ToolScope } from '../../domain/alerting.js';
import { invalid } from '../cluster/validate-input.js';

export function toolScope(clusterId: string, projectId?: string | null): ToolScope {
  if (projectId === null || projectId === undefined || projectId === '') return { clusterId };
  if (projectId.includes(':') && !projectId.startsWith(`${clusterId}:`))
    throw invalid('projectId', 'the project belongs to another cluster');
  return { clusterId, projectId: projectId.slice(projectId.lastIndexOf(':') + 1) };
}

/** `<clusterId>:<projectId>`, the form project ids take everywhere in the API. */
export function qualifiedProjectId(
  clusterId: string,
  projectId: string | undefined,
): string | null {
  return projectId === undefined ? null : `${clusterId}:${projectId}`;
}
