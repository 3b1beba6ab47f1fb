/**
 * Installing an app into a project: pick a chart of a catalog usable here, then its version,
 * the release name, the namespace and the values (YAML, prefilled with the chart's defaults).
 * The API checks the values against the chart's schema and answers with the running
 * operation, whose Helm log streams below until the release is deployed (or failed).
 */
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link, pathOf } from '../../app/router.js';
import { ErrorNotice, MessageNotice } from '../../components/notices.js';
import { Page, Section } from '../../components/page.js';
import { parseValues, ValuesEditor } from '../../components/values-editor.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';
import { useYaml } from '../../lib/use-yaml.js';
import { ChartDocument, VersionSelect } from '../apps/chart-detail.js';
import { ChartSearch } from '../apps/chart-search.js';
import { OperationLog } from '../apps/operation-log.js';
import { useProjectScope } from './project-scope.js';

const InstallAppDocument = graphql(`
  mutation InstallApp($input: InstallAppInput!) {
    installApp(input: $input) {
      id
      namespace
      releaseName
      state
    }
  }
`);

export function InstallChartPickerPage({
  clusterId,
  projectId,
}: {
  clusterId: string;
  projectId: string;
}) {
  const t = useT();
  const scope = useProjectScope(clusterId, projectId);
  return (
    <Page title={t('apps.installInto', { project: scope.name })}>
      <ChartSearch
        clusterId={clusterId}
        projectId={projectId}
        hrefOf={(c) =>
          pathOf('c', clusterId, 'p', projectId, 'apps', 'install', c.catalogId, c.name)
        }
      />
    </Page>
  );
}

export function InstallAppPage({
  clusterId,
  projectId,
  catalogId,
  chart,
}: {
  clusterId: string;
  projectId: string;
  catalogId: string;
  chart: string;
}) {
  const t = useT();
  const ids = { name: useId(), namespace: useId() };
  const scope = useProjectScope(clusterId, projectId);
  const yaml = useYaml();
  const [version, setVersion] = useState('');
  const [values, setValues] = useState<string>();
  const [valuesFor, setValuesFor] = useState<string>();
  const [name, setName] = useState(chart);
  const [namespace, setNamespace] = useState('');
  const [operation, setOperation] = useState<{ id: string; namespace: string; name: string }>();
  const [finished, setFinished] = useState<string>();
  const [detail] = useQuery({
    query: ChartDocument,
    variables: { catalogId, name: chart, version: version || null },
  });
  const [installState, install] = useMutation(InstallAppDocument);
  const d = detail.data?.chart;
  // The chart's defaults are the starting point; a new version brings its own.
  useEffect(() => {
    if (d === undefined || d.version === valuesFor) return;
    setValues(d.valuesYaml);
    setValuesFor(d.version);
  }, [d, valuesFor]);
  useEffect(() => {
    if (namespace === '' && scope.namespaces?.[0]) setNamespace(scope.namespaces[0]);
  }, [namespace, scope.namespaces]);
  const parsed = yaml && values !== undefined ? parseValues(yaml, values) : undefined;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (parsed === undefined || 'problem' in parsed) return;
    setFinished(undefined);
    const r = await install({
      input: {
        catalogId,
        chart,
        clusterId,
        namespace,
        name,
        ...(version ? { version } : d ? { version: d.version } : {}),
        valuesYaml: values ?? '',
      },
    });
    if (r.data) {
      const op = r.data.installApp;
      setOperation({ id: op.id, namespace: op.namespace, name: op.releaseName });
    }
  };
  const releasePath = operation
    ? pathOf('c', clusterId, 'p', projectId, 'apps', operation.namespace, operation.name)
    : '';
  return (
    <Page title={t('apps.installChart', { chart, project: scope.name })}>
      <ErrorNotice error={detail.error} />
      {operation ? (
        <Section title={t('apps.installing', { name: operation.name })}>
          <OperationLog
            operationId={operation.id}
            title={t('operation.INSTALL')}
            onFinished={setFinished}
          />
          {finished === 'SUCCEEDED' ? (
            <MessageNotice kind="ok" message={t('apps.installed', { name: operation.name })} />
          ) : null}
          <div className="form-actions">
            <Link to={releasePath} className="button primary">
              {t('apps.openRelease', { name: operation.name })}
            </Link>
            <button type="button" onClick={() => setOperation(undefined)}>
              {t('apps.backToForm')}
            </button>
          </div>
        </Section>
      ) : (
        <form onSubmit={submit} aria-label={t('apps.install')}>
          <p className="muted">{d?.description}</p>
          <VersionSelect
            catalogId={catalogId}
            chart={chart}
            value={version}
            onChange={setVersion}
          />
          <div className="inline-form">
            <div className="field">
              <label htmlFor={ids.name}>{t('apps.releaseName')}</label>
              <input
                id={ids.name}
                value={name}
                onChange={(e) => setName(e.target.value)}
                required
                pattern="[a-z0-9]([a-z0-9-]{0,51}[a-z0-9])?"
              />
            </div>
            <div className="field">
              <label htmlFor={ids.namespace}>{t('common.namespace')}</label>
              <select
                id={ids.namespace}
                value={namespace}
                onChange={(e) => setNamespace(e.target.value)}
                required
              >
                {(scope.namespaces ?? []).map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {d?.valuesSchema ? <p className="small muted">{t('charts.hasSchema')}</p> : null}
          <ValuesEditor
            yaml={yaml}
            value={values ?? ''}
            onChange={setValues}
            label={t('apps.values')}
          />
          <ErrorNotice error={installState.error} />
          <div className="form-actions">
            <button
              type="submit"
              className="primary"
              disabled={
                installState.fetching || parsed === undefined || 'problem' in parsed || !namespace
              }
            >
              {t('apps.install')}
            </button>
            <Link to={pathOf('c', clusterId, 'p', projectId, 'apps')} className="button">
              {t('common.cancel')}
            </Link>
          </div>
        </form>
      )}
    </Page>
  );
}
