/** Service discovery: a project's services with their endpoints; creating and deleting one. */
import { type FormEvent, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { DataTable } from '../../components/data-table.js';
import { DeleteButton } from '../../components/delete-button.js';
import { ClusterErrors, ErrorNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { ReadOnlyHint } from '../../components/read-only-hint.js';
import { YamlButton } from '../../components/yaml-dialog.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';
import { useCan } from '../../lib/use-can.js';
import { NamespaceField, parseLabels } from './namespace-field.js';
import { LiveKinds, useProjectScope } from './project-scope.js';

const ServicesDocument = graphql(`
  query ProjectServices($ref: ID!) {
    services(filter: { projectIds: [$ref] }, first: 50) {
      items {
        id
        clusterId
        namespace
        name
        type
        clusterIP
        dnsName
        ports {
          port
          targetPort
          protocol
        }
        endpoints {
          ip
          ready
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

const CreateServiceDocument = graphql(`
  mutation CreateService($input: ServiceInput!) {
    createService(input: $input) {
      id
    }
  }
`);

const DeleteServiceDocument = graphql(`
  mutation DeleteService($ref: ObjectRefInput!) {
    deleteService(ref: $ref)
  }
`);

export function ServicesPage({ clusterId, projectId }: { clusterId: string; projectId: string }) {
  const t = useT();
  const ids = { name: useId(), type: useId(), port: useId(), target: useId(), sel: useId() };
  const scope = useProjectScope(clusterId, projectId);
  const [result, reexecute] = useQuery({ query: ServicesDocument, variables: { ref: scope.ref } });
  const ns = scope.namespaces?.[0] ?? '';
  const canCreate = useCan(clusterId, 'create', 'services', ns);
  const canUpdate = useCan(clusterId, 'update', 'services', ns);
  const canDelete = useCan(clusterId, 'delete', 'services', ns);
  const [created, create] = useMutation(CreateServiceDocument);
  const [, remove] = useMutation(DeleteServiceDocument);
  const [badSelector, setBadSelector] = useState<string>();
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  const d = result.data;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const selector = parseLabels(String(data.get('selector')));
    setBadSelector(typeof selector === 'string' ? selector : undefined);
    if (typeof selector === 'string') return;
    const target = String(data.get('targetPort')).trim();
    const r = await create({
      input: {
        clusterId,
        namespace: String(data.get('namespace')),
        name: String(data.get('name')),
        type: String(data.get('type')),
        selector,
        ports: [{ port: Number(data.get('port')), ...(target ? { targetPort: target } : {}) }],
      },
    });
    if (!r.error) {
      form.reset();
      refetch();
    }
  };
  return (
    <Page title={t('nav.services')}>
      <LiveKinds
        clusterId={clusterId}
        namespaces={scope.namespaces}
        kinds={[
          ['v1', 'Service'],
          ['v1', 'Endpoints'],
        ]}
        onChange={refetch}
      />
      <ErrorNotice error={result.error} />
      <Section title={t('services.title')}>
        <ClusterErrors errors={d?.services.clusterErrors} />
        <DataTable
          caption={t('services.title')}
          rows={d?.services.items}
          rowKey={(s) => s.id}
          columns={[
            { header: t('common.name'), render: (s) => s.name },
            { header: t('common.namespace'), render: (s) => s.namespace },
            { header: t('common.type'), render: (s) => s.type },
            { header: t('services.dns'), render: (s) => s.dnsName },
            {
              header: t('services.ports'),
              render: (s) =>
                s.ports.map((p) => `${p.port}→${p.targetPort ?? p.port}/${p.protocol}`).join(', '),
            },
            {
              header: t('services.endpoints'),
              render: (s) =>
                s.endpoints === null || s.endpoints === undefined
                  ? '—'
                  : `${s.endpoints.filter((e) => e.ready).length}/${s.endpoints.length}`,
            },
            {
              header: t('common.actions'),
              render: (s) => (
                <span className="row-actions">
                  <YamlButton
                    target={{
                      clusterId: s.clusterId,
                      apiVersion: 'v1',
                      kind: 'Service',
                      name: s.name,
                      namespace: s.namespace,
                    }}
                    canEdit={canUpdate === true}
                  />
                  {canDelete ? (
                    <DeleteButton
                      name={s.name}
                      label={t('services.delete', { name: s.name })}
                      onDelete={async () => {
                        const r = await remove({
                          ref: {
                            clusterId: s.clusterId,
                            namespace: s.namespace ?? '',
                            name: s.name,
                          },
                        });
                        if (!r.error) refetch();
                        return r;
                      }}
                    />
                  ) : null}
                </span>
              ),
            },
          ]}
        />
      </Section>
      <ReadOnlyHint can={[canCreate, canUpdate, canDelete]} />
      {canCreate && scope.namespaces?.length ? (
        <Section title={t('services.create')}>
          <form className="inline-form" onSubmit={submit} aria-label={t('services.create')}>
            <div className="field">
              <label htmlFor={ids.name}>{t('common.name')}</label>
              <input id={ids.name} name="name" required />
            </div>
            <NamespaceField namespaces={scope.namespaces} />
            <div className="field">
              <label htmlFor={ids.type}>{t('common.type')}</label>
              <select id={ids.type} name="type" defaultValue="ClusterIP">
                <option>ClusterIP</option>
                <option>NodePort</option>
                <option>LoadBalancer</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor={ids.port}>{t('services.port')}</label>
              <input id={ids.port} name="port" type="number" min={1} max={65535} required />
            </div>
            <div className="field">
              <label htmlFor={ids.target}>{t('services.targetPort')}</label>
              <input id={ids.target} name="targetPort" placeholder={t('services.samePort')} />
            </div>
            <div className="field">
              <label htmlFor={ids.sel}>{t('services.selector')}</label>
              <input id={ids.sel} name="selector" placeholder="app=web" />
            </div>
            <button type="submit" className="primary" disabled={created.fetching}>
              {t('services.create')}
            </button>
            {badSelector ? (
              <p className="notice notice-error" role="alert">
                {t('services.badSelector', { entry: badSelector })}
              </p>
            ) : null}
            <ErrorNotice error={created.error} />
          </form>
        </Section>
      ) : null}
    </Page>
  );
}
