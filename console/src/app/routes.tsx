/**
 * Every page of the console and where it sits: the global layer, one cluster, one project,
 * and the user's own pages. A new page is one entry here plus one in the navigation of its
 * layer. Pages beyond the first views (apps, catalogs, alerting, logging, user admin) are
 * loaded on first visit, so the first page's bundle stays small.
 */
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode } from 'react';
import { ClusterDashboard } from '../views/cluster/cluster-dashboard.js';
import { ClusterMembersPage } from '../views/cluster/cluster-members-page.js';
import { NodesPage } from '../views/cluster/nodes-page.js';
import { ProjectsPage } from '../views/cluster/projects-page.js';
import { StoragePage } from '../views/cluster/storage-page.js';
import { AuthConfigsPage } from '../views/global/auth-configs-page.js';
import { ClustersPage } from '../views/global/clusters-page.js';
import { RolesPage } from '../views/global/roles-page.js';
import { SettingsPage } from '../views/global/settings-page.js';
import { ProjectMembersPage } from '../views/project/project-members-page.js';
import { WorkloadsPage } from '../views/project/workloads-page.js';
import { ApiKeysPage } from '../views/user/api-keys-page.js';
import { PreferencesPage } from '../views/user/preferences-page.js';

type Params = Record<string, string>;

export interface RouteEntry {
  readonly pattern: string;
  readonly render: (p: Params) => ReactNode;
}

/** A named export of a module loaded on first render. */
function later<P extends object = Record<string, never>>(
  load: () => Promise<Record<string, unknown>>,
  name: string,
): LazyExoticComponent<ComponentType<P>> {
  return lazy(async () => ({ default: (await load())[name] as ComponentType<P> }));
}

type Cluster = { clusterId: string };
type Project = { clusterId: string; projectId: string };

const UsersPage = later(() => import('../views/global/users-page.js'), 'UsersPage');
const CatalogsPage = later(() => import('../views/global/catalogs-page.js'), 'CatalogsPage');
const ChartsPage = later(() => import('../views/global/charts-page.js'), 'ChartsPage');
const ChartPage = later<{ catalogId: string; chart: string }>(
  () => import('../views/global/charts-page.js'),
  'ChartPage',
);
const McasPage = later(
  () => import('../views/global/multi-cluster-apps-page.js'),
  'MultiClusterAppsPage',
);
const McaPage = later<{ id: string }>(
  () => import('../views/global/multi-cluster-app-page.js'),
  'MultiClusterAppPage',
);
const NewMcaPage = later(
  () => import('../views/global/create-multi-cluster-app-page.js'),
  'CreateMultiClusterAppPage',
);
const AlertsPage = later<Cluster>(() => import('../views/cluster/alerts-page.js'), 'AlertsPage');
const NotifiersPage = later<Cluster>(
  () => import('../views/cluster/notifiers-page.js'),
  'NotifiersPage',
);
const LoggingPage = later<Cluster>(() => import('../views/cluster/logging-page.js'), 'LoggingPage');
const ClusterCatalogsPage = later<Cluster>(
  () => import('../views/cluster/cluster-catalogs-page.js'),
  'ClusterCatalogsPage',
);
const AppsPage = later<Project>(() => import('../views/project/apps-page.js'), 'AppsPage');
const InstallChartPickerPage = later<Project>(
  () => import('../views/project/install-app-page.js'),
  'InstallChartPickerPage',
);
const InstallAppPage = later<Project & { catalogId: string; chart: string }>(
  () => import('../views/project/install-app-page.js'),
  'InstallAppPage',
);
const AppDetailPage = later<Project & { namespace: string; name: string }>(
  () => import('../views/project/app-detail-page.js'),
  'AppDetailPage',
);
const ProjectAlertsPage = later<Project>(
  () => import('../views/project/project-alerts-page.js'),
  'ProjectAlertsPage',
);
const ProjectLoggingPage = later<Project>(
  () => import('../views/project/project-logging-page.js'),
  'ProjectLoggingPage',
);
const ProjectCatalogsPage = later<Project>(
  () => import('../views/project/project-catalogs-page.js'),
  'ProjectCatalogsPage',
);
const ConfigPage = later<Project>(() => import('../views/project/config-page.js'), 'ConfigPage');
const VolumesPage = later<Project>(() => import('../views/project/volumes-page.js'), 'VolumesPage');
const ServicesPage = later<Project>(
  () => import('../views/project/services-page.js'),
  'ServicesPage',
);
const CertificatesPage = later<Project>(
  () => import('../views/project/certificates-page.js'),
  'CertificatesPage',
);
const LoadBalancingPage = later<Project>(
  () => import('../views/project/load-balancing-page.js'),
  'LoadBalancingPage',
);
const RegistriesPage = later<Project>(
  () => import('../views/project/registries-page.js'),
  'RegistriesPage',
);
const ProjectNamespacesPage = later<Project>(
  () => import('../views/project/project-namespaces-page.js'),
  'ProjectNamespacesPage',
);
const SessionsPage = later(() => import('../views/user/sessions-page.js'), 'SessionsPage');

