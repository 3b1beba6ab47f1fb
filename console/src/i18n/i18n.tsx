/**
 * English and Simplified Chinese. Messages are plain objects keyed by name; the Chinese one is
 * typed against the English one, so a missing translation fails the build.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import { en, type MessageKey } from './en.js';
import { zhCN } from './zh-cn.js';

export type Language = 'en' | 'zh-CN';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

interface I18nValue {
  readonly language: Language;
  readonly t: Translate;
}

const catalogs: Record<Language, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** A stored preference (BCP 47, empty for "the browser's") to one of the console's languages. */
export function resolveLanguage(preference: string | undefined): Language {
  const wanted = preference || navigator.language || 'en';
  return wanted.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

const I18nContext = createContext<I18nValue>({
  language: 'en',
  t: (key) => en[key],
});

export function I18nProvider({ language, children }: { language: Language; children: ReactNode }) {
  const t = useCallback<Translate>(
    (key, params) => {
      const text = catalogs[language][key] ?? en[key];
      if (params === undefined) return text;
      return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
        name in params ? String(params[name]) : whole,
      );
    },
    [language],
  );
  const value = useMemo(() => ({ language, t }), [language, t]);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useT(): Translate {
  return useContext(I18nContext).t;
}

export function useLanguage(): Language {
  return useContext(I18nContext).language;
}

/** Dates and numbers in the reader's language. */
export function useFormat() {
  const language = useLanguage();
  return useMemo(() => {
    const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    const number = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
    return {
      dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—'),
      number: (n: number | null | undefined) => (n == null ? '—' : number.format(n)),
    };
  }, [language]);
}
