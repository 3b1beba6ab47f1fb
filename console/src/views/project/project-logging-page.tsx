/** Where a project's container logs go. */
import { Page } from '../../components/page.js';
import { ReadOnlyHint } from '../../components/read-only-hint.js';
import { useT } from '../../i18n/i18n.js';
import { PADDOCK_GROUP, useCan } from '../../lib/use-can.js';
import { LoggingTargetsPanel } from '../logging/logging-targets-panel.js';
import { useProjectScope } from './project-scope.js';

export function ProjectLoggingPage({
  clusterId,
  projectId,
}: {
  clusterId: string;
  projectId: string;
}) {
  const t = useT();
  const scope = useProjectScope(clusterId, projectId);
  const ns = scope.namespaces?.[0] ?? '';
  const can = useCan(clusterId, 'create', `projectloggings.${PADDOCK_GROUP}`, ns);
  const canWrite = can === true;
  return (
    <Page title={t('logging.title', { scope: scope.name })}>
      <LoggingTargetsPanel clusterId={clusterId} projectId={projectId} canWrite={canWrite} />
      <ReadOnlyHint can={[can]} />
    </Page>
  );
}
