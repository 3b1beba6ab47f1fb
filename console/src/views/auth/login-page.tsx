/**
 * Sign-in: a password form for each password provider (local, LDAP, AD) posting to
 * `/v1/auth/login`, which sets the HttpOnly session cookie, and a button per redirect provider
 * (GitHub, OIDC) that starts at `/v1/auth/<name>/start` and comes back to `/`.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { MessageNotice } from '../../components/notices.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';

const LoginProvidersDocument = graphql(`
  query LoginProviders {
    loginProviders {
      name
      kind
      startPath
    }
  }
`);

const providerLabels: Record<string, string> = {
  local: 'Local',
  openldap: 'OpenLDAP',
  activedirectory: 'Active Directory',
  github: 'GitHub',
  oidc: 'OpenID Connect',
};

export function LoginPage({ problem }: { problem?: string }) {
  const t = useT();
  const ids = { user: useId(), password: useId(), provider: useId() };
  const [result] = useQuery({ query: LoginProvidersDocument });
  const providers = result.data?.loginProviders ?? [];
  const passwordProviders = providers.filter((p) => p.kind === 'PASSWORD');
  const redirects = providers.filter((p) => p.kind === 'REDIRECT');
  const [provider, setProvider] = useState('local');
  const [error, setError] = useState<string | undefined>(problem);
  const [busy, setBusy] = useState(false);
  const username = useRef<HTMLInputElement>(null);
  useEffect(() => {
    username.current?.focus();
    document.title = `${t('login.title')} · Paddock`;
  }, [t]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch('/v1/auth/login', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          provider,
          username: form.get('username'),
          password: form.get('password'),
        }),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
        setError(body.error?.message ?? t('login.failed'));
        return;
      }
      // A fresh page load starts every query and the WebSocket with the new cookie.
      const next = new URLSearchParams(window.location.search).get('next');
      window.location.assign(next?.startsWith('/') && !next.startsWith('//') ? next : '/');
    } catch {
      setError(t('login.failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" id="main">
      <div className="login-card">
        <h1>
          <span className="brand-mark" aria-hidden="true">
            ▰
          </span>{' '}
          Paddock
        </h1>
        <p className="muted">{t('login.subtitle')}</p>
        <form onSubmit={submit} aria-label={t('login.title')}>
          {passwordProviders.length > 1 ? (
            <div className="field">
              <label htmlFor={ids.provider}>{t('login.provider')}</label>
              <select
                id={ids.provider}
                value={provider}
                onChange={(e) => setProvider(e.target.value)}
              >
                {passwordProviders.map((p) => (
                  <option key={p.name} value={p.name}>
                    {providerLabels[p.name] ?? p.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor={ids.user}>{t('login.username')}</label>
            <input id={ids.user} ref={username} name="username" autoComplete="username" required />
          </div>
          <div className="field">
            <label htmlFor={ids.password}>{t('login.password')}</label>
            <input
              id={ids.password}
              name="password"
              type="password"
              autoComplete="current-password"
              required
            />
          </div>
          {error ? <MessageNotice kind="error" message={error} /> : null}
          <button type="submit" className="primary wide" disabled={busy}>
            {t('login.submit')}
          </button>
        </form>
        {redirects.length > 0 ? (
          <div className="login-redirects">
            <p className="muted">{t('login.or')}</p>
            {redirects.map((p) => (
              <a key={p.name} className="button wide" href={p.startPath ?? '#'}>
                {t('login.with', { provider: providerLabels[p.name] ?? p.name })}
              </a>
            ))}
          </div>
        ) : null}
      </div>
    </main>
  );
}
