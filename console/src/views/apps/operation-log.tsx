/**
 * A Helm operation (install, upgrade, rollback, uninstall) as it runs: its log lines streamed
 * by the `appOperationUpdates` subscription, then its final state. The log region is polite
 * live, so a screen reader hears the outcome without every line being read out.
 */
import { useEffect, useRef } from 'react';
import { useSubscription } from 'urql';
import { StatusBadge } from '../../components/data-table.js';
import { ReadOnlyText } from '../../components/read-only-text.js';
import { graphql } from '../../gql';
import type { AppOperationState } from '../../gql/graphql';
import { useT } from '../../i18n/i18n.js';

const OperationUpdatesDocument = graphql(`
  subscription AppOperationUpdates($id: ID!) {
    appOperationUpdates(id: $id) {
      operationId
      lines
      state
      error
    }
  }
`);

interface LogState {
  readonly lines: readonly string[];
  readonly state: AppOperationState;
  readonly error?: string | null;
}

export function OperationLog({
  operationId,
  title,
  onFinished,
}: {
  operationId: string;
  title: string;
  onFinished?: (state: AppOperationState) => void;
}) {
  const t = useT();
  const finished = useRef(false);
  const [result] = useSubscription(
    { query: OperationUpdatesDocument, variables: { id: operationId } },
    (previous: LogState | undefined, data): LogState => {
      const u = data.appOperationUpdates;
      return {
        lines: [...(previous?.lines ?? []), ...u.lines].slice(-2000),
        state: u.state,
        error: u.error,
      };
    },
  );
  const log = result.data;
  useEffect(() => {
    if (log === undefined || log.state === 'RUNNING' || finished.current) return;
    finished.current = true;
    onFinished?.(log.state);
  }, [log, onFinished]);
  const state = log?.state ?? 'RUNNING';
  return (
    <section className="operation" aria-label={title} data-state={state}>
      <p>
        <strong>{title}</strong>{' '}
        <StatusBadge
          ok={state === 'SUCCEEDED' ? true : state === 'FAILED' ? false : undefined}
          label={t(`operation.${state}`)}
        />
      </p>
      <ReadOnlyText
        label={t('operation.log')}
        text={log === undefined ? t('operation.waiting') : log.lines.join('\n')}
        rows={14}
        follow
      />
      <div aria-live="polite" className="visually-hidden">
        {state === 'RUNNING' ? '' : t(`operation.${state}`)}
      </div>
      {log?.error ? (
        <p className="notice notice-error" role="alert">
          {log.error}
        </p>
      ) : null}
    </section>
  );
}
