/**
 * A project's apps: every Helm release in its namespaces (also those installed outside
 * Paddock), their status kept fresh, and a way to install one from a catalog.
 */
import { useQuery } from 'urql';
import { Link, pathOf } from '../../app/router.js';
import { DataTable } from '../../components/data-table.js';
import { ClusterErrors, ErrorNotice } from '../../components/notices.js';
import { Page } from '../../components/page.js';
import { ReadOnlyHint } from '../../components/read-only-hint.js';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n.js';
import { useCan } from '../../lib/use-can.js';
import { usePolling } from '../../lib/use-polling.js';
import { ReleaseStatus } from '../apps/release-status.js';
import { useProjectScope } from './project-scope.js';

const ProjectAppsDocument = graphql(`
  query ProjectApps($ref: ID!) {
    apps(filter: { projectIds: [$ref] }, first: 100) {
      items {
        clusterId
        namespace
        name
        chartName
        chartVersion
        appVersion
        status
        revision
        updatedAt
        multiClusterAppId
      }
      clusterErrors {
        clusterId
        code
        message
      }
    }
  }
`);

export function AppsPage({ clusterId, projectId }: { clusterId: string; projectId: string }) {
  const t = useT();
  const f = useFormat();
  const scope = useProjectScope(clusterId, projectId);
  const [result, reexecute] = useQuery({
    query: ProjectAppsDocument,
    variables: { ref: scope.ref },
  });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }), 5000);
  // Helm keeps a release in a Secret of its namespace: who may create one may install.
  const canCreate = useCan(clusterId, 'create', 'secrets', scope.namespaces?.[0] ?? '');
  const canInstall = canCreate === true;
  const base = pathOf('c', clusterId, 'p', projectId, 'apps');
  return (
    <Page
      title={t('apps.title', { project: scope.name })}
      actions={
        canInstall ? (
          <Link to={`${base}/install`} className="button primary">
            {t('apps.install')}
          </Link>
        ) : null
      }
    >
      <ErrorNotice error={result.error} />
      <ClusterErrors errors={result.data?.apps.clusterErrors} />
      <DataTable
        caption={t('apps.releases')}
        rows={result.data?.apps.items}
        rowKey={(a) => `${a.namespace}/${a.name}`}
        columns={[
          {
            header: t('common.name'),
            render: (a) => (
              <Link to={`${base}/${encodeURIComponent(a.namespace)}/${encodeURIComponent(a.name)}`}>
                {a.name}
              </Link>
            ),
          },
          { header: t('common.namespace'), render: (a) => a.namespace },
          { header: t('apps.chart'), render: (a) => `${a.chartName} ${a.chartVersion}` },
          { header: t('apps.appVersion'), render: (a) => a.appVersion ?? '—' },
          { header: t('common.status'), render: (a) => <ReleaseStatus status={a.status} /> },
          { header: t('apps.revision'), render: (a) => a.revision },
          { header: t('common.updated'), render: (a) => f.dateTime(a.updatedAt) },
          {
            header: t('apps.source'),
            render: (a) =>
              a.multiClusterAppId ? (
                <Link to={pathOf('multi-cluster-apps', a.multiClusterAppId)}>
                  {t('apps.fromFleet')}
                </Link>
              ) : (
                '—'
              ),
          },
        ]}
      />
      <ReadOnlyHint can={[canCreate]} />
    </Page>
  );
}
