/** A cluster's own catalogs (its projects and their apps may use them); cluster-owners manage. */
import { Page } from '../../components/page.js';
import { useT } from '../../i18n/i18n.js';
import { PADDOCK_GROUP, useCan } from '../../lib/use-can.js';
import { CatalogsPanel } from '../apps/catalogs-panel.js';

export function ClusterCatalogsPage({ clusterId }: { clusterId: string }) {
  const t = useT();
  const resource = `catalogs.${PADDOCK_GROUP}`;
  const canCreate = useCan(clusterId, 'create', resource) === true;
  const canUpdate = useCan(clusterId, 'update', resource) === true;
  const canDelete = useCan(clusterId, 'delete', resource) === true;
  return (
    <Page title={t('catalogs.clusterTitle', { cluster: clusterId })}>
      <CatalogsPanel
        where={{ scope: 'CLUSTER', clusterId }}
        canCreate={canCreate}
        canUpdate={canUpdate}
        canDelete={canDelete}
      />
    </Page>
  );
}
