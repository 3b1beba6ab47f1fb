/**
 * The global layer's front page: every cluster's health and capacity on one page, from
 * Paddock's background probes (no downstream call), updated live by `clusterStatusChanges`.
 */
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link, pathOf } from '../../app/router.js';
import { type BarPart, Gauge, StackedBar } from '../../components/charts.js';
import { StatusBadge } from '../../components/data-table.js';
import { ClusterErrors, ErrorNotice, Loading } from '../../components/notices.js';
import { Page } from '../../components/page.js';
import { Pager, usePaging } from '../../components/pager.js';
import { graphql } from '../../gql';
import type { ClusterState, ClustersPageQuery } from '../../gql/graphql';
import { useFormat, useT } from '../../i18n/i18n.js';
import { bytesText, cpuText } from '../../lib/units.js';
import { useGlobalPermissions } from '../../lib/use-global-can.js';
import { useRefetchOn } from '../../lib/use-live.js';
import { ImportClusterDialog } from './import-cluster-dialog.js';

const ClustersPageDocument = graphql(`
  query ClustersPage($first: Int, $after: String) {
    clusters(first: $first, after: $after) {
      totalCount
      items {
        id
        name
        description
        state
        health {
          state
          message
          kubernetesVersion
          nodeCount
          readyNodeCount
          checkedAt
        }
        capacity {
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
          requestedPercent {
            cpu
            memory
            pods
          }
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
      clusterErrors {
        clusterId
        code
        message
      }
    }
  }
`);

const ClusterStatusDocument = graphql(`
  subscription ClusterStatus {
    clusterStatusChanges {
      clusterId
      state
    }
  }
`);

const RemoveClusterDocument = graphql(`
  mutation RemoveCluster($id: ID!) {
    removeCluster(id: $id)
  }
`);

type ClusterRow = ClustersPageQuery['clusters']['items'][number];

const stateTone: Record<ClusterState, BarPart['tone']> = {
  ACTIVE: 'ok',
  PENDING: 'unknown',
  UNAVAILABLE: 'bad',
  UNAUTHORIZED: 'warn',
};

export function ClustersPage() {
  const t = useT();
  const paging = usePaging();
  const [result, reexecute] = useQuery({
    query: ClustersPageDocument,
    variables: { first: paging.first, after: paging.after },
  });
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  useRefetchOn(ClusterStatusDocument, {}, refetch);
  const can = useGlobalPermissions();
  const canCreate = can?.createClusters === true;
  const canRemove = can?.deleteClusters === true;
  const [importing, setImporting] = useState(false);
  const [removeState, remove] = useMutation(RemoveClusterDocument);
  const list = result.data?.clusters;
  const counts = new Map<ClusterState, number>();
  for (const c of list?.items ?? [])
    counts.set(c.health.state, (counts.get(c.health.state) ?? 0) + 1);
  const parts: BarPart[] = (['ACTIVE', 'UNAVAILABLE', 'UNAUTHORIZED', 'PENDING'] as const).map(
    (s) => ({ label: t(`state.${s}`), value: counts.get(s) ?? 0, tone: stateTone[s] }),
  );
  return (
    <Page
      title={t('clusters.title')}
      actions={
        canCreate ? (
          <button type="button" className="primary" onClick={() => setImporting(true)}>
            {t('import.title')}
          </button>
        ) : null
      }
    >
      <ErrorNotice error={result.error ?? removeState.error} />
      {list === undefined && !result.error ? <Loading /> : null}
      {list ? (
        <>
          <StackedBar label={t('clusters.health', { count: list.totalCount })} parts={parts} />
          <ClusterErrors errors={list.clusterErrors} />
          <ul className="cluster-cards" aria-label={t('clusters.title')}>
            {list.items.map((c) => (
              <ClusterCard
                key={c.id}
                cluster={c}
                {...(canRemove
                  ? {
                      onRemove: () => {
                        if (window.confirm(t('clusters.confirmRemove', { name: c.name }))) {
                          void remove({ id: c.id }).then(refetch);
                        }
                      },
                    }
                  : {})}
              />
            ))}
          </ul>
          <Pager paging={paging} pageInfo={list.pageInfo} />
        </>
      ) : null}
      {importing ? (
        <ImportClusterDialog onClose={() => setImporting(false)} onDone={refetch} />
      ) : null}
    </Page>
  );
}

function ClusterCard({ cluster, onRemove }: { cluster: ClusterRow; onRemove?: () => void }) {
  const t = useT();
  const f = useFormat();
  const cap = cluster.capacity;
  const h = cluster.health;
  return (
    <li className="card cluster-card" data-cluster={cluster.id}>
      <header>
        <h2>
          <Link to={pathOf('c', cluster.id)}>{cluster.name}</Link>
        </h2>
        <StatusBadge
          ok={h.state === 'ACTIVE' ? true : h.state === 'PENDING' ? null : false}
          label={t(`state.${h.state}`)}
        />
      </header>
      <p className="muted">
        {h.kubernetesVersion ?? '—'} ·{' '}
        {t('clusters.nodes', { ready: h.readyNodeCount ?? 0, total: h.nodeCount ?? 0 })} ·{' '}
        {t('clusters.checked', { at: f.dateTime(h.checkedAt) })}
      </p>
      {h.message ? <p className="notice notice-warn">{h.message}</p> : null}
      {cap ? (
        <div className="gauges">
          <Gauge
            label={t('capacity.cpu')}
            percent={cap.requestedPercent.cpu}
            detail={t('capacity.of', {
              used: cpuText(cap.requested.cpuMillis),
              total: cpuText(cap.allocatable.cpuMillis),
            })}
          />
          <Gauge
            label={t('capacity.memory')}
            percent={cap.requestedPercent.memory}
            detail={t('capacity.of', {
              used: bytesText(cap.requested.memoryBytes),
              total: bytesText(cap.allocatable.memoryBytes),
            })}
          />
          <Gauge
            label={t('capacity.pods')}
            percent={cap.requestedPercent.pods}
            detail={t('capacity.of', { used: cap.requested.pods, total: cap.allocatable.pods })}
          />
        </div>
      ) : (
        <p className="muted">{t('capacity.unknown')}</p>
      )}
      {onRemove ? (
        <button
          type="button"
          className="danger"
          onClick={onRemove}
          aria-label={t('clusters.remove', { name: cluster.name })}
        >
          {t('common.remove')}
        </button>
      ) : null}
    </li>
  );
}
