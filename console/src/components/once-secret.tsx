/** A secret shown this once (a generated password or token): selectable, copyable, dismissed. */
import { useId } from 'react';
import { useT } from '../i18n/i18n.js';

export function OnceSecret({
  label,
  value,
  onDone,
}: {
  label: string;
  value: string;
  onDone: () => void;
}) {
  const t = useT();
  const id = useId();
  return (
    <div className="notice notice-ok token-once" role="status">
      <label htmlFor={id}>{label}</label>
      <input id={id} readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" onClick={() => void navigator.clipboard?.writeText(value)}>
        {t('apiKeys.copy')}
      </button>
      <button type="button" onClick={onDone}>
        {t('apiKeys.done')}
      </button>
    </div>
  );
}
