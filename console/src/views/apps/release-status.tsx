/** Helm's release status as a badge: deployed is good, failed bad, the pending ones unknown. */
import { StatusBadge } from '../../components/data-table.js';

export function ReleaseStatus({ status }: { status: string }) {
  const ok = status === 'deployed' ? true : status === 'failed' ? false : undefined;
  return <StatusBadge ok={ok} label={status} />;
}
