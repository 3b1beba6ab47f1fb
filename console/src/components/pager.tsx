/**
 * Cursor paging: the API returns `pageInfo.endCursor`; going back pops the cursors seen.
 * The page size is the caller's preference.
 */
import { useCallback, useState } from 'react';
import { usePageSize } from '../app/preferences.js';
import { useT } from '../i18n/i18n.js';

export interface Paging {
  readonly first: number;
  readonly after: string | null;
  next(endCursor: string | null | undefined): void;
  previous(): void;
  reset(): void;
  readonly page: number;
}

export function usePaging(): Paging {
  const first = usePageSize();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const next = useCallback((endCursor: string | null | undefined) => {
    if (endCursor) setCursors((c) => [...c, endCursor]);
  }, []);
  const previous = useCallback(() => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)), []);
  const reset = useCallback(() => setCursors([null]), []);
  return { first, after, next, previous, reset, page: cursors.length };
}

export function Pager({
  paging,
  pageInfo,
}: {
  paging: Paging;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null } | undefined;
}) {
  const t = useT();
  if (paging.page === 1 && !pageInfo?.hasNextPage) return null;
  return (
    <nav className="pager" aria-label={t('pager.label')}>
      <button type="button" onClick={paging.previous} disabled={paging.page === 1}>
        {t('pager.previous')}
      </button>
      <span aria-live="polite">{t('pager.page', { page: paging.page })}</span>
      <button
        type="button"
        onClick={() => paging.next(pageInfo?.endCursor)}
        disabled={!pageInfo?.hasNextPage}
      >
        {t('pager.next')}
      </button>
    </nav>
  );
}
