/** Global roles and role templates, with their rules. */
import { useQuery } from 'urql';
import { DataTable } from '../../components/data-table.js';
import { ErrorNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';

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

export function RolesPage() {
  const t = useT();
  const [result] = useQuery({ query: RolesDocument });
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
          ]}
        />
      </Section>
    </Page>
  );
}
