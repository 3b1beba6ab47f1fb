/** A cluster's storage classes and persistent volumes. */
import { useQuery } from 'urql';
import { DataTable } from '../../components/data-table.js';
import { ClusterErrors, ErrorNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { YamlButton } from '../../components/yaml-dialog.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';

const StorageDocument = graphql(`
  query Storage($clusterId: ID!) {
    storageClasses(filter: { clusterIds: [$clusterId] }, first: 100) {
      items {
        id
        clusterId
        name
        provisioner
        reclaimPolicy
        isDefault
        allowVolumeExpansion
      }
      clusterErrors {
        clusterId
        code
        message
      }
    }
    persistentVolumes(filter: { clusterIds: [$clusterId] }, first: 100) {
      items {
        id
        clusterId
        name
        capacity
        phase
        storageClassName
        claim {
          name
          namespace
        }
      }
      clusterErrors {
        clusterId
        code
        message
      }
    }
  }
`);

export function StoragePage({ clusterId }: { clusterId: string }) {
  const t = useT();
  const [result] = useQuery({ query: StorageDocument, variables: { clusterId } });
  const d = result.data;
  return (
    <Page title={t('nav.storage')}>
      <ErrorNotice error={result.error} />
      <Section title={t('storage.classes')}>
        <ClusterErrors errors={d?.storageClasses.clusterErrors} />
        <DataTable
          caption={t('storage.classes')}
          rows={d?.storageClasses.items}
          rowKey={(s) => s.id}
          columns={[
            {
              header: t('common.name'),
              render: (s) => `${s.name}${s.isDefault ? ` (${t('storage.default')})` : ''}`,
            },
            { header: t('storage.provisioner'), render: (s) => s.provisioner },
            { header: t('storage.reclaim'), render: (s) => s.reclaimPolicy ?? '—' },
            {
              header: t('common.actions'),
              render: (s) => (
                <YamlButton
                  target={{
                    clusterId: s.clusterId,
                    apiVersion: 'storage.k8s.io/v1',
                    kind: 'StorageClass',
                    name: s.name,
                  }}
                  canEdit={false}
                />
              ),
            },
          ]}
        />
      </Section>
      <Section title={t('storage.volumes')}>
        <ClusterErrors errors={d?.persistentVolumes.clusterErrors} />
        <DataTable
          caption={t('storage.volumes')}
          rows={d?.persistentVolumes.items}
          rowKey={(v) => v.id}
          columns={[
            { header: t('common.name'), render: (v) => v.name },
            { header: t('storage.capacity'), render: (v) => v.capacity ?? '—' },
            { header: t('common.status'), render: (v) => v.phase ?? '—' },
            { header: t('storage.class'), render: (v) => v.storageClassName ?? '—' },
            {
              header: t('storage.claim'),
              render: (v) => (v.claim ? `${v.claim.namespace}/${v.claim.name}` : '—'),
            },
          ]}
        />
      </Section>
    </Page>
  );
}
