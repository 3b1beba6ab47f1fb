/**
 * Creates or edits an alert rule: the condition (the kinds of its layer, each with its own
 * parameters), severity, how long it must hold, the notifiers it goes to, and the grouping
 * timers of the Alertmanager model.
 */
import { type FormEvent, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Dialog } from '../../components/dialog.js';
import { ErrorNotice } from '../../components/notices.js';
import { graphql } from '../../gql';
import type { AlertConditionInput, AlertConditionKind, AlertSeverity } from '../../gql/graphql';
import { useT } from '../../i18n/i18n.js';
import type { AlertRuleRow } from './alert-rules-panel.js';

const RuleNotifiersDocument = graphql(`
  query RuleNotifiers($clusterId: ID!, $projectId: ID) {
    notifiers(clusterId: $clusterId, projectId: $projectId) {
      id
      name
      kind
    }
  }
`);

const CreateAlertRuleDocument = graphql(`
  mutation CreateAlertRule($clusterId: ID!, $projectId: ID, $input: AlertRuleInputType!) {
    createAlertRule(clusterId: $clusterId, projectId: $projectId, input: $input) {
      id
    }
  }
`);

const UpdateAlertRuleDocument = graphql(`
  mutation UpdateAlertRule($id: ID!, $input: AlertRuleInputType!) {
    updateAlertRule(id: $id, input: $input) {
      id
    }
  }
`);

const CLUSTER_KINDS: readonly AlertConditionKind[] = [
  'NODE_CONDITION',
  'CLUSTER_UNHEALTHY',
  'RESOURCE_REQUESTS',
  'WARNING_EVENT',
  'SYSTEM_COMPONENT_UNHEALTHY',
];
const PROJECT_KINDS: readonly AlertConditionKind[] = [
  'WORKLOAD_UNAVAILABLE',
  'POD_RESTARTS',
  'JOB_FAILED',
  'PVC_PENDING',
];
const NODE_CONDITIONS = [
  'NOT_READY',
  'CORDONED',
  'MEMORY_PRESSURE',
  'DISK_PRESSURE',
  'PID_PRESSURE',
] as const;
const SEVERITIES: readonly AlertSeverity[] = ['CRITICAL', 'WARNING', 'INFO'];

