/** Editable key/value rows for config map and secret data. */
import { useId } from 'react';
import { useT } from '../../i18n/i18n.js';

export interface Pair {
  key: string;
  value: string;
}

export function KeyValueEditor({
  pairs,
  onChange,
  secret,
}: {
  pairs: Pair[];
  onChange: (pairs: Pair[]) => void;
  secret?: boolean;
}) {
  const t = useT();
  const base = useId();
  const set = (i: number, change: Partial<Pair>) =>
    onChange(pairs.map((p, j) => (j === i ? { ...p, ...change } : p)));
  return (
    <fieldset className="kv-editor">
      <legend>{t('config.data')}</legend>
      {pairs.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity while keys are typed
        <div className="kv-row" key={i}>
          <div className="field">
            <label htmlFor={`${base}-k${i}`}>{t('config.key')}</label>
            <input
              id={`${base}-k${i}`}
              value={p.key}
              onChange={(e) => set(i, { key: e.target.value })}
              required
            />
          </div>
          <div className="field grow">
            <label htmlFor={`${base}-v${i}`}>{t('config.value')}</label>
            <textarea
              id={`${base}-v${i}`}
              rows={secret ? 1 : 3}
              value={p.value}
              onChange={(e) => set(i, { value: e.target.value })}
            />
          </div>
          <button
            type="button"
            className="danger"
            onClick={() => onChange(pairs.filter((_, j) => j !== i))}
            aria-label={t('config.removeKey', { key: p.key || String(i + 1) })}
          >
            {t('common.remove')}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...pairs, { key: '', value: '' }])}>
        {t('config.addKey')}
      </button>
    </fieldset>
  );
}

export function toPairs(data: unknown): Pair[] {
  if (data === null || typeof data !== 'object') return [];
  return Object.entries(data as Record<string, unknown>).map(([key, value]) => ({
    key,
    value: String(value ?? ''),
  }));
}

export function fromPairs(pairs: readonly Pair[]): Record<string, string> {
  return Object.fromEntries(pairs.filter((p) => p.key !== '').map((p) => [p.key, p.value]));
}
