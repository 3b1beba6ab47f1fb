/**
 * Helm values as YAML in a textarea, checked as the person types: a YAML syntax error or a
 * document that is not a map is shown under the editor. The chart's JSON schema is checked by
 * the API before anything is installed; its refusals list each bad value (ErrorNotice).
 */
import { useId } from 'react';
import { useT } from '../i18n/i18n.js';
import type { YamlModule } from '../lib/use-yaml.js';

/** The values map of a YAML text, or why it is not one. */
export function parseValues(
  yaml: YamlModule,
  text: string,
): { values: Record<string, unknown> } | { problem: string } {
  try {
    const parsed: unknown = text.trim() === '' ? {} : yaml.parse(text);
    if (parsed === null || parsed === undefined) return { values: {} };
    if (typeof parsed !== 'object' || Array.isArray(parsed)) return { problem: 'not-a-map' };
    return { values: parsed as Record<string, unknown> };
  } catch (err) {
    return { problem: (err as Error).message };
  }
}

export function ValuesEditor({
  yaml,
  value,
  onChange,
  label,
  readOnly,
}: {
  yaml: YamlModule | undefined;
  value: string;
  onChange?: (text: string) => void;
  label: string;
  readOnly?: boolean;
}) {
  const t = useT();
  const id = useId();
  const problemId = useId();
  const parsed = yaml === undefined ? undefined : parseValues(yaml, value);
  const problem = parsed !== undefined && 'problem' in parsed ? parsed.problem : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="yaml"
        spellCheck={false}
        rows={14}
        value={value}
        readOnly={readOnly}
        aria-invalid={problem !== undefined}
        aria-describedby={problem !== undefined ? problemId : undefined}
        onChange={(e) => onChange?.(e.target.value)}
      />
      {problem !== undefined ? (
        <p id={problemId} className="error-text" role="alert">
          {problem === 'not-a-map' ? t('values.notAMap') : t('yaml.invalid', { message: problem })}
        </p>
      ) : null}
    </div>
  );
}

export interface ValuesChangeRow {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** Every leaf that differs between two values maps, by dotted path (a preview of an upgrade). */
export function diffValues(before: unknown, after: unknown, path = ''): ValuesChangeRow[] {
  const isMap = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isMap(before) && isMap(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffValues(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [
    {
      path: path || '(root)',
      ...(before === undefined ? {} : { before }),
      ...(after === undefined ? {} : { after }),
    },
  ];
}

export function ValuesDiff({ changes }: { changes: readonly ValuesChangeRow[] }) {
  const t = useT();
  if (changes.length === 0) return <p className="muted">{t('values.noChanges')}</p>;
  const show = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{t('values.changes')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('values.path')}</th>
            <th scope="col">{t('values.before')}</th>
            <th scope="col">{t('values.after')}</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.path}>
              <td>
                <code>{c.path}</code>
              </td>
              <td>
                <code className="diff-before">{show(c.before)}</code>
              </td>
              <td>
                <code className="diff-after">{show(c.after)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
