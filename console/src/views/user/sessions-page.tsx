/**
 * The caller's own sessions: end one, or sign out everywhere (this browser too), optionally
 * deleting every API key and kubeconfig token as well.
 */
import { useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';
import { SessionsTable } from './sessions-table.js';

const MySessionsDocument = graphql(`
  query MySessions {
    mySessions {
      id
      provider
      createdAt
      lastSeenAt
      expiresAt
      idleExpiresAt
      remoteAddress
      userAgent
      current
    }
  }
`);

const RevokeMySessionDocument = graphql(`
  mutation RevokeMySession($sessionId: ID!) {
    revokeMySession(sessionId: $sessionId)
  }
`);

const SignOutEverywhereDocument = graphql(`
  mutation SignOutEverywhere($revokeApiKeys: Boolean) {
    signOutEverywhere(revokeApiKeys: $revokeApiKeys)
  }
`);

export function SessionsPage() {
  const t = useT();
  const id = useId();
  const [result, reexecute] = useQuery({
    query: MySessionsDocument,
    requestPolicy: 'network-only',
  });
  const [revokeState, revoke] = useMutation(RevokeMySessionDocument);
  const [everywhereState, signOutEverywhere] = useMutation(SignOutEverywhereDocument);
  const [alsoKeys, setAlsoKeys] = useState(false);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  const everywhere = async () => {
    if (
      !window.confirm(t(alsoKeys ? 'sessions.confirmEverywhereKeys' : 'sessions.confirmEverywhere'))
    )
      return;
    const r = await signOutEverywhere({ revokeApiKeys: alsoKeys });
    // This browser's session ended too: a fresh load of the login page forgets every cache.
    if (!r.error) window.location.assign('/login');
  };
  return (
    <Page title={t('menu.sessions')}>
      <Section title={t('sessions.yours')}>
        <ErrorNotice error={result.error ?? revokeState.error} />
        <SessionsTable
          rows={result.data?.mySessions}
          onEnd={(sessionId) => {
            const current = result.data?.mySessions.find((s) => s.id === sessionId)?.current;
            void revoke({ sessionId }).then(() => {
              if (current) window.location.assign('/login');
              else refetch();
            });
          }}
        />
      </Section>
      <Section title={t('sessions.everywhere')}>
        <p className="muted">{t('sessions.everywhereText')}</p>
        <div className="field checkbox">
          <input
            id={id}
            type="checkbox"
            checked={alsoKeys}
            onChange={(e) => setAlsoKeys(e.target.checked)}
          />
          <label htmlFor={id}>{t('sessions.alsoKeys')}</label>
        </div>
        <ErrorNotice error={everywhereState.error} />
        <button
          type="button"
          className="danger"
          disabled={everywhereState.fetching}
          onClick={() => void everywhere()}
        >
          {t('sessions.signOutEverywhere')}
        </button>
      </Section>
    </Page>
  );
}
