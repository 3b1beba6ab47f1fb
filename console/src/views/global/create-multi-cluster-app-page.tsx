/**
 * A new multi-cluster app: a chart of a global catalog, its version and values, the targets
 * (a namespace of a project in each cluster) and how the rollout goes batch by batch.
 */
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { pathOf, useRouter } from '../../app/router.js';
import { ErrorNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { parseValues, ValuesEditor } from '../../components/values-editor.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';
import { useYaml } from '../../lib/use-yaml.js';
import { ChartDocument, VersionSelect } from '../apps/chart-detail.js';
import { type TargetChoice, TargetPicker, targetKey } from '../apps/target-picker.js';

const GlobalChartsDocument = graphql(`
  query GlobalCharts {
    catalogs(scope: GLOBAL) {
      id
      name
    }
    charts(first: 200) {
      items {
        catalogId
        catalogName
        name
        latestVersion
      }
    }
  }
`);

const CreateDocument = graphql(`
  mutation CreateMultiClusterApp($input: CreateMultiClusterAppInput!) {
    createMultiClusterApp(input: $input) {
      id
    }
  }
`);

export function CreateMultiClusterAppPage() {
  const t = useT();
  const ids = { chart: useId(), name: useId(), batch: useId(), pause: useId(), stop: useId() };
  const yaml = useYaml();
  const { navigate } = useRouter();
  const [choices] = useQuery({ query: GlobalChartsDocument });
  const globalIds = new Set((choices.data?.catalogs ?? []).map((c) => c.id));
  const charts = (choices.data?.charts.items ?? []).filter((c) => globalIds.has(c.catalogId));
  const [chartKey, setChartKey] = useState('');
  const chosen = charts.find((c) => `${c.catalogId}/${c.name}` === chartKey) ?? charts[0];
  const [version, setVersion] = useState('');
  const [name, setName] = useState('');
  const [values, setValues] = useState<string>();
  const [valuesFor, setValuesFor] = useState<string>();
  const [targets, setTargets] = useState<TargetChoice[]>([]);
  const [detail] = useQuery({
    query: ChartDocument,
    variables: {
      catalogId: chosen?.catalogId ?? '',
      name: chosen?.name ?? '',
      version: version || null,
    },
    pause: chosen === undefined,
  });
  const d = detail.data?.chart;
  useEffect(() => {
    if (d === undefined) return;
    const key = `${d.catalogId}/${d.name}@${d.version}`;
    if (key === valuesFor) return;
    setValues(d.valuesYaml);
    setValuesFor(key);
  }, [d, valuesFor]);
  const [state, create] = useMutation(CreateDocument);
  const parsed = yaml && values !== undefined ? parseValues(yaml, values) : undefined;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (chosen === undefined || parsed === undefined || 'problem' in parsed) return;
    const data = new FormData(e.currentTarget);
    const r = await create({
      input: {
        name: name || chosen.name,
        catalogId: chosen.catalogId,
        chart: chosen.name,
        version: version || d?.version || chosen.latestVersion,
        valuesYaml: values ?? '',
        targets: targets.map((x) => ({ ...x })),
        rollout: {
          batchSize: Number(data.get('batch')),
          pauseSeconds: Number(data.get('pause')),
          stopOnFailure: data.get('stop') === 'on',
        },
      },
    });
    if (r.data) navigate(pathOf('multi-cluster-apps', r.data.createMultiClusterApp.id));
  };
  return (
    <Page title={t('mca.create')}>
      <ErrorNotice error={choices.error ?? detail.error} />
      <form onSubmit={submit} aria-label={t('mca.create')}>
        <div className="inline-form">
          <div className="field">
            <label htmlFor={ids.chart}>{t('apps.chart')}</label>
            <select
              id={ids.chart}
              value={chosen ? `${chosen.catalogId}/${chosen.name}` : ''}
              onChange={(e) => {
                setChartKey(e.target.value);
                setVersion('');
              }}
            >
              {charts.map((c) => (
                <option key={`${c.catalogId}/${c.name}`} value={`${c.catalogId}/${c.name}`}>
                  {c.name} ({c.catalogName})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.name}>{t('common.name')}</label>
            <input
              id={ids.name}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder={chosen?.name}
              pattern="[a-z0-9]([a-z0-9-]{0,51}[a-z0-9])?"
            />
          </div>
        </div>
        {chosen ? (
          <VersionSelect
            key={`${chosen.catalogId}/${chosen.name}`}
            catalogId={chosen.catalogId}
            chart={chosen.name}
            value={version}
            onChange={setVersion}
          />
        ) : null}
        <ValuesEditor
          yaml={yaml}
          value={values ?? ''}
          onChange={setValues}
          label={t('apps.values')}
        />
        <Section title={t('mca.targets')}>
          {targets.length === 0 ? <p className="muted">{t('mca.noTargets')}</p> : null}
          <ul className="chips" aria-label={t('mca.targets')}>
            {targets.map((x) => (
              <li key={targetKey(x)}>
                {x.clusterId} · {x.namespace}{' '}
                <button
                  type="button"
                  className="icon-button"
                  onClick={() =>
                    setTargets((all) => all.filter((y) => targetKey(y) !== targetKey(x)))
                  }
                  aria-label={t('mca.removeTarget', { target: `${x.clusterId}/${x.namespace}` })}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
          <TargetPicker
            label={t('mca.addTarget')}
            taken={targets}
            onPick={(x) => setTargets((all) => [...all, x])}
          />
        </Section>
        <Section title={t('mca.rollout')}>
          <div className="inline-form">
            <div className="field">
              <label htmlFor={ids.batch}>{t('mca.batchSize')}</label>
              <input id={ids.batch} name="batch" type="number" min={1} max={100} defaultValue={1} />
            </div>
            <div className="field">
              <label htmlFor={ids.pause}>{t('mca.pauseSeconds')}</label>
              <input
                id={ids.pause}
                name="pause"
                type="number"
                min={0}
                max={3600}
                defaultValue={0}
              />
            </div>
            <div className="field checkbox">
              <input id={ids.stop} name="stop" type="checkbox" defaultChecked />
              <label htmlFor={ids.stop}>{t('mca.stopOnFailure')}</label>
            </div>
          </div>
        </Section>
        <ErrorNotice error={state.error} />
        <div className="form-actions">
          <button
            type="submit"
            className="primary"
            disabled={
              state.fetching || targets.length === 0 || parsed === undefined || 'problem' in parsed
            }
          >
            {t('mca.create')}
          </button>
        </div>
      </form>
    </Page>
  );
}
