/** Sessions as a table: where and when, which one is this browser's, and "end" when allowed. */
import { DataTable } from '../../components/data-table.js';
import { useFormat, useT } from '../../i18n/i18n.js';

export interface SessionRow {
  readonly id: string;
  readonly provider: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
  readonly idleExpiresAt?: string | null;
  readonly remoteAddress?: string | null;
  readonly userAgent?: string | null;
  readonly current: boolean;
}

/** A browser and platform from a user agent, short enough for a table cell. */
function browserOf(userAgent: string | null | undefined): string {
  if (!userAgent) return '—';
  const browser =
    /(Edg|Firefox|Chrome|Chromium|Safari|curl|node)[/ ]([\d.]+)/.exec(userAgent)?.[0] ?? '';
  const platform = /\(([^;)]+)/.exec(userAgent)?.[1] ?? '';
  const text = [browser, platform].filter(Boolean).join(', ');
  return text || userAgent.slice(0, 60);
}

export function SessionsTable({
  rows,
  onEnd,
}: {
  rows: readonly SessionRow[] | undefined;
  onEnd?: (id: string) => void;
}) {
  const t = useT();
  const f = useFormat();
  return (
    <DataTable
      caption={t('sessions.title')}
      rows={rows}
      rowKey={(s) => s.id}
      columns={[
        {
          header: t('sessions.client'),
          render: (s) => (
            <>
              <span title={s.userAgent ?? ''}>{browserOf(s.userAgent)}</span>
              {s.current ? <strong className="small"> · {t('sessions.thisOne')}</strong> : null}
            </>
          ),
        },
        { header: t('sessions.address'), render: (s) => s.remoteAddress ?? '—' },
        { header: t('users.provider'), render: (s) => s.provider.toLowerCase() },
        { header: t('sessions.started'), render: (s) => f.dateTime(s.createdAt) },
        { header: t('sessions.lastSeen'), render: (s) => f.dateTime(s.lastSeenAt) },
        {
          header: t('apiKeys.expires'),
          render: (s) => f.dateTime(s.idleExpiresAt ?? s.expiresAt),
        },
        ...(onEnd
          ? [
              {
                header: t('common.actions'),
                render: (s: SessionRow) => (
                  <button
                    type="button"
                    className="danger"
                    onClick={() => onEnd(s.id)}
                    aria-label={t('sessions.endOf', { id: s.id.slice(0, 8) })}
                  >
                    {t('sessions.end')}
                  </button>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}
