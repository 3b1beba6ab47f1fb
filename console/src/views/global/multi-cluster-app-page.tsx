/**
 * One multi-cluster app: each target's state, followed while the page is open; for its owner
 * or an administrator also upgrade, rollback to a past revision, adding and removing targets,
 * and deleting the app (uninstalled from every target).
 */
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useRouter } from '../../app/router.js';
import { useMe } from '../../app/session.js';
import { DataTable, StatusBadge } from '../../components/data-table.js';
import { ErrorNotice, Loading } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n.js';
import { useGlobalPermissions } from '../../lib/use-global-can.js';
import { usePolling } from '../../lib/use-polling.js';
import { TargetState } from '../apps/mca-state.js';
import { TargetPicker } from '../apps/target-picker.js';
import { McaUpgradeForm } from './mca-upgrade-form.js';

const MultiClusterAppDocument = graphql(`
  query MultiClusterApp($id: ID!) {
    multiClusterApp(id: $id) {
      id
      name
      catalogId
      chart
      version
      values
      ownerId
      state
      stateMessage
      specRevision
      createdAt
      updatedAt
      rollout {
        batchSize
        pauseSeconds
        stopOnFailure
      }
      targets {
        clusterId
        projectId
        namespace
        state
        message
        chartVersion
        releaseRevision
        specRevision
        updatedAt
      }
      removing {
        clusterId
        namespace
      }
      revisions {
        revision
        version
        createdAt
        createdBy
      }
    }
  }
`);

const AddTargetsDocument = graphql(`
  mutation AddMultiClusterAppTargets($id: ID!, $targets: [MultiClusterAppTargetInput!]!) {
    addMultiClusterAppTargets(id: $id, targets: $targets) {
      id
    }
  }
`);

const RemoveTargetsDocument = graphql(`
  mutation RemoveMultiClusterAppTargets($id: ID!, $targets: [MultiClusterAppTargetRefInput!]!) {
    removeMultiClusterAppTargets(id: $id, targets: $targets) {
      id
    }
  }
`);

const RollbackDocument = graphql(`
  mutation RollbackMultiClusterApp($id: ID!, $revision: Int!) {
    rollbackMultiClusterApp(id: $id, revision: $revision) {
      id
    }
  }
`);

const DeleteDocument = graphql(`
  mutation DeleteMultiClusterApp($id: ID!) {
    deleteMultiClusterApp(id: $id) {
      id
      state
    }
  }
`);

