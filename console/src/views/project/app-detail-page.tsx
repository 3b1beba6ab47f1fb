/**
 * One release: its status, notes, resources and values; its history with rollback; an upgrade
 * (new version and/or values, with a preview of what changes) and uninstall. Each action's
 * Helm log streams live; the page follows the release while an operation runs.
 */
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { pathOf, useRouter } from '../../app/router.js';
import { DataTable } from '../../components/data-table.js';
import { ErrorNotice, Loading } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { ReadOnlyHint } from '../../components/read-only-hint.js';
import { ReadOnlyText } from '../../components/read-only-text.js';
import { ValuesDiff } from '../../components/values-editor.js';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n.js';
import { useCan } from '../../lib/use-can.js';
import { usePolling } from '../../lib/use-polling.js';
import { useYaml } from '../../lib/use-yaml.js';
import { OperationLog } from '../apps/operation-log.js';
import { ReleaseStatus } from '../apps/release-status.js';
import { UpgradeDialog } from './upgrade-app-dialog.js';

const AppDetailDocument = graphql(`
  query AppDetail($ref: AppRefInput!) {
    app(ref: $ref) {
      clusterId
      namespace
      name
      catalogId
      chartName
      chartVersion
      appVersion
      status
      revision
      description
      firstDeployedAt
      updatedAt
      notes
      values
      multiClusterAppId
      history {
        revision
        status
        chartVersion
        appVersion
        description
        updatedAt
      }
      resources {
        apiVersion
        kind
        name
        namespace
      }
    }
  }
`);

const RollbackAppDocument = graphql(`
  mutation RollbackApp($ref: AppRefInput!, $revision: Int!) {
    rollbackApp(ref: $ref, revision: $revision) {
      id
      kind
    }
  }
`);

const UninstallAppDocument = graphql(`
  mutation UninstallApp($ref: AppRefInput!) {
    uninstallApp(ref: $ref) {
      id
      kind
    }
  }
`);

export interface RunningOperation {
  readonly id: string;
  readonly kind: string;
  readonly valuesDiff?: readonly { path: string; before?: unknown; after?: unknown }[] | null;
}

export function AppDetailPage({
  clusterId,
  projectId,
  namespace,
  name,
}: {
  clusterId: string;
  projectId: string;
  namespace: string;
  name: string;
}) {
  const t = useT();
  const f = useFormat();
  const yaml = useYaml();
  const { navigate } = useRouter();
  const ref = { clusterId, namespace, name };
  const [result, reexecute] = useQuery({ query: AppDetailDocument, variables: { ref } });
  const [rollbackState, rollback] = useMutation(RollbackAppDocument);
  const [uninstallState, uninstall] = useMutation(UninstallAppDocument);
  const [operation, setOperation] = useState<RunningOperation>();
  const [upgrading, setUpgrading] = useState(false);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  usePolling(refetch, 3000, operation !== undefined);
  const canCreate = useCan(clusterId, 'create', 'secrets', namespace);
  const canWrite = canCreate === true;
  const app = result.data?.app;
  const listPath = pathOf('c', clusterId, 'p', projectId, 'apps');
  const onFinished = (state: string) => {
    if (operation?.kind === 'UNINSTALL' && state === 'SUCCEEDED') navigate(listPath);
    else refetch();
  };
  const busy = operation !== undefined && app?.status.startsWith('pending') === true;
  return (
    <Page
      title={t('apps.releaseTitle', { name })}
      actions={
        canWrite && app ? (
          <>
            {app.catalogId ? (
              <button type="button" onClick={() => setUpgrading(true)} disabled={busy}>
                {t('apps.upgrade')}
              </button>
            ) : null}
            <button
              type="button"
              className="danger"
              disabled={busy || uninstallState.fetching}
              onClick={() => {
                if (!window.confirm(t('apps.confirmUninstall', { name }))) return;
                void uninstall({ ref }).then((r) => {
                  if (r.data) setOperation(r.data.uninstallApp);
                });
              }}
            >
              {t('apps.uninstall')}
            </button>
          </>
        ) : null
      }
    >
      <ErrorNotice error={result.error ?? rollbackState.error ?? uninstallState.error} />
      {operation ? (
        <Section title={t('apps.operation')}>
          {operation.valuesDiff ? <ValuesDiff changes={operation.valuesDiff} /> : null}
          <OperationLog
            key={operation.id}
            operationId={operation.id}
            title={t(`operation.${operation.kind}` as 'operation.INSTALL')}
            onFinished={onFinished}
          />
        </Section>
      ) : null}
      {app === undefined ? (
        result.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <dl className="facts">
            <dt>{t('common.status')}</dt>
            <dd>
              <ReleaseStatus status={app.status} />
            </dd>
            <dt>{t('apps.chart')}</dt>
            <dd>
              {app.chartName} {app.chartVersion}
            </dd>
            <dt>{t('apps.appVersion')}</dt>
            <dd>{app.appVersion ?? '—'}</dd>
            <dt>{t('apps.revision')}</dt>
            <dd>{app.revision}</dd>
            <dt>{t('common.namespace')}</dt>
            <dd>{app.namespace}</dd>
            <dt>{t('common.updated')}</dt>
            <dd>{f.dateTime(app.updatedAt)}</dd>
          </dl>
          <Section title={t('apps.notes')}>
            {app.notes ? (
              <ReadOnlyText label={t('apps.notes')} text={app.notes} rows={8} />
            ) : (
              <p className="muted">{t('apps.noNotes')}</p>
            )}
          </Section>
          <Section title={t('apps.history')}>
            <DataTable
              caption={t('apps.history')}
              rows={app.history}
              rowKey={(h) => String(h.revision)}
              columns={[
                { header: t('apps.revision'), render: (h) => h.revision },
                { header: t('common.status'), render: (h) => <ReleaseStatus status={h.status} /> },
                { header: t('apps.chart'), render: (h) => h.chartVersion },
                { header: t('common.description'), render: (h) => h.description },
                { header: t('common.updated'), render: (h) => f.dateTime(h.updatedAt) },
                ...(canWrite
                  ? [
                      {
                        header: t('common.actions'),
                        render: (h: { revision: number }) =>
                          h.revision === app.revision ? null : (
                            <button
                              type="button"
                              disabled={busy || rollbackState.fetching}
                              onClick={() =>
                                void rollback({ ref, revision: h.revision }).then((r) => {
                                  if (r.data) setOperation(r.data.rollbackApp);
                                })
                              }
                              aria-label={t('apps.rollbackTo', { revision: h.revision })}
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
          <Section title={t('apps.resources')}>
            <DataTable
              caption={t('apps.resources')}
              rows={app.resources}
              rowKey={(r) => `${r.apiVersion}/${r.kind}/${r.namespace ?? ''}/${r.name}`}
              columns={[
                { header: t('common.kind'), render: (r) => r.kind },
                { header: t('common.name'), render: (r) => r.name },
                { header: t('common.namespace'), render: (r) => r.namespace ?? '—' },
              ]}
            />
          </Section>
          <Section title={t('apps.values')}>
            <ReadOnlyText
              label={t('apps.values')}
              text={yaml ? yaml.stringify(app.values ?? {}) : JSON.stringify(app.values, null, 2)}
            />
          </Section>
          {upgrading && app.catalogId ? (
            <UpgradeDialog
              app={{ ...app, catalogId: app.catalogId }}
              onClose={() => setUpgrading(false)}
              onStarted={(op) => {
                setUpgrading(false);
                setOperation(op);
              }}
            />
          ) : null}
        </>
      )}
      <ReadOnlyHint can={[canCreate]} />
    </Page>
  );
}
