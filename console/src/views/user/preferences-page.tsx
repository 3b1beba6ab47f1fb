/** Theme, language and page size, stored with the user; and the local password change. */
import { type FormEvent, useId, useState } from 'react';
import { usePreferences } from '../../app/preferences.js';
import { useMe } from '../../app/session.js';
import { MessageNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import type { Theme } from '../../gql/graphql';
import { useLanguage, useT } from '../../i18n/i18n.js';
import { ChangePasswordForm } from '../auth/change-password-page.js';

export function PreferencesPage() {
  const t = useT();
  const me = useMe();
  const language = useLanguage();
  const ids = { theme: useId(), language: useId(), pageSize: useId() };
  const { preferences, save, saving } = usePreferences();
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [passwordChanged, setPasswordChanged] = useState(false);
  const change = async (input: Parameters<typeof save>[0]) => {
    const error = await save(input);
    setMessage(
      error ? { kind: 'error', text: error.message } : { kind: 'ok', text: t('prefs.saved') },
    );
  };
  const submitPageSize = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    void change({ pageSize: Number(new FormData(e.currentTarget).get('pageSize')) });
  };
  return (
    <Page title={t('menu.preferences')}>
      <Section title={t('prefs.display')}>
        <div className="field">
          <label htmlFor={ids.theme}>{t('prefs.theme')}</label>
          <select
            id={ids.theme}
            value={preferences.theme}
            disabled={saving}
            onChange={(e) => void change({ theme: e.target.value as Theme })}
          >
            <option value="SYSTEM">{t('prefs.themeSystem')}</option>
            <option value="LIGHT">{t('prefs.themeLight')}</option>
            <option value="DARK">{t('prefs.themeDark')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.language}>{t('prefs.language')}</label>
          <select
            id={ids.language}
            value={preferences.language || ''}
            disabled={saving}
            onChange={(e) => void change({ language: e.target.value })}
          >
            <option value="">{t('prefs.languageBrowser', { current: language })}</option>
            <option value="en">English</option>
            <option value="zh-CN">简体中文</option>
          </select>
        </div>
        <form className="inline-form" onSubmit={submitPageSize}>
          <div className="field">
            <label htmlFor={ids.pageSize}>{t('prefs.pageSize')}</label>
            <input
              id={ids.pageSize}
              name="pageSize"
              type="number"
              min={5}
              max={500}
              defaultValue={preferences.pageSize}
            />
          </div>
          <button type="submit" disabled={saving}>
            {t('common.save')}
          </button>
        </form>
        {message ? <MessageNotice kind={message.kind} message={message.text} /> : null}
      </Section>
      {me.provider === 'LOCAL' && me.tokenKind === 'SESSION' ? (
        <Section title={t('password.change')}>
          {passwordChanged ? <MessageNotice kind="ok" message={t('password.changed')} /> : null}
          <ChangePasswordForm onDone={() => setPasswordChanged(true)} />
        </Section>
      ) : null}
    </Page>
  );
}
