/**
 * A project's workloads and pods, live: watches of its namespaces refetch the lists, so a
 * deployment is seen becoming ready. Deploy, scale, redeploy, delete, logs and YAML.
 */
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { DataTable, StatusBadge } from '../../components/data-table.js';
import { ClusterErrors, ErrorNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { Pager, usePaging } from '../../components/pager.js';
import { YamlButton } from '../../components/yaml-dialog.js';
import { graphql } from '../../gql';
import type { WorkloadKind, WorkloadsQuery } from '../../gql/graphql';
import { useT } from '../../i18n/i18n.js';
import { useCan } from '../../lib/use-can.js';
import { DeployDialog } from './deploy-dialog.js';
import { LogsDialog } from './logs-dialog.js';
import { LiveKind, useProjectScope } from './project-scope.js';
import { ScaleControl } from './scale-control.js';

const WorkloadsDocument = graphql(`
  query Workloads($ref: ID!, $first: Int, $after: String) {
    deployments(filter: { projectIds: [$ref] }, first: 50) {
      ...WorkloadListFields
    }
    statefulSets(filter: { projectIds: [$ref] }, first: 50) {
      ...WorkloadListFields
    }
    daemonSets(filter: { projectIds: [$ref] }, first: 50) {
      ...WorkloadListFields
    }
    jobs(filter: { projectIds: [$ref] }, first: 50) {
      ...WorkloadListFields
    }
    cronJobs(filter: { projectIds: [$ref] }, first: 50) {
      ...WorkloadListFields
    }
    pods(filter: { projectIds: [$ref] }, first: $first, after: $after) {
      items {
        id
        clusterId
        namespace
        name
        phase
        ready
        restarts
        nodeName
        ownerName
        containers {
          name
          init
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
      clusterErrors {
        clusterId
        code
        message
      }
    }
  }

  fragment WorkloadListFields on WorkloadList {
    items {
      id
      clusterId
      namespace
      name
      kind
      images
      replicas
      readyReplicas
      ready
    }
    clusterErrors {
      clusterId
      code
      message
    }
  }
`);

const RedeployDocument = graphql(`
  mutation RedeployWorkload($workload: WorkloadRefInput!) {
    redeployWorkload(workload: $workload) {
      id
    }
  }
`);

const DeleteWorkloadDocument = graphql(`
  mutation DeleteWorkload($workload: WorkloadRefInput!) {
    deleteWorkload(workload: $workload)
  }
`);

/**
 * Two watches per namespace (workloads and pods); Paddock allows each user 10 subscriptions
 * at once, so a project with many namespaces is live in its first four and refreshed on
 * demand in the rest.
 */
const LIVE_NAMESPACES = 4;

type WorkloadRow = WorkloadsQuery['deployments']['items'][number];
type PodRow = WorkloadsQuery['pods']['items'][number];
type ClusterErrorRow = WorkloadsQuery['deployments']['clusterErrors'][number];

const apiVersionOf: Record<WorkloadKind, string> = {
  DEPLOYMENT: 'apps/v1',
  STATEFUL_SET: 'apps/v1',
  DAEMON_SET: 'apps/v1',
  JOB: 'batch/v1',
  CRON_JOB: 'batch/v1',
};
const kindName: Record<WorkloadKind, string> = {
  DEPLOYMENT: 'Deployment',
  STATEFUL_SET: 'StatefulSet',
  DAEMON_SET: 'DaemonSet',
  JOB: 'Job',
  CRON_JOB: 'CronJob',
};

export function WorkloadsPage({ clusterId, projectId }: { clusterId: string; projectId: string }) {
  const t = useT();
  const scope = useProjectScope(clusterId, projectId);
  const paging = usePaging();
  const [result, reexecute] = useQuery({
    query: WorkloadsDocument,
    variables: { ref: scope.ref, first: paging.first, after: paging.after },
  });
  const canWrite = useCan(clusterId, 'create', 'deployments.apps', scope.namespaces?.[0] ?? '');
  const [deploying, setDeploying] = useState(false);
  const [logsOf, setLogsOf] = useState<PodRow>();
  const [redeployState, redeploy] = useMutation(RedeployDocument);
  const [deleteState, remove] = useMutation(DeleteWorkloadDocument);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  const d = result.data;
  const workloads: WorkloadRow[] = d
    ? [
        ...d.deployments.items,
        ...d.statefulSets.items,
        ...d.daemonSets.items,
        ...d.jobs.items,
        ...d.cronJobs.items,
      ]
    : [];
  const refOf = (w: WorkloadRow) => ({
    clusterId: w.clusterId,
    namespace: w.namespace ?? '',
    name: w.name,
    kind: w.kind,
  });

  return (
    <Page
      title={t('workloads.title', { project: scope.name })}
      actions={
        canWrite && scope.namespaces && scope.namespaces.length > 0 ? (
          <button type="button" className="primary" onClick={() => setDeploying(true)}>
            {t('workloads.deploy')}
          </button>
        ) : null
      }
    >
      {scope.namespaces
        ?.slice(0, LIVE_NAMESPACES)
        .flatMap((ns) =>
          ['Deployment', 'Pod'].map((kind) => (
            <LiveKind
              key={`${ns}/${kind}`}
              clusterId={clusterId}
              namespace={ns}
              apiVersion={kind === 'Pod' ? 'v1' : 'apps/v1'}
              kind={kind}
              onChange={refetch}
            />
          )),
        )}
      <ErrorNotice error={result.error ?? redeployState.error ?? deleteState.error} />
      <Section title={t('workloads.workloads')}>
        <ClusterErrors
          errors={
            d
              ? uniqueErrors([d.deployments, d.statefulSets, d.daemonSets, d.jobs, d.cronJobs])
              : undefined
          }
        />
        <DataTable
          caption={t('workloads.workloads')}
          rows={d ? workloads : undefined}
          rowKey={(w) => w.id}
          columns={[
            { header: t('common.name'), render: (w) => w.name },
            { header: t('common.namespace'), render: (w) => w.namespace },
            { header: t('common.kind'), render: (w) => kindName[w.kind] },
            { header: t('workloads.image'), render: (w) => w.images.join(', ') },
            {
              header: t('common.status'),
              render: (w) => (
                <StatusBadge
                  ok={w.ready}
                  label={`${w.ready ? t('common.ready') : t('workloads.updating')} ${w.readyReplicas}/${w.replicas ?? 0}`}
                />
              ),
            },
            {
              header: t('workloads.replicas'),
              render: (w) =>
                canWrite && w.kind !== 'DAEMON_SET' && w.kind !== 'CRON_JOB' ? (
                  <ScaleControl
                    key={`${w.id}-${w.replicas}`}
                    workload={refOf(w)}
                    replicas={w.replicas ?? 0}
                    onScaled={refetch}
                  />
                ) : (
                  String(w.replicas ?? '—')
                ),
            },
            {
              header: t('common.actions'),
              render: (w) => (
                <span className="row-actions">
                  <YamlButton
                    target={{
                      clusterId: w.clusterId,
                      apiVersion: apiVersionOf[w.kind],
                      kind: kindName[w.kind],
                      name: w.name,
                      namespace: w.namespace,
                    }}
                    canEdit={canWrite === true}
                  />
                  {canWrite ? (
                    <>
                      <button
                        type="button"
                        onClick={() => void redeploy({ workload: refOf(w) }).then(refetch)}
                      >
                        {t('workloads.redeploy')}
                      </button>
                      <button
                        type="button"
                        className="danger"
                        onClick={() => {
                          if (window.confirm(t('common.confirmDelete', { name: w.name }))) {
                            void remove({ workload: refOf(w) }).then(refetch);
                          }
                        }}
                      >
                        {t('common.delete')}
                      </button>
                    </>
                  ) : null}
                </span>
              ),
            },
          ]}
        />
      </Section>
      <Section title={t('workloads.pods')}>
        <ClusterErrors errors={d?.pods.clusterErrors} />
        <DataTable
          caption={t('workloads.pods')}
          rows={d?.pods.items}
          rowKey={(p) => p.id}
          columns={[
            { header: t('common.name'), render: (p) => p.name },
            { header: t('common.namespace'), render: (p) => p.namespace },
            {
              header: t('common.status'),
              render: (p) => <StatusBadge ok={p.ready} label={p.phase ?? '—'} />,
            },
            { header: t('workloads.restarts'), render: (p) => p.restarts },
            { header: t('workloads.node'), render: (p) => p.nodeName ?? '—' },
            {
              header: t('common.actions'),
              render: (p) => (
                <span className="row-actions">
                  <button
                    type="button"
                    onClick={() => setLogsOf(p)}
                    aria-label={t('logs.open', { pod: p.name })}
                  >
                    {t('logs.button')}
                  </button>
                  <YamlButton
                    target={{
                      clusterId: p.clusterId,
                      apiVersion: 'v1',
                      kind: 'Pod',
                      name: p.name,
                      namespace: p.namespace,
                    }}
                    canEdit={false}
                  />
                </span>
              ),
            },
          ]}
        />
        <Pager paging={paging} pageInfo={d?.pods.pageInfo} />
      </Section>
      {deploying && scope.namespaces ? (
        <DeployDialog
          clusterId={clusterId}
          namespaces={scope.namespaces}
          onClose={() => setDeploying(false)}
          onDeployed={refetch}
        />
      ) : null}
      {logsOf ? (
        <LogsDialog
          clusterId={logsOf.clusterId}
          namespace={logsOf.namespace ?? ''}
          pod={logsOf.name}
          containers={logsOf.containers.filter((c) => !c.init).map((c) => c.name)}
          onClose={() => setLogsOf(undefined)}
        />
      ) : null}
    </Page>
  );
}

/** One entry per cluster and code, however many of the lists it failed. */
function uniqueErrors(
  lists: readonly { clusterErrors: readonly ClusterErrorRow[] }[],
): ClusterErrorRow[] {
  const seen = new Map<string, ClusterErrorRow>();
  for (const e of lists.flatMap((l) => l.clusterErrors)) seen.set(`${e.clusterId}/${e.code}`, e);
  return [...seen.values()];
}
