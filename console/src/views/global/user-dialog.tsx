/**
 * One user, for those who manage users: their sessions (end one or all), a password reset
 * for a local user (a generated password is shown this once), and their API keys when the
 * caller may list and revoke other users' keys.
 */
import { type FormEvent, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { DataTable } from '../../components/data-table.js';
import { Dialog } from '../../components/dialog.js';
import { ErrorNotice, MessageNotice } from '../../components/notices.js';
import { OnceSecret } from '../../components/once-secret.js';
import { Section } from '../../components/page.js';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n.js';
import { SessionsTable } from '../user/sessions-table.js';
import type { UserRow } from './users-page.js';

const UserSessionsDocument = graphql(`
  query UserSessions($userId: ID!) {
    userSessions(userId: $userId) {
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

const UserApiKeysDocument = graphql(`
  query UserApiKeys($userId: ID!) {
    userApiKeys(userId: $userId) {
      keyId
      kind
      description
      clusterId
      createdAt
      expiresAt
      lastUsedAt
    }
  }
`);

const RevokeUserSessionDocument = graphql(`
  mutation RevokeUserSession($userId: ID!, $sessionId: ID!) {
    revokeUserSession(userId: $userId, sessionId: $sessionId)
  }
`);

const RevokeUserSessionsDocument = graphql(`
  mutation RevokeUserSessions($userId: ID!) {
    revokeUserSessions(userId: $userId)
  }
`);

const RevokeUserApiKeyDocument = graphql(`
  mutation RevokeUserApiKey($userId: ID!, $keyId: ID!) {
    revokeUserApiKey(userId: $userId, keyId: $keyId)
  }
`);

const ResetUserPasswordDocument = graphql(`
  mutation ResetUserPassword($id: ID!, $input: ResetUserPasswordInput) {
    resetUserPassword(id: $id, input: $input) {
      generatedPassword
      user {
        id
        mustChangePassword
      }
    }
  }
`);

export function UserDialog({
  user,
  canUpdate,
  canListKeys,
  canRevokeKeys,
  onClose,
}: {
  user: UserRow;
  canUpdate: boolean;
  canListKeys: boolean;
  canRevokeKeys: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const userId = user.id;
  const [sessions, refetchSessions] = useQuery({
    query: UserSessionsDocument,
    variables: { userId },
    requestPolicy: 'network-only',
  });
  const [revokeOne, revokeSession] = useMutation(RevokeUserSessionDocument);
  const [revokeAll, revokeSessions] = useMutation(RevokeUserSessionsDocument);
  const [ended, setEnded] = useState<number>();
  const reloadSessions = () => refetchSessions({ requestPolicy: 'network-only' });
  return (
    <Dialog title={t('users.manageTitle', { name: user.username })} onClose={onClose} wide>
      <Section title={t('sessions.title')}>
        <ErrorNotice error={sessions.error ?? revokeOne.error ?? revokeAll.error} />
        <SessionsTable
          rows={sessions.data?.userSessions}
          {...(canUpdate
            ? {
                onEnd: (id: string) =>
                  void revokeSession({ userId, sessionId: id }).then(reloadSessions),
              }
            : {})}
        />
        {canUpdate ? (
          <div className="form-actions">
            <button
              type="button"
              className="danger"
              disabled={revokeAll.fetching}
              onClick={() =>
                void revokeSessions({ userId }).then((r) => {
                  if (r.data) setEnded(r.data.revokeUserSessions);
                  reloadSessions();
                })
              }
            >
              {t('sessions.endAllOf', { name: user.username })}
            </button>
          </div>
        ) : null}
        {ended !== undefined ? (
          <MessageNotice kind="ok" message={t('sessions.ended', { count: ended })} />
        ) : null}
      </Section>
      {canUpdate && user.provider === 'LOCAL' ? <ResetPassword userId={userId} /> : null}
      {canListKeys ? <UserKeys userId={userId} canRevoke={canRevokeKeys} /> : null}
    </Dialog>
  );
}

function ResetPassword({ userId }: { userId: string }) {
  const t = useT();
  const ids = { password: useId(), must: useId() };
  const [state, reset] = useMutation(ResetUserPasswordDocument);
  const [generated, setGenerated] = useState<string>();
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const password = String(data.get('password') ?? '');
    const r = await reset({
      id: userId,
      input: { newPassword: password || null, mustChangePassword: data.get('must') === 'on' },
    });
    if (r.data) {
      setGenerated(r.data.resetUserPassword.generatedPassword ?? undefined);
      setDone(true);
      form.reset();
    }
  };
  return (
    <Section title={t('users.resetPassword')}>
      <form className="inline-form" onSubmit={submit} aria-label={t('users.resetPassword')}>
        <div className="field">
          <label htmlFor={ids.password}>{t('password.new')}</label>
          <input
            id={ids.password}
            name="password"
            type="password"
            autoComplete="new-password"
            placeholder={t('users.generatedIfEmpty')}
          />
        </div>
        <div className="field checkbox">
          <input id={ids.must} name="must" type="checkbox" defaultChecked />
          <label htmlFor={ids.must}>{t('users.mustChangeLabel')}</label>
        </div>
        <button type="submit" disabled={state.fetching}>
          {t('users.resetPassword')}
        </button>
      </form>
      <ErrorNotice error={state.error} />
      {generated ? (
        <OnceSecret
          label={t('users.generatedShort')}
          value={generated}
          onDone={() => setGenerated(undefined)}
        />
      ) : done ? (
        <MessageNotice kind="ok" message={t('users.passwordReset')} />
      ) : null}
    </Section>
  );
}

function UserKeys({ userId, canRevoke }: { userId: string; canRevoke: boolean }) {
  const t = useT();
  const f = useFormat();
  const [keys, refetch] = useQuery({
    query: UserApiKeysDocument,
    variables: { userId },
    requestPolicy: 'network-only',
  });
  const [revokeState, revoke] = useMutation(RevokeUserApiKeyDocument);
  return (
    <Section title={t('menu.apiKeys')}>
      <ErrorNotice error={keys.error ?? revokeState.error} />
      <DataTable
        caption={t('menu.apiKeys')}
        rows={keys.data?.userApiKeys}
        rowKey={(k) => k.keyId}
        columns={[
          { header: 'ID', render: (k) => <code>{k.keyId}</code> },
          { header: t('common.description'), render: (k) => k.description },
          {
            header: t('common.kind'),
            render: (k) => (k.kind === 'KUBECONFIG' ? 'kubeconfig' : 'API'),
          },
          { header: t('scope.cluster'), render: (k) => k.clusterId ?? '—' },
          { header: t('common.created'), render: (k) => f.dateTime(k.createdAt) },
          { header: t('apiKeys.expires'), render: (k) => f.dateTime(k.expiresAt) },
          { header: t('apiKeys.lastUsed'), render: (k) => f.dateTime(k.lastUsedAt) },
          ...(canRevoke
            ? [
                {
                  header: t('common.actions'),
                  render: (k: { keyId: string }) => (
                    <button
                      type="button"
                      className="danger"
                      onClick={() =>
                        void revoke({ userId, keyId: k.keyId }).then(() =>
                          refetch({ requestPolicy: 'network-only' }),
                        )
                      }
                      aria-label={t('apiKeys.revoke', { id: k.keyId })}
                    >
                      {t('apiKeys.revokeShort')}
                    </button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Section>
  );
}
