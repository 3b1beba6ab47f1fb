/** Global settings; a writable one is edited in place (`updateSetting`). */
import { type FormEvent, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { DataTable } from '../../components/data-table.js';
import { ErrorNotice } from '../../components/notices.js';
import { Page } from '../../components/page.js';
import { graphql } from '../../gql';
import type { SettingsQuery } from '../../gql/graphql';
import { useT } from '../../i18n/i18n.js';

const SettingsDocument = graphql(`
  query Settings {
    settings {
      name
      value
      defaultValue
      description
      readOnly
      source
    }
  }
`);

const UpdateSettingDocument = graphql(`
  mutation UpdateSetting($name: String!, $value: String) {
    updateSetting(name: $name, value: $value) {
      name
      value
      source
    }
  }
`);

type SettingRow = SettingsQuery['settings'][number];

export function SettingsPage() {
  const t = useT();
  const [result] = useQuery({ query: SettingsDocument });
  return (
    <Page title={t('nav.settings')}>
      <ErrorNotice error={result.error} />
      <DataTable
        caption={t('nav.settings')}
        rows={result.data?.settings}
        rowKey={(s) => s.name}
        columns={[
          {
            header: t('common.name'),
            render: (s) => (
              <>
                <code>{s.name}</code>
                <div className="muted small">{s.description}</div>
              </>
            ),
          },
          { header: t('settings.value'), render: (s) => <SettingValue setting={s} /> },
          { header: t('settings.source'), render: (s) => s.source.toLowerCase() },
        ]}
      />
    </Page>
  );
}

function SettingValue({ setting }: { setting: SettingRow }) {
  const t = useT();
  const id = useId();
  const [value, setValue] = useState(setting.value);
  const [state, update] = useMutation(UpdateSettingDocument);
  if (setting.readOnly) return <span>{setting.value || '—'}</span>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void update({ name: setting.name, value });
  };
  return (
    <form className="scale" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        {setting.name}
      </label>
      <input
        id={id}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder={setting.defaultValue}
      />
      <button type="submit" disabled={state.fetching || value === setting.value}>
        {t('common.save')}
      </button>
      <ErrorNotice error={state.error} />
    </form>
  );
}
