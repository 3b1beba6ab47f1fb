import { expect } from 'chai';
import type { AlertGroupRecord } from '../../../src/alerting/alert-records.js';
import { stepAlerts } from '../../../src/alerting/alert-states.js';
import { planGroups } from '../../../src/alerting/group-plan.js';
import type { Alert, AlertRule } from '../../../src/domain/alerting.js';

const rule = (over: Partial<AlertRule> = {}): AlertRule => ({
  id: 'ar-1',
  name: 'node down',
  scope: { clusterId: 'one' },
  condition: { kind: 'nodeCondition', condition: 'NotReady' },
  severity: 'critical',
  forSeconds: 10,
  groupWaitSeconds: 5,
  groupIntervalSeconds: 30,
  repeatIntervalSeconds: 3600,
  notifierIds: [],
  groupBy: [],
  enabled: true,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});
const down = (node: string) => ({ labels: { node }, summary: `node ${node} is NotReady` });

describe('alert states', () => {
  it('is pending until the condition held for `for`, then firing', () => {
    const r = rule();
    const a = stepAlerts(r, new Map(), [down('n1')], 1_000);
    expect([...a.alerts.values()].map((x) => x.state)).to.deep.equal(['pending']);
    const b = stepAlerts(r, a.alerts, [down('n1')], 10_999);
    expect([...b.alerts.values()][0]?.state).to.equal('pending');
    expect(b.changed).to.have.length(0);
    const c = stepAlerts(r, b.alerts, [down('n1')], 11_000);
    expect([...c.alerts.values()][0]).to.include({
      state: 'firing',
      activeAt: 1_000,
      firingAt: 11_000,
    });
    expect(c.changed).to.have.length(1);
  });

  it('drops a pending alert whose condition cleared and resolves a firing one', () => {
    const r = rule({ forSeconds: 0 });
    const a = stepAlerts(r, new Map(), [down('n1')], 0);
    expect([...a.alerts.values()][0]?.state).to.equal('firing');
    const b = stepAlerts(r, a.alerts, [], 5_000);
    expect([...b.alerts.values()][0]).to.include({ state: 'resolved', resolvedAt: 5_000 });
    const slow = rule();
    const p = stepAlerts(slow, new Map(), [down('n2')], 0);
    const q = stepAlerts(slow, p.alerts, [], 1_000);
    expect(q.alerts.size).to.equal(0);
    expect(q.removed.map((x) => x.labels.node)).to.deep.equal(['n2']);
  });

  it('keeps states while the condition cannot be evaluated, and lets time fire a pending alert', () => {
    const r = rule();
    const a = stepAlerts(r, new Map(), [down('n1')], 0);
    const b = stepAlerts(r, a.alerts, undefined, 20_000);
    expect([...b.alerts.values()][0]?.state).to.equal('firing');
  });

  it('gives the same alert the same fingerprint in every step and a new one per node', () => {
    const r = rule();
    const a = stepAlerts(r, new Map(), [down('n1'), down('n2')], 0);
    const b = stepAlerts(r, a.alerts, [down('n2'), down('n1')], 1);
    expect([...b.alerts.keys()].sort()).to.deep.equal([...a.alerts.keys()].sort());
    expect(a.alerts.size).to.equal(2);
  });
});

describe('alert grouping', () => {
  const firing = (r: AlertRule, nodes: string[], at = 0) => [
    ...stepAlerts({ ...r, forSeconds: 0 }, new Map(), nodes.map(down), at).alerts.values(),
  ];

  it('waits group-wait once, then sends every alert of the group in one flush', () => {
    const r = rule();
    const alerts = firing(r, ['a', 'b', 'c']);
    const first = planGroups(r, alerts, new Map(), 0);
    expect(first.created).to.have.length(1);
    expect(first.flushes).to.have.length(0);
    const groups = new Map(first.created.map((g) => [g.key, g]));
    const due = planGroups(r, alerts, groups, 5_000);
    expect(due.flushes).to.have.length(1);
    expect(due.flushes[0]?.firing).to.have.length(3);
  });

  it('sends a change after group-interval, repeats an unchanged group after repeat-interval', () => {
    const r = rule();
    const alerts = firing(r, ['a']);
    const key = `${r.id}/one`;
    const flushed: AlertGroupRecord = {
      key,
      ruleId: r.id,
      clusterId: 'one',
      firstSeenAt: 0,
      lastFlushAt: 5_000,
      notifiedFiring: alerts.map((a) => a.fingerprint),
      sent: {},
    };
    const groups = new Map([[key, flushed]]);
    expect(planGroups(r, alerts, groups, 60_000).flushes).to.have.length(0);
    expect(planGroups(r, alerts, groups, 5_000 + 3_600_000).flushes).to.have.length(1);
    const more = firing(r, ['a', 'b']);
    expect(planGroups(r, more, groups, 34_999).flushes).to.have.length(0);
    expect(planGroups(r, more, groups, 35_000).flushes[0]?.firing).to.have.length(2);
  });

  it('notifies a resolved alert only if it was notified firing, then forgets the group', () => {
    const r = rule();
    const [a] = firing(r, ['a']) as [Alert];
    const key = `${r.id}/one`;
    const resolved: Alert = { ...a, state: 'resolved', resolvedAt: 40_000 };
    const notified = new Map([
      [
        key,
        {
          key,
          ruleId: r.id,
          clusterId: 'one',
          firstSeenAt: 0,
          lastFlushAt: 5_000,
          notifiedFiring: [a.fingerprint],
          sent: {},
        },
      ],
    ]);
    const plan = planGroups(r, [resolved], notified, 40_000);
    expect(plan.flushes[0]?.resolved).to.have.length(1);
    expect(plan.flushes[0]?.after).to.equal(undefined);
    const never = new Map([[key, { ...notified.get(key)!, notifiedFiring: [] }]]);
    expect(planGroups(r, [resolved], never, 40_000).flushes).to.have.length(0);
  });

  it('splits groups by the groupBy labels and sends nothing while the rule is muted', () => {
    const r = rule({ groupBy: ['node'], groupWaitSeconds: 0 });
    const alerts = firing(r, ['a', 'b']);
    expect(planGroups(r, alerts, new Map(), 0).flushes).to.have.length(2);
    const muted = { ...r, mutedUntil: 10_000 };
    expect(planGroups(muted, alerts, new Map(), 0).flushes).to.have.length(0);
    expect(planGroups(muted, alerts, new Map(), 10_001).flushes).to.have.length(2);
  });
});
