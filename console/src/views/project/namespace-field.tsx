/** The namespace a new object of a project goes into: one of the project's namespaces. */
import { useId } from 'react';
import { useT } from '../../i18n/i18n.js';

export function NamespaceField({ namespaces }: { namespaces: readonly string[] }) {
  const t = useT();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('common.namespace')}</label>
      <select id={id} name="namespace">
        {namespaces.map((ns) => (
          <option key={ns}>{ns}</option>
        ))}
      </select>
    </div>
  );
}

/** `app=web, tier=front` as a label map; an entry without `=` is refused by name. */
export function parseLabels(text: string): Record<string, string> | string {
  const labels: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return part;
    labels[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return labels;
}
