/** A project's services (with their endpoints) and ingresses. */
import { useQuery } from 'urql';
import { DataTable } from '../../components/data-table.js';
import { ClusterErrors, ErrorNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { YamlButton } from '../../components/yaml-dialog.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';
import { useCan } from '../../lib/use-can.js';
import { useProjectScope } from './project-scope.js';

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

export function ServicesPage({ clusterId, projectId }: { clusterId: string; projectId: string }) {
  const t = useT();
  const scope = useProjectScope(clusterId, projectId);
  const [result] = useQuery({ query: ServicesDocument, variables: { ref: scope.ref } });
  const canWrite = useCan(clusterId, 'update', 'services', scope.namespaces?.[0] ?? '');
  const d = result.data;
  return (
    <Page title={t('nav.services')}>
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
                <YamlButton
                  target={{
                    clusterId: s.clusterId,
                    apiVersion: 'v1',
                    kind: 'Service',
                    name: s.name,
                    namespace: s.namespace,
                  }}
                  canEdit={canWrite === true}
                />
              ),
            },
          ]}
        />
      </Section>
      <Section title={t('ingresses.title')}>
        <ClusterErrors errors={d?.ingresses.clusterErrors} />
        <DataTable
          caption={t('ingresses.title')}
          rows={d?.ingresses.items}
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
                <YamlButton
                  target={{
                    clusterId: i.clusterId,
                    apiVersion: 'networking.k8s.io/v1',
                    kind: 'Ingress',
                    name: i.name,
                    namespace: i.namespace,
                  }}
                  canEdit={canWrite === true}
                />
              ),
            },
          ]}
        />
      </Section>
    </Page>
  );
}
