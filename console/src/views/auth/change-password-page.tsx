/** A local user whose password must change does that first; the API refuses all else. */
import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { useSession } from '../../app/session.js';
import { ErrorNotice, MessageNotice } from '../../components/notices.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';

const ChangePasswordDocument = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {
      mustChangePassword
    }
  }
`);

export function ChangePasswordForm({ onDone }: { onDone: () => void }) {
  const t = useT();
  const ids = { current: useId(), next: useId(), again: useId() };
  const [state, change] = useMutation(ChangePasswordDocument);
  const [mismatch, setMismatch] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = String(form.get('next'));
    if (next !== String(form.get('again'))) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    const r = await change({ currentPassword: String(form.get('current')), newPassword: next });
    if (!r.error) onDone();
  };
  return (
    <form onSubmit={submit}>
      <div className="field">
        <label htmlFor={ids.current}>{t('password.current')}</label>
        <input
          id={ids.current}
          name="current"
          type="password"
          autoComplete="current-password"
          required
        />
      </div>
      <div className="field">
        <label htmlFor={ids.next}>{t('password.new')}</label>
        <input id={ids.next} name="next" type="password" autoComplete="new-password" required />
      </div>
      <div className="field">
        <label htmlFor={ids.again}>{t('password.again')}</label>
        <input id={ids.again} name="again" type="password" autoComplete="new-password" required />
      </div>
      {mismatch ? <MessageNotice kind="error" message={t('password.mismatch')} /> : null}
      <ErrorNotice error={state.error} />
      <button type="submit" className="primary" disabled={state.fetching}>
        {t('password.submit')}
      </button>
    </form>
  );
}

export function ChangePasswordPage() {
  const t = useT();
  const { refresh } = useSession();
  return (
    <main className="login" id="main">
      <div className="login-card">
        <h1>{t('password.mustTitle')}</h1>
        <p className="muted">{t('password.mustText')}</p>
        <ChangePasswordForm onDone={refresh} />
      </div>
    </main>
  );
}
