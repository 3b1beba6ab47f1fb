/** A project's alerts as they fire and resolve, and its own alert rules. */
import { Page, Section } from '../../components/page.js';
import { ReadOnlyHint } from '../../components/read-only-hint.js';
import { useT } from '../../i18n/i18n.js';
import { PADDOCK_GROUP, useCan } from '../../lib/use-can.js';
import { AlertRulesPanel } from '../alerting/alert-rules-panel.js';
import { LiveAlerts } from '../alerting/live-alerts.js';
import { useProjectScope } from './project-scope.js';

export function ProjectAlertsPage({
  clusterId,
  projectId,
}: {
  clusterId: string;
  projectId: string;
}) {
  const t = useT();
  const scope = useProjectScope(clusterId, projectId);
  const ns = scope.namespaces?.[0] ?? '';
  const can = useCan(clusterId, 'create', `projectalertrules.${PADDOCK_GROUP}`, ns);
  const canWrite = can === true;
  return (
    <Page title={t('alerts.title', { scope: scope.name })}>
      <Section title={t('alerts.live')}>
        <LiveAlerts clusterId={clusterId} projectId={projectId} />
      </Section>
      <Section title={t('alerts.rules')}>
        <AlertRulesPanel clusterId={clusterId} projectId={projectId} canWrite={canWrite} />
      </Section>
      <ReadOnlyHint can={[can]} />
    </Page>
  );
}
