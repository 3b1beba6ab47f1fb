/**
 * Identity provider configurations (secrets are never returned, only which are set): enable
 * or disable one and change who may use it. Settings are sent back as read; a secret left out
 * keeps its stored value.
 */
import { useMutation, useQuery } from 'urql';
import { DataTable, StatusBadge } from '../../components/data-table.js';
import { ErrorNotice } from '../../components/notices.js';
import { Page } from '../../components/page.js';
import { graphql } from '../../gql';
import type { AccessMode, ProviderName } from '../../gql/graphql';
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

const SetAuthConfigDocument = graphql(`
  mutation SetAuthConfig($input: SetAuthConfigInput!) {
    setAuthConfig(input: $input) {
      provider
      enabled
      accessMode
      updatedAt
    }
  }
`);

export function AuthConfigsPage() {
  const t = useT();
  const f = useFormat();
  const [result, reexecute] = useQuery({ query: AuthConfigsDocument });
  const [setState, set] = useMutation(SetAuthConfigDocument);
  const change = async (
    a: { provider: ProviderName; settings: unknown },
    input: { enabled?: boolean; accessMode?: AccessMode },
  ) => {
    const r = await set({
      input: {
        provider: a.provider,
        settings: a.settings,
        ...input,
      },
    });
    if (!r.error) reexecute({ requestPolicy: 'network-only' });
  };
  return (
    <Page title={t('nav.authConfigs')}>
      <ErrorNotice error={result.error ?? setState.error} />
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
          {
            header: t('auth.accessMode'),
            render: (a) => (
              <select
                aria-label={t('auth.accessModeOf', { provider: a.provider.toLowerCase() })}
                value={a.accessMode}
                disabled={setState.fetching}
                onChange={(e) => void change(a, { accessMode: e.target.value as AccessMode })}
              >
                <option value="UNRESTRICTED">{t('auth.unrestricted')}</option>
                <option value="RESTRICTED">{t('auth.restricted')}</option>
                <option value="REQUIRED">{t('auth.required')}</option>
              </select>
            ),
          },
          { header: t('auth.allowed'), render: (a) => a.allowedPrincipalIds.join(', ') || '—' },
          { header: t('auth.secrets'), render: (a) => a.secretsSet.join(', ') || '—' },
          {
            header: t('auth.settings'),
            render: (a) => <code className="small">{JSON.stringify(a.settings)}</code>,
          },
          { header: t('common.updated'), render: (a) => f.dateTime(a.updatedAt) },
          {
            header: t('common.actions'),
            render: (a) => (
              <button
                type="button"
                disabled={setState.fetching}
                onClick={() => void change(a, { enabled: !a.enabled })}
              >
                {a.enabled
                  ? t('auth.disable', { provider: a.provider.toLowerCase() })
                  : t('auth.enable', { provider: a.provider.toLowerCase() })}
              </button>
            ),
          },
        ]}
      />
    </Page>
  );
}
