/**
 * Catalogs of one scope (global, a cluster's, a project's): their refresh state and error,
 * and, for those who may manage them, add, edit, refresh now and remove.
 */
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { DataTable, StatusBadge } from '../../components/data-table.js';
import { ErrorNotice } from '../../components/notices.js';
import { graphql } from '../../gql';
import type { CatalogScope } from '../../gql/graphql';
import { useFormat, useT } from '../../i18n/i18n.js';
import { CatalogDialog, type EditedCatalog } from './catalog-dialog.js';

const CatalogsDocument = graphql(`
  query Catalogs($scope: CatalogScope, $clusterId: ID, $projectId: ID) {
    catalogs(scope: $scope, clusterId: $clusterId, projectId: $projectId) {
      id
      name
      description
      url
      kind
      scope
      clusterId
      projectId
      username
      hasPassword
      caPem
      updatedAt
      refresh {
        state
        message
        chartCount
        lastAttemptAt
        lastSuccessAt
      }
    }
  }
`);

const RefreshCatalogDocument = graphql(`
  mutation RefreshCatalog($id: ID!) {
    refreshCatalog(id: $id) {
      id
      refresh {
        state
        message
        chartCount
        lastAttemptAt
        lastSuccessAt
      }
    }
  }
`);

const RemoveCatalogDocument = graphql(`
  mutation RemoveCatalog($id: ID!) {
    removeCatalog(id: $id)
  }
`);

export interface CatalogScopeRef {
  readonly scope: CatalogScope;
  readonly clusterId?: string;
  readonly projectId?: string;
}

export function CatalogsPanel({
  where,
  canCreate,
  canUpdate,
  canDelete,
}: {
  where: CatalogScopeRef;
  canCreate: boolean;
  canUpdate: boolean;
  canDelete: boolean;
}) {
  const t = useT();
  const f = useFormat();
  const [result, reexecute] = useQuery({
    query: CatalogsDocument,
    variables: {
      scope: where.scope,
      clusterId: where.clusterId ?? null,
      projectId: where.projectId ?? null,
    },
  });
  const [refreshState, refresh] = useMutation(RefreshCatalogDocument);
  const [removeState, remove] = useMutation(RemoveCatalogDocument);
  const [editing, setEditing] = useState<EditedCatalog | 'new'>();
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  // Only this scope's catalogs: a project's list also shows the ones it inherits.
  const rows = result.data?.catalogs.filter((c) => c.scope === where.scope);
  return (
    <>
      {canCreate ? (
        <div className="form-actions">
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('catalogs.add')}
          </button>
        </div>
      ) : null}
      <ErrorNotice error={result.error ?? refreshState.error ?? removeState.error} />
      <DataTable
        caption={t('catalogs.title')}
        rows={rows}
        rowKey={(c) => c.id}
        columns={[
          {
            header: t('common.name'),
            render: (c) => (
              <>
                <strong>{c.name}</strong>
                {c.description ? <div className="small muted">{c.description}</div> : null}
              </>
            ),
          },
          { header: 'URL', render: (c) => <code>{c.url}</code> },
          {
            header: t('common.status'),
            render: (c) => (
              <>
                <StatusBadge
                  ok={
                    c.refresh.state === 'READY'
                      ? true
                      : c.refresh.state === 'ERROR'
                        ? false
                        : undefined
                  }
                  label={t(`catalogs.state.${c.refresh.state}`)}
                />
                {c.refresh.message ? (
                  <div className="small error-text">{c.refresh.message}</div>
                ) : null}
              </>
            ),
          },
          { header: t('catalogs.charts'), render: (c) => c.refresh.chartCount },
          {
            header: t('catalogs.lastRefresh'),
            render: (c) => f.dateTime(c.refresh.lastSuccessAt ?? c.refresh.lastAttemptAt),
          },
          ...(canUpdate || canDelete
            ? [
                {
                  header: t('common.actions'),
                  render: (c: NonNullable<typeof rows>[number]) => (
                    <span className="row-actions">
                      {canUpdate ? (
                        <>
                          <button
                            type="button"
                            disabled={refreshState.fetching}
                            onClick={() => void refresh({ id: c.id }).then(refetch)}
                            aria-label={t('catalogs.refreshOf', { name: c.name })}
                          >
                            {t('common.refresh')}
                          </button>
                          <button
                            type="button"
                            onClick={() => setEditing(c)}
                            aria-label={t('catalogs.editOf', { name: c.name })}
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
                            if (window.confirm(t('catalogs.confirmRemove', { name: c.name }))) {
                              void remove({ id: c.id }).then(refetch);
                            }
                          }}
                          aria-label={t('catalogs.removeOf', { name: c.name })}
                        >
                          {t('common.remove')}
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
        <CatalogDialog
          where={where}
          {...(editing === 'new' ? {} : { catalog: editing })}
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
