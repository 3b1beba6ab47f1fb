/** Global → cluster → project: two selects that move between the three layers. */
import { useEffect, useId } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { useT } from '../i18n/i18n.js';
import { pathOf, useRouter } from './router.js';

const ScopeClustersDocument = graphql(`
  query ScopeClusters {
    clusters(first: 50) {
      items {
        id
        name
      }
    }
  }
`);

const ScopeProjectsDocument = graphql(`
  query ScopeProjects($clusterId: ID!) {
    projects(filter: { clusterIds: [$clusterId] }, first: 50) {
      items {
        id
        projectId
        name
      }
    }
  }
`);

export function ScopePicker({ clusterId, projectId }: { clusterId?: string; projectId?: string }) {
  const t = useT();
  const { navigate } = useRouter();
  const ids = { cluster: useId(), project: useId() };
  const [clusters] = useQuery({ query: ScopeClustersDocument });
  const [projects, refetchProjects] = useQuery({
    query: ScopeProjectsDocument,
    variables: { clusterId: clusterId ?? '' },
    pause: clusterId === undefined,
  });
  // A project created on a page shows up here once the console moves into it.
  useEffect(() => {
    if (clusterId !== undefined && projectId !== undefined) {
      refetchProjects({ requestPolicy: 'network-only' });
    }
  }, [clusterId, projectId, refetchProjects]);
  return (
    <div className="scope-picker">
      <label htmlFor={ids.cluster} className="visually-hidden">
        {t('scope.cluster')}
      </label>
      <select
        id={ids.cluster}
        value={clusterId ?? ''}
        onChange={(e) => navigate(e.target.value ? pathOf('c', e.target.value) : '/clusters')}
      >
        <option value="">{t('scope.global')}</option>
        {clusters.data?.clusters.items.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      {clusterId !== undefined ? (
        <>
          <label htmlFor={ids.project} className="visually-hidden">
            {t('scope.project')}
          </label>
          <select
            id={ids.project}
            value={projectId ?? ''}
            onChange={(e) =>
              navigate(
                e.target.value
                  ? `${pathOf('c', clusterId, 'p', e.target.value)}/workloads`
                  : pathOf('c', clusterId),
              )
            }
          >
            <option value="">{t('scope.wholeCluster')}</option>
            {projects.data?.projects.items.map((p) => (
              <option key={p.id} value={p.projectId}>
                {p.name}
              </option>
            ))}
          </select>
        </>
      ) : null}
    </div>
  );
}
