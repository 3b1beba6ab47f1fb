/** A cluster's projects and namespaces; creating either, moving a namespace into a project. */
import { type FormEvent, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link, pathOf } from '../../app/router.js';
import { DataTable } from '../../components/data-table.js';
import { ClusterErrors, ErrorNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { Pager, usePaging } from '../../components/pager.js';
import { YamlButton } from '../../components/yaml-dialog.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';
import { PADDOCK_GROUP, useCan } from '../../lib/use-can.js';
import { ProjectSettingsDialog } from './project-settings-dialog.js';

const ProjectsDocument = graphql(`
  query ClusterProjects($clusterId: ID!, $first: Int, $after: String) {
    projects(filter: { clusterIds: [$clusterId] }, first: 50) {
      items {
        id
        projectId
        name
        description
        namespaces
      }
      clusterErrors {
        clusterId
        code
        message
      }
    }
    namespaces(filter: { clusterIds: [$clusterId] }, first: $first, after: $after) {
      items {
        id
        clusterId
        name
        phase
        projectId
      }
      pageInfo {
        endCursor
        hasNextPage
      }
      clusterErrors {
        clusterId
        code
        message
      }
    }
  }
`);

const CreateProjectDocument = graphql(`
  mutation CreateProject($clusterId: ID!, $input: ProjectSettingsInput!) {
    createProject(clusterId: $clusterId, input: $input) {
      id
    }
  }
`);

const MoveNamespaceDocument = graphql(`
  mutation MoveNamespace($clusterId: ID!, $name: String!, $projectId: ID) {
    moveNamespace(clusterId: $clusterId, name: $name, projectId: $projectId) {
      id
      projectId
    }
  }
`);

const CreateNamespaceDocument = graphql(`
  mutation CreateNamespace($clusterId: ID!, $name: String!, $projectId: ID) {
    createNamespace(clusterId: $clusterId, name: $name, projectId: $projectId) {
      id
    }
  }
`);

export function ProjectsPage({ clusterId }: { clusterId: string }) {
  const t = useT();
  const paging = usePaging();
  const ids = { project: useId(), ns: useId(), nsProject: useId() };
  const [result, reexecute] = useQuery({
    query: ProjectsDocument,
    variables: { clusterId, first: paging.first, after: paging.after },
  });
  const canCreateProject = useCan(clusterId, 'create', `projects.${PADDOCK_GROUP}`);
  const canCreateNamespace = useCan(clusterId, 'create', 'namespaces');
  const canUpdateProjects = useCan(clusterId, 'update', `projects.${PADDOCK_GROUP}`);
  const [editing, setEditing] = useState<string>();
  const [projectState, createProject] = useMutation(CreateProjectDocument);
  const [nsState, createNamespace] = useMutation(CreateNamespaceDocument);
  const [moveState, moveNamespace] = useMutation(MoveNamespaceDocument);
  const projects = result.data?.projects;
  const namespaces = result.data?.namespaces;
  const refetch = () => reexecute({ requestPolicy: 'network-only' });

  const addProject = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const name = String(new FormData(form).get('name'));
    const r = await createProject({ clusterId, input: { name } });
    if (!r.error) {
      form.reset();
      refetch();
    }
  };
  const addNamespace = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const projectId = String(data.get('projectId') ?? '');
    const r = await createNamespace({
      clusterId,
      name: String(data.get('name')),
      projectId: projectId || null,
    });
    if (!r.error) {
      form.reset();
      refetch();
    }
  };

  return (
    <Page title={t('nav.projects')}>
      <ErrorNotice error={result.error} />
      <Section title={t('projects.title')}>
        <ClusterErrors errors={projects?.clusterErrors} />
        <DataTable
          caption={t('projects.title')}
          rows={projects?.items}
          rowKey={(p) => p.id}
          columns={[
            {
              header: t('common.name'),
              render: (p) => (
                <Link to={`${pathOf('c', clusterId, 'p', p.projectId)}/workloads`}>{p.name}</Link>
              ),
            },
            { header: t('common.description'), render: (p) => p.description },
            { header: t('projects.namespaces'), render: (p) => p.namespaces.join(', ') || '—' },
            ...(canUpdateProjects
              ? [
                  {
                    header: t('common.actions'),
                    render: (p: { projectId: string; name: string }) => (
                      <button
                        type="button"
                        onClick={() => setEditing(p.projectId)}
                        aria-label={t('projects.settings', { name: p.name })}
                      >
                        {t('common.edit')}
                      </button>
                    ),
                  },
                ]
              : []),
          ]}
        />
        {canCreateProject ? (
          <form className="inline-form" onSubmit={addProject} aria-label={t('projects.create')}>
            <div className="field">
              <label htmlFor={ids.project}>{t('projects.newName')}</label>
              <input id={ids.project} name="name" required />
            </div>
            <button type="submit" className="primary" disabled={projectState.fetching}>
              {t('projects.create')}
            </button>
            <ErrorNotice error={projectState.error} />
          </form>
        ) : null}
      </Section>
      <Section title={t('namespaces.title')}>
        <ClusterErrors errors={namespaces?.clusterErrors} />
        <ErrorNotice error={moveState.error} />
        <DataTable
          caption={t('namespaces.title')}
          rows={namespaces?.items}
          rowKey={(n) => n.id}
          columns={[
            { header: t('common.name'), render: (n) => n.name },
            { header: t('common.status'), render: (n) => n.phase ?? '—' },
            {
              header: t('namespaces.project'),
              render: (n) =>
                canCreateNamespace ? (
                  <select
                    aria-label={t('namespaces.projectOf', { name: n.name })}
                    value={n.projectId?.split(':').pop() ?? ''}
                    disabled={moveState.fetching}
                    onChange={(e) =>
                      void moveNamespace({
                        clusterId,
                        name: n.name,
                        projectId: e.target.value || null,
                      }).then(refetch)
                    }
                  >
                    <option value="">{t('namespaces.noProject')}</option>
                    {projects?.items.map((p) => (
                      <option key={p.id} value={p.projectId}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                ) : (
                  (projects?.items.find((p) => p.id === n.projectId)?.name ?? n.projectId ?? '—')
                ),
            },
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
                  canEdit={canCreateNamespace === true}
                />
              ),
            },
          ]}
        />
        <Pager paging={paging} pageInfo={namespaces?.pageInfo} />
        {canCreateNamespace ? (
          <form className="inline-form" onSubmit={addNamespace} aria-label={t('namespaces.create')}>
            <div className="field">
              <label htmlFor={ids.ns}>{t('namespaces.newName')}</label>
              <input id={ids.ns} name="name" required pattern="[a-z0-9]([-a-z0-9]*[a-z0-9])?" />
            </div>
            <div className="field">
              <label htmlFor={ids.nsProject}>{t('namespaces.project')}</label>
              <select id={ids.nsProject} name="projectId">
                <option value="">{t('namespaces.noProject')}</option>
                {projects?.items.map((p) => (
                  <option key={p.id} value={p.projectId}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="primary" disabled={nsState.fetching}>
              {t('namespaces.create')}
            </button>
            <ErrorNotice error={nsState.error} />
          </form>
        ) : null}
      </Section>
      {editing ? (
        <ProjectSettingsDialog
          clusterId={clusterId}
          projectId={editing}
          onClose={() => setEditing(undefined)}
          onSaved={refetch}
        />
      ) : null}
    </Page>
  );
}
