/**
 * Creates or edits a config map or a secret. A secret's values are read only when its dialog
 * opens (`values`, read again as the caller) and written back whole.
 */
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Dialog } from '../../components/dialog.js';
import { ErrorNotice } from '../../components/notices.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';
import { fromPairs, KeyValueEditor, type Pair, toPairs } from './key-value-editor.js';

const SecretValuesDocument = graphql(`
  query SecretValues($clusterId: ID!, $namespace: String!, $name: String!) {
    secrets(filter: { clusterIds: [$clusterId], namespaces: [$namespace], nameContains: $name }, first: 50) {
      items {
        name
        type
        values
      }
    }
  }
`);

const SaveConfigMapDocument = graphql(`
  mutation SaveConfigMap($input: ConfigMapInput!, $create: Boolean!) {
    createConfigMap(input: $input) @include(if: $create) {
      id
    }
    updateConfigMap(input: $input) @skip(if: $create) {
      id
    }
  }
`);

const SaveSecretDocument = graphql(`
  mutation SaveSecret($input: SecretInput!, $create: Boolean!) {
    createSecret(input: $input) @include(if: $create) {
      id
    }
    updateSecret(input: $input) @skip(if: $create) {
      id
    }
  }
`);

export interface ConfigTarget {
  readonly kind: 'configMap' | 'secret';
  readonly namespace?: string;
  readonly name?: string;
  readonly data?: unknown;
  readonly type?: string;
}

export function ConfigDialog({
  clusterId,
  namespaces,
  target,
  onClose,
  onSaved,
}: {
  clusterId: string;
  namespaces: readonly string[];
  target: ConfigTarget;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const ids = { name: useId(), ns: useId() };
  const creating = target.name === undefined;
  const secret = target.kind === 'secret';
  const [pairs, setPairs] = useState<Pair[]>(secret ? [] : toPairs(target.data));
  const [values] = useQuery({
    query: SecretValuesDocument,
    variables: { clusterId, namespace: target.namespace ?? '', name: target.name ?? '' },
    pause: !secret || creating,
    requestPolicy: 'network-only',
  });
  useEffect(() => {
    const found = values.data?.secrets.items.find((s) => s.name === target.name);
    if (found) setPairs(toPairs(found.values));
  }, [values.data, target.name]);
  const [cmState, saveConfigMap] = useMutation(SaveConfigMapDocument);
  const [secretState, saveSecret] = useMutation(SaveSecretDocument);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const name = target.name ?? String(form.get('name'));
    const namespace = target.namespace ?? String(form.get('namespace'));
    const data = fromPairs(pairs);
    const r = secret
      ? await saveSecret({
          create: creating,
          input: {
            clusterId,
            namespace,
            name,
            data,
            ...(target.type ? { type: target.type } : {}),
          },
        })
      : await saveConfigMap({ create: creating, input: { clusterId, namespace, name, data } });
    if (!r.error) {
      onSaved();
      onClose();
    }
  };
  const title = creating
    ? t(secret ? 'config.newSecret' : 'config.newConfigMap')
    : t('config.edit', { name: target.name ?? '' });
  return (
    <Dialog title={title} onClose={onClose} wide>
      <form onSubmit={submit}>
        {creating ? (
          <>
            <div className="field">
              <label htmlFor={ids.name}>{t('common.name')}</label>
              <input id={ids.name} name="name" required />
            </div>
            <div className="field">
              <label htmlFor={ids.ns}>{t('common.namespace')}</label>
              <select id={ids.ns} name="namespace">
                {namespaces.map((ns) => (
                  <option key={ns}>{ns}</option>
                ))}
              </select>
            </div>
          </>
        ) : null}
        <ErrorNotice error={values.error} />
        <KeyValueEditor pairs={pairs} onChange={setPairs} secret={secret} />
        <ErrorNotice error={cmState.error ?? secretState.error} />
        <div className="form-actions">
          <button
            type="submit"
            className="primary"
            disabled={cmState.fetching || secretState.fetching}
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
