/** The caller's API keys: create one (its token shown this once), revoke one. */
import { type FormEvent, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { DataTable, StatusBadge } from '../../components/data-table.js';
import { ErrorNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n.js';

const ApiKeysDocument = graphql(`
  query ApiKeys {
    apiKeys {
      keyId
      kind
      description
      clusterId
      enabled
      createdAt
      expiresAt
      lastUsedAt
    }
  }
`);

const CreateApiKeyDocument = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      token
      key {
        keyId
      }
    }
  }
`);

const RevokeApiKeyDocument = graphql(`
  mutation RevokeApiKey($keyId: ID!) {
    revokeApiKey(keyId: $keyId)
  }
`);

export function ApiKeysPage() {
  const t = useT();
  const f = useFormat();
  const ids = { description: useId(), expires: useId(), token: useId() };
  const [result, reexecute] = useQuery({ query: ApiKeysDocument });
  const [createState, create] = useMutation(CreateApiKeyDocument);
  const [revokeState, revoke] = useMutation(RevokeApiKeyDocument);
  const [token, setToken] = useState<string>();
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const days = Number(data.get('days') || 0);
    const r = await create({
      input: {
        description: String(data.get('description') ?? ''),
        ...(days > 0 ? { expiresAt: new Date(Date.now() + days * 86_400_000).toISOString() } : {}),
      },
    });
    if (r.data) {
      setToken(r.data.createApiKey.token);
      form.reset();
      refetch();
    }
  };
  return (
    <Page title={t('menu.apiKeys')}>
      <Section title={t('apiKeys.create')}>
        <form className="inline-form" onSubmit={submit} aria-label={t('apiKeys.create')}>
          <div className="field">
            <label htmlFor={ids.description}>{t('common.description')}</label>
            <input id={ids.description} name="description" required />
          </div>
          <div className="field">
            <label htmlFor={ids.expires}>{t('apiKeys.days')}</label>
            <input id={ids.expires} name="days" type="number" min={0} max={3650} placeholder="0" />
          </div>
          <button type="submit" className="primary" disabled={createState.fetching}>
            {t('apiKeys.create')}
          </button>
          <ErrorNotice error={createState.error} />
        </form>
        {token ? (
          <div className="notice notice-ok token-once" role="status">
            <label htmlFor={ids.token}>{t('apiKeys.shownOnce')}</label>
            <input
              id={ids.token}
              readOnly
              value={token}
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" onClick={() => void navigator.clipboard?.writeText(token)}>
              {t('apiKeys.copy')}
            </button>
            <button type="button" onClick={() => setToken(undefined)}>
              {t('apiKeys.done')}
            </button>
          </div>
        ) : null}
      </Section>
      <Section title={t('apiKeys.yours')}>
        <ErrorNotice error={result.error ?? revokeState.error} />
        <DataTable
          caption={t('apiKeys.yours')}
          rows={result.data?.apiKeys}
          rowKey={(k) => k.keyId}
          columns={[
            { header: 'ID', render: (k) => <code>{k.keyId}</code> },
            { header: t('common.description'), render: (k) => k.description },
            {
              header: t('common.kind'),
              render: (k) => (k.kind === 'KUBECONFIG' ? 'kubeconfig' : 'API'),
            },
            {
              header: t('common.status'),
              render: (k) => (
                <StatusBadge
                  ok={k.enabled}
                  label={k.enabled ? t('users.enabled') : t('users.disabled')}
                />
              ),
            },
            { header: t('common.created'), render: (k) => f.dateTime(k.createdAt) },
            { header: t('apiKeys.expires'), render: (k) => f.dateTime(k.expiresAt) },
            { header: t('apiKeys.lastUsed'), render: (k) => f.dateTime(k.lastUsedAt) },
            {
              header: t('common.actions'),
              render: (k) => (
                <button
                  type="button"
                  className="danger"
                  onClick={() => void revoke({ keyId: k.keyId }).then(refetch)}
                  aria-label={t('apiKeys.revoke', { id: k.keyId })}
                >
                  {t('apiKeys.revokeShort')}
                </button>
              ),
            },
          ]}
        />
      </Section>
    </Page>
  );
}
