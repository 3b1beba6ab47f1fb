/** Errors, per-cluster errors beside the data, and "loading" states. */
import type { CombinedError } from 'urql';
import { shownError } from '../api/errors.js';
import { useT } from '../i18n/i18n.js';

export function ErrorNotice({ error }: { error: CombinedError | undefined }) {
  const shown = shownError(error);
  if (shown === undefined) return null;
  return (
    <p className="notice notice-error" role="alert">
      {shown.code ? <strong>{shown.code}: </strong> : null}
      {shown.message}
    </p>
  );
}

export function MessageNotice({ message, kind }: { message: string; kind: 'error' | 'ok' }) {
  return (
    <p className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {message}
    </p>
  );
}

interface ClusterErrorLike {
  readonly clusterId: string;
  readonly code: string;
  readonly message: string;
}

/** A cluster that could not answer is shown beside the data of the others, never instead. */
export function ClusterErrors({ errors }: { errors: readonly ClusterErrorLike[] | undefined }) {
  const t = useT();
  if (!errors || errors.length === 0) return null;
  return (
    <ul className="cluster-errors" aria-label={t('clusterErrors.label')}>
      {errors.map((e) => (
        <li key={`${e.clusterId}-${e.code}`} className="notice notice-warn">
          <strong>{e.clusterId}</strong> · {e.code}: {e.message}
        </li>
      ))}
    </ul>
  );
}

export function Loading() {
  const t = useT();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}
