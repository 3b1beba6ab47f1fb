/**
 * Alerts of a cluster or project as they change: `alertChanges` sends the current alerts
 * first, then every change (pending → firing → resolved, or removed), kept here by fingerprint.
 */
import { useSubscription } from 'urql';
import { DataTable, StatusBadge } from '../../components/data-table.js';
import { ErrorNotice } from '../../components/notices.js';
import { graphql } from '../../gql';
import type { AlertChangesSubscription } from '../../gql/graphql';
import { useFormat, useT } from '../../i18n/i18n.js';

const AlertChangesDocument = graphql(`
  subscription AlertChanges($clusterId: ID, $projectId: ID) {
    alertChanges(clusterId: $clusterId, projectId: $projectId) {
      type
      alert {
        fingerprint
        ruleId
        ruleName
        clusterId
        projectId
        severity
        state
        summary
        labels
        muted
        activeAt
        firingAt
        resolvedAt
      }
    }
  }
`);

type Alert = AlertChangesSubscription['alertChanges']['alert'];
type Alerts = ReadonlyMap<string, Alert>;

const ORDER = { FIRING: 0, PENDING: 1, RESOLVED: 2 } as const;

export function LiveAlerts({ clusterId, projectId }: { clusterId: string; projectId?: string }) {
  const t = useT();
  const f = useFormat();
  const [result] = useSubscription(
    {
      query: AlertChangesDocument,
      variables: { clusterId, projectId: projectId ?? null },
    },
    (previous: Alerts | undefined, data): Alerts => {
      const next = new Map(previous ?? []);
      const { type, alert } = data.alertChanges;
      if (type === 'removed') next.delete(alert.fingerprint);
      else next.set(alert.fingerprint, alert);
      return next;
    },
  );
  // The subscription sends nothing while there is no alert: no event yet is an empty list.
  const rows = [...(result.data?.values() ?? [])].sort(
    (a, b) => ORDER[a.state] - ORDER[b.state] || b.activeAt.localeCompare(a.activeAt),
  );
  return (
    <>
      <ErrorNotice error={result.error} />
      <DataTable
        caption={t('alerts.live')}
        rows={rows}
        rowKey={(a) => a.fingerprint}
        columns={[
          {
            header: t('common.status'),
            render: (a) => (
              <span data-alert-state={a.state}>
                <StatusBadge
                  ok={a.state === 'RESOLVED' ? true : a.state === 'FIRING' ? false : undefined}
                  label={t(`alerts.state.${a.state}`)}
                />
                {a.muted ? <span className="small muted"> · {t('alerts.muted')}</span> : null}
              </span>
            ),
          },
          { header: t('alerts.rule'), render: (a) => a.ruleName },
          { header: t('alerts.severity'), render: (a) => t(`alerts.severity.${a.severity}`) },
          { header: t('alerts.summary'), render: (a) => a.summary },
          {
            header: t('alerts.labels'),
            render: (a) => (
              <span className="small">
                {Object.entries((a.labels ?? {}) as Record<string, string>)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(', ')}
              </span>
            ),
          },
          { header: t('common.since'), render: (a) => f.dateTime(a.firingAt ?? a.activeAt) },
          { header: t('alerts.resolvedAt'), render: (a) => f.dateTime(a.resolvedAt) },
        ]}
      />
    </>
  );
}
