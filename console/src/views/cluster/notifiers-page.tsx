/**
 * A cluster's notifiers: where its alerts go, the last delivery to each (ok or the error),
 * and "send test notification"; secrets are write-only, only their names are listed.
 */
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { DataTable, StatusBadge } from '../../components/data-table.js';
import { ErrorNotice, MessageNotice } from '../../components/notices.js';
import { Page } from '../../components/page.js';
import { graphql } from '../../gql';
import type { NotifiersQuery } from '../../gql/graphql';
import { useFormat, useT } from '../../i18n/i18n.js';
import { PADDOCK_GROUP, useCan } from '../../lib/use-can.js';
import { NotifierDialog } from '../alerting/notifier-dialog.js';

const NotifiersDocument = graphql(`
  query Notifiers($clusterId: ID!) {
    notifiers(clusterId: $clusterId) {
      id
      name
      kind
      settings
      secretFields
      sendResolved
      updatedAt
      lastDelivery {
        at
        ok
        attempts
        message
        test
      }
    }
  }
`);

const SendTestDocument = graphql(`
  mutation SendTestNotification($id: ID!) {
    sendTestNotification(notifierId: $id) {
      at
      ok
      message
    }
  }
`);

const DeleteNotifierDocument = graphql(`
  mutation DeleteNotifier($id: ID!) {
    deleteNotifier(id: $id)
  }
`);

type Row = NotifiersQuery['notifiers'][number];

export function NotifiersPage({ clusterId }: { clusterId: string }) {
  const t = useT();
  const f = useFormat();
  const [result, reexecute] = useQuery({ query: NotifiersDocument, variables: { clusterId } });
  const [testState, sendTest] = useMutation(SendTestDocument);
  const [deleteState, remove] = useMutation(DeleteNotifierDocument);
  const [editing, setEditing] = useState<Row | 'new'>();
  const [tested, setTested] = useState<{ name: string; ok: boolean; message: string }>();
  const resource = `notifiers.${PADDOCK_GROUP}`;
  const canCreate = useCan(clusterId, 'create', resource) === true;
  const canUpdate = useCan(clusterId, 'update', resource) === true;
  const canDelete = useCan(clusterId, 'delete', resource) === true;
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <Page
      title={t('notifiers.title', { cluster: clusterId })}
      actions={
        canCreate ? (
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('notifiers.add')}
          </button>
        ) : null
      }
    >
      <ErrorNotice error={result.error ?? testState.error ?? deleteState.error} />
      {tested ? (
        <MessageNotice
          kind={tested.ok ? 'ok' : 'error'}
          message={t(tested.ok ? 'notifiers.testOk' : 'notifiers.testFailed', {
            name: tested.name,
            message: tested.message,
          })}
        />
      ) : null}
      <DataTable
        caption={t('notifiers.list')}
        rows={result.data?.notifiers}
        rowKey={(n) => n.id}
        columns={[
          { header: t('common.name'), render: (n) => n.name },
          { header: t('common.kind'), render: (n) => t(`notifiers.kind.${n.kind}`) },
          {
            header: t('notifiers.secrets'),
            render: (n) => (n.secretFields.length ? n.secretFields.join(', ') : '—'),
          },
          {
            header: t('notifiers.lastDelivery'),
            render: (n) =>
              n.lastDelivery ? (
                <>
                  <StatusBadge
                    ok={n.lastDelivery.ok}
                    label={n.lastDelivery.ok ? t('notifiers.delivered') : t('notifiers.failed')}
                  />{' '}
                  <span className="small">
                    {f.dateTime(n.lastDelivery.at)}
                    {n.lastDelivery.test ? ` · ${t('notifiers.test')}` : ''}
                  </span>
                  <div className="small muted">{n.lastDelivery.message}</div>
                </>
              ) : (
                '—'
              ),
          },
          ...(canUpdate || canDelete
            ? [
                {
                  header: t('common.actions'),
                  render: (n: Row) => (
                    <span className="row-actions">
                      {canUpdate ? (
                        <>
                          <button
                            type="button"
                            disabled={testState.fetching}
                            onClick={() =>
                              void sendTest({ id: n.id }).then((r) => {
                                const d = r.data?.sendTestNotification;
                                if (d) setTested({ name: n.name, ok: d.ok, message: d.message });
                                refetch();
                              })
                            }
                            aria-label={t('notifiers.sendTestOf', { name: n.name })}
                          >
                            {t('notifiers.sendTest')}
                          </button>
                          <button
                            type="button"
                            onClick={() => setEditing(n)}
                            aria-label={t('notifiers.editOf', { name: n.name })}
                          >
                            {t('common.edit')}
                          </button>
                        </>
                      ) : null}
                      {canDelete ? (
                        <button
                          type="button"
                          className="danger"
                          onClick={() => {
                            if (window.confirm(t('common.confirmDelete', { name: n.name }))) {
                              void remove({ id: n.id }).then(refetch);
                            }
                          }}
                          aria-label={t('notifiers.deleteOf', { name: n.name })}
                        >
                          {t('common.delete')}
                        </button>
                      ) : null}
                    </span>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing ? (
        <NotifierDialog
          clusterId={clusterId}
          {...(editing === 'new' ? {} : { notifier: editing })}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            refetch();
          }}
        />
      ) : null}
    </Page>
  );
}
