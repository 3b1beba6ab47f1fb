/** A multi-cluster app target's state as a badge. */
import { StatusBadge } from '../../components/data-table.js';
import type { MultiClusterAppTargetState } from '../../gql/graphql';
import { useT } from '../../i18n/i18n.js';

export function TargetState({ state }: { state: MultiClusterAppTargetState }) {
  const t = useT();
  const ok =
    state === 'DEPLOYED' ? true : state === 'FAILED' || state === 'DRIFTED' ? false : undefined;
  return <StatusBadge ok={ok} label={t(`mca.state.${state}`)} />;
}
