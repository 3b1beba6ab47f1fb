/** A project's TLS certificates (parsed, never their keys) and registry credentials. */
import { useQuery } from 'urql';
import { DataTable, StatusBadge } from '../../components/data-table.js';
import { ClusterErrors, ErrorNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n.js';
import { useProjectScope } from './project-scope.js';

const CertificatesDocument = graphql(`
  query ProjectCertificates($ref: ID!) {
    certificates(filter: { projectIds: [$ref] }, first: 50) {
      items {
        id
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
    registryCredentials(filter: { projectIds: [$ref] }, first: 50) {
      items {
        id
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

export function CertificatesPage({
  clusterId,
  projectId,
}: {
  clusterId: string;
  projectId: string;
}) {
  const t = useT();
  const f = useFormat();
  const scope = useProjectScope(clusterId, projectId);
  const [result] = useQuery({ query: CertificatesDocument, variables: { ref: scope.ref } });
  const d = result.data;
  return (
    <Page title={t('nav.certificates')}>
      <ErrorNotice error={result.error} />
      <Section title={t('certificates.title')}>
        <ClusterErrors errors={d?.certificates.clusterErrors} />
        <DataTable
          caption={t('certificates.title')}
          rows={d?.certificates.items}
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
          ]}
        />
      </Section>
      <Section title={t('registries.title')}>
        <ClusterErrors errors={d?.registryCredentials.clusterErrors} />
        <DataTable
          caption={t('registries.title')}
          rows={d?.registryCredentials.items}
          rowKey={(r) => r.id}
          columns={[
            { header: t('common.name'), render: (r) => r.name },
            { header: t('common.namespace'), render: (r) => r.namespace },
            {
              header: t('registries.servers'),
              render: (r) => r.registries.map((x) => `${x.username ?? ''}@${x.server}`).join(', '),
            },
          ]}
        />
      </Section>
    </Page>
  );
}
