/** Errors, per-cluster errors beside the data, and "loading" states. */
import type { CombinedError } from 'urql';
import { shownError } from '../api/errors.js';
import { useT } from '../i18n/i18n.js';

export function ErrorNotice({ error }: { error: CombinedError | undefined }) {
  const shown = shownError(error);
  if (shown === undefined) return null;
  if (shown.problems) {
    return (
      <div className="notice notice-error" role="alert">
        <p>
          {shown.code ? <strong>{shown.code}: </strong> : null}
          {shown.message.split(':')[0]}
        </p>
        <ul className="problems">
          {shown.problems.map((p) => (
            <li key={p}>
              <code>{p}</code>
            </li>
          ))}
        </ul>
      </div>
    );
  }
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

interface ClusterSourceLike {
  readonly clusterId: string;
  readonly stale: boolean;
  readonly ageMs: number;
}

/**
 * A cluster that could not answer is shown beside the data of the others, never instead; so is
 * one whose rows come from the fleet index's copy while its watch is broken (`STALE`, with age).
 */
export function ClusterErrors({
  errors,
  sources,
}: {
  errors: readonly ClusterErrorLike[] | undefined;
  sources?: readonly ClusterSourceLike[] | undefined;
}) {
  const t = useT();
  const stale = (sources ?? []).filter((s) => s.stale);
  if ((!errors || errors.length === 0) && stale.length === 0) return null;
  return (
    <ul className="cluster-errors" aria-label={t('clusterErrors.label')}>
      {(errors ?? []).map((e) => (
        <li key={`${e.clusterId}-${e.code}`} className="notice notice-warn">
          <strong>{e.clusterId}</strong> · {e.code}: {e.message}
        </li>
      ))}
      {stale.map((s) => (
        <li key={`${s.clusterId}-stale`} className="notice notice-warn">
          <strong>{s.clusterId}</strong> · STALE:{' '}
          {t('clusterErrors.stale', { seconds: Math.round(s.ageMs / 1000) })}
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
