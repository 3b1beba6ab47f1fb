/**
 * The YAML view and editor for any object: read with `kubernetesObject`, written back whole
 * with `replaceKubernetesObject`, both as the caller. The YAML library loads only when a
 * dialog opens, so it stays out of the first page's bundle.
 */
import { useEffect, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import { useT } from '../i18n/i18n.js';
import { Dialog } from './dialog.js';
import { ErrorNotice, Loading, MessageNotice } from './notices.js';

const ObjectDocument = graphql(`
  query KubernetesObject(
    $clusterId: ID!
    $apiVersion: String!
    $kind: String!
    $name: String!
    $namespace: String
  ) {
    kubernetesObject(
      clusterId: $clusterId
      apiVersion: $apiVersion
      kind: $kind
      name: $name
      namespace: $namespace
    )
  }
`);

const ReplaceDocument = graphql(`
  mutation ReplaceKubernetesObject($clusterId: ID!, $object: JSON!) {
    replaceKubernetesObject(clusterId: $clusterId, object: $object)
  }
`);

export interface ObjectRef {
  readonly clusterId: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string | null;
}

type YamlModule = typeof import('yaml');

export function YamlDialog({
  target,
  canEdit,
  onClose,
}: {
  target: ObjectRef;
  canEdit: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const id = useId();
  const [yaml, setYaml] = useState<YamlModule>();
  const [text, setText] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [result] = useQuery({
    query: ObjectDocument,
    variables: { ...target, namespace: target.namespace ?? null },
    requestPolicy: 'network-only',
  });
  const [replaceState, replace] = useMutation(ReplaceDocument);
  useEffect(() => {
    void import('yaml').then(setYaml);
  }, []);
  useEffect(() => {
    const object = result.data?.kubernetesObject as
      | { metadata?: Record<string, unknown> }
      | undefined;
    if (yaml === undefined || object === undefined || text !== undefined) return;
    const { managedFields: _, ...metadata } = object.metadata ?? {};
    setText(yaml.stringify({ ...object, metadata }));
  }, [yaml, result.data, text]);

  const save = async () => {
    if (yaml === undefined || text === undefined) return;
    setProblem(undefined);
    setSaved(false);
    let object: unknown;
    try {
      object = yaml.parse(text);
    } catch (err) {
      setProblem(t('yaml.invalid', { message: (err as Error).message }));
      return;
    }
    const r = await replace({ clusterId: target.clusterId, object });
    if (!r.error) {
      const replaced = (r.data?.replaceKubernetesObject ?? {}) as {
        metadata?: Record<string, unknown>;
      };
      const { managedFields: _, ...metadata } = replaced.metadata ?? {};
      setText(yaml.stringify({ ...replaced, metadata }));
      setSaved(true);
    }
  };

  return (
    <Dialog
      title={t('yaml.title', { kind: target.kind, name: target.name })}
      onClose={onClose}
      wide
    >
      <ErrorNotice error={result.error} />
      {text === undefined && !result.error ? <Loading /> : null}
      {text !== undefined ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label htmlFor={id} className="visually-hidden">
            {t('yaml.label')}
          </label>
          <textarea
            id={id}
            className="yaml"
            spellCheck={false}
            value={text}
            readOnly={!canEdit}
            onChange={(e) => setText(e.target.value)}
            rows={24}
          />
          {problem ? <MessageNotice kind="error" message={problem} /> : null}
          <ErrorNotice error={replaceState.error} />
          {saved ? <MessageNotice kind="ok" message={t('yaml.saved')} /> : null}
          <div className="form-actions">
            {canEdit ? (
              <button type="submit" className="primary" disabled={replaceState.fetching}>
                {t('common.save')}
              </button>
            ) : null}
            <button type="button" onClick={onClose}>
              {t('common.close')}
            </button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}

/** A button that opens the YAML dialog of one object. */
export function YamlButton({ target, canEdit }: { target: ObjectRef; canEdit: boolean }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="link-button"
        onClick={() => setOpen(true)}
        aria-label={t('yaml.open', { name: target.name })}
      >
        YAML
      </button>
      {open ? (
        <YamlDialog target={target} canEdit={canEdit} onClose={() => setOpen(false)} />
      ) : null}
    </>
  );
}
