/** The chart browser: every chart of the catalogs the caller may see, then one chart. */
import { pathOf, useRouter } from '../../app/router.js';
import { Page } from '../../components/page.js';
import { useT } from '../../i18n/i18n.js';
import { ChartDetailView } from '../apps/chart-detail.js';
import { ChartSearch } from '../apps/chart-search.js';

export function ChartsPage() {
  const t = useT();
  return (
    <Page title={t('charts.title')}>
      <ChartSearch hrefOf={(c) => pathOf('charts', c.catalogId, c.name)} />
    </Page>
  );
}

export function ChartPage({ catalogId, chart }: { catalogId: string; chart: string }) {
  const t = useT();
  const { location, navigate } = useRouter();
  const version = location.search.get('version') ?? '';
  return (
    <Page title={t('charts.chartTitle', { name: chart })}>
      <ChartDetailView
        catalogId={catalogId}
        chart={chart}
        version={version}
        onVersion={(v) =>
          navigate(`${pathOf('charts', catalogId, chart)}?version=${encodeURIComponent(v)}`, {
            replace: true,
          })
        }
      />
    </Page>
  );
}
