/** Deploys a one-container workload into one of the project's namespaces. */
import { type FormEvent, useId } from 'react';
import { useMutation } from 'urql';
import { Dialog } from '../../components/dialog.js';
import { ErrorNotice } from '../../components/notices.js';
import { graphql } from '../../gql';
import type { WorkloadKind } from '../../gql/graphql';
import { useT } from '../../i18n/i18n.js';

const DeployDocument = graphql(`
  mutation DeployWorkload($input: DeployWorkloadInput!) {
    deployWorkload(input: $input) {
      id
      name
    }
  }
`);

export function DeployDialog({
  clusterId,
  namespaces,
  onClose,
  onDeployed,
}: {
  clusterId: string;
  namespaces: readonly string[];
  onClose: () => void;
  onDeployed: () => void;
}) {
  const t = useT();
  const ids = {
    name: useId(),
    image: useId(),
    namespace: useId(),
    kind: useId(),
    replicas: useId(),
    port: useId(),
  };
  const [state, deploy] = useMutation(DeployDocument);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const port = Number(data.get('port') || 0);
    const kind = String(data.get('kind')) as WorkloadKind;
    const r = await deploy({
      input: {
        clusterId,
        namespace: String(data.get('namespace')),
        name: String(data.get('name')),
        image: String(data.get('image')),
        kind,
        ...(kind === 'DAEMON_SET' ? {} : { replicas: Number(data.get('replicas') || 1) }),
        ...(port > 0 ? { ports: [{ containerPort: port }] } : {}),
      },
    });
    if (!r.error) {
      onDeployed();
      onClose();
    }
  };
  return (
    <Dialog title={t('workloads.deploy')} onClose={onClose}>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor={ids.name}>{t('common.name')}</label>
          <input id={ids.name} name="name" required pattern="[a-z0-9]([-a-z0-9]*[a-z0-9])?" />
        </div>
        <div className="field">
          <label htmlFor={ids.image}>{t('workloads.image')}</label>
          <input id={ids.image} name="image" required placeholder="nginx:1.27" />
        </div>
        <div className="field">
          <label htmlFor={ids.namespace}>{t('common.namespace')}</label>
          <select id={ids.namespace} name="namespace">
            {namespaces.map((ns) => (
              <option key={ns} value={ns}>
                {ns}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.kind}>{t('common.kind')}</label>
          <select id={ids.kind} name="kind" defaultValue="DEPLOYMENT">
            <option value="DEPLOYMENT">Deployment</option>
            <option value="STATEFUL_SET">StatefulSet</option>
            <option value="DAEMON_SET">DaemonSet</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.replicas}>{t('workloads.replicas')}</label>
          <input
            id={ids.replicas}
            name="replicas"
            type="number"
            min={0}
            max={100}
            defaultValue={1}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.port}>{t('workloads.port')}</label>
          <input id={ids.port} name="port" type="number" min={1} max={65535} />
        </div>
        <ErrorNotice error={state.error} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={state.fetching}>
            {t('workloads.deploy')}
          </button>
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
