/**
 * A project's TLS certificates (parsed, never their keys); adding one from PEM and deleting
 * one. The key is sent once and never read back.
 */
import { type FormEvent, useId } from 'react';
import { useMutation, useQuery } from 'urql';
import { DataTable, StatusBadge } from '../../components/data-table.js';
import { DeleteButton } from '../../components/delete-button.js';
import { ClusterErrors, ErrorNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { ReadOnlyHint } from '../../components/read-only-hint.js';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n.js';
import { useCan } from '../../lib/use-can.js';
import { NamespaceField } from './namespace-field.js';
import { LiveKinds, useProjectScope } from './project-scope.js';

const CertificatesDocument = graphql(`
  query ProjectCertificates($ref: ID!) {
    certificates(filter: { projectIds: [$ref] }, first: 50) {
      items {
        id
        clusterId
        namespace
        name
        valid
        subject
        issuer
        subjectAltNames
        notAfter
      }
      clusterErrors {
        clusterId
        code
        message
      }
    }
  }
`);

const CreateCertificateDocument = graphql(`
  mutation CreateCertificate($input: CertificateInput!) {
    createCertificate(input: $input) {
      id
    }
  }
`);

const DeleteCertificateDocument = graphql(`
  mutation DeleteCertificate($ref: ObjectRefInput!) {
    deleteCertificate(ref: $ref)
  }
`);

export function CertificatesPage({
  clusterId,
  projectId,
}: {
  clusterId: string;
  projectId: string;
}) {
  const t = useT();
  const f = useFormat();
  const ids = { name: useId(), cert: useId(), key: useId() };
  const scope = useProjectScope(clusterId, projectId);
  const [result, reexecute] = useQuery({
    query: CertificatesDocument,
    variables: { ref: scope.ref },
  });
  const ns = scope.namespaces?.[0] ?? '';
  const canCreate = useCan(clusterId, 'create', 'secrets', ns);
  const canDelete = useCan(clusterId, 'delete', 'secrets', ns);
  const [created, create] = useMutation(CreateCertificateDocument);
  const [, remove] = useMutation(DeleteCertificateDocument);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  const list = result.data?.certificates;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const r = await create({
      input: {
        clusterId,
        namespace: String(data.get('namespace')),
        name: String(data.get('name')),
        certificatePem: String(data.get('certificatePem')),
        privateKeyPem: String(data.get('privateKeyPem')),
      },
    });
    if (!r.error) {
      form.reset();
      refetch();
    }
  };
  return (
    <Page title={t('nav.certificates')}>
      <LiveKinds
        clusterId={clusterId}
        namespaces={scope.namespaces}
        kinds={[['v1', 'Secret']]}
        onChange={refetch}
      />
      <ErrorNotice error={result.error} />
      <Section title={t('certificates.title')}>
        <ClusterErrors errors={list?.clusterErrors} />
        <DataTable
          caption={t('certificates.title')}
          rows={list?.items}
          rowKey={(c) => c.id}
          columns={[
            { header: t('common.name'), render: (c) => c.name },
            { header: t('common.namespace'), render: (c) => c.namespace },
            {
              header: t('common.status'),
              render: (c) => (
                <StatusBadge
                  ok={c.valid && (c.notAfter == null || new Date(c.notAfter) > new Date())}
                  label={c.valid ? t('certificates.valid') : t('certificates.invalid')}
                />
              ),
            },
            {
              header: t('certificates.names'),
              render: (c) => c.subjectAltNames.join(', ') || c.subject,
            },
            { header: t('certificates.issuer'), render: (c) => c.issuer ?? '—' },
            { header: t('certificates.expires'), render: (c) => f.dateTime(c.notAfter) },
            {
              header: t('common.actions'),
              render: (c) =>
                canDelete ? (
                  <DeleteButton
                    name={c.name}
                    label={t('certificates.delete', { name: c.name })}
                    onDelete={async () => {
                      const r = await remove({
                        ref: { clusterId: c.clusterId, namespace: c.namespace ?? '', name: c.name },
                      });
                      if (!r.error) refetch();
                      return r;
                    }}
                  />
                ) : null,
            },
          ]}
        />
      </Section>
      <ReadOnlyHint can={[canCreate, canDelete]} />
      {canCreate && scope.namespaces?.length ? (
        <Section title={t('certificates.add')}>
          <form className="stacked-form" onSubmit={submit} aria-label={t('certificates.add')}>
            <div className="field">
              <label htmlFor={ids.name}>{t('common.name')}</label>
              <input id={ids.name} name="name" required />
            </div>
            <NamespaceField namespaces={scope.namespaces} />
            <div className="field">
              <label htmlFor={ids.cert}>{t('certificates.pem')}</label>
              <textarea
                id={ids.cert}
                name="certificatePem"
                rows={6}
                required
                spellCheck={false}
                placeholder="-----BEGIN CERTIFICATE-----"
              />
            </div>
            <div className="field">
              <label htmlFor={ids.key}>{t('certificates.key')}</label>
              <textarea
                id={ids.key}
                name="privateKeyPem"
                rows={6}
                required
                spellCheck={false}
                autoComplete="off"
                placeholder="-----BEGIN PRIVATE KEY-----"
              />
            </div>
            <button type="submit" className="primary" disabled={created.fetching}>
              {t('certificates.add')}
            </button>
            <ErrorNotice error={created.error} />
          </form>
        </Section>
      ) : null}
    </Page>
  );
}
