/** Waiting for an app operation to end, through GraphQL. */
import { waitFor } from '../../../support/wait-for.js';
import type { AppsHarness, HarnessUser } from './apps-harness.js';

export const OPERATION_FIELDS =
  'id kind state error log logTruncated releaseName valuesDiff { path before after }';

export interface OperationRow {
  id: string;
  kind: string;
  state: string;
  error: string | null;
  log: string[];
  valuesDiff: { path: string; before: unknown; after: unknown }[] | null;
}

export async function operationEnd(
  h: AppsHarness,
  user: HarnessUser,
  id: string,
  timeoutMs = 90_000,
): Promise<OperationRow> {
  return waitFor(
    `operation ${id} to end`,
    async () => {
      const data = await h.ok(
        user,
        `query($id: ID!) { appOperation(id: $id) { ${OPERATION_FIELDS} } }`,
        { id },
      );
      const op = data.appOperation as OperationRow;
      return op.state === 'RUNNING' ? undefined : op;
    },
    { timeoutMs, intervalMs: 200 },
  );
}
