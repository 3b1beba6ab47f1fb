/** A project's config maps and secrets (secret values only inside the edit dialog). */
import { useState } from 'react';
import { useQuery } from 'urql';
import { DataTable } from '../../components/data-table.js';
import { ClusterErrors, ErrorNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { YamlButton } from '../../components/yaml-dialog.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';
import { useCan } from '../../lib/use-can.js';
import { ConfigDialog, type ConfigTarget } from './config-dialog.js';
import { useProjectScope } from './project-scope.js';

const ConfigDocument = graphql(`
  query ProjectConfig($ref: ID!) {
    configMaps(filter: { projectIds: [$ref] }, first: 50) {
      items {
        id
        clusterId
        namespace
        name
        keys
        data
      }
      clusterErrors {
        clusterId
        code
        message
      }
    }
    secrets(filter: { projectIds: [$ref] }, first: 50, types: ["Opaque"]) {
      items {
        id
        clusterId
        namespace
        name
        type
        keys
      }
      clusterErrors {
        clusterId
        code
        message
      }
    }
  }
`);

export function ConfigPage({ clusterId, projectId }: { clusterId: string; projectId: string }) {
  const t = useT();
  const scope = useProjectScope(clusterId, projectId);
  const [result, reexecute] = useQuery({ query: ConfigDocument, variables: { ref: scope.ref } });
  const ns = scope.namespaces?.[0] ?? '';
  const canConfig = useCan(clusterId, 'update', 'configmaps', ns);
  const canSecrets = useCan(clusterId, 'update', 'secrets', ns);
  const [editing, setEditing] = useState<ConfigTarget>();
  const d = result.data;
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <Page title={t('nav.config')}>
      <ErrorNotice error={result.error} />
      <Section title={t('config.configMaps')}>
        <ClusterErrors errors={d?.configMaps.clusterErrors} />
        <DataTable
          caption={t('config.configMaps')}
          rows={d?.configMaps.items}
          rowKey={(c) => c.id}
          columns={[
            { header: t('common.name'), render: (c) => c.name },
            { header: t('common.namespace'), render: (c) => c.namespace },
            { header: t('config.keys'), render: (c) => c.keys.join(', ') },
            {
              header: t('common.actions'),
              render: (c) => (
                <span className="row-actions">
                  {canConfig ? (
                    <button
                      type="button"
                      onClick={() =>
                        setEditing({
                          kind: 'configMap',
                          name: c.name,
                          namespace: c.namespace ?? '',
                          data: c.data,
                        })
                      }
                      aria-label={t('config.edit', { name: c.name })}
                    >
                      {t('common.edit')}
                    </button>
                  ) : null}
                  <YamlButton
                    target={{
                      clusterId: c.clusterId,
                      apiVersion: 'v1',
                      kind: 'ConfigMap',
                      name: c.name,
                      namespace: c.namespace,
                    }}
                    canEdit={canConfig === true}
                  />
                </span>
              ),
            },
          ]}
        />
        {canConfig && scope.namespaces?.length ? (
          <button
            type="button"
            className="primary"
            onClick={() => setEditing({ kind: 'configMap' })}
          >
            {t('config.newConfigMap')}
          </button>
        ) : null}
      </Section>
      <Section title={t('config.secrets')}>
        <ClusterErrors errors={d?.secrets.clusterErrors} />
        <DataTable
          caption={t('config.secrets')}
          rows={d?.secrets.items}
          rowKey={(s) => s.id}
          columns={[
            { header: t('common.name'), render: (s) => s.name },
            { header: t('common.namespace'), render: (s) => s.namespace },
            { header: t('config.keys'), render: (s) => s.keys.join(', ') },
            {
              header: t('common.actions'),
              render: (s) =>
                canSecrets ? (
                  <button
                    type="button"
                    onClick={() =>
                      setEditing({
                        kind: 'secret',
                        name: s.name,
                        namespace: s.namespace ?? '',
                        type: s.type,
                      })
                    }
                    aria-label={t('config.edit', { name: s.name })}
                  >
                    {t('common.edit')}
                  </button>
                ) : null,
            },
          ]}
        />
        {canSecrets && scope.namespaces?.length ? (
          <button type="button" className="primary" onClick={() => setEditing({ kind: 'secret' })}>
            {t('config.newSecret')}
          </button>
        ) : null}
      </Section>
      {editing && scope.namespaces ? (
        <ConfigDialog
          clusterId={clusterId}
          namespaces={scope.namespaces}
          target={editing}
          onClose={() => setEditing(undefined)}
          onSaved={refetch}
        />
      ) : null}
    </Page>
  );
}
