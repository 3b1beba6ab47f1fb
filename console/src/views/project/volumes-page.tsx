/** A project's persistent volume claims; creating one. */
import { type FormEvent, useId } from 'react';
import { useMutation, useQuery } from 'urql';
import { DataTable } from '../../components/data-table.js';
import { ClusterErrors, ErrorNotice } from '../../components/notices.js';
import { Page } from '../../components/page.js';
import { YamlButton } from '../../components/yaml-dialog.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';
import { useCan } from '../../lib/use-can.js';
import { useProjectScope } from './project-scope.js';

const VolumesDocument = graphql(`
  query ProjectVolumes($ref: ID!) {
    persistentVolumeClaims(filter: { projectIds: [$ref] }, first: 50) {
      items {
        id
        clusterId
        namespace
        name
        phase
        requested
        capacity
        storageClassName
        accessModes
      }
      clusterErrors {
        clusterId
        code
        message
      }
    }
  }
`);

const CreateClaimDocument = graphql(`
  mutation CreateClaim($input: PersistentVolumeClaimInput!) {
    createPersistentVolumeClaim(input: $input) {
      id
    }
  }
`);

export function VolumesPage({ clusterId, projectId }: { clusterId: string; projectId: string }) {
  const t = useT();
  const ids = { name: useId(), size: useId(), ns: useId() };
  const scope = useProjectScope(clusterId, projectId);
  const [result, reexecute] = useQuery({ query: VolumesDocument, variables: { ref: scope.ref } });
  const canWrite = useCan(
    clusterId,
    'create',
    'persistentvolumeclaims',
    scope.namespaces?.[0] ?? '',
  );
  const [state, create] = useMutation(CreateClaimDocument);
  const list = result.data?.persistentVolumeClaims;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const r = await create({
      input: {
        clusterId,
        namespace: String(data.get('namespace')),
        name: String(data.get('name')),
        storage: String(data.get('storage')),
      },
    });
    if (!r.error) {
      form.reset();
      reexecute({ requestPolicy: 'network-only' });
    }
  };
  return (
    <Page title={t('nav.volumes')}>
      <ErrorNotice error={result.error} />
      <ClusterErrors errors={list?.clusterErrors} />
      <DataTable
        caption={t('nav.volumes')}
        rows={list?.items}
        rowKey={(v) => v.id}
        columns={[
          { header: t('common.name'), render: (v) => v.name },
          { header: t('common.namespace'), render: (v) => v.namespace },
          { header: t('common.status'), render: (v) => v.phase ?? '—' },
          { header: t('volumes.size'), render: (v) => v.capacity ?? v.requested ?? '—' },
          { header: t('storage.class'), render: (v) => v.storageClassName ?? '—' },
          {
            header: t('common.actions'),
            render: (v) => (
              <YamlButton
                target={{
                  clusterId: v.clusterId,
                  apiVersion: 'v1',
                  kind: 'PersistentVolumeClaim',
                  name: v.name,
                  namespace: v.namespace,
                }}
                canEdit={canWrite === true}
              />
            ),
          },
        ]}
      />
      {canWrite && scope.namespaces ? (
        <form className="inline-form" onSubmit={submit} aria-label={t('volumes.create')}>
          <div className="field">
            <label htmlFor={ids.name}>{t('common.name')}</label>
            <input id={ids.name} name="name" required />
          </div>
          <div className="field">
            <label htmlFor={ids.size}>{t('volumes.size')}</label>
            <input id={ids.size} name="storage" required defaultValue="1Gi" />
          </div>
          <div className="field">
            <label htmlFor={ids.ns}>{t('common.namespace')}</label>
            <select id={ids.ns} name="namespace">
              {scope.namespaces.map((ns) => (
                <option key={ns}>{ns}</option>
              ))}
            </select>
          </div>
          <button type="submit" className="primary" disabled={state.fetching}>
            {t('volumes.create')}
          </button>
          <ErrorNotice error={state.error} />
        </form>
      ) : null}
    </Page>
  );
}
