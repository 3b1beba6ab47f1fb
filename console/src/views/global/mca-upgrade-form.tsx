/** A new spec revision of a multi-cluster app: another version and/or values, and the rollout. */
import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { ErrorNotice } from '../../components/notices.js';
import { Section } from '../../components/page.js';
import {
  diffValues,
  parseValues,
  ValuesDiff,
  ValuesEditor,
} from '../../components/values-editor.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';
import { useYaml } from '../../lib/use-yaml.js';
import { VersionSelect } from '../apps/chart-detail.js';

const UpdateDocument = graphql(`
  mutation UpdateMultiClusterApp($id: ID!, $input: UpdateMultiClusterAppInput!) {
    updateMultiClusterApp(id: $id, input: $input) {
      id
      specRevision
    }
  }
`);

export function McaUpgradeForm({
  app,
  onDone,
}: {
  app: {
    id: string;
    catalogId: string;
    chart: string;
    version: string;
    values: unknown;
    rollout: { batchSize: number; pauseSeconds: number };
  };
  onDone: () => void;
}) {
  const t = useT();
  const ids = { batch: useId(), pause: useId() };
  const yaml = useYaml();
  const [version, setVersion] = useState(app.version);
  const [text, setText] = useState<string>();
  const [state, update] = useMutation(UpdateDocument);
  const shown = text ?? (yaml ? yaml.stringify(app.values ?? {}) : undefined);
  const parsed = yaml && shown !== undefined ? parseValues(yaml, shown) : undefined;
  const changes =
    parsed && 'values' in parsed ? diffValues(app.values ?? {}, parsed.values) : undefined;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (parsed === undefined || 'problem' in parsed) return;
    const data = new FormData(e.currentTarget);
    const r = await update({
      id: app.id,
      input: {
        version,
        values: parsed.values,
        rollout: {
          batchSize: Number(data.get('batch')),
          pauseSeconds: Number(data.get('pause')),
        },
      },
    });
    if (!r.error) onDone();
  };
  return (
    <Section title={t('apps.upgrade')}>
      <form onSubmit={submit} aria-label={t('apps.upgrade')}>
        <VersionSelect
          catalogId={app.catalogId}
          chart={app.chart}
          value={version}
          onChange={setVersion}
        />
        <ValuesEditor yaml={yaml} value={shown ?? ''} onChange={setText} label={t('apps.values')} />
        {changes ? <ValuesDiff changes={changes} /> : null}
        <div className="inline-form">
          <div className="field">
            <label htmlFor={ids.batch}>{t('mca.batchSize')}</label>
            <input
              id={ids.batch}
              name="batch"
              type="number"
              min={1}
              max={100}
              defaultValue={app.rollout.batchSize}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.pause}>{t('mca.pauseSeconds')}</label>
            <input
              id={ids.pause}
              name="pause"
              type="number"
              min={0}
              max={3600}
              defaultValue={app.rollout.pauseSeconds}
            />
          </div>
        </div>
        <ErrorNotice error={state.error} />
        <div className="form-actions">
          <button
            type="submit"
            className="primary"
            disabled={state.fetching || parsed === undefined || 'problem' in parsed}
          >
            {t('apps.upgrade')}
          </button>
        </div>
      </form>
    </Section>
  );
}
