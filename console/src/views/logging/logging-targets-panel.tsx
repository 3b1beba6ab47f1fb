/**
 * Logging targets of a cluster (all its logs) or a project (its namespaces' containers): each
 * target's kind and settings, "test target" (one record sent from Paddock now), and, for those
 * who may, add, edit and delete.
 */
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { DataTable, StatusBadge } from '../../components/data-table.js';
import { ErrorNotice, MessageNotice } from '../../components/notices.js';
import { graphql } from '../../gql';
import type { LoggingTargetsQuery } from '../../gql/graphql';
import { useT } from '../../i18n/i18n.js';
import { LoggingTargetDialog } from './logging-target-dialog.js';

const LoggingTargetsDocument = graphql(`
  query LoggingTargets($clusterId: ID!, $projectId: ID) {
    loggingTargets(clusterId: $clusterId, projectId: $projectId) {
      id
      name
      kind
      enabled
      settings
      secretFields
      updatedAt
    }
  }
`);

const TestLoggingTargetDocument = graphql(`
  mutation TestLoggingTarget($id: ID!) {
    testLoggingTarget(id: $id) {
      at
      ok
      message
    }
  }
`);

const DeleteLoggingTargetDocument = graphql(`
  mutation DeleteLoggingTarget($id: ID!) {
    deleteLoggingTarget(id: $id)
  }
`);

type Row = LoggingTargetsQuery['loggingTargets'][number];

function settingsText(settings: unknown): string {
  return Object.entries((settings ?? {}) as Record<string, unknown>)
    .filter(([k]) => k !== 'caPem')
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(', ');
}

export function LoggingTargetsPanel({
  clusterId,
  projectId,
  canWrite,
  onChanged,
}: {
  clusterId: string;
  projectId?: string;
  canWrite: boolean;
  onChanged?: () => void;
}) {
  const t = useT();
  const [result, reexecute] = useQuery({
    query: LoggingTargetsDocument,
    variables: { clusterId, projectId: projectId ?? null },
  });
  const [testState, test] = useMutation(TestLoggingTargetDocument);
  const [deleteState, remove] = useMutation(DeleteLoggingTargetDocument);
  const [editing, setEditing] = useState<Row | 'new'>();
  const [tested, setTested] = useState<{ name: string; ok: boolean; message: string }>();
  const refetch = () => {
    reexecute({ requestPolicy: 'network-only' });
    onChanged?.();
  };
  return (
    <>
      {canWrite ? (
        <div className="form-actions">
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('logging.add')}
          </button>
        </div>
      ) : null}
      <ErrorNotice error={result.error ?? testState.error ?? deleteState.error} />
      {tested ? (
        <MessageNotice
          kind={tested.ok ? 'ok' : 'error'}
          message={t(tested.ok ? 'logging.testOk' : 'logging.testFailed', {
            name: tested.name,
            message: tested.message,
          })}
        />
      ) : null}
      <DataTable
        caption={t('logging.targets')}
        rows={result.data?.loggingTargets}
        rowKey={(r) => r.id}
        columns={[
          { header: t('common.name'), render: (r) => r.name },
          { header: t('common.kind'), render: (r) => t(`logging.kind.${r.kind}`) },
          {
            header: t('auth.settings'),
            render: (r) => <span className="small">{settingsText(r.settings)}</span>,
          },
          {
            header: t('notifiers.secrets'),
            render: (r) => (r.secretFields.length ? r.secretFields.join(', ') : '—'),
          },
          {
            header: t('common.status'),
            render: (r) => (
              <StatusBadge
                ok={r.enabled ? true : undefined}
                label={r.enabled ? t('users.enabled') : t('users.disabled')}
              />
            ),
          },
          ...(canWrite
            ? [
                {
                  header: t('common.actions'),
                  render: (r: Row) => (
                    <span className="row-actions">
                      <button
                        type="button"
                        disabled={testState.fetching}
                        onClick={() =>
                          void test({ id: r.id }).then((x) => {
                            const d = x.data?.testLoggingTarget;
                            if (d) setTested({ name: r.name, ok: d.ok, message: d.message });
                          })
                        }
                        aria-label={t('logging.testOf', { name: r.name })}
                      >
                        {t('logging.test')}
                      </button>
                      <button
                        type="button"
                        onClick={() => setEditing(r)}
                        aria-label={t('logging.editOf', { name: r.name })}
                      >
                        {t('common.edit')}
                      </button>
                      <button
                        type="button"
                        className="danger"
                        onClick={() => {
                          if (window.confirm(t('common.confirmDelete', { name: r.name }))) {
                            void remove({ id: r.id }).then(refetch);
                          }
                        }}
                        aria-label={t('logging.deleteOf', { name: r.name })}
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
        <LoggingTargetDialog
          clusterId={clusterId}
          {...(projectId === undefined ? {} : { projectId })}
          {...(editing === 'new' ? {} : { target: editing })}
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
