/** Creates or edits a logging target: its kind's settings and write-only secrets. */
import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { readKindFields } from '../../components/kind-fields.js';
import { KindFormDialog } from '../../components/kind-form.js';
import { graphql } from '../../gql';
import type { LoggingTargetKind } from '../../gql/graphql';
import { useT } from '../../i18n/i18n.js';

const LoggingTargetKindsDocument = graphql(`
  query LoggingTargetKinds {
    loggingTargetKinds {
      kind
      fields {
        name
        type
        required
        values
        min
        max
        pattern
      }
    }
  }
`);

const CreateLoggingTargetDocument = graphql(`
  mutation CreateLoggingTarget($clusterId: ID!, $projectId: ID, $input: LoggingTargetInputType!) {
    createLoggingTarget(clusterId: $clusterId, projectId: $projectId, input: $input) {
      id
    }
  }
`);

const UpdateLoggingTargetDocument = graphql(`
  mutation UpdateLoggingTarget($id: ID!, $input: LoggingTargetInputType!) {
    updateLoggingTarget(id: $id, input: $input) {
      id
    }
  }
`);

export interface EditedTarget {
  readonly id: string;
  readonly name: string;
  readonly kind: LoggingTargetKind;
  readonly enabled: boolean;
  readonly settings: unknown;
  readonly secretFields: readonly string[];
}

export function LoggingTargetDialog({
  clusterId,
  projectId,
  target,
  onClose,
  onSaved,
}: {
  clusterId: string;
  projectId?: string;
  target?: EditedTarget;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const [kinds] = useQuery({ query: LoggingTargetKindsDocument });
  const [kind, setKind] = useState<LoggingTargetKind>(target?.kind ?? 'SYSLOG');
  const [createState, create] = useMutation(CreateLoggingTargetDocument);
  const [updateState, update] = useMutation(UpdateLoggingTargetDocument);
  const fields = kinds.data?.loggingTargetKinds.find((k) => k.kind === kind)?.fields;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (fields === undefined) return;
    const data = new FormData(e.currentTarget);
    const { settings, secrets } = readKindFields(fields, data);
    const input = {
      name: String(data.get('name') ?? '').trim(),
      kind,
      enabled: data.get('enabled') === 'on',
      settings,
      secrets,
    };
    const r = target
      ? await update({ id: target.id, input })
      : await create({ clusterId, projectId: projectId ?? null, input });
    if (!r.error) onSaved();
  };
  return (
    <KindFormDialog
      title={target ? t('logging.editOf', { name: target.name }) : t('logging.add')}
      edited={target}
      kind={kind}
      kinds={(kinds.data?.loggingTargetKinds ?? [{ kind }]).map((k) => k.kind)}
      kindLabel={(k) => t(`logging.kind.${k}`)}
      onKind={setKind}
      fields={fields}
      toggle={{ name: 'enabled', label: t('users.enabled'), checked: target?.enabled ?? true }}
      kindsError={kinds.error}
      saveError={createState.error ?? updateState.error}
      saving={createState.fetching || updateState.fetching}
      onSubmit={submit}
      onClose={onClose}
    />
  );
}
