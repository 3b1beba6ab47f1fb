/** A cluster's nodes, as the caller may list them. */
import { useQuery } from 'urql';
import { DataTable, StatusBadge } from '../../components/data-table.js';
import { ClusterErrors, ErrorNotice } from '../../components/notices.js';
import { Page } from '../../components/page.js';
import { Pager, usePaging } from '../../components/pager.js';
import { YamlButton } from '../../components/yaml-dialog.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';
import { bytesText, cpuText } from '../../lib/units.js';

const NodesDocument = graphql(`
  query Nodes($clusterId: ID!, $first: Int, $after: String) {
    nodes(filter: { clusterIds: [$clusterId] }, first: $first, after: $after) {
      items {
        id
        clusterId
        name
        ready
        roles
        unschedulable
        kubeletVersion
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
      sources {
        clusterId
        stale
        ageMs
      }
    }
  }
`);

export function NodesPage({ clusterId }: { clusterId: string }) {
  const t = useT();
  const paging = usePaging();
  const [result] = useQuery({
    query: NodesDocument,
    variables: { clusterId, first: paging.first, after: paging.after },
  });
  const list = result.data?.nodes;
  return (
    <Page title={t('nav.nodes')}>
      <ErrorNotice error={result.error} />
      <ClusterErrors errors={list?.clusterErrors} sources={list?.sources} />
      <DataTable
        caption={t('nav.nodes')}
        rows={list?.items}
        rowKey={(n) => n.id}
        columns={[
          { header: t('common.name'), render: (n) => n.name },
          {
            header: t('common.status'),
            render: (n) => (
              <StatusBadge
                ok={n.ready && !n.unschedulable}
                label={
                  n.ready
                    ? n.unschedulable
                      ? t('node.cordoned')
                      : t('common.ready')
                    : t('common.notReady')
                }
              />
            ),
          },
          { header: t('node.roles'), render: (n) => n.roles.join(', ') || '—' },
          { header: t('node.version'), render: (n) => n.kubeletVersion ?? '—' },
          {
            header: t('capacity.cpu'),
            render: (n) =>
              `${n.requested ? cpuText(n.requested.cpuMillis) : '—'} / ${cpuText(n.allocatable.cpuMillis)}`,
          },
          {
            header: t('capacity.memory'),
            render: (n) =>
              `${n.requested ? bytesText(n.requested.memoryBytes) : '—'} / ${bytesText(n.allocatable.memoryBytes)}`,
          },
          {
            header: t('common.actions'),
            render: (n) => (
              <YamlButton
                target={{ clusterId: n.clusterId, apiVersion: 'v1', kind: 'Node', name: n.name }}
                canEdit={false}
              />
            ),
          },
        ]}
      />
      <Pager paging={paging} pageInfo={list?.pageInfo} />
    </Page>
  );
}
