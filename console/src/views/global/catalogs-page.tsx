/** Global catalogs (managed by `catalogs-manage` holders) and a way into the chart browser. */
import { Link } from '../../app/router.js';
import { Page, Section } from '../../components/page.js';
import { useT } from '../../i18n/i18n.js';
import { useGlobalPermissions } from '../../lib/use-global-can.js';
import { CatalogsPanel } from '../apps/catalogs-panel.js';

export function CatalogsPage() {
  const t = useT();
  const can = useGlobalPermissions();
  return (
    <Page
      title={t('nav.catalogs')}
      actions={
        <Link to="/charts" className="button">
          {t('charts.browse')}
        </Link>
      }
    >
      <Section title={t('catalogs.global')}>
        <CatalogsPanel
          where={{ scope: 'GLOBAL' }}
          canCreate={can?.createCatalogs === true}
          canUpdate={can?.updateCatalogs === true}
          canDelete={can?.deleteCatalogs === true}
        />
      </Section>
    </Page>
  );
}
