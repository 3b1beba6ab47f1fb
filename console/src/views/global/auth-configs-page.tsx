/** Identity provider configurations (secrets are never returned, only which are set). */
import { useQuery } from 'urql';
import { DataTable, StatusBadge } from '../../components/data-table.js';
import { ErrorNotice } from '../../components/notices.js';
import { Page } from '../../components/page.js';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n.js';

const AuthConfigsDocument = graphql(`
  query AuthConfigs {
    authConfigs {
      provider
      enabled
      accessMode
      allowedPrincipalIds
      secretsSet
      settings
      updatedAt
    }
  }
`);

export function AuthConfigsPage() {
  const t = useT();
  const f = useFormat();
  const [result] = useQuery({ query: AuthConfigsDocument });
  return (
    <Page title={t('nav.authConfigs')}>
      <ErrorNotice error={result.error} />
      <DataTable
        caption={t('nav.authConfigs')}
        rows={result.data?.authConfigs}
        rowKey={(a) => a.provider}
        columns={[
          { header: t('users.provider'), render: (a) => a.provider.toLowerCase() },
          {
            header: t('common.status'),
            render: (a) => (
              <StatusBadge
                ok={a.enabled}
                label={a.enabled ? t('users.enabled') : t('users.disabled')}
              />
            ),
          },
          { header: t('auth.accessMode'), render: (a) => a.accessMode.toLowerCase() },
          { header: t('auth.allowed'), render: (a) => a.allowedPrincipalIds.join(', ') || '—' },
          { header: t('auth.secrets'), render: (a) => a.secretsSet.join(', ') || '—' },
          {
            header: t('auth.settings'),
            render: (a) => <code className="small">{JSON.stringify(a.settings)}</code>,
          },
          { header: t('common.updated'), render: (a) => f.dateTime(a.updatedAt) },
        ]}
      />
    </Page>
  );
}
