/** Charts of the catalogs the caller may use (here), searched by name and description. */
import { useId, useState } from 'react';
import { useQuery } from 'urql';
import { Link } from '../../app/router.js';
import { ErrorNotice, Loading } from '../../components/notices.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';
import { ChartIcon } from './chart-icon.js';

const ChartsDocument = graphql(`
  query Charts($search: ChartSearchInput, $first: Int) {
    charts(search: $search, first: $first) {
      totalCount
      items {
        catalogId
        catalogName
        name
        description
        latestVersion
        appVersion
        iconUrl
        deprecated
        category
        keywords
      }
    }
  }
`);

export interface ChartRef {
  readonly catalogId: string;
  readonly name: string;
}

export function ChartSearch({
  clusterId,
  projectId,
  hrefOf,
}: {
  clusterId?: string;
  projectId?: string;
  hrefOf: (chart: ChartRef) => string;
}) {
  const t = useT();
  const id = useId();
  const [text, setText] = useState('');
  const [result] = useQuery({
    query: ChartsDocument,
    variables: {
      first: 100,
      search: {
        ...(text.trim() ? { text: text.trim() } : {}),
        ...(clusterId ? { clusterId } : {}),
        ...(projectId ? { projectId } : {}),
      },
    },
  });
  const charts = result.data?.charts.items;
  return (
    <>
      <div className="field filter">
        <label htmlFor={id}>{t('charts.search')}</label>
        <input id={id} type="search" value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <ErrorNotice error={result.error} />
      {charts === undefined ? (
        result.error ? null : (
          <Loading />
        )
      ) : charts.length === 0 ? (
        <p className="muted">{t('charts.none')}</p>
      ) : (
        <ul className="chart-cards" aria-label={t('charts.title')}>
          {charts.map((c) => (
            <li key={`${c.catalogId}/${c.name}`} className="card chart-card">
              <ChartIcon name={c.name} iconUrl={c.iconUrl} />
              <div>
                <h3>
                  <Link to={hrefOf(c)}>{c.name}</Link>
                </h3>
                <p className="small muted">
                  {c.catalogName} · {c.latestVersion}
                  {c.deprecated ? ` · ${t('charts.deprecated')}` : ''}
                </p>
                <p className="small">{c.description}</p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
