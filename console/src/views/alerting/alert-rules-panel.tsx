/**
 * Alert rules of a cluster or a project: what each watches, its severity and timing, whether
 * its notifications are muted (and until when); create, edit, mute, unmute and delete for
 * those who may.
 */
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { DataTable, StatusBadge } from '../../components/data-table.js';
import { ErrorNotice } from '../../components/notices.js';
import { graphql } from '../../gql';
import type { AlertRulesQuery } from '../../gql/graphql';
import { type Translate, useFormat, useT } from '../../i18n/i18n.js';
import { AlertRuleDialog } from './alert-rule-dialog.js';
import { MuteControl } from './mute-control.js';

const AlertRulesDocument = graphql(`
  query AlertRules($clusterId: ID!, $projectId: ID) {
    alertRules(clusterId: $clusterId, projectId: $projectId) {
      id
      name
      severity
      enabled
      forSeconds
      groupWaitSeconds
      groupIntervalSeconds
      repeatIntervalSeconds
      mutedUntil
      notifierIds
      condition {
        kind
        nodeCondition
        resource
        thresholdPercent
        reason
        involvedKind
        windowSeconds
        namespace
        availablePercent
        restarts
      }
    }
  }
`);

const DeleteAlertRuleDocument = graphql(`
  mutation DeleteAlertRule($id: ID!) {
    deleteAlertRule(id: $id)
  }
`);

export type AlertRuleRow = AlertRulesQuery['alertRules'][number];

export function conditionText(t: Translate, c: AlertRuleRow['condition']): string {
  const kind = t(`alerts.kind.${c.kind}`);
  const detail = [
    c.nodeCondition ? t(`alerts.node.${c.nodeCondition}`) : '',
    c.resource ? `${c.resource.toLowerCase()} ≥ ${c.thresholdPercent}%` : '',
    c.reason ? `reason=${c.reason}` : '',
    c.involvedKind ? `kind=${c.involvedKind}` : '',
    c.namespace ? `ns=${c.namespace}` : '',
    c.availablePercent != null ? `< ${c.availablePercent}%` : '',
    c.restarts != null ? `> ${c.restarts}` : '',
    c.windowSeconds ? `${c.windowSeconds} s` : '',
  ].filter(Boolean);
  return detail.length ? `${kind}: ${detail.join(', ')}` : kind;
}

export function AlertRulesPanel({
  clusterId,
  projectId,
  canWrite,
}: {
  clusterId: string;
  projectId?: string;
  canWrite: boolean;
}) {
  const t = useT();
  const f = useFormat();
  const [result, reexecute] = useQuery({
    query: AlertRulesDocument,
    variables: { clusterId, projectId: projectId ?? null },
  });
  const [deleteState, remove] = useMutation(DeleteAlertRuleDocument);
  const [editing, setEditing] = useState<AlertRuleRow | 'new'>();
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <>
      {canWrite ? (
        <div className="form-actions">
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('alerts.newRule')}
          </button>
        </div>
      ) : null}
      <ErrorNotice error={result.error ?? deleteState.error} />
      <DataTable
        caption={t('alerts.rules')}
        rows={result.data?.alertRules}
        rowKey={(r) => r.id}
        columns={[
          { header: t('common.name'), render: (r) => r.name },
          { header: t('alerts.condition'), render: (r) => conditionText(t, r.condition) },
          { header: t('alerts.severity'), render: (r) => t(`alerts.severity.${r.severity}`) },
          { header: t('alerts.for'), render: (r) => `${r.forSeconds} s` },
          {
            header: t('common.status'),
            render: (r) => (
              <>
                <StatusBadge
                  ok={r.enabled ? true : undefined}
                  label={r.enabled ? t('users.enabled') : t('users.disabled')}
                />
                {r.mutedUntil ? (
                  <div className="small muted">
                    {t('alerts.mutedUntil', { at: f.dateTime(r.mutedUntil) })}
                  </div>
                ) : null}
              </>
            ),
          },
          { header: t('alerts.notifiers'), render: (r) => r.notifierIds.length },
          ...(canWrite
            ? [
                {
                  header: t('common.actions'),
                  render: (r: AlertRuleRow) => (
                    <span className="row-actions">
                      <button
                        type="button"
                        onClick={() => setEditing(r)}
                        aria-label={t('alerts.editOf', { name: r.name })}
                      >
                        {t('common.edit')}
                      </button>
                      <MuteControl rule={r} onChanged={refetch} />
                      <button
                        type="button"
                        className="danger"
                        onClick={() => {
                          if (window.confirm(t('common.confirmDelete', { name: r.name }))) {
                            void remove({ id: r.id }).then(refetch);
                          }
                        }}
                        aria-label={t('alerts.deleteOf', { name: r.name })}
                      >
                        {t('common.delete')}
                      </button>
                    </span>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing ? (
        <AlertRuleDialog
          clusterId={clusterId}
          {...(projectId === undefined ? {} : { projectId })}
          {...(editing === 'new' ? {} : { rule: editing })}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            refetch();
          }}
        />
      ) : null}
    </>
  );
}
