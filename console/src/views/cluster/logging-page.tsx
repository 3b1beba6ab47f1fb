/** A cluster's logging: its targets and the log collector Paddock pushed into it. */
import { useQuery } from 'urql';
import { StatusBadge } from '../../components/data-table.js';
import { ErrorNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n.js';
import { PADDOCK_GROUP, useCan } from '../../lib/use-can.js';
import { usePolling } from '../../lib/use-polling.js';
import { LoggingTargetsPanel } from '../logging/logging-targets-panel.js';

const LoggingStatusDocument = graphql(`
  query LoggingStatus($clusterId: ID!) {
    loggingStatus(clusterId: $clusterId) {
      at
      deployed
      changes
      errors
    }
  }
`);

export function LoggingPage({ clusterId }: { clusterId: string }) {
  const t = useT();
  const f = useFormat();
  const canWrite = useCan(clusterId, 'create', `clusterloggings.${PADDOCK_GROUP}`) === true;
  const [status, reexecute] = useQuery({ query: LoggingStatusDocument, variables: { clusterId } });
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  usePolling(refetch, 10_000);
  const s = status.data?.loggingStatus;
  return (
    <Page title={t('logging.title', { scope: clusterId })}>
      <Section title={t('logging.collector')}>
        <ErrorNotice error={status.error} />
        {s ? (
          <dl className="facts">
            <dt>{t('common.status')}</dt>
            <dd>
              <StatusBadge
                ok={s.errors.length > 0 ? false : s.deployed ? true : undefined}
                label={s.deployed ? t('logging.deployed') : t('logging.notDeployed')}
              />
            </dd>
            <dt>{t('logging.lastPush')}</dt>
            <dd>
              {f.dateTime(s.at)} · {t('logging.changes', { count: s.changes })}
            </dd>
            {s.errors.length > 0 ? (
              <>
                <dt>{t('logging.errors')}</dt>
                <dd>
                  <ul>
                    {s.errors.map((e) => (
                      <li key={e} className="error-text">
                        {e}
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            ) : null}
          </dl>
        ) : status.data ? (
          <p className="muted">{t('logging.neverPushed')}</p>
        ) : null}
      </Section>
      <Section title={t('logging.targets')}>
        <LoggingTargetsPanel clusterId={clusterId} canWrite={canWrite} onChanged={refetch} />
      </Section>
    </Page>
  );
}
