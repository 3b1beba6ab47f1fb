/**
 * Says, once the permission answer is in, that the caller may look but not change: a reader
 * learns why there is no form, and a test has a sign that the answer arrived.
 */
import { useT } from '../i18n/i18n.js';

export function ReadOnlyHint({ can }: { can: readonly (boolean | undefined)[] }) {
  const t = useT();
  // Only when every answer is in and each is no.
  if (!can.every((answer) => answer === false)) return null;
  return (
    <p className="muted" data-read-only="true">
      {t('common.readOnlyHint')}
    </p>
  );
}
