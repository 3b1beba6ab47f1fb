/** Creates or edits a logging target: its kind's settings and write-only secrets. */
import { type FormEvent, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Dialog } from '../../components/dialog.js';
import { KindFields, readKindFields } from '../../components/kind-fields.js';
import { ErrorNotice, Loading } from '../../components/notices.js';
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
  const ids = { name: useId(), kind: useId(), enabled: useId() };
  const [kinds] = useQuery({ query: LoggingTargetKindsDocument });
  const [kind, setKind] = useState<LoggingTargetKind>(target?.kind ?? 'SYSLOG');
  const [createState, create] = useMutation(CreateLoggingTargetDocument);
  const [updateState, update] = useMutation(UpdateLoggingTargetDocument);
  const fields = kinds.data?.loggingTargetKinds.find((k) => k.kind === kind)?.fields;
  const sameKind = target !== undefined && target.kind === kind;
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
    <Dialog
      title={target ? t('logging.editOf', { name: target.name }) : t('logging.add')}
      onClose={onClose}
    >
      <ErrorNotice error={kinds.error} />
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor={ids.name}>{t('common.name')}</label>
          <input id={ids.name} name="name" required defaultValue={target?.name ?? ''} />
        </div>
        <div className="field">
          <label htmlFor={ids.kind}>{t('common.kind')}</label>
          <select
            id={ids.kind}
            value={kind}
            onChange={(e) => setKind(e.target.value as LoggingTargetKind)}
          >
            {(kinds.data?.loggingTargetKinds ?? [{ kind }]).map((k) => (
              <option key={k.kind} value={k.kind}>
                {t(`logging.kind.${k.kind}`)}
              </option>
            ))}
          </select>
        </div>
        {fields === undefined ? (
          <Loading />
        ) : (
          <KindFields
            key={kind}
            fields={fields}
            settings={sameKind ? ((target.settings ?? {}) as Record<string, unknown>) : {}}
            secretsSet={sameKind ? target.secretFields : []}
          />
        )}
        <div className="field checkbox">
          <input
            id={ids.enabled}
            name="enabled"
            type="checkbox"
            defaultChecked={target?.enabled ?? true}
          />
          <label htmlFor={ids.enabled}>{t('users.enabled')}</label>
        </div>
        <ErrorNotice error={createState.error ?? updateState.error} />
        <div className="form-actions">
          <button
            type="submit"
            className="primary"
            disabled={createState.fetching || updateState.fetching}
          >
            {t('common.save')}
          </button>
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
