/** A cluster's alerts as they fire and resolve, and its alert rules. */
import { Page, Section } from '../../components/page.js';
import { useT } from '../../i18n/i18n.js';
import { PADDOCK_GROUP, useCan } from '../../lib/use-can.js';
import { AlertRulesPanel } from '../alerting/alert-rules-panel.js';
import { LiveAlerts } from '../alerting/live-alerts.js';

export function AlertsPage({ clusterId }: { clusterId: string }) {
  const t = useT();
  const canWrite = useCan(clusterId, 'create', `clusteralertrules.${PADDOCK_GROUP}`) === true;
  return (
    <Page title={t('alerts.title', { scope: clusterId })}>
      <Section title={t('alerts.live')}>
        <LiveAlerts clusterId={clusterId} />
      </Section>
      <Section title={t('alerts.rules')}>
        <AlertRulesPanel clusterId={clusterId} canWrite={canWrite} />
      </Section>
    </Page>
  );
}
