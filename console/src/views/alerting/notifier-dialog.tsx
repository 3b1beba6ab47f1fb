/** Creates or edits a notifier: its kind's settings, write-only secrets, and resolutions. */
import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { readKindFields } from '../../components/kind-fields.js';
import { KindFormDialog } from '../../components/kind-form.js';
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
  const [kinds] = useQuery({ query: NotifierKindsDocument });
  const [kind, setKind] = useState<NotifierKind>(notifier?.kind ?? 'WEBHOOK');
  const [createState, create] = useMutation(CreateNotifierDocument);
  const [updateState, update] = useMutation(UpdateNotifierDocument);
  const fields = kinds.data?.notifierKinds.find((k) => k.kind === kind)?.fields;
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
    <KindFormDialog
      title={notifier ? t('notifiers.editOf', { name: notifier.name }) : t('notifiers.add')}
      edited={notifier}
      kind={kind}
      kinds={(kinds.data?.notifierKinds ?? [{ kind }]).map((k) => k.kind)}
      kindLabel={(k) => t(`notifiers.kind.${k}`)}
      onKind={setKind}
      fields={fields}
      toggle={{
        name: 'resolved',
        label: t('notifiers.sendResolved'),
        checked: notifier?.sendResolved ?? true,
      }}
      kindsError={kinds.error}
      saveError={createState.error ?? updateState.error}
      saving={createState.fetching || updateState.fetching}
      onSubmit={submit}
      onClose={onClose}
    />
  );
}