export function MultiClusterAppPage({ id }: { id: string }) {
  const t = useT();
  const f = useFormat();
  const me = useMe();
  const can = useGlobalPermissions();
  const { navigate } = useRouter();
  const [result, reexecute] = useQuery({ query: MultiClusterAppDocument, variables: { id } });
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  usePolling(refetch, 3000);
  const [addState, add] = useMutation(AddTargetsDocument);
  const [removeState, remove] = useMutation(RemoveTargetsDocument);
  const [rollbackState, rollback] = useMutation(RollbackDocument);
  const [deleteState, destroy] = useMutation(DeleteDocument);
  const [upgrading, setUpgrading] = useState(false);
  const app = result.data?.multiClusterApp;
  const canChange =
    app !== undefined && (app.ownerId === me.id || can?.updateMultiClusterApps === true);
  return (
    <Page
      title={t('mca.title', { name: app?.name ?? id })}
      actions={
        canChange && app ? (
          <>
            <button type="button" onClick={() => setUpgrading((u) => !u)} aria-expanded={upgrading}>
              {t('apps.upgrade')}
            </button>
            <button
              type="button"
              className="danger"
              disabled={deleteState.fetching || app.state === 'DELETING'}
              onClick={() => {
                if (!window.confirm(t('mca.confirmDelete', { name: app.name }))) return;
                void destroy({ id }).then((r) => {
                  if (!r.error) navigate('/multi-cluster-apps');
                });
              }}
            >
              {t('common.delete')}
            </button>
          </>
        ) : null
      }
    >
      <ErrorNotice
        error={
          result.error ??
          addState.error ??
          removeState.error ??
          rollbackState.error ??
          deleteState.error
        }
      />
      {app === undefined ? (
        result.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <dl className="facts">
            <dt>{t('apps.chart')}</dt>
            <dd>
              {app.chart} {app.version}
            </dd>
            <dt>{t('common.status')}</dt>
            <dd>
              <StatusBadge
                ok={app.state === 'ACTIVE' ? true : undefined}
                label={t(`mca.appState.${app.state}`)}
              />
              {app.stateMessage ? <span className="small"> {app.stateMessage}</span> : null}
            </dd>
            <dt>{t('mca.revision')}</dt>
            <dd>{app.specRevision}</dd>
            <dt>{t('mca.rollout')}</dt>
            <dd>
              {t('mca.rolloutText', {
                batch: app.rollout.batchSize,
                pause: app.rollout.pauseSeconds,
              })}
            </dd>
          </dl>
          {upgrading && canChange ? (
            <McaUpgradeForm
              app={app}
              onDone={() => {
                setUpgrading(false);
                refetch();
              }}
            />
          ) : null}
          <Section title={t('mca.targets')}>
            <DataTable
              caption={t('mca.targets')}
              rows={app.targets}
              rowKey={(x) => `${x.clusterId}/${x.namespace}`}
              columns={[
                { header: t('scope.cluster'), render: (x) => x.clusterId },
                { header: t('scope.project'), render: (x) => x.projectId },
                { header: t('common.namespace'), render: (x) => x.namespace },
                {
                  header: t('common.status'),
                  render: (x) => (
                    <>
                      <TargetState state={x.state} />
                      {x.message ? <div className="small error-text">{x.message}</div> : null}
                    </>
                  ),
                },
                { header: t('apps.chart'), render: (x) => x.chartVersion ?? '—' },
                {
                  header: t('mca.revision'),
                  render: (x) => x.specRevision ?? '—',
                },
                { header: t('common.updated'), render: (x) => f.dateTime(x.updatedAt) },
                ...(canChange
                  ? [
                      {
                        header: t('common.actions'),
                        render: (x: { clusterId: string; namespace: string }) => (
                          <button
                            type="button"
                            className="danger"
                            disabled={app.targets.length <= 1 || removeState.fetching}
                            onClick={() => {
                              if (
                                !window.confirm(
                                  t('mca.confirmRemoveTarget', {
                                    target: `${x.clusterId}/${x.namespace}`,
                                  }),
                                )
                              )
                                return;
                              void remove({
                                id,
                                targets: [{ clusterId: x.clusterId, namespace: x.namespace }],
                              }).then(refetch);
                            }}
                            aria-label={t('mca.removeTarget', {
                              target: `${x.clusterId}/${x.namespace}`,
                            })}
                          >
                            {t('common.remove')}
                          </button>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
            {app.removing.length > 0 ? (
              <p className="small muted">
                {t('mca.removing', {
                  targets: app.removing.map((r) => `${r.clusterId}/${r.namespace}`).join(', '),
                })}
              </p>
            ) : null}
            {canChange ? (
              <TargetPicker
                label={t('mca.addTarget')}
                taken={[...app.targets, ...app.removing]}
                onPick={(target) => void add({ id, targets: [target] }).then(refetch)}
              />
            ) : null}
          </Section>
          <Section title={t('mca.revisions')}>
            <DataTable
              caption={t('mca.revisions')}
              rows={[...app.revisions].reverse()}
              rowKey={(r) => String(r.revision)}
              columns={[
                { header: t('mca.revision'), render: (r) => r.revision },
                { header: t('charts.version'), render: (r) => r.version },
                { header: t('common.created'), render: (r) => f.dateTime(r.createdAt) },
                { header: t('mca.by'), render: (r) => <code>{r.createdBy}</code> },
                ...(canChange
                  ? [
                      {
                        header: t('common.actions'),
                        render: (r: { revision: number }) =>
                          r.revision === app.specRevision ? null : (
                            <button
                              type="button"
                              disabled={rollbackState.fetching}
                              onClick={() =>
                                void rollback({ id, revision: r.revision }).then(refetch)
                              }
                              aria-label={t('apps.rollbackTo', { revision: r.revision })}
                            >
                              {t('apps.rollback')}
                            </button>
                          ),
                      },
                    ]
                  : []),
              ]}
            />
          </Section>
        </>
      )}
    </Page>
  );
}