const cluster = (p: Params): Cluster => ({ clusterId: p.clusterId ?? '' });
const project = (p: Params): Project => ({
  clusterId: p.clusterId ?? '',
  projectId: p.projectId ?? '',
});

export const routes: readonly RouteEntry[] = [
  { pattern: '/clusters', render: () => <ClustersPage /> },
  { pattern: '/users', render: () => <UsersPage /> },
  { pattern: '/roles', render: () => <RolesPage /> },
  { pattern: '/settings', render: () => <SettingsPage /> },
  { pattern: '/auth-configs', render: () => <AuthConfigsPage /> },
  { pattern: '/catalogs', render: () => <CatalogsPage /> },
  { pattern: '/charts', render: () => <ChartsPage /> },
  {
    pattern: '/charts/:catalogId/:chart',
    render: (p) => <ChartPage catalogId={p.catalogId ?? ''} chart={p.chart ?? ''} />,
  },
  { pattern: '/multi-cluster-apps', render: () => <McasPage /> },
  { pattern: '/multi-cluster-apps/new', render: () => <NewMcaPage /> },
  { pattern: '/multi-cluster-apps/:id', render: (p) => <McaPage id={p.id ?? ''} /> },
  { pattern: '/c/:clusterId', render: (p) => <ClusterDashboard clusterId={p.clusterId ?? ''} /> },
  { pattern: '/c/:clusterId/nodes', render: (p) => <NodesPage clusterId={p.clusterId ?? ''} /> },
  {
    pattern: '/c/:clusterId/storage',
    render: (p) => <StoragePage clusterId={p.clusterId ?? ''} />,
  },
  {
    pattern: '/c/:clusterId/projects',
    render: (p) => <ProjectsPage clusterId={p.clusterId ?? ''} />,
  },
  {
    pattern: '/c/:clusterId/members',
    render: (p) => <ClusterMembersPage clusterId={p.clusterId ?? ''} />,
  },
  { pattern: '/c/:clusterId/alerts', render: (p) => <AlertsPage {...cluster(p)} /> },
  { pattern: '/c/:clusterId/notifiers', render: (p) => <NotifiersPage {...cluster(p)} /> },
  { pattern: '/c/:clusterId/logging', render: (p) => <LoggingPage {...cluster(p)} /> },
  { pattern: '/c/:clusterId/catalogs', render: (p) => <ClusterCatalogsPage {...cluster(p)} /> },
  ...(
    [
      ['workloads', WorkloadsPage],
      ['services', ServicesPage],
      ['load-balancing', LoadBalancingPage],
      ['registries', RegistriesPage],
      ['namespaces', ProjectNamespacesPage],
      ['volumes', VolumesPage],
      ['config', ConfigPage],
      ['certificates', CertificatesPage],
      ['members', ProjectMembersPage],
      ['apps', AppsPage],
      ['alerts', ProjectAlertsPage],
      ['logging', ProjectLoggingPage],
      ['catalogs', ProjectCatalogsPage],
    ] as const
  ).map(([segment, Component]) => ({
    pattern: `/c/:clusterId/p/:projectId/${segment}`,
    render: (p: Params) => <Component {...project(p)} />,
  })),
  {
    pattern: '/c/:clusterId/p/:projectId/apps/install',
    render: (p) => <InstallChartPickerPage {...project(p)} />,
  },
  {
    pattern: '/c/:clusterId/p/:projectId/apps/install/:catalogId/:chart',
    render: (p) => (
      <InstallAppPage {...project(p)} catalogId={p.catalogId ?? ''} chart={p.chart ?? ''} />
    ),
  },
  {
    pattern: '/c/:clusterId/p/:projectId/apps/:namespace/:name',
    render: (p) => (
      <AppDetailPage {...project(p)} namespace={p.namespace ?? ''} name={p.name ?? ''} />
    ),
  },
  { pattern: '/account/api-keys', render: () => <ApiKeysPage /> },
  { pattern: '/account/sessions', render: () => <SessionsPage /> },
  { pattern: '/account/preferences', render: () => <PreferencesPage /> },
];
