/** A project's members: role templates bound on the project's namespaces. */
import { useMutation, useQuery } from 'urql';
import { AddMemberForm, MembersTable } from '../../components/members.js';
import { ErrorNotice } from '../../components/notices.js';
import { Page } from '../../components/page.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';
import { PADDOCK_GROUP, useCan } from '../../lib/use-can.js';
import { useProjectScope } from './project-scope.js';

const ProjectMembersDocument = graphql(`
  query ProjectMembers($clusterId: ID!, $projectId: ID!) {
    projectMembers(clusterId: $clusterId, projectId: $projectId) {
      id
      userId
      principalId
      subjectKind
      roleId
      createdAt
    }
  }
`);

const AddProjectMemberDocument = graphql(`
  mutation AddProjectMember($clusterId: ID!, $projectId: ID!, $principalId: ID!, $roleTemplateId: ID!) {
    addProjectMember(
      clusterId: $clusterId
      projectId: $projectId
      principalId: $principalId
      roleTemplateId: $roleTemplateId
    ) {
      id
    }
  }
`);

const RemoveProjectMemberDocument = graphql(`
  mutation RemoveProjectMember($bindingId: ID!) {
    removeProjectMember(bindingId: $bindingId)
  }
`);

export function ProjectMembersPage({
  clusterId,
  projectId,
}: {
  clusterId: string;
  projectId: string;
}) {
  const t = useT();
  const scope = useProjectScope(clusterId, projectId);
  const [result, reexecute] = useQuery({
    query: ProjectMembersDocument,
    variables: { clusterId, projectId },
  });
  const canEdit = useCan(
    clusterId,
    'create',
    `projectroletemplatebindings.${PADDOCK_GROUP}`,
    scope.namespaces?.[0] ?? '',
  );
  const [addState, add] = useMutation(AddProjectMemberDocument);
  const [removeState, remove] = useMutation(RemoveProjectMemberDocument);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <Page title={t('members.projectTitle', { project: scope.name })}>
      <ErrorNotice error={result.error ?? removeState.error} />
      <MembersTable
        rows={result.data?.projectMembers}
        canEdit={canEdit === true}
        onRemove={async (bindingId) => {
          if ((await remove({ bindingId })).error === undefined) refetch();
        }}
      />
      {canEdit ? (
        <AddMemberForm
          context="project"
          busy={addState.fetching}
          error={addState.error}
          onAdd={async (principalId, roleTemplateId) => {
            const r = await add({ clusterId, projectId, principalId, roleTemplateId });
            if (!r.error) refetch();
            return !r.error;
          }}
        />
      ) : null}
    </Page>
  );
}
