/**
 * The form of a notifier or logging target kind, built from the API's description of the
 * kind (`notifierKinds`, `loggingTargetKinds`): each setting as the input its type needs and
 * each secret as a write-only password field, left empty to keep the stored value.
 */
import { useId } from 'react';
import type { FieldType } from '../gql/graphql';
import { en, type MessageKey } from '../i18n/en.js';
import { useT } from '../i18n/i18n.js';

export interface KindField {
  readonly name: string;
  readonly type: FieldType;
  readonly required: boolean;
  readonly values?: readonly string[] | null;
  readonly min?: number | null;
  readonly max?: number | null;
  readonly pattern?: string | null;
}

/** Multi-line settings: certificates. */
const LONG_TEXT = new Set(['caPem']);

export function KindFields({
  fields,
  settings,
  secretsSet,
}: {
  fields: readonly KindField[];
  settings: Readonly<Record<string, unknown>>;
  secretsSet: readonly string[];
}) {
  const base = useId();
  return (
    <div className="kind-fields">
      {fields.map((f) => (
        <FieldInput
          key={f.name}
          id={`${base}-${f.name}`}
          field={f}
          value={settings[f.name]}
          isSet={secretsSet.includes(f.name)}
        />
      ))}
    </div>
  );
}

function FieldInput({
  id,
  field,
  value,
  isSet,
}: {
  id: string;
  field: KindField;
  value: unknown;
  isSet: boolean;
}) {
  const t = useT();
  const known = `field.${field.name}` as MessageKey;
  const label = known in en ? t(known) : field.name;
  const name = `${field.type === 'SECRET' ? 'secret' : 'setting'}.${field.name}`;
  const text = (
    <label htmlFor={id}>
      {label}
      {field.required ? <span aria-hidden="true"> *</span> : null}
    </label>
  );
  switch (field.type) {
    case 'SECRET':
      return (
        <div className="field">
          {text}
          <input
            id={id}
            name={name}
            type="password"
            autoComplete="new-password"
            required={field.required && !isSet}
            placeholder={isSet ? t('common.keepSecret') : ''}
          />
        </div>
      );
    case 'BOOLEAN':
      return (
        <div className="field checkbox">
          <input id={id} name={name} type="checkbox" defaultChecked={value === true} />
          {text}
        </div>
      );
    case 'ENUM':
      return (
        <div className="field">
          {text}
          <select id={id} name={name} defaultValue={typeof value === 'string' ? value : ''}>
            {field.required ? null : <option value="">{t('field.default')}</option>}
            {(field.values ?? []).map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </div>
      );
    case 'NUMBER':
      return (
        <div className="field">
          {text}
          <input
            id={id}
            name={name}
            type="number"
            required={field.required}
            min={field.min ?? undefined}
            max={field.max ?? undefined}
            defaultValue={typeof value === 'number' ? value : undefined}
          />
        </div>
      );
    case 'STRINGS':
      return (
        <div className="field">
          {text}
          <textarea
            id={id}
            name={name}
            rows={2}
            required={field.required}
            aria-describedby={`${id}-hint`}
            defaultValue={Array.isArray(value) ? value.join('\n') : ''}
          />
          <span id={`${id}-hint`} className="small muted">
            {t('field.oneALine')}
          </span>
        </div>
      );
    default:
      return (
        <div className="field">
          {text}
          {LONG_TEXT.has(field.name) ? (
            <textarea
              id={id}
              name={name}
              rows={3}
              required={field.required}
              defaultValue={typeof value === 'string' ? value : ''}
            />
          ) : (
            <input
              id={id}
              name={name}
              required={field.required}
              pattern={field.pattern ?? undefined}
              defaultValue={typeof value === 'string' ? value : ''}
            />
          )}
        </div>
      );
  }
}

/** Settings and secrets out of a form that holds `KindFields`. */
export function readKindFields(
  fields: readonly KindField[],
  data: FormData,
): { settings: Record<string, unknown>; secrets: Record<string, string> } {
  const settings: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const f of fields) {
    if (f.type === 'SECRET') {
      const v = String(data.get(`secret.${f.name}`) ?? '');
      if (v !== '') secrets[f.name] = v;
      continue;
    }
    const raw = data.get(`setting.${f.name}`);
    switch (f.type) {
      case 'BOOLEAN':
        settings[f.name] = raw === 'on';
        break;
      case 'NUMBER':
        if (raw !== null && String(raw).trim() !== '') settings[f.name] = Number(raw);
        break;
      case 'STRINGS': {
        const list = String(raw ?? '')
          .split(/[\n,]/)
          .map((s) => s.trim())
          .filter(Boolean);
        if (list.length > 0) settings[f.name] = list;
        break;
      }
      default:
        if (raw !== null && String(raw).trim() !== '') settings[f.name] = String(raw).trim();
    }
  }
  return { settings, secrets };
}
