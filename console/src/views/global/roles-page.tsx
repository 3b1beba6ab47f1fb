/** Global roles and who holds them; role templates, creating and deleting custom ones. */
import { useMutation, useQuery } from 'urql';
import { DataTable } from '../../components/data-table.js';
import { ErrorNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';
import { GlobalRoleBindings } from './global-role-bindings.js';
import { RoleTemplateForm } from './role-template-form.js';

const RolesDocument = graphql(`
  query Roles {
    globalRoles {
      id
      displayName
      description
      builtin
      newUserDefault
      rules {
        verbs
      }
    }
    roleTemplates {
      id
      displayName
      description
      context
      builtin
      locked
      hidden
      inherits
      rules {
        verbs
      }
    }
  }
`);

const DeleteRoleTemplateDocument = graphql(`
  mutation DeleteRoleTemplate($id: ID!) {
    deleteRoleTemplate(id: $id)
  }
`);

export function RolesPage() {
  const t = useT();
  const [result, reexecute] = useQuery({ query: RolesDocument });
  const [deleteState, remove] = useMutation(DeleteRoleTemplateDocument);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  const d = result.data;
  return (
    <Page title={t('nav.roles')}>
      <ErrorNotice error={result.error} />
      <Section title={t('roles.global')}>
        <DataTable
          caption={t('roles.global')}
          rows={d?.globalRoles}
          rowKey={(r) => r.id}
          columns={[
            { header: t('common.name'), render: (r) => r.displayName },
            { header: 'ID', render: (r) => <code>{r.id}</code> },
            { header: t('common.description'), render: (r) => r.description },
            { header: t('roles.rules'), render: (r) => r.rules.length },
            { header: t('roles.builtin'), render: (r) => (r.builtin ? '✓' : '') },
            { header: t('roles.newUserDefault'), render: (r) => (r.newUserDefault ? '✓' : '') },
          ]}
        />
      </Section>
      <Section title={t('roles.templates')}>
        <DataTable
          caption={t('roles.templates')}
          rows={d?.roleTemplates.filter((r) => !r.hidden)}
          rowKey={(r) => r.id}
          columns={[
            { header: t('common.name'), render: (r) => r.displayName },
            { header: 'ID', render: (r) => <code>{r.id}</code> },
            { header: t('roles.context'), render: (r) => r.context },
            { header: t('roles.inherits'), render: (r) => r.inherits.join(', ') || '—' },
            { header: t('roles.rules'), render: (r) => r.rules.length },
            { header: t('roles.locked'), render: (r) => (r.locked ? '✓' : '') },
            {
              header: t('common.actions'),
              render: (r) =>
                r.builtin ? null : (
                  <button
                    type="button"
                    className="danger"
                    onClick={() => {
                      if (window.confirm(t('common.confirmDelete', { name: r.id }))) {
                        void remove({ id: r.id }).then(refetch);
                      }
                    }}
                    aria-label={t('roles.deleteTemplate', { id: r.id })}
                  >
                    {t('common.delete')}
                  </button>
                ),
            },
          ]}
        />
        <ErrorNotice error={deleteState.error} />
        <h3>{t('roles.createTemplate')}</h3>
        <RoleTemplateForm onCreated={refetch} />
      </Section>
      <Section title={t('roles.bindings')}>
        <GlobalRoleBindings roles={d?.globalRoles ?? []} />
      </Section>
    </Page>
  );
}
