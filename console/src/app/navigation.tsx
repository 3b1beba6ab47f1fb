/** The side navigation of the layer the current page belongs to. */
import type { MessageKey } from '../i18n/en.js';
import { useT } from '../i18n/i18n.js';
import { Link, pathOf } from './router.js';

interface NavItem {
  readonly to: string;
  readonly label: MessageKey;
}

export function navItems(clusterId?: string, projectId?: string): NavItem[] {
  if (clusterId !== undefined && projectId !== undefined) {
    const base = pathOf('c', clusterId, 'p', projectId);
    return [
      { to: `${base}/workloads`, label: 'nav.workloads' },
      { to: `${base}/services`, label: 'nav.services' },
      { to: `${base}/volumes`, label: 'nav.volumes' },
      { to: `${base}/config`, label: 'nav.config' },
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
    { to: '/users', label: 'nav.users' },
    { to: '/roles', label: 'nav.roles' },
    { to: '/settings', label: 'nav.settings' },
    { to: '/auth-configs', label: 'nav.authConfigs' },
  ];
}

export function SideNav({ clusterId, projectId }: { clusterId?: string; projectId?: string }) {
  const t = useT();
  return (
    <nav className="side-nav" aria-label={t('nav.label')}>
      <ul>
        {navItems(clusterId, projectId).map((item) => (
          <li key={item.to}>
            <Link to={item.to}>{t(item.label)}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