export function AlertRuleDialog({
  clusterId,
  projectId,
  rule,
  onClose,
  onSaved,
}: {
  clusterId: string;
  projectId?: string;
  rule?: AlertRuleRow;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const kinds = projectId === undefined ? CLUSTER_KINDS : PROJECT_KINDS;
  const [kind, setKind] = useState<AlertConditionKind>(
    rule?.condition.kind ?? kinds[0] ?? 'NODE_CONDITION',
  );
  const ids = {
    name: useId(),
    kind: useId(),
    severity: useId(),
    forSeconds: useId(),
    enabled: useId(),
    nodeCondition: useId(),
    resource: useId(),
    threshold: useId(),
    reason: useId(),
    involvedKind: useId(),
    window: useId(),
    namespace: useId(),
    available: useId(),
    restarts: useId(),
    groupWait: useId(),
    groupInterval: useId(),
    repeat: useId(),
  };
  const [notifiers] = useQuery({
    query: RuleNotifiersDocument,
    variables: { clusterId, projectId: projectId ?? null },
  });
  const [createState, create] = useMutation(CreateAlertRuleDocument);
  const [updateState, update] = useMutation(UpdateAlertRuleDocument);
  const c = rule?.condition;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const text = (k: string) => String(data.get(k) ?? '').trim();
    const num = (k: string) => (text(k) === '' ? undefined : Number(text(k)));
    const condition: AlertConditionInput = { kind };
    switch (kind) {
      case 'NODE_CONDITION':
        condition.nodeCondition = text('nodeCondition') as AlertConditionInput['nodeCondition'];
        break;
      case 'RESOURCE_REQUESTS':
        condition.resource = text('resource') as AlertConditionInput['resource'];
        condition.thresholdPercent = num('threshold') ?? null;
        break;
      case 'WARNING_EVENT':
        condition.reason = text('reason') || null;
        condition.involvedKind = text('involvedKind') || null;
        condition.windowSeconds = num('window') ?? null;
        break;
      case 'SYSTEM_COMPONENT_UNHEALTHY':
        condition.namespace = text('namespace') || null;
        break;
      case 'WORKLOAD_UNAVAILABLE':
        condition.availablePercent = num('available') ?? null;
        break;
      case 'POD_RESTARTS':
        condition.restarts = num('restarts') ?? null;
        condition.windowSeconds = num('window') ?? null;
        break;
      default:
        break;
    }
    const input = {
      name: text('name'),
      severity: text('severity') as AlertSeverity,
      enabled: data.get('enabled') === 'on',
      forSeconds: num('forSeconds') ?? null,
      groupWaitSeconds: num('groupWait') ?? null,
      groupIntervalSeconds: num('groupInterval') ?? null,
      repeatIntervalSeconds: num('repeat') ?? null,
      notifierIds: data.getAll('notifier').map(String),
      condition,
    };
    const r = rule
      ? await update({ id: rule.id, input })
      : await create({ clusterId, projectId: projectId ?? null, input });
    if (!r.error) onSaved();
  };
  const numberField = (
    id: string,
    name: string,
    label: string,
    value: number | null | undefined,
    min = 0,
  ) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} type="number" min={min} defaultValue={value ?? undefined} />
    </div>
  );
  return (
    <Dialog
      title={rule ? t('alerts.editOf', { name: rule.name }) : t('alerts.newRule')}
      onClose={onClose}
      wide
    >
      <form onSubmit={submit}>
        <div className="inline-form">
          <div className="field">
            <label htmlFor={ids.name}>{t('common.name')}</label>
            <input id={ids.name} name="name" required defaultValue={rule?.name ?? ''} />
          </div>
          <div className="field">
            <label htmlFor={ids.severity}>{t('alerts.severity')}</label>
            <select id={ids.severity} name="severity" defaultValue={rule?.severity ?? 'WARNING'}>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {t(`alerts.severity.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field checkbox">
            <input
              id={ids.enabled}
              name="enabled"
              type="checkbox"
              defaultChecked={rule?.enabled ?? true}
            />
            <label htmlFor={ids.enabled}>{t('users.enabled')}</label>
          </div>
        </div>
        <fieldset>
          <legend>{t('alerts.condition')}</legend>
          <div className="inline-form">
            <div className="field">
              <label htmlFor={ids.kind}>{t('alerts.conditionKind')}</label>
              <select
                id={ids.kind}
                value={kind}
                onChange={(e) => setKind(e.target.value as AlertConditionKind)}
              >
                {kinds.map((k) => (
                  <option key={k} value={k}>
                    {t(`alerts.kind.${k}`)}
                  </option>
                ))}
              </select>
            </div>
            {kind === 'NODE_CONDITION' ? (
              <div className="field">
                <label htmlFor={ids.nodeCondition}>{t('alerts.nodeCondition')}</label>
                <select
                  id={ids.nodeCondition}
                  name="nodeCondition"
                  defaultValue={c?.nodeCondition ?? 'NOT_READY'}
                >
                  {NODE_CONDITIONS.map((n) => (
                    <option key={n} value={n}>
                      {t(`alerts.node.${n}`)}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            {kind === 'RESOURCE_REQUESTS' ? (
              <>
                <div className="field">
                  <label htmlFor={ids.resource}>{t('alerts.resource')}</label>
                  <select id={ids.resource} name="resource" defaultValue={c?.resource ?? 'CPU'}>
                    <option value="CPU">{t('capacity.cpu')}</option>
                    <option value="MEMORY">{t('capacity.memory')}</option>
                  </select>
                </div>
                {numberField(
                  ids.threshold,
                  'threshold',
                  t('alerts.threshold'),
                  c?.thresholdPercent ?? 80,
                  1,
                )}
              </>
            ) : null}
            {kind === 'WARNING_EVENT' ? (
              <>
                <div className="field">
                  <label htmlFor={ids.reason}>{t('alerts.reason')}</label>
                  <input id={ids.reason} name="reason" defaultValue={c?.reason ?? ''} />
                </div>
                <div className="field">
                  <label htmlFor={ids.involvedKind}>{t('alerts.involvedKind')}</label>
                  <input
                    id={ids.involvedKind}
                    name="involvedKind"
                    defaultValue={c?.involvedKind ?? ''}
                  />
                </div>
              </>
            ) : null}
            {kind === 'SYSTEM_COMPONENT_UNHEALTHY' ? (
              <div className="field">
                <label htmlFor={ids.namespace}>{t('common.namespace')}</label>
                <input
                  id={ids.namespace}
                  name="namespace"
                  defaultValue={c?.namespace ?? 'kube-system'}
                />
              </div>
            ) : null}
            {kind === 'WORKLOAD_UNAVAILABLE'
              ? numberField(
                  ids.available,
                  'available',
                  t('alerts.availablePercent'),
                  c?.availablePercent ?? 100,
                  1,
                )
              : null}
            {kind === 'POD_RESTARTS'
              ? numberField(ids.restarts, 'restarts', t('alerts.restarts'), c?.restarts ?? 3)
              : null}
            {kind === 'WARNING_EVENT' || kind === 'POD_RESTARTS'
              ? numberField(ids.window, 'window', t('alerts.window'), c?.windowSeconds, 10)
              : null}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('alerts.notifiers')}</legend>
          {(notifiers.data?.notifiers ?? []).length === 0 ? (
            <p className="muted small">{t('alerts.noNotifiers')}</p>
          ) : (
            (notifiers.data?.notifiers ?? []).map((n) => (
              <div className="field checkbox" key={n.id}>
                <input
                  id={`${ids.name}-n-${n.id}`}
                  type="checkbox"
                  name="notifier"
                  value={n.id}
                  defaultChecked={rule?.notifierIds.includes(n.id) ?? false}
                />
                <label htmlFor={`${ids.name}-n-${n.id}`}>
                  {n.name} ({n.kind.toLowerCase()})
                </label>
              </div>
            ))
          )}
          <ErrorNotice error={notifiers.error} />
        </fieldset>
        <fieldset>
          <legend>{t('alerts.timing')}</legend>
          <div className="inline-form">
            {numberField(
              ids.forSeconds,
              'forSeconds',
              t('alerts.forSeconds'),
              rule?.forSeconds ?? 60,
            )}
            {numberField(ids.groupWait, 'groupWait', t('alerts.groupWait'), rule?.groupWaitSeconds)}
            {numberField(
              ids.groupInterval,
              'groupInterval',
              t('alerts.groupInterval'),
              rule?.groupIntervalSeconds,
            )}
            {numberField(ids.repeat, 'repeat', t('alerts.repeat'), rule?.repeatIntervalSeconds)}
          </div>
        </fieldset>
        <ErrorNotice error={createState.error ?? updateState.error} />
        <div className="form-actions">
          <button
            type="submit"
            className="primary"
            disabled={createState.fetching || updateState.fetching}
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
