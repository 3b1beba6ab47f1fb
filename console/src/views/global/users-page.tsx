/**
 * Every Paddock user (needs `list users`), filtered by name, paged; for `users-manage` holders
 * also creating local users and disabling, enabling, deleting and managing each one.
 */
import { useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useMe } from '../../app/session.js';
import { DataTable, StatusBadge } from '../../components/data-table.js';
import { ErrorNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { Pager, usePaging } from '../../components/pager.js';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n.js';
import { useGlobalPermissions } from '../../lib/use-global-can.js';
import { CreateUserForm } from './create-user-form.js';
import { UserDialog } from './user-dialog.js';

const UsersDocument = graphql(`
  query Users($first: Int, $after: String, $name: String) {
    users(first: $first, after: $after, filter: { nameContains: $name }) {
      totalCount
      items {
        id
        username
        displayName
        provider
        enabled
        disabledReason
        mustChangePassword
        lastLoginAt
        groups {
          id
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`);

const DisableUserDocument = graphql(`
  mutation DisableUser($id: ID!) {
    disableUser(id: $id) {
      id
      enabled
    }
  }
`);

const EnableUserDocument = graphql(`
  mutation EnableUser($id: ID!) {
    enableUser(id: $id) {
      id
      enabled
    }
  }
`);

const DeleteUserDocument = graphql(`
  mutation DeleteUser($id: ID!) {
    deleteUser(id: $id)
  }
`);

export interface UserRow {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly provider: string;
}

export function UsersPage() {
  const t = useT();
  const f = useFormat();
  const id = useId();
  const me = useMe();
  const can = useGlobalPermissions();
  const paging = usePaging();
  const [name, setName] = useState('');
  const [managing, setManaging] = useState<UserRow>();
  const [result, reexecute] = useQuery({
    query: UsersDocument,
    variables: { first: paging.first, after: paging.after, name: name || null },
  });
  const [disableState, disable] = useMutation(DisableUserDocument);
  const [enableState, enable] = useMutation(EnableUserDocument);
  const [deleteState, remove] = useMutation(DeleteUserDocument);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  const list = result.data?.users;
  const canUpdate = can?.updateUsers === true;
  const canDelete = can?.deleteUsers === true;
  const canManage = canUpdate || can?.listApiKeys === true;
  return (
    <Page title={t('nav.users')}>
      {can?.createUsers ? (
        <Section title={t('users.create')}>
          <CreateUserForm onCreated={refetch} />
        </Section>
      ) : null}
      <Section title={t('users.all')}>
        <div className="field filter">
          <label htmlFor={id}>{t('common.filter')}</label>
          <input
            id={id}
            type="search"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              paging.reset();
            }}
          />
        </div>
        <ErrorNotice error={result.error ?? disableState.error ?? enableState.error} />
        <ErrorNotice error={deleteState.error} />
        <DataTable
          caption={t('nav.users')}
          rows={list?.items}
          rowKey={(u) => u.id}
          columns={[
            { header: t('users.username'), render: (u) => u.username },
            { header: t('users.displayName'), render: (u) => u.displayName },
            { header: t('users.provider'), render: (u) => u.provider.toLowerCase() },
            {
              header: t('common.status'),
              render: (u) => (
                <>
                  <StatusBadge
                    ok={u.enabled}
                    label={u.enabled ? t('users.enabled') : t('users.disabled')}
                  />
                  {u.mustChangePassword ? (
                    <span className="muted small"> {t('users.mustChange')}</span>
                  ) : null}
                </>
              ),
            },
            { header: t('users.groups'), render: (u) => u.groups.length },
            { header: t('users.lastLogin'), render: (u) => f.dateTime(u.lastLoginAt) },
            { header: 'ID', render: (u) => <code>{u.id}</code> },
            ...(canUpdate || canDelete || canManage
              ? [
                  {
                    header: t('common.actions'),
                    render: (u: NonNullable<typeof list>['items'][number]) => (
                      <span className="row-actions">
                        {canManage ? (
                          <button
                            type="button"
                            onClick={() => setManaging(u)}
                            aria-label={t('users.manageOf', { name: u.username })}
                          >
                            {t('users.manage')}
                          </button>
                        ) : null}
                        {canUpdate && u.id !== me.id ? (
                          u.enabled ? (
                            <button
                              type="button"
                              onClick={() => void disable({ id: u.id }).then(refetch)}
                              aria-label={t('users.disableOf', { name: u.username })}
                            >
                              {t('users.disable')}
                            </button>
                          ) : (
                            <button
                              type="button"
                              onClick={() => void enable({ id: u.id }).then(refetch)}
                              aria-label={t('users.enableOf', { name: u.username })}
                            >
                              {t('users.enable')}
                            </button>
                          )
                        ) : null}
                        {canDelete && u.id !== me.id ? (
                          <button
                            type="button"
                            className="danger"
                            onClick={() => {
                              if (window.confirm(t('users.confirmDelete', { name: u.username }))) {
                                void remove({ id: u.id }).then(refetch);
                              }
                            }}
                            aria-label={t('users.deleteOf', { name: u.username })}
                          >
                            {t('common.delete')}
                          </button>
                        ) : null}
                      </span>
                    ),
                  },
                ]
              : []),
          ]}
        />
        <Pager paging={paging} pageInfo={list?.pageInfo} />
      </Section>
      {managing ? (
        <UserDialog
          user={managing}
          canUpdate={canUpdate}
          canListKeys={can?.listApiKeys === true}
          canRevokeKeys={can?.deleteApiKeys === true}
          onClose={() => setManaging(undefined)}
        />
      ) : null}
    </Page>
  );
}
