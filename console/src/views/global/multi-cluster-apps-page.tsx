/** Multi-cluster apps the caller may see: one chart on many targets, and how each is doing. */
import { useQuery } from 'urql';
import { Link, pathOf } from '../../app/router.js';
import { type BarPart, StackedBar } from '../../components/charts.js';
import { DataTable, StatusBadge } from '../../components/data-table.js';
import { ErrorNotice } from '../../components/notices.js';
import { Page } from '../../components/page.js';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n.js';
import { useGlobalPermissions } from '../../lib/use-global-can.js';
import { usePolling } from '../../lib/use-polling.js';

const MultiClusterAppsDocument = graphql(`
  query MultiClusterApps {
    multiClusterApps {
      id
      name
      chart
      version
      state
      specRevision
      updatedAt
      targets {
        clusterId
        namespace
        state
      }
    }
  }
`);

export function MultiClusterAppsPage() {
  const t = useT();
  const f = useFormat();
  const can = useGlobalPermissions();
  const [result, reexecute] = useQuery({ query: MultiClusterAppsDocument });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }), 5000);
  return (
    <Page
      title={t('nav.multiClusterApps')}
      actions={
        can?.updateMultiClusterApps ? (
          <Link to="/multi-cluster-apps/new" className="button primary">
            {t('mca.create')}
          </Link>
        ) : null
      }
    >
      <ErrorNotice error={result.error} />
      <DataTable
        caption={t('nav.multiClusterApps')}
        rows={result.data?.multiClusterApps}
        rowKey={(a) => a.id}
        columns={[
          {
            header: t('common.name'),
            render: (a) => <Link to={pathOf('multi-cluster-apps', a.id)}>{a.name}</Link>,
          },
          { header: t('apps.chart'), render: (a) => `${a.chart} ${a.version}` },
          {
            header: t('common.status'),
            render: (a) => (
              <StatusBadge
                ok={a.state === 'ACTIVE' ? true : undefined}
                label={t(`mca.appState.${a.state}`)}
              />
            ),
          },
          {
            header: t('mca.targets'),
            render: (a) => {
              const count = (s: string) => a.targets.filter((x) => x.state === s).length;
              const parts: BarPart[] = [
                { label: t('mca.state.DEPLOYED'), value: count('DEPLOYED'), tone: 'ok' },
                {
                  label: t('mca.state.DEPLOYING'),
                  value: count('DEPLOYING') + count('PENDING'),
                  tone: 'unknown',
                },
                { label: t('mca.state.DRIFTED'), value: count('DRIFTED'), tone: 'warn' },
                { label: t('mca.state.FAILED'), value: count('FAILED'), tone: 'bad' },
              ];
              return <StackedBar label={t('mca.targetsOf', { name: a.name })} parts={parts} />;
            },
          },
          { header: t('mca.revision'), render: (a) => a.specRevision },
          { header: t('common.updated'), render: (a) => f.dateTime(a.updatedAt) },
        ]}
      />
    </Page>
  );
}
