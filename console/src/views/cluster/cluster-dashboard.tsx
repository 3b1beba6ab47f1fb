/** One cluster at a glance: health, conditions, capacity and the RBAC push-down. */
import { useQuery } from 'urql';
import { Gauge } from '../../components/charts.js';
import { DataTable, StatusBadge } from '../../components/data-table.js';
import { ErrorNotice, Loading } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n.js';
import { bytesText, cpuText } from '../../lib/units.js';
import { useRefetchOn } from '../../lib/use-live.js';

const ClusterDashboardDocument = graphql(`
  query ClusterDashboard($id: ID!) {
    cluster(id: $id) {
      id
      name
      description
      endpoint
      importMethod
      createdAt
      health {
        state
        message
        kubernetesVersion
        nodeCount
        readyNodeCount
        checkedAt
      }
      conditions {
        type
        status
        reason
        message
        lastTransitionTime
      }
      capacity {
        readAt
        allocatable {
          cpuMillis
          memoryBytes
          pods
        }
        requested {
          cpuMillis
          memoryBytes
          pods
        }
        limits {
          cpuMillis
          memoryBytes
          pods
        }
        requestedPercent {
          cpu
          memory
          pods
        }
        limitsPercent {
          cpu
          memory
          pods
        }
      }
    }
  }
`);

const OneClusterStatusDocument = graphql(`
  subscription OneClusterStatus($ids: [ID!]) {
    clusterStatusChanges(clusterIds: $ids) {
      clusterId
      state
    }
  }
`);

export function ClusterDashboard({ clusterId }: { clusterId: string }) {
  const t = useT();
  const f = useFormat();
  const [result, reexecute] = useQuery({
    query: ClusterDashboardDocument,
    variables: { id: clusterId },
  });
  useRefetchOn(OneClusterStatusDocument, { ids: [clusterId] }, () =>
    reexecute({ requestPolicy: 'network-only' }),
  );
  const c = result.data?.cluster;
  return (
    <Page title={c?.name ?? clusterId}>
      <ErrorNotice error={result.error} />
      {result.data === undefined && !result.error ? <Loading /> : null}
      {result.data && c == null ? <p>{t('common.notFound')}</p> : null}
      {c ? (
        <>
          <p>
            <StatusBadge ok={c.health.state === 'ACTIVE'} label={t(`state.${c.health.state}`)} />{' '}
            <span className="muted">
              {c.health.kubernetesVersion ?? '—'} · {c.endpoint} ·{' '}
              {t('clusters.nodes', {
                ready: c.health.readyNodeCount ?? 0,
                total: c.health.nodeCount ?? 0,
              })}
            </span>
          </p>
          {c.health.message ? <p className="notice notice-warn">{c.health.message}</p> : null}
          {c.capacity ? (
            <Section title={t('capacity.title')}>
              <div className="gauges">
                <Gauge
                  label={t('capacity.cpuRequested')}
                  percent={c.capacity.requestedPercent.cpu}
                  detail={t('capacity.of', {
                    used: cpuText(c.capacity.requested.cpuMillis),
                    total: cpuText(c.capacity.allocatable.cpuMillis),
                  })}
                />
                <Gauge
                  label={t('capacity.cpuLimits')}
                  percent={c.capacity.limitsPercent.cpu}
                  detail={t('capacity.of', {
                    used: cpuText(c.capacity.limits.cpuMillis),
                    total: cpuText(c.capacity.allocatable.cpuMillis),
                  })}
                />
                <Gauge
                  label={t('capacity.memoryRequested')}
                  percent={c.capacity.requestedPercent.memory}
                  detail={t('capacity.of', {
                    used: bytesText(c.capacity.requested.memoryBytes),
                    total: bytesText(c.capacity.allocatable.memoryBytes),
                  })}
                />
                <Gauge
                  label={t('capacity.memoryLimits')}
                  percent={c.capacity.limitsPercent.memory}
                  detail={t('capacity.of', {
                    used: bytesText(c.capacity.limits.memoryBytes),
                    total: bytesText(c.capacity.allocatable.memoryBytes),
                  })}
                />
                <Gauge
                  label={t('capacity.pods')}
                  percent={c.capacity.requestedPercent.pods}
                  detail={t('capacity.of', {
                    used: c.capacity.requested.pods,
                    total: c.capacity.allocatable.pods,
                  })}
                />
              </div>
            </Section>
          ) : null}
          <Section title={t('cluster.conditions')}>
            <DataTable
              caption={t('cluster.conditions')}
              rows={c.conditions}
              rowKey={(r) => r.type}
              columns={[
                { header: t('common.type'), render: (r) => r.type },
                {
                  header: t('common.status'),
                  render: (r) => <StatusBadge ok={r.status === 'True'} label={r.status} />,
                },
                { header: t('common.message'), render: (r) => r.message ?? r.reason ?? '' },
                { header: t('common.since'), render: (r) => f.dateTime(r.lastTransitionTime) },
              ]}
            />
          </Section>
        </>
      ) : null}
    </Page>
  );
}
