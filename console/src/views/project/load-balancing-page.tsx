/** Load balancing: a project's ingresses with their rules; creating and deleting one. */
import { type FormEvent, useId } from 'react';
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
import { NamespaceField } from './namespace-field.js';
import { LiveKinds, useProjectScope } from './project-scope.js';

const IngressesDocument = graphql(`
  query ProjectIngresses($ref: ID!) {
    ingresses(filter: { projectIds: [$ref] }, first: 50) {
      items {
        id
        clusterId
        namespace
        name
        addresses
        rules {
          host
          paths {
            path
            backend {
              serviceName
              servicePort
            }
          }
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

const CreateIngressDocument = graphql(`
  mutation CreateIngress($input: IngressInput!) {
    createIngress(input: $input) {
      id
    }
  }
`);

const DeleteIngressDocument = graphql(`
  mutation DeleteIngress($ref: ObjectRefInput!) {
    deleteIngress(ref: $ref)
  }
`);

const INGRESSES = 'ingresses.networking.k8s.io';

export function LoadBalancingPage({
  clusterId,
  projectId,
}: {
  clusterId: string;
  projectId: string;
}) {
  const t = useT();
  const ids = { name: useId(), host: useId(), path: useId(), svc: useId(), port: useId() };
  const scope = useProjectScope(clusterId, projectId);
  const [result, reexecute] = useQuery({ query: IngressesDocument, variables: { ref: scope.ref } });
  const ns = scope.namespaces?.[0] ?? '';
  const canCreate = useCan(clusterId, 'create', INGRESSES, ns);
  const canUpdate = useCan(clusterId, 'update', INGRESSES, ns);
  const canDelete = useCan(clusterId, 'delete', INGRESSES, ns);
  const [created, create] = useMutation(CreateIngressDocument);
  const [, remove] = useMutation(DeleteIngressDocument);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  const list = result.data?.ingresses;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const host = String(data.get('host')).trim();
    const r = await create({
      input: {
        clusterId,
        namespace: String(data.get('namespace')),
        name: String(data.get('name')),
        rules: [
          {
            ...(host ? { host } : {}),
            paths: [
              {
                path: String(data.get('path')) || '/',
                pathType: 'Prefix',
                serviceName: String(data.get('serviceName')),
                servicePort: String(data.get('servicePort')),
              },
            ],
          },
        ],
      },
    });
    if (!r.error) {
      form.reset();
      refetch();
    }
  };
  return (
    <Page title={t('nav.loadBalancing')}>
      <LiveKinds
        clusterId={clusterId}
        namespaces={scope.namespaces}
        kinds={[['networking.k8s.io/v1', 'Ingress']]}
        onChange={refetch}
      />
      <ErrorNotice error={result.error} />
      <Section title={t('ingresses.title')}>
        <ClusterErrors errors={list?.clusterErrors} />
        <DataTable
          caption={t('ingresses.title')}
          rows={list?.items}
          rowKey={(i) => i.id}
          columns={[
            { header: t('common.name'), render: (i) => i.name },
            { header: t('common.namespace'), render: (i) => i.namespace },
            {
              header: t('ingresses.rules'),
              render: (i) =>
                i.rules
                  .flatMap((r) =>
                    r.paths.map(
                      (p) =>
                        `${r.host ?? '*'}${p.path ?? '/'} → ${p.backend.serviceName}:${p.backend.servicePort}`,
                    ),
                  )
                  .join(', '),
            },
            { header: t('ingresses.addresses'), render: (i) => i.addresses.join(', ') || '—' },
            {
              header: t('common.actions'),
              render: (i) => (
                <span className="row-actions">
                  <YamlButton
                    target={{
                      clusterId: i.clusterId,
                      apiVersion: 'networking.k8s.io/v1',
                      kind: 'Ingress',
                      name: i.name,
                      namespace: i.namespace,
                    }}
                    canEdit={canUpdate === true}
                  />
                  {canDelete ? (
                    <DeleteButton
                      name={i.name}
                      label={t('ingresses.delete', { name: i.name })}
                      onDelete={async () => {
                        const r = await remove({
                          ref: {
                            clusterId: i.clusterId,
                            namespace: i.namespace ?? '',
                            name: i.name,
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
        <Section title={t('ingresses.create')}>
          <form className="inline-form" onSubmit={submit} aria-label={t('ingresses.create')}>
            <div className="field">
              <label htmlFor={ids.name}>{t('common.name')}</label>
              <input id={ids.name} name="name" required />
            </div>
            <NamespaceField namespaces={scope.namespaces} />
            <div className="field">
              <label htmlFor={ids.host}>{t('ingresses.host')}</label>
              <input id={ids.host} name="host" placeholder={t('ingresses.anyHost')} />
            </div>
            <div className="field">
              <label htmlFor={ids.path}>{t('ingresses.path')}</label>
              <input id={ids.path} name="path" defaultValue="/" />
            </div>
            <div className="field">
              <label htmlFor={ids.svc}>{t('ingresses.service')}</label>
              <input id={ids.svc} name="serviceName" required />
            </div>
            <div className="field">
              <label htmlFor={ids.port}>{t('ingresses.servicePort')}</label>
              <input id={ids.port} name="servicePort" required />
            </div>
            <button type="submit" className="primary" disabled={created.fetching}>
              {t('ingresses.create')}
            </button>
            <ErrorNotice error={created.error} />
          </form>
        </Section>
      ) : null}
    </Page>
  );
}
