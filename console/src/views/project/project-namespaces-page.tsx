/**
 * A project's namespaces with their phase and Pod Security Admission levels (the namespace
 * labels the cluster enforces); creating a namespace inside the project.
 */
import { type FormEvent, useId } from 'react';
import { useMutation, useQuery } from 'urql';
import { DataTable } from '../../components/data-table.js';
import { ClusterErrors, ErrorNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { ReadOnlyHint } from '../../components/read-only-hint.js';
import { YamlButton } from '../../components/yaml-dialog.js';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n.js';
import { useCan } from '../../lib/use-can.js';
import { useProjectScope } from './project-scope.js';

const ProjectNamespacesDocument = graphql(`
  query ProjectNamespaces($ref: ID!) {
    namespaces(filter: { projectIds: [$ref] }, first: 100) {
      items {
        id
        clusterId
        name
        phase
        labels
        createdAt
      }
      clusterErrors {
        clusterId
        code
        message
      }
    }
  }
`);

const CreateProjectNamespaceDocument = graphql(`
  mutation CreateProjectNamespace($clusterId: ID!, $name: String!, $projectId: ID!) {
    createNamespace(clusterId: $clusterId, name: $name, projectId: $projectId) {
      id
    }
  }
`);

const PSA = 'pod-security.kubernetes.io/';

/** `enforce: restricted, warn: baseline`, from the namespace's labels. */
function podSecurity(labels: unknown): string {
  const map = (labels ?? {}) as Record<string, string>;
  const modes = ['enforce', 'audit', 'warn']
    .filter((mode) => map[`${PSA}${mode}`])
    .map((mode) => `${mode}: ${map[`${PSA}${mode}`]}`);
  return modes.join(', ') || '—';
}

export function ProjectNamespacesPage({
  clusterId,
  projectId,
}: {
  clusterId: string;
  projectId: string;
}) {
  const t = useT();
  const f = useFormat();
  const nameId = useId();
  const scope = useProjectScope(clusterId, projectId);
  const [result, reexecute] = useQuery({
    query: ProjectNamespacesDocument,
    variables: { ref: scope.ref },
  });
  const canCreate = useCan(clusterId, 'create', 'namespaces');
  const canUpdate = useCan(clusterId, 'update', 'namespaces');
  const [created, create] = useMutation(CreateProjectNamespaceDocument);
  const list = result.data?.namespaces;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const r = await create({ clusterId, projectId, name: String(new FormData(form).get('name')) });
    if (!r.error) {
      form.reset();
      reexecute({ requestPolicy: 'network-only' });
    }
  };
  return (
    <Page title={t('nav.projectNamespaces')}>
      <ErrorNotice error={result.error} />
      <Section title={t('namespaces.ofProject', { name: scope.name })}>
        <ClusterErrors errors={list?.clusterErrors} />
        <DataTable
          caption={t('namespaces.title')}
          rows={list?.items}
          rowKey={(n) => n.id}
          columns={[
            { header: t('common.name'), render: (n) => n.name },
            { header: t('common.status'), render: (n) => n.phase ?? '—' },
            { header: t('namespaces.podSecurity'), render: (n) => podSecurity(n.labels) },
            { header: t('common.created'), render: (n) => f.dateTime(n.createdAt) },
            {
              header: t('common.actions'),
              render: (n) => (
                <YamlButton
                  target={{
                    clusterId: n.clusterId,
                    apiVersion: 'v1',
                    kind: 'Namespace',
                    name: n.name,
                  }}
                  canEdit={canUpdate === true}
                />
              ),
            },
          ]}
        />
      </Section>
      <ReadOnlyHint can={[canCreate, canUpdate]} />
      {canCreate ? (
        <form className="inline-form" onSubmit={submit} aria-label={t('namespaces.create')}>
          <div className="field">
            <label htmlFor={nameId}>{t('namespaces.newName')}</label>
            <input id={nameId} name="name" required />
          </div>
          <button type="submit" className="primary" disabled={created.fetching}>
            {t('namespaces.create')}
          </button>
          <ErrorNotice error={created.error} />
        </form>
      ) : null}
    </Page>
  );
}
