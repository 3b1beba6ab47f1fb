/** A custom role template: id, name, context and its rules written as YAML. */
import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { ErrorNotice, MessageNotice } from '../../components/notices.js';
import { graphql } from '../../gql';
import type { PolicyRuleInput } from '../../gql/graphql';
import { useT } from '../../i18n/i18n.js';

const CreateRoleTemplateDocument = graphql(`
  mutation CreateRoleTemplate($input: RoleTemplateInput!) {
    createRoleTemplate(input: $input) {
      id
    }
  }
`);

const EXAMPLE = `- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list, watch]
`;

export function RoleTemplateForm({ onCreated }: { onCreated: () => void }) {
  const t = useT();
  const ids = { id: useId(), name: useId(), context: useId(), rules: useId() };
  const [state, create] = useMutation(CreateRoleTemplateDocument);
  const [problem, setProblem] = useState<string>();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    setProblem(undefined);
    let rules: PolicyRuleInput[];
    try {
      const { parse } = await import('yaml');
      rules = parse(String(data.get('rules'))) as PolicyRuleInput[];
      if (!Array.isArray(rules)) throw new Error(t('roles.rulesList'));
    } catch (err) {
      setProblem(t('yaml.invalid', { message: (err as Error).message }));
      return;
    }
    const r = await create({
      input: {
        id: String(data.get('id')),
        displayName: String(data.get('displayName')),
        context: String(data.get('context')),
        rules,
      },
    });
    if (!r.error) {
      form.reset();
      onCreated();
    }
  };
  return (
    <form onSubmit={submit} aria-label={t('roles.createTemplate')} className="stacked-form">
      <div className="inline-form">
        <div className="field">
          <label htmlFor={ids.id}>ID</label>
          <input id={ids.id} name="id" required pattern="[a-z0-9]([-a-z0-9]*[a-z0-9])?" />
        </div>
        <div className="field">
          <label htmlFor={ids.name}>{t('common.name')}</label>
          <input id={ids.name} name="displayName" required />
        </div>
        <div className="field">
          <label htmlFor={ids.context}>{t('roles.context')}</label>
          <select id={ids.context} name="context" defaultValue="project">
            <option value="project">project</option>
            <option value="cluster">cluster</option>
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={ids.rules}>{t('roles.rulesYaml')}</label>
        <textarea
          id={ids.rules}
          name="rules"
          className="yaml"
          rows={6}
          defaultValue={EXAMPLE}
          spellCheck={false}
        />
      </div>
      {problem ? <MessageNotice kind="error" message={problem} /> : null}
      <ErrorNotice error={state.error} />
      <button type="submit" className="primary" disabled={state.fetching}>
        {t('roles.createTemplate')}
      </button>
    </form>
  );
}
