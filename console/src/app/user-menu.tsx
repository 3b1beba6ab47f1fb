/**
 * The user menu: API keys, preferences, a kubeconfig download and sign-out. A disclosure
 * button; Escape closes it and returns focus. The download is `GET /v1/kubeconfig` with the
 * session cookie: unlike the `kubeconfig` mutation it falls back to the URL the browser used
 * when the `server-url` setting is unset, as on the demo.
 */
import { useEffect, useRef, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { useT } from '../i18n/i18n.js';
import { Link } from './router.js';
import { useMe } from './session.js';

const LogoutDocument = graphql(`
  mutation Logout {
    logout
  }
`);

export function UserMenu() {
  const t = useT();
  const me = useMe();
  const [open, setOpen] = useState(false);
  const [, logout] = useMutation(LogoutDocument);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return undefined;
    menu.current?.querySelector<HTMLElement>('a, button')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (!menu.current?.parentElement?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('click', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('click', onClick);
    };
  }, [open]);

  const signOut = async () => {
    // Ends the session everywhere and clears the cookie; a fresh load forgets every cache.
    await logout({});
    window.location.assign('/login');
  };

  return (
    <div className="user-menu">
      <button
        type="button"
        ref={button}
        aria-expanded={open}
        aria-controls="user-menu-items"
        onClick={() => setOpen((o) => !o)}
      >
        {me.displayName || me.username} ▾
      </button>
      {open ? (
        <div id="user-menu-items" ref={menu} className="menu">
          <Link to="/account/api-keys" onClick={() => setOpen(false)}>
            {t('menu.apiKeys')}
          </Link>
          <Link to="/account/preferences" onClick={() => setOpen(false)}>
            {t('menu.preferences')}
          </Link>
          <a href="/v1/kubeconfig" download="paddock.kubeconfig" onClick={() => setOpen(false)}>
            {t('menu.kubeconfig')}
          </a>
          <button type="button" onClick={() => void signOut()}>
            {t('menu.logout')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
