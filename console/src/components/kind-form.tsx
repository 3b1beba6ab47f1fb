/**
 * The form of an object built from a kind's fields (notifiers, logging targets): a name, the
 * kind, that kind's settings and write-only secrets, and one on/off switch.
 */
import { type FormEvent, useId } from 'react';
import type { CombinedError } from 'urql';
import { useT } from '../i18n/i18n.js';
import { Dialog } from './dialog.js';
import { type KindField, KindFields } from './kind-fields.js';
import { ErrorNotice, Loading } from './notices.js';

export interface EditedKindObject<K extends string> {
  readonly name: string;
  readonly kind: K;
  readonly settings: unknown;
  readonly secretFields: readonly string[];
}

export function KindFormDialog<K extends string>({
  title,
  edited,
  kind,
  kinds,
  kindLabel,
  onKind,
  fields,
  toggle,
  kindsError,
  saveError,
  saving,
  onSubmit,
  onClose,
}: {
  title: string;
  edited: EditedKindObject<K> | undefined;
  kind: K;
  kinds: readonly K[];
  kindLabel: (kind: K) => string;
  onKind: (kind: K) => void;
  fields: readonly KindField[] | undefined;
  /** The on/off switch: its form name, label and initial state. */
  toggle: { name: string; label: string; checked: boolean };
  kindsError: CombinedError | undefined;
  saveError: CombinedError | undefined;
  saving: boolean;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  onClose: () => void;
}) {
  const t = useT();
  const ids = { name: useId(), kind: useId(), toggle: useId() };
  const sameKind = edited !== undefined && edited.kind === kind;
  return (
    <Dialog title={title} onClose={onClose}>
      <ErrorNotice error={kindsError} />
      <form onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor={ids.name}>{t('common.name')}</label>
          <input id={ids.name} name="name" required defaultValue={edited?.name ?? ''} />
        </div>
        <div className="field">
          <label htmlFor={ids.kind}>{t('common.kind')}</label>
          <select id={ids.kind} value={kind} onChange={(e) => onKind(e.target.value as K)}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
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
            settings={sameKind ? ((edited.settings ?? {}) as Record<string, unknown>) : {}}
            secretsSet={sameKind ? edited.secretFields : []}
          />
        )}
        <div className="field checkbox">
          <input
            id={ids.toggle}
            name={toggle.name}
            type="checkbox"
            defaultChecked={toggle.checked}
          />
          <label htmlFor={ids.toggle}>{toggle.label}</label>
        </div>
        <ErrorNotice error={saveError} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={saving}>
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
