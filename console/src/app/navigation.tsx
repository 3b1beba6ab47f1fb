/**
 * The side navigation of the layer the current page belongs to. Global pages the caller's
 * roles would refuse (users, roles, authentication) are left out.
 */
import type { MessageKey } from '../i18n/en.js';
import { useT } from '../i18n/i18n.js';
import { type GlobalPermission, useGlobalPermissions } from '../lib/use-global-can.js';
import { Link, pathOf } from './router.js';

interface NavItem {
  readonly to: string;
  readonly label: MessageKey;
  /** A `me.can` answer that must be true. */
  readonly needs?: GlobalPermission;
}

export function navItems(clusterId?: string, projectId?: string): NavItem[] {
  if (clusterId !== undefined && projectId !== undefined) {
    const base = pathOf('c', clusterId, 'p', projectId);
    return [
      { to: `${base}/workloads`, label: 'nav.workloads' },
      { to: `${base}/services`, label: 'nav.services' },
      { to: `${base}/volumes`, label: 'nav.volumes' },
      { to: `${base}/config`, label: 'nav.config' },
      { to: `${base}/certificates`, label: 'nav.certificates' },
      { to: `${base}/members`, label: 'nav.projectMembers' },
    ];
  }
  if (clusterId !== undefined) {
    const base = pathOf('c', clusterId);
    return [
      { to: base, label: 'nav.dashboard' },
      { to: `${base}/nodes`, label: 'nav.nodes' },
      { to: `${base}/storage`, label: 'nav.storage' },
      { to: `${base}/projects`, label: 'nav.projects' },
      { to: `${base}/members`, label: 'nav.clusterMembers' },
    ];
  }
  return [
    { to: '/clusters', label: 'nav.clusters' },
    { to: '/users', label: 'nav.users', needs: 'listUsers' },
    { to: '/roles', label: 'nav.roles', needs: 'listRoles' },
    { to: '/settings', label: 'nav.settings' },
    { to: '/auth-configs', label: 'nav.authConfigs', needs: 'listAuthConfigs' },
  ];
}

export function SideNav({ clusterId, projectId }: { clusterId?: string; projectId?: string }) {
  const t = useT();
  const can = useGlobalPermissions();
  const items = navItems(clusterId, projectId).filter(
    (item) => item.needs === undefined || can?.[item.needs] === true,
  );
  return (
    <nav
      className="side-nav"
      aria-label={t('nav.label')}
      data-permissions={can === undefined ? 'pending' : 'known'}
    >
      <ul>
        {items.map((item) => (
          <li key={item.to}>
            <Link to={item.to}>{t(item.label)}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
