/** Replicas of one workload: a number field and a Scale button (`scaleWorkload`). */
import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { WorkloadRefInput } from '../../gql/graphql';
import { useT } from '../../i18n/i18n.js';

const ScaleDocument = graphql(`
  mutation ScaleWorkload($workload: WorkloadRefInput!, $replicas: Int!) {
    scaleWorkload(workload: $workload, replicas: $replicas) {
      id
      replicas
    }
  }
`);

export function ScaleControl({
  workload,
  replicas,
  onScaled,
}: {
  workload: WorkloadRefInput;
  replicas: number;
  onScaled: () => void;
}) {
  const t = useT();
  const id = useId();
  const [value, setValue] = useState(String(replicas));
  const [state, scale] = useMutation(ScaleDocument);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await scale({ workload, replicas: Number(value) });
    if (!r.error) onScaled();
  };
  return (
    <form className="scale" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        {t('workloads.replicasOf', { name: workload.name })}
      </label>
      <input
        id={id}
        type="number"
        min={0}
        max={1000}
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      <button type="submit" disabled={state.fetching || Number(value) === replicas}>
        {t('workloads.scale')}
      </button>
      {state.error ? (
        <span role="alert" className="error-text">
          {state.error.graphQLErrors[0]?.message ?? state.error.message}
        </span>
      ) : null}
    </form>
  );
}
