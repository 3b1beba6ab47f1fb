/**
 * One chart: its versions (newest first), the chosen version's README (rendered as safe
 * markdown), default values and whether it has a values schema.
 */
import { useId } from 'react';
import { useQuery } from 'urql';
import { Markdown } from '../../components/markdown.js';
import { ErrorNotice, Loading } from '../../components/notices.js';
import { Section } from '../../components/page.js';
import { ReadOnlyText } from '../../components/read-only-text.js';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n.js';
import { ChartIcon } from './chart-icon.js';

export const ChartVersionsDocument = graphql(`
  query ChartVersions($catalogId: ID!, $chart: String!) {
    chartVersions(catalogId: $catalogId, chart: $chart) {
      version
      appVersion
      createdAt
      description
    }
  }
`);

export const ChartDocument = graphql(`
  query Chart($catalogId: ID!, $name: String!, $version: String) {
    chart(catalogId: $catalogId, name: $name, version: $version) {
      catalogId
      name
      version
      appVersion
      description
      iconUrl
      keywords
      readme
      valuesYaml
      valuesSchema
    }
  }
`);

/** The versions select, shared by the browser, the install form and upgrades. */
export function VersionSelect({
  catalogId,
  chart,
  value,
  onChange,
  label,
}: {
  catalogId: string;
  chart: string;
  value: string;
  onChange: (version: string) => void;
  label?: string;
}) {
  const t = useT();
  const f = useFormat();
  const id = useId();
  const [versions] = useQuery({ query: ChartVersionsDocument, variables: { catalogId, chart } });
  const list = versions.data?.chartVersions ?? [];
  return (
    <div className="field">
      <label htmlFor={id}>{label ?? t('charts.version')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {value === '' ? <option value="">{t('charts.newest')}</option> : null}
        {list.map((v) => (
          <option key={v.version} value={v.version}>
            {v.version}
            {v.appVersion ? ` (app ${v.appVersion})` : ''}
            {v.createdAt ? ` · ${f.dateTime(v.createdAt)}` : ''}
          </option>
        ))}
      </select>
      <ErrorNotice error={versions.error} />
    </div>
  );
}

export function ChartDetailView({
  catalogId,
  chart,
  version,
  onVersion,
}: {
  catalogId: string;
  chart: string;
  version: string;
  onVersion: (version: string) => void;
}) {
  const t = useT();
  const [result] = useQuery({
    query: ChartDocument,
    variables: { catalogId, name: chart, version: version || null },
  });
  const d = result.data?.chart;
  return (
    <>
      <ErrorNotice error={result.error} />
      <div className="chart-head">
        <ChartIcon name={chart} iconUrl={d?.iconUrl} />
        <div>
          <p>{d?.description}</p>
          {d?.keywords.length ? <p className="small muted">{d.keywords.join(', ')}</p> : null}
        </div>
      </div>
      <VersionSelect catalogId={catalogId} chart={chart} value={version} onChange={onVersion} />
      {d === undefined ? (
        result.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <Section title={t('charts.readme')}>
            {d.readme ? (
              <Markdown source={d.readme} />
            ) : (
              <p className="muted">{t('charts.noReadme')}</p>
            )}
          </Section>
          <Section title={t('charts.values')}>
            <p className="small muted">
              {d.valuesSchema ? t('charts.hasSchema') : t('charts.noSchema')}
            </p>
            <ReadOnlyText label={t('charts.values')} text={d.valuesYaml || '{}'} rows={16} />
          </Section>
        </>
      )}
    </>
  );
}
