/** A project's name and namespaces, and live refetches driven by watches of its namespaces. */
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { useRefetchOn } from '../../lib/use-live.js';

const ProjectScopeDocument = graphql(`
  query ProjectScope($ref: ID!) {
    projects(filter: { projectIds: [$ref] }, first: 1) {
      items {
        id
        name
        description
        namespaces
      }
    }
  }
`);

const NamespaceChangesDocument = graphql(`
  subscription NamespaceChanges($clusterId: ID!, $namespace: String!, $apiVersion: String!, $kind: String!) {
    resourceChanges(clusterId: $clusterId, namespace: $namespace, apiVersion: $apiVersion, kind: $kind) {
      type
      name
      resourceVersion
    }
  }
`);

export interface ProjectScope {
  readonly ref: string;
  readonly name: string;
  /** Undefined while loading. */
  readonly namespaces: readonly string[] | undefined;
}

export function useProjectScope(clusterId: string, projectId: string): ProjectScope {
  const ref = `${clusterId}:${projectId}`;
  const [result] = useQuery({ query: ProjectScopeDocument, variables: { ref } });
  const project = result.data?.projects.items[0];
  return {
    ref,
    name: project?.name ?? projectId,
    namespaces: result.data ? (project?.namespaces ?? []) : undefined,
  };
}

/** Refetches when an object of `kind` changes in `namespace` (one watch, as the caller). */
export function LiveKind({
  clusterId,
  namespace,
  apiVersion,
  kind,
  onChange,
}: {
  clusterId: string;
  namespace: string;
  apiVersion: string;
  kind: string;
  onChange: () => void;
}) {
  useRefetchOn(NamespaceChangesDocument, { clusterId, namespace, apiVersion, kind }, onChange);
  return null;
}
