/**
 * A row's delete button: asks the browser to confirm, then runs the page's mutation. Rendered
 * only when the caller may delete; the API refuses a forced request either way.
 */
import { useState } from 'react';
import type { CombinedError } from 'urql';
import { useT } from '../i18n/i18n.js';
import { ErrorNotice } from './notices.js';

export function DeleteButton({
  name,
  label,
  onDelete,
}: {
  /** The object's name, for the confirmation and the accessible label. */
  name: string;
  /** The accessible label, e.g. "Delete service web". */
  label: string;
  onDelete: () => Promise<{ error?: CombinedError }>;
}) {
  const t = useT();
  const [error, setError] = useState<CombinedError>();
  const [busy, setBusy] = useState(false);
  return (
    <>
      <button
        type="button"
        className="danger"
        aria-label={label}
        disabled={busy}
        onClick={async () => {
          if (!window.confirm(t('common.confirmDelete', { name }))) return;
          setBusy(true);
          const r = await onDelete();
          setBusy(false);
          setError(r.error);
        }}
      >
        {t('common.delete')}
      </button>
      <ErrorNotice error={error} />
    </>
  );
}
