/** The console: sign-in, the password-change gate, then the three layers' pages. */
import { useEffect } from 'react';
import { Loading } from '../components/notices.js';
import { I18nProvider, resolveLanguage, useT } from '../i18n/i18n.js';
import { ChangePasswordPage } from '../views/auth/change-password-page.js';
import { LoginPage } from '../views/auth/login-page.js';
import { SideNav } from './navigation.js';
import { useAppliedTheme } from './preferences.js';
import { Link, matchPath, useRouter } from './router.js';
import { routes } from './routes.js';
import { ScopePicker } from './scope-picker.js';
import { useSession } from './session.js';
import { UserMenu } from './user-menu.js';

export function App() {
  const { state } = useSession();
  const { location, navigate } = useRouter();
  const preferences = state.status === 'signed-in' ? state.me.preferences : undefined;
  useAppliedTheme(preferences?.theme);
  const language = resolveLanguage(preferences?.language);

  useEffect(() => {
    if (state.status === 'anonymous' && location.path !== '/login') {
      const next = location.path === '/' ? '' : `?next=${encodeURIComponent(location.path)}`;
      navigate(`/login${next}`, { replace: true });
    }
    if (state.status === 'signed-in' && (location.path === '/' || location.path === '/login')) {
      const home = state.me.preferences.defaultClusterId;
      navigate(home ? `/c/${encodeURIComponent(home)}` : '/clusters', { replace: true });
    }
  }, [state, location.path, navigate]);

  return (
    <I18nProvider language={language}>
      {state.status === 'loading' ? (
        <Loading />
      ) : state.status === 'anonymous' ? (
        <LoginPage {...(state.error ? { problem: state.error } : {})} />
      ) : state.me.mustChangePassword ? (
        <ChangePasswordPage />
      ) : (
        <Shell />
      )}
    </I18nProvider>
  );
}

function Shell() {
  const t = useT();
  const { location } = useRouter();
  let page: React.ReactNode;
  let params: Record<string, string> = {};
  for (const route of routes) {
    const match = matchPath(route.pattern, location.path);
    if (match !== undefined) {
      params = match;
      page = route.render(match);
      break;
    }
  }
  const { clusterId, projectId } = params;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('common.skip')}
      </a>
      <header className="top-bar">
        <Link to="/clusters" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ▰
          </span>{' '}
          Paddock
        </Link>
        <ScopePicker
          {...(clusterId === undefined ? {} : { clusterId })}
          {...(projectId === undefined ? {} : { projectId })}
        />
        <UserMenu />
      </header>
      <div className="body">
        <SideNav
          {...(clusterId === undefined ? {} : { clusterId })}
          {...(projectId === undefined ? {} : { projectId })}
        />
        <main id="main" className="main">
          {page ?? <NotFound />}
        </main>
      </div>
    </div>
  );
}

function NotFound() {
  const t = useT();
  return (
    <section className="page">
      <h1>{t('common.notFound')}</h1>
      <Link to="/clusters">{t('nav.clusters')}</Link>
    </section>
  );
}
