/**
 * A project's settings as Paddock pushes them down: name, description, the Pod Security
 * Admission level of its namespaces, and resource quotas written as `resource=quantity`
 * lines (`pods=50`, `limits.cpu=4`).
 */
import { type FormEvent, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Dialog } from '../../components/dialog.js';
import { ErrorNotice, Loading, MessageNotice } from '../../components/notices.js';
import { graphql } from '../../gql';
import type { ResourceQuantityInput } from '../../gql/graphql';
import { useT } from '../../i18n/i18n.js';

const ProjectSettingsDocument = graphql(`
  query ProjectSettings($clusterId: ID!) {
    projectSettings(clusterId: $clusterId) {
      id
      projectId
      name
      description
      podSecurityEnforce
      quotaLimit {
        resource
        quantity
      }
      namespaceDefaultQuota {
        resource
        quantity
      }
    }
  }
`);

const UpdateProjectDocument = graphql(`
  mutation UpdateProject($clusterId: ID!, $projectId: ID!, $input: ProjectSettingsInput!) {
    updateProject(clusterId: $clusterId, projectId: $projectId, input: $input) {
      id
    }
  }
`);

function quotaText(list: readonly { resource: string; quantity: string }[]): string {
  return list.map((q) => `${q.resource}=${q.quantity}`).join('\n');
}

function parseQuota(text: string): ResourceQuantityInput[] | string {
  const out: ResourceQuantityInput[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0 || eq === line.length - 1) return line;
    out.push({ resource: line.slice(0, eq).trim(), quantity: line.slice(eq + 1).trim() });
  }
  return out;
}

export function ProjectSettingsDialog({
  clusterId,
  projectId,
  onClose,
  onSaved,
}: {
  clusterId: string;
  projectId: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const ids = {
    name: useId(),
    description: useId(),
    psa: useId(),
    quota: useId(),
    nsQuota: useId(),
  };
  const [result] = useQuery({ query: ProjectSettingsDocument, variables: { clusterId } });
  const [state, update] = useMutation(UpdateProjectDocument);
  const [problem, setProblem] = useState<string>();
  const settings = result.data?.projectSettings.find((p) => p.projectId === projectId);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const quotaLimit = parseQuota(String(data.get('quota')));
    const namespaceDefaultQuota = parseQuota(String(data.get('nsQuota')));
    const bad = [quotaLimit, namespaceDefaultQuota].find((q) => typeof q === 'string');
    if (typeof quotaLimit === 'string' || typeof namespaceDefaultQuota === 'string') {
      setProblem(t('projects.badQuota', { line: String(bad) }));
      return;
    }
    setProblem(undefined);
    const r = await update({
      clusterId,
      projectId,
      input: {
        name: String(data.get('name')),
        description: String(data.get('description')),
        podSecurityEnforce: String(data.get('psa')),
        quotaLimit,
        namespaceDefaultQuota,
      },
    });
    if (!r.error) {
      onSaved();
      onClose();
    }
  };
  return (
    <Dialog
      title={t('projects.settings', { name: settings?.name ?? projectId })}
      onClose={onClose}
      wide
    >
      <ErrorNotice error={result.error} />
      {settings === undefined && !result.error ? <Loading /> : null}
      {settings ? (
        <form onSubmit={submit}>
          <div className="field">
            <label htmlFor={ids.name}>{t('common.name')}</label>
            <input id={ids.name} name="name" defaultValue={settings.name} required />
          </div>
          <div className="field">
            <label htmlFor={ids.description}>{t('common.description')}</label>
            <input id={ids.description} name="description" defaultValue={settings.description} />
          </div>
          <div className="field">
            <label htmlFor={ids.psa}>{t('projects.podSecurity')}</label>
            <select id={ids.psa} name="psa" defaultValue={settings.podSecurityEnforce ?? ''}>
              <option value="">{t('projects.podSecurityNone')}</option>
              <option value="privileged">privileged</option>
              <option value="baseline">baseline</option>
              <option value="restricted">restricted</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.quota}>{t('projects.quota')}</label>
            <textarea
              id={ids.quota}
              name="quota"
              className="yaml"
              rows={3}
              defaultValue={quotaText(settings.quotaLimit)}
              placeholder="pods=50"
            />
          </div>
          <div className="field">
            <label htmlFor={ids.nsQuota}>{t('projects.namespaceQuota')}</label>
            <textarea
              id={ids.nsQuota}
              name="nsQuota"
              className="yaml"
              rows={3}
              defaultValue={quotaText(settings.namespaceDefaultQuota)}
              placeholder="pods=10"
            />
          </div>
          <MessageNotice kind="ok" message={t('projects.quotaHint')} />
          {problem ? <MessageNotice kind="error" message={problem} /> : null}
          <ErrorNotice error={state.error} />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={state.fetching}>
              {t('common.save')}
            </button>
            <button type="button" onClick={onClose}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}
