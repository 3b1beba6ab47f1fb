/**
 * Cluster and project members: who holds which role template, adding a user or group found by
 * a principal search, and removing a binding. Shared by both layers.
 */
import { type FormEvent, useId, useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { useFormat, useT } from '../i18n/i18n.js';
import { DataTable } from './data-table.js';
import { ErrorNotice } from './notices.js';

const RoleTemplatesDocument = graphql(`
  query RoleTemplateChoices {
    roleTemplates {
      id
      displayName
      context
      hidden
      locked
    }
  }
`);

const PrincipalSearchDocument = graphql(`
  query PrincipalSearch($search: String!) {
    principals(search: $search, limit: 10) {
      id
      name
      displayName
      kind
      provider
    }
  }
`);

export interface MemberRow {
  readonly id: string;
  readonly userId?: string | null;
  readonly principalId?: string | null;
  readonly subjectKind: string;
  readonly roleId: string;
  readonly createdAt: string;
}

export function MembersTable({
  rows,
  canEdit,
  onRemove,
}: {
  rows: readonly MemberRow[] | undefined;
  canEdit: boolean;
  onRemove: (bindingId: string) => void;
}) {
  const t = useT();
  const f = useFormat();
  return (
    <DataTable
      caption={t('members.title')}
      rows={rows}
      rowKey={(r) => r.id}
      columns={[
        { header: t('members.subject'), render: (r) => r.principalId ?? r.userId ?? '—' },
        {
          header: t('members.kind'),
          render: (r) => t(r.subjectKind === 'group' ? 'members.group' : 'members.user'),
        },
        { header: t('members.role'), render: (r) => r.roleId },
        { header: t('common.created'), render: (r) => f.dateTime(r.createdAt) },
        ...(canEdit
          ? [
              {
                header: t('common.actions'),
                render: (r: MemberRow) => (
                  <button
                    type="button"
                    className="danger"
                    onClick={() => onRemove(r.id)}
                    aria-label={t('members.remove', { who: r.principalId ?? r.userId ?? r.id })}
                  >
                    {t('common.remove')}
                  </button>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

export function AddMemberForm({
  context,
  onAdd,
  error,
  busy,
}: {
  context: 'cluster' | 'project';
  onAdd: (principalId: string, roleTemplateId: string) => Promise<boolean>;
  error: Parameters<typeof ErrorNotice>[0]['error'];
  busy: boolean;
}) {
  const t = useT();
  const ids = { search: useId(), principal: useId(), role: useId() };
  const [search, setSearch] = useState('');
  const [principal, setPrincipal] = useState('');
  const [role, setRole] = useState('');
  const [roles] = useQuery({ query: RoleTemplatesDocument });
  const [found] = useQuery({
    query: PrincipalSearchDocument,
    variables: { search },
    pause: search.trim().length < 2,
  });
  const choices = (roles.data?.roleTemplates ?? []).filter(
    (r) => r.context === context && !r.hidden && !r.locked,
  );
  const principals = search.trim().length < 2 ? [] : (found.data?.principals ?? []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const chosenRole = role || choices[0]?.id || '';
    const chosen = principal || principals[0]?.id || '';
    if (chosen === '' || chosenRole === '') return;
    if (await onAdd(chosen, chosenRole)) {
      setSearch('');
      setPrincipal('');
    }
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label={t('members.add')}>
      <div className="field">
        <label htmlFor={ids.search}>{t('members.search')}</label>
        <input
          id={ids.search}
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setPrincipal('');
          }}
          autoComplete="off"
        />
      </div>
      <div className="field">
        <label htmlFor={ids.principal}>{t('members.principal')}</label>
        <select id={ids.principal} value={principal} onChange={(e) => setPrincipal(e.target.value)}>
          {principals.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName || p.name} (
              {p.kind === 'GROUP' ? t('members.group') : t('members.user')},{' '}
              {p.provider.toLowerCase()})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.role}>{t('members.role')}</label>
        <select id={ids.role} value={role} onChange={(e) => setRole(e.target.value)}>
          {choices.map((r) => (
            <option key={r.id} value={r.id}>
              {r.displayName}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="primary" disabled={busy || principals.length === 0}>
        {t('members.add')}
      </button>
      <ErrorNotice error={error} />
    </form>
  );
}
