/** Who holds which global role: granting one to a user or group, and taking it back. */
import { type FormEvent, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { DataTable } from '../../components/data-table.js';
import { ErrorNotice } from '../../components/notices.js';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n.js';

const GlobalRoleBindingsDocument = graphql(`
  query GlobalRoleBindings {
    globalRoleBindings {
      id
      roleId
      userId
      principalId
      subjectKind
      createdAt
    }
  }
`);

const BindGlobalRoleDocument = graphql(`
  mutation BindGlobalRole($globalRoleId: ID!, $principalId: ID!) {
    bindGlobalRole(globalRoleId: $globalRoleId, principalId: $principalId) {
      id
    }
  }
`);

const UnbindGlobalRoleDocument = graphql(`
  mutation UnbindGlobalRole($bindingId: ID!) {
    unbindGlobalRole(bindingId: $bindingId)
  }
`);

const PrincipalsDocument = graphql(`
  query GlobalRolePrincipals($search: String!) {
    principals(search: $search, limit: 10) {
      id
      name
      displayName
      kind
    }
  }
`);

export function GlobalRoleBindings({
  roles,
}: {
  roles: readonly { id: string; displayName: string }[];
}) {
  const t = useT();
  const f = useFormat();
  const ids = { search: useId(), who: useId(), role: useId() };
  const [result, reexecute] = useQuery({ query: GlobalRoleBindingsDocument });
  const [bindState, bind] = useMutation(BindGlobalRoleDocument);
  const [unbindState, unbind] = useMutation(UnbindGlobalRoleDocument);
  const [search, setSearch] = useState('');
  const [found] = useQuery({
    query: PrincipalsDocument,
    variables: { search },
    pause: search.length < 2,
  });
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const r = await bind({
      globalRoleId: String(data.get('role')),
      principalId: String(data.get('principal')),
    });
    if (!r.error) {
      setSearch('');
      refetch();
    }
  };
  const principals = search.length < 2 ? [] : (found.data?.principals ?? []);
  return (
    <>
      <ErrorNotice error={result.error ?? unbindState.error} />
      <DataTable
        caption={t('roles.bindings')}
        rows={result.data?.globalRoleBindings}
        rowKey={(b) => b.id}
        columns={[
          { header: t('members.subject'), render: (b) => b.principalId ?? b.userId ?? '—' },
          { header: t('members.role'), render: (b) => b.roleId },
          { header: t('common.created'), render: (b) => f.dateTime(b.createdAt) },
          {
            header: t('common.actions'),
            render: (b) => (
              <button
                type="button"
                className="danger"
                onClick={() => void unbind({ bindingId: b.id }).then(refetch)}
                aria-label={t('members.remove', {
                  who: `${b.principalId ?? b.userId} (${b.roleId})`,
                })}
              >
                {t('common.remove')}
              </button>
            ),
          },
        ]}
      />
      <form className="inline-form" onSubmit={submit} aria-label={t('roles.grant')}>
        <div className="field">
          <label htmlFor={ids.search}>{t('members.search')}</label>
          <input
            id={ids.search}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor={ids.who}>{t('members.principal')}</label>
          <select id={ids.who} name="principal">
            {principals.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName || p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.role}>{t('members.role')}</label>
          <select id={ids.role} name="role">
            {roles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.displayName}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="primary"
          disabled={bindState.fetching || principals.length === 0}
        >
          {t('roles.grant')}
        </button>
        <ErrorNotice error={bindState.error} />
      </form>
    </>
  );
}
