/**
 * Choosing where a multi-cluster app runs: a namespace of a project in a cluster, from the
 * projects the caller sees. Each pick is one `{ clusterId, projectId, namespace }` target.
 */
import { useId, useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';

const TargetChoicesDocument = graphql(`
  query TargetChoices {
    projects(first: 500) {
      items {
        id
        clusterId
        projectId
        name
        namespaces
      }
    }
  }
`);

export interface TargetChoice {
  readonly clusterId: string;
  readonly projectId: string;
  readonly namespace: string;
}

export const targetKey = (t: { clusterId: string; namespace: string }) =>
  `${t.clusterId}/${t.namespace}`;

export function TargetPicker({
  onPick,
  taken,
  label,
}: {
  onPick: (target: TargetChoice) => void;
  taken: readonly { clusterId: string; namespace: string }[];
  label: string;
}) {
  const t = useT();
  const id = useId();
  const [result] = useQuery({ query: TargetChoicesDocument });
  const [choice, setChoice] = useState('');
  const used = new Set(taken.map(targetKey));
  const options = (result.data?.projects.items ?? []).flatMap((p) =>
    p.namespaces
      .filter((ns) => !used.has(`${p.clusterId}/${ns}`))
      .map((ns) => ({
        value: JSON.stringify({ clusterId: p.clusterId, projectId: p.projectId, namespace: ns }),
        text: `${p.clusterId} · ${p.name} · ${ns}`,
      })),
  );
  const pick = () => {
    const chosen = choice || options[0]?.value;
    if (!chosen) return;
    onPick(JSON.parse(chosen) as TargetChoice);
    setChoice('');
  };
  return (
    <div className="inline-form">
      <div className="field">
        <label htmlFor={id}>{t('mca.targetChoice')}</label>
        <select id={id} value={choice} onChange={(e) => setChoice(e.target.value)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.text}
            </option>
          ))}
        </select>
      </div>
      <button type="button" onClick={pick} disabled={options.length === 0}>
        {label}
      </button>
    </div>
  );
}
