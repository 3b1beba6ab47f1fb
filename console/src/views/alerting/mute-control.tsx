/** Mutes a rule's notifications for a chosen time, or unmutes it. */
import { useId, useState } from 'react';
import { useMutation } from 'urql';
import { ErrorNotice } from '../../components/notices.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';

const MuteAlertRuleDocument = graphql(`
  mutation MuteAlertRule($id: ID!, $until: DateTimeISO) {
    muteAlertRule(id: $id, until: $until) {
      id
      mutedUntil
    }
  }
`);

const HOURS = [1, 4, 24, 168];

export function MuteControl({
  rule,
  onChanged,
}: {
  rule: { id: string; name: string; mutedUntil?: string | null };
  onChanged: () => void;
}) {
  const t = useT();
  const id = useId();
  const [hours, setHours] = useState(1);
  const [state, mute] = useMutation(MuteAlertRuleDocument);
  if (rule.mutedUntil && new Date(rule.mutedUntil).getTime() > Date.now()) {
    return (
      <>
        <button
          type="button"
          onClick={() => void mute({ id: rule.id, until: null }).then(onChanged)}
          aria-label={t('alerts.unmuteOf', { name: rule.name })}
        >
          {t('alerts.unmute')}
        </button>
        <ErrorNotice error={state.error} />
      </>
    );
  }
  return (
    <span className="mute">
      <label htmlFor={id} className="visually-hidden">
        {t('alerts.muteFor', { name: rule.name })}
      </label>
      <select id={id} value={hours} onChange={(e) => setHours(Number(e.target.value))}>
        {HOURS.map((h) => (
          <option key={h} value={h}>
            {t('alerts.hours', { hours: h })}
          </option>
        ))}
      </select>
      <button
        type="button"
        onClick={() =>
          void mute({
            id: rule.id,
            until: new Date(Date.now() + hours * 3_600_000).toISOString(),
          }).then(onChanged)
        }
        aria-label={t('alerts.muteOf', { name: rule.name })}
      >
        {t('alerts.mute')}
      </button>
      <ErrorNotice error={state.error} />
    </span>
  );
}
