/** Creates a local user with an initial password, or a generated one shown this once. */
import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { ErrorNotice } from '../../components/notices.js';
import { OnceSecret } from '../../components/once-secret.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';

const CreateLocalUserDocument = graphql(`
  mutation CreateLocalUser($input: CreateLocalUserInput!) {
    createLocalUser(input: $input) {
      generatedPassword
      user {
        id
        username
      }
    }
  }
`);

export function CreateUserForm({ onCreated }: { onCreated: () => void }) {
  const t = useT();
  const ids = {
    username: useId(),
    displayName: useId(),
    password: useId(),
    must: useId(),
  };
  const [state, create] = useMutation(CreateLocalUserDocument);
  const [generated, setGenerated] = useState<{ username: string; password: string }>();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const password = String(data.get('password') ?? '');
    const r = await create({
      input: {
        username: String(data.get('username') ?? ''),
        displayName: String(data.get('displayName') ?? '') || null,
        password: password || null,
        mustChangePassword: data.get('must') === 'on',
      },
    });
    if (r.data) {
      const created = r.data.createLocalUser;
      setGenerated(
        created.generatedPassword
          ? { username: created.user.username, password: created.generatedPassword }
          : undefined,
      );
      form.reset();
      onCreated();
    }
  };
  return (
    <>
      <form className="inline-form" onSubmit={submit} aria-label={t('users.create')}>
        <div className="field">
          <label htmlFor={ids.username}>{t('users.username')}</label>
          <input id={ids.username} name="username" required autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={ids.displayName}>{t('users.displayName')}</label>
          <input id={ids.displayName} name="displayName" autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={ids.password}>{t('users.initialPassword')}</label>
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
        <button type="submit" className="primary" disabled={state.fetching}>
          {t('users.create')}
        </button>
      </form>
      <ErrorNotice error={state.error} />
      {generated ? (
        <OnceSecret
          label={t('users.generatedFor', { name: generated.username })}
          value={generated.password}
          onDone={() => setGenerated(undefined)}
        />
      ) : null}
    </>
  );
}
