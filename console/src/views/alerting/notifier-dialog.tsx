/** Creates or edits a notifier: its kind's settings, write-only secrets, and resolutions. */
import { type FormEvent, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Dialog } from '../../components/dialog.js';
import { KindFields, readKindFields } from '../../components/kind-fields.js';
import { ErrorNotice, Loading } from '../../components/notices.js';
import { graphql } from '../../gql';
import type { NotifierKind } from '../../gql/graphql';
import { useT } from '../../i18n/i18n.js';

const NotifierKindsDocument = graphql(`
  query NotifierKinds {
    notifierKinds {
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

const CreateNotifierDocument = graphql(`
  mutation CreateNotifier($clusterId: ID!, $input: NotifierInputType!) {
    createNotifier(clusterId: $clusterId, input: $input) {
      id
    }
  }
`);

const UpdateNotifierDocument = graphql(`
  mutation UpdateNotifier($id: ID!, $input: NotifierInputType!) {
    updateNotifier(id: $id, input: $input) {
      id
    }
  }
`);

export interface EditedNotifier {
  readonly id: string;
  readonly name: string;
  readonly kind: NotifierKind;
  readonly settings: unknown;
  readonly secretFields: readonly string[];
  readonly sendResolved: boolean;
}

export function NotifierDialog({
  clusterId,
  notifier,
  onClose,
  onSaved,
}: {
  clusterId: string;
  notifier?: EditedNotifier;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const ids = { name: useId(), kind: useId(), resolved: useId() };
  const [kinds] = useQuery({ query: NotifierKindsDocument });
  const [kind, setKind] = useState<NotifierKind>(notifier?.kind ?? 'WEBHOOK');
  const [createState, create] = useMutation(CreateNotifierDocument);
  const [updateState, update] = useMutation(UpdateNotifierDocument);
  const fields = kinds.data?.notifierKinds.find((k) => k.kind === kind)?.fields;
  const sameKind = notifier !== undefined && notifier.kind === kind;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (fields === undefined) return;
    const data = new FormData(e.currentTarget);
    const { settings, secrets } = readKindFields(fields, data);
    const input = {
      name: String(data.get('name') ?? '').trim(),
      kind,
      settings,
      secrets,
      sendResolved: data.get('resolved') === 'on',
    };
    const r = notifier
      ? await update({ id: notifier.id, input })
      : await create({ clusterId, input });
    if (!r.error) onSaved();
  };
  return (
    <Dialog
      title={notifier ? t('notifiers.editOf', { name: notifier.name }) : t('notifiers.add')}
      onClose={onClose}
    >
      <ErrorNotice error={kinds.error} />
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor={ids.name}>{t('common.name')}</label>
          <input id={ids.name} name="name" required defaultValue={notifier?.name ?? ''} />
        </div>
        <div className="field">
          <label htmlFor={ids.kind}>{t('common.kind')}</label>
          <select
            id={ids.kind}
            value={kind}
            onChange={(e) => setKind(e.target.value as NotifierKind)}
          >
            {(kinds.data?.notifierKinds ?? [{ kind }]).map((k) => (
              <option key={k.kind} value={k.kind}>
                {t(`notifiers.kind.${k.kind}`)}
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
            settings={sameKind ? ((notifier.settings ?? {}) as Record<string, unknown>) : {}}
            secretsSet={sameKind ? notifier.secretFields : []}
          />
        )}
        <div className="field checkbox">
          <input
            id={ids.resolved}
            name="resolved"
            type="checkbox"
            defaultChecked={notifier?.sendResolved ?? true}
          />
          <label htmlFor={ids.resolved}>{t('notifiers.sendResolved')}</label>
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
