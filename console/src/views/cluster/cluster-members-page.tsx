/** A cluster's members: role templates bound on the whole cluster. */
import { useMutation, useQuery } from 'urql';
import { AddMemberForm, MembersTable } from '../../components/members.js';
import { ErrorNotice } from '../../components/notices.js';
import { Page } from '../../components/page.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';
import { PADDOCK_GROUP, useCan } from '../../lib/use-can.js';

const ClusterMembersDocument = graphql(`
  query ClusterMembers($clusterId: ID!) {
    clusterMembers(clusterId: $clusterId) {
      id
      userId
      principalId
      subjectKind
      roleId
      createdAt
    }
  }
`);

const AddClusterMemberDocument = graphql(`
  mutation AddClusterMember($clusterId: ID!, $principalId: ID!, $roleTemplateId: ID!) {
    addClusterMember(clusterId: $clusterId, principalId: $principalId, roleTemplateId: $roleTemplateId) {
      id
    }
  }
`);

const RemoveClusterMemberDocument = graphql(`
  mutation RemoveClusterMember($bindingId: ID!) {
    removeClusterMember(bindingId: $bindingId)
  }
`);

export function ClusterMembersPage({ clusterId }: { clusterId: string }) {
  const t = useT();
  const [result, reexecute] = useQuery({ query: ClusterMembersDocument, variables: { clusterId } });
  const canEdit = useCan(clusterId, 'create', `clusterroletemplatebindings.${PADDOCK_GROUP}`);
  const [addState, add] = useMutation(AddClusterMemberDocument);
  const [removeState, remove] = useMutation(RemoveClusterMemberDocument);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <Page title={t('nav.clusterMembers')}>
      <ErrorNotice error={result.error ?? removeState.error} />
      <MembersTable
        rows={result.data?.clusterMembers}
        canEdit={canEdit === true}
        onRemove={async (bindingId) => {
          if ((await remove({ bindingId })).error === undefined) refetch();
        }}
      />
      {canEdit ? (
        <AddMemberForm
          context="cluster"
          busy={addState.fetching}
          error={addState.error}
          onAdd={async (principalId, roleTemplateId) => {
            const r = await add({ clusterId, principalId, roleTemplateId });
            if (!r.error) refetch();
            return !r.error;
          }}
        />
      ) : null}
    </Page>
  );
}
