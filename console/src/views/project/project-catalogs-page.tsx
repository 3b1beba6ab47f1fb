/** A project's own catalogs; project-owners (and cluster-owners) manage them. */
import { Page } from '../../components/page.js';
import { useT } from '../../i18n/i18n.js';
import { PADDOCK_GROUP, useCan } from '../../lib/use-can.js';
import { CatalogsPanel } from '../apps/catalogs-panel.js';
import { useProjectScope } from './project-scope.js';

export function ProjectCatalogsPage({
  clusterId,
  projectId,
}: {
  clusterId: string;
  projectId: string;
}) {
  const t = useT();
  const scope = useProjectScope(clusterId, projectId);
  // Paddock decides project rights from a namespace of the project.
  const ns = scope.namespaces?.[0] ?? '';
  const resource = `catalogs.${PADDOCK_GROUP}`;
  const canCreate = useCan(clusterId, 'create', resource, ns) === true;
  const canUpdate = useCan(clusterId, 'update', resource, ns) === true;
  const canDelete = useCan(clusterId, 'delete', resource, ns) === true;
  return (
    <Page title={t('catalogs.projectTitle', { project: scope.name })}>
      <CatalogsPanel
        where={{ scope: 'PROJECT', clusterId, projectId }}
        canCreate={canCreate}
        canUpdate={canUpdate}
        canDelete={canDelete}
      />
    </Page>
  );
}
