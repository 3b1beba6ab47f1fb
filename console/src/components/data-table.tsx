/** A captioned table with column headers; the one list shape every view uses. */
import type { ReactNode } from 'react';
import { useT } from '../i18n/i18n.js';

export interface Column<T> {
  readonly header: string;
  readonly render: (row: T) => ReactNode;
  readonly className?: string;
}

export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
}: {
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[] | undefined;
  rowKey: (row: T) => string;
}) {
  const t = useT();
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={c.className}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows === undefined || rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="empty">
                {rows === undefined ? t('common.loading') : t('common.empty')}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((c) => (
                  <td key={c.header} className={c.className}>
                    {c.render(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

export function StatusBadge({ ok, label }: { ok: boolean | null | undefined; label: string }) {
  const tone = ok === true ? 'ok' : ok === false ? 'bad' : 'unknown';
  return <span className={`badge badge-${tone}`}>{label}</span>;
}
