/** A container's last lines (`podLogs`), refreshed on demand or every few seconds. */
import { useEffect, useId, useState } from 'react';
import { useQuery } from 'urql';
import { Dialog } from '../../components/dialog.js';
import { ErrorNotice } from '../../components/notices.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';

const PodLogsDocument = graphql(`
  query PodLogs($clusterId: ID!, $namespace: String!, $name: String!, $container: String, $tailLines: Int) {
    podLogs(clusterId: $clusterId, namespace: $namespace, name: $name, container: $container, tailLines: $tailLines)
  }
`);

export function LogsDialog({
  clusterId,
  namespace,
  pod,
  containers,
  onClose,
}: {
  clusterId: string;
  namespace: string;
  pod: string;
  containers: readonly string[];
  onClose: () => void;
}) {
  const t = useT();
  const ids = { container: useId(), follow: useId() };
  const [container, setContainer] = useState(containers[0] ?? '');
  const [follow, setFollow] = useState(false);
  const [result, reexecute] = useQuery({
    query: PodLogsDocument,
    variables: { clusterId, namespace, name: pod, container: container || null, tailLines: 200 },
    requestPolicy: 'network-only',
  });
  useEffect(() => {
    if (!follow) return undefined;
    const timer = setInterval(() => reexecute({ requestPolicy: 'network-only' }), 3_000);
    return () => clearInterval(timer);
  }, [follow, reexecute]);
  return (
    <Dialog title={t('logs.title', { pod })} onClose={onClose} wide>
      <div className="inline-form">
        {containers.length > 1 ? (
          <div className="field">
            <label htmlFor={ids.container}>{t('logs.container')}</label>
            <select
              id={ids.container}
              value={container}
              onChange={(e) => setContainer(e.target.value)}
            >
              {containers.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field checkbox">
          <input
            id={ids.follow}
            type="checkbox"
            checked={follow}
            onChange={(e) => setFollow(e.target.checked)}
          />
          <label htmlFor={ids.follow}>{t('logs.follow')}</label>
        </div>
        <button type="button" onClick={() => reexecute({ requestPolicy: 'network-only' })}>
          {t('common.refresh')}
        </button>
      </div>
      <ErrorNotice error={result.error} />
      {/* A scrollable region keyboard users can reach and scroll. */}
      <section className="logs-region" aria-label={t('logs.title', { pod })}>
        <pre className="logs">
          {result.data?.podLogs ?? (result.fetching ? t('common.loading') : '')}
        </pre>
      </section>
    </Dialog>
  );
}
