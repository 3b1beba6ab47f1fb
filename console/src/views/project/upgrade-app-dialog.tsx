/**
 * Upgrading a release: another version of its chart and/or new values, with a preview of
 * every value that changes before anything is sent.
 */
import { useState } from 'react';
import { useMutation } from 'urql';
import { Dialog } from '../../components/dialog.js';
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
import type { RunningOperation } from './app-detail-page.js';

const UpgradeAppDocument = graphql(`
  mutation UpgradeApp($input: UpgradeAppInput!) {
    upgradeApp(input: $input) {
      id
      kind
      valuesDiff {
        path
        before
        after
      }
    }
  }
`);

export function UpgradeDialog({
  app,
  onClose,
  onStarted,
}: {
  app: {
    clusterId: string;
    namespace: string;
    name: string;
    catalogId: string;
    chartName: string;
    chartVersion: string;
    values: unknown;
  };
  onClose: () => void;
  onStarted: (op: RunningOperation) => void;
}) {
  const t = useT();
  const yaml = useYaml();
  const [version, setVersion] = useState(app.chartVersion);
  const [text, setText] = useState<string>();
  const [state, upgrade] = useMutation(UpgradeAppDocument);
  const current = app.values ?? {};
  const shown = text ?? (yaml ? yaml.stringify(current) : undefined);
  const parsed = yaml && shown !== undefined ? parseValues(yaml, shown) : undefined;
  const changes = parsed && 'values' in parsed ? diffValues(current, parsed.values) : undefined;
  const submit = async () => {
    if (parsed === undefined || 'problem' in parsed) return;
    const r = await upgrade({
      input: {
        clusterId: app.clusterId,
        namespace: app.namespace,
        name: app.name,
        catalogId: app.catalogId,
        chart: app.chartName,
        version,
        values: parsed.values,
      },
    });
    if (r.data) onStarted(r.data.upgradeApp);
  };
  return (
    <Dialog title={t('apps.upgradeOf', { name: app.name })} onClose={onClose} wide>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <VersionSelect
          catalogId={app.catalogId}
          chart={app.chartName}
          value={version}
          onChange={setVersion}
        />
        <ValuesEditor yaml={yaml} value={shown ?? ''} onChange={setText} label={t('apps.values')} />
        <Section title={t('values.changes')}>
          {changes ? <ValuesDiff changes={changes} /> : null}
        </Section>
        <ErrorNotice error={state.error} />
        <div className="form-actions">
          <button
            type="submit"
            className="primary"
            disabled={state.fetching || parsed === undefined || 'problem' in parsed}
          >
            {t('apps.upgrade')}
          </button>
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
