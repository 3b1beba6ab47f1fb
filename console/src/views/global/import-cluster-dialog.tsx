/**
 * Registering a cluster the way an operator would: Paddock renders the import manifest, the
 * operator applies it with kubectl, then gives its endpoint, CA and a one-time bootstrap
 * token so Paddock reads its two service-account tokens. Or a kubeconfig pasted whole.
 */
import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { Dialog } from '../../components/dialog.js';
import { ErrorNotice } from '../../components/notices.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';

const CreateImportDocument = graphql(`
  mutation CreateClusterImport($input: CreateClusterImportInput!) {
    createClusterImport(input: $input) {
      cluster {
        id
        name
      }
      manifestUrl
    }
  }
`);

const CompleteImportDocument = graphql(`
  mutation CompleteClusterImport($clusterId: ID!, $input: CompleteClusterImportInput!) {
    completeClusterImport(clusterId: $clusterId, input: $input) {
      id
      state
    }
  }
`);

const ImportKubeconfigDocument = graphql(`
  mutation ImportClusterFromKubeconfig($input: ImportClusterInput!) {
    importCluster(input: $input) {
      id
      state
    }
  }
`);

export function ImportClusterDialog({
  onClose,
  onDone,
}: {
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const ids = {
    name: useId(),
    endpoint: useId(),
    ca: useId(),
    token: useId(),
    kubeconfig: useId(),
    kubeName: useId(),
  };
  const [created, setCreated] = useState<{ id: string; manifestUrl: string }>();
  const [createState, create] = useMutation(CreateImportDocument);
  const [completeState, complete] = useMutation(CompleteImportDocument);
  const [kubeState, importKube] = useMutation(ImportKubeconfigDocument);

  const start = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const r = await create({ input: { name: String(new FormData(e.currentTarget).get('name')) } });
    const data = r.data?.createClusterImport;
    if (data) {
      setCreated({ id: data.cluster.id, manifestUrl: data.manifestUrl });
      onDone();
    }
  };
  const finish = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (created === undefined) return;
    const data = new FormData(e.currentTarget);
    const caPem = String(data.get('caPem') ?? '').trim();
    const r = await complete({
      clusterId: created.id,
      input: {
        endpoint: String(data.get('endpoint')),
        bootstrapToken: String(data.get('bootstrapToken')),
        ...(caPem ? { caPem } : {}),
      },
    });
    if (!r.error) {
      onDone();
      onClose();
    }
  };
  const fromKubeconfig = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const name = String(data.get('name') ?? '').trim();
    const r = await importKube({
      input: {
        kubeconfig: String(data.get('kubeconfig')),
        kubeconfigCredentials: 'INSTALL',
        ...(name ? { name } : {}),
      },
    });
    if (!r.error) {
      onDone();
      onClose();
    }
  };

  return (
    <Dialog title={t('import.title')} onClose={onClose} wide>
      {created === undefined ? (
        <>
          <form onSubmit={start} aria-label={t('import.manifest')}>
            <h3>{t('import.manifest')}</h3>
            <div className="inline-form">
              <div className="field">
                <label htmlFor={ids.name}>{t('common.name')}</label>
                <input id={ids.name} name="name" required />
              </div>
              <button type="submit" className="primary" disabled={createState.fetching}>
                {t('import.start')}
              </button>
            </div>
            <ErrorNotice error={createState.error} />
          </form>
          <form onSubmit={fromKubeconfig} aria-label={t('import.kubeconfig')}>
            <h3>{t('import.kubeconfig')}</h3>
            <div className="field">
              <label htmlFor={ids.kubeName}>{t('import.optionalName')}</label>
              <input id={ids.kubeName} name="name" />
            </div>
            <div className="field">
              <label htmlFor={ids.kubeconfig}>{t('import.kubeconfigText')}</label>
              <textarea
                id={ids.kubeconfig}
                name="kubeconfig"
                className="yaml"
                rows={8}
                required
                spellCheck={false}
              />
            </div>
            <ErrorNotice error={kubeState.error} />
            <button type="submit" className="primary" disabled={kubeState.fetching}>
              {t('import.fromKubeconfig')}
            </button>
          </form>
        </>
      ) : (
        <form onSubmit={finish} aria-label={t('import.complete')}>
          <p>{t('import.apply')}</p>
          <pre className="logs">{`kubectl apply -f ${window.location.origin}${created.manifestUrl}`}</pre>
          <div className="field">
            <label htmlFor={ids.endpoint}>{t('import.endpoint')}</label>
            <input id={ids.endpoint} name="endpoint" type="url" required placeholder="https://" />
          </div>
          <div className="field">
            <label htmlFor={ids.ca}>{t('import.ca')}</label>
            <textarea id={ids.ca} name="caPem" rows={4} className="yaml" spellCheck={false} />
          </div>
          <div className="field">
            <label htmlFor={ids.token}>{t('import.token')}</label>
            <input
              id={ids.token}
              name="bootstrapToken"
              type="password"
              required
              autoComplete="off"
            />
          </div>
          <ErrorNotice error={completeState.error} />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={completeState.fetching}>
              {t('import.complete')}
            </button>
            <button type="button" onClick={onClose}>
              {t('import.later')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
