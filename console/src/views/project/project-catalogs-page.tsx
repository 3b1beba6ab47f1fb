/** A project's own catalogs; project-owners (and cluster-owners) manage them. */
import { Page } from '../../components/page.js';
import { ReadOnlyHint } from '../../components/read-only-hint.js';
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
  const can = {
    create: useCan(clusterId, 'create', resource, ns),
    update: useCan(clusterId, 'update', resource, ns),
    delete: useCan(clusterId, 'delete', resource, ns),
  };
  return (
    <Page title={t('catalogs.projectTitle', { project: scope.name })}>
      <CatalogsPanel
        where={{ scope: 'PROJECT', clusterId, projectId }}
        canCreate={can.create === true}
        canUpdate={can.update === true}
        canDelete={can.delete === true}
      />
      <ReadOnlyHint can={[can.create, can.update, can.delete]} />
    </Page>
  );
}
