/**
 * A project's registry credentials (servers and usernames, never passwords); adding one and
 * deleting one. The password is sent once and never read back.
 */
import { type FormEvent, useId } from 'react';
import { useMutation, useQuery } from 'urql';
import { DataTable } from '../../components/data-table.js';
import { DeleteButton } from '../../components/delete-button.js';
import { ClusterErrors, ErrorNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { ReadOnlyHint } from '../../components/read-only-hint.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';
import { useCan } from '../../lib/use-can.js';
import { NamespaceField } from './namespace-field.js';
import { LiveKinds, useProjectScope } from './project-scope.js';

const RegistriesDocument = graphql(`
  query ProjectRegistries($ref: ID!) {
    registryCredentials(filter: { projectIds: [$ref] }, first: 50) {
      items {
        id
        clusterId
        namespace
        name
        registries {
          server
          username
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

const CreateRegistryDocument = graphql(`
  mutation CreateRegistryCredential($input: RegistryCredentialInput!) {
    createRegistryCredential(input: $input) {
      id
    }
  }
`);

const DeleteRegistryDocument = graphql(`
  mutation DeleteRegistryCredential($ref: ObjectRefInput!) {
    deleteRegistryCredential(ref: $ref)
  }
`);

export function RegistriesPage({ clusterId, projectId }: { clusterId: string; projectId: string }) {
  const t = useT();
  const ids = { name: useId(), server: useId(), user: useId(), pass: useId() };
  const scope = useProjectScope(clusterId, projectId);
  const [result, reexecute] = useQuery({
    query: RegistriesDocument,
    variables: { ref: scope.ref },
  });
  const ns = scope.namespaces?.[0] ?? '';
  const canCreate = useCan(clusterId, 'create', 'secrets', ns);
  const canDelete = useCan(clusterId, 'delete', 'secrets', ns);
  const [created, create] = useMutation(CreateRegistryDocument);
  const [, remove] = useMutation(DeleteRegistryDocument);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  const list = result.data?.registryCredentials;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const r = await create({
      input: {
        clusterId,
        namespace: String(data.get('namespace')),
        name: String(data.get('name')),
        registries: [
          {
            server: String(data.get('server')),
            username: String(data.get('username')),
            password: String(data.get('password')),
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
    <Page title={t('nav.registries')}>
      <LiveKinds
        clusterId={clusterId}
        namespaces={scope.namespaces}
        kinds={[['v1', 'Secret']]}
        onChange={refetch}
      />
      <ErrorNotice error={result.error} />
      <Section title={t('registries.title')}>
        <ClusterErrors errors={list?.clusterErrors} />
        <DataTable
          caption={t('registries.title')}
          rows={list?.items}
          rowKey={(r) => r.id}
          columns={[
            { header: t('common.name'), render: (r) => r.name },
            { header: t('common.namespace'), render: (r) => r.namespace },
            {
              header: t('registries.servers'),
              render: (r) => r.registries.map((x) => `${x.username ?? ''}@${x.server}`).join(', '),
            },
            {
              header: t('common.actions'),
              render: (r) =>
                canDelete ? (
                  <DeleteButton
                    name={r.name}
                    label={t('registries.delete', { name: r.name })}
                    onDelete={async () => {
                      const res = await remove({
                        ref: { clusterId: r.clusterId, namespace: r.namespace ?? '', name: r.name },
                      });
                      if (!res.error) refetch();
                      return res;
                    }}
                  />
                ) : null,
            },
          ]}
        />
      </Section>
      <ReadOnlyHint can={[canCreate, canDelete]} />
      {canCreate && scope.namespaces?.length ? (
        <Section title={t('registries.add')}>
          <form className="inline-form" onSubmit={submit} aria-label={t('registries.add')}>
            <div className="field">
              <label htmlFor={ids.name}>{t('common.name')}</label>
              <input id={ids.name} name="name" required />
            </div>
            <NamespaceField namespaces={scope.namespaces} />
            <div className="field">
              <label htmlFor={ids.server}>{t('registries.server')}</label>
              <input id={ids.server} name="server" required placeholder="registry.example.com" />
            </div>
            <div className="field">
              <label htmlFor={ids.user}>{t('registries.username')}</label>
              <input id={ids.user} name="username" required autoComplete="off" />
            </div>
            <div className="field">
              <label htmlFor={ids.pass}>{t('registries.password')}</label>
              <input
                id={ids.pass}
                name="password"
                type="password"
                required
                autoComplete="new-password"
              />
            </div>
            <button type="submit" className="primary" disabled={created.fetching}>
              {t('registries.add')}
            </button>
            <ErrorNotice error={created.error} />
          </form>
        </Section>
      ) : null}
    </Page>
  );
}
