/** Every Paddock user (needs `list users`), filtered by name, paged. */
import { useId, useState } from 'react';
import { useQuery } from 'urql';
import { DataTable, StatusBadge } from '../../components/data-table.js';
import { ErrorNotice } from '../../components/notices.js';
import { Page } from '../../components/page.js';
import { Pager, usePaging } from '../../components/pager.js';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n.js';

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

export function UsersPage() {
  const t = useT();
  const f = useFormat();
  const id = useId();
  const paging = usePaging();
  const [name, setName] = useState('');
  const [result] = useQuery({
    query: UsersDocument,
    variables: { first: paging.first, after: paging.after, name: name || null },
  });
  const list = result.data?.users;
  return (
    <Page title={t('nav.users')}>
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
      <ErrorNotice error={result.error} />
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
              <StatusBadge
                ok={u.enabled}
                label={u.enabled ? t('users.enabled') : t('users.disabled')}
              />
            ),
          },
          { header: t('users.groups'), render: (u) => u.groups.length },
          { header: t('users.lastLogin'), render: (u) => f.dateTime(u.lastLoginAt) },
          { header: 'ID', render: (u) => <code>{u.id}</code> },
        ]}
      />
      <Pager paging={paging} pageInfo={list?.pageInfo} />
    </Page>
  );
}
