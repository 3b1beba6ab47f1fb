/**
 * Every page of the console and where it sits: the global layer, one cluster, one project,
 * and the user's own pages. A new page (catalogs, alerts, ...) is one entry here plus one
 * in the navigation of its layer.
 */
import type { ReactNode } from 'react';
import { ClusterDashboard } from '../views/cluster/cluster-dashboard.js';
import { ClusterMembersPage } from '../views/cluster/cluster-members-page.js';
import { NodesPage } from '../views/cluster/nodes-page.js';
import { ProjectsPage } from '../views/cluster/projects-page.js';
import { StoragePage } from '../views/cluster/storage-page.js';
import { AuthConfigsPage } from '../views/global/auth-configs-page.js';
import { ClustersPage } from '../views/global/clusters-page.js';
import { RolesPage } from '../views/global/roles-page.js';
import { SettingsPage } from '../views/global/settings-page.js';
import { UsersPage } from '../views/global/users-page.js';
import { CertificatesPage } from '../views/project/certificates-page.js';
import { ConfigPage } from '../views/project/config-page.js';
import { ProjectMembersPage } from '../views/project/project-members-page.js';
import { ServicesPage } from '../views/project/services-page.js';
import { VolumesPage } from '../views/project/volumes-page.js';
import { WorkloadsPage } from '../views/project/workloads-page.js';
import { ApiKeysPage } from '../views/user/api-keys-page.js';
import { PreferencesPage } from '../views/user/preferences-page.js';

type Params = Record<string, string>;

export interface RouteEntry {
  readonly pattern: string;
  readonly render: (p: Params) => ReactNode;
}

export const routes: readonly RouteEntry[] = [
  { pattern: '/clusters', render: () => <ClustersPage /> },
  { pattern: '/users', render: () => <UsersPage /> },
  { pattern: '/roles', render: () => <RolesPage /> },
  { pattern: '/settings', render: () => <SettingsPage /> },
  { pattern: '/auth-configs', render: () => <AuthConfigsPage /> },
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
  ...(
    [
      ['workloads', WorkloadsPage],
      ['services', ServicesPage],
      ['volumes', VolumesPage],
      ['config', ConfigPage],
      ['certificates', CertificatesPage],
      ['members', ProjectMembersPage],
    ] as const
  ).map(([segment, Component]) => ({
    pattern: `/c/:clusterId/p/:projectId/${segment}`,
    render: (p: Params) => (
      <Component clusterId={p.clusterId ?? ''} projectId={p.projectId ?? ''} />
    ),
  })),
  { pattern: '/account/api-keys', render: () => <ApiKeysPage /> },
  { pattern: '/account/preferences', render: () => <PreferencesPage /> },
];
