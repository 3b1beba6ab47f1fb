/**
 * Who may manage and see alerting, on a running Paddock: a cluster-member reads the cluster's
 * rules and notifiers but changes nothing; a project-owner manages its own project's rules and
 * nothing else; someone without a binding sees no alert; notifier secrets never come back.
 * Each refused call is an attempt made end to end through GraphQL with a real API key.
 */
import { expect } from 'chai';
import { waitFor } from '../../support/wait-for.js';
import { type PaddockApp, startPaddockApp } from './support/paddock-app.js';
import { subscribeHttp } from './support/subscribe-http.js';

const SECRET_URL = 'https://hooks.example.invalid/hook?token=n0t-for-your-eyes';

describe('alerting authorization on a running Paddock', function () {
  this.timeout(120_000);
  let p: PaddockApp;
  let member: { token: string; principalId: string };
  let owner: { token: string; principalId: string };
  let nobody: { token: string };
  let manager: { token: string; principalId: string };
  let projectA: string;
  let projectB: string;
  let notifierId: string;
  let clusterRuleId: string;

  const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) =>
    r.errors?.[0]?.extensions?.code;
  const fieldOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) =>
    (r.errors?.[0]?.extensions?.details as { field?: string } | undefined)?.field;

  before(async () => {
    p = await startPaddockApp('alerting-authz');
    member = await p.user('member');
    owner = await p.user('owner');
    nobody = await p.user('nobody');
    manager = await p.user('manager');
    const project = async (name: string) =>
      (
        await p.must(
          p.adminToken,
          `mutation($n: String!) { createProject(clusterId: "one", input: { name: $n }) { id } }`,
          { n: name },
        )
      ).createProject.id as string;
    projectA = await project('Team A');
    projectB = await project('Team B');
    const bind = (query: string, vars: Record<string, unknown>) =>
      p.must(p.adminToken, query, vars);
    await bind(
      `mutation($p: ID!, $r: ID!) { addClusterMember(clusterId: "one", principalId: $p, roleTemplateId: $r) { id } }`,
      { p: member.principalId, r: 'cluster-member' },
    );
    await bind(
      `mutation($p: ID!, $r: ID!) { addClusterMember(clusterId: "one", principalId: $p, roleTemplateId: $r) { id } }`,
      { p: manager.principalId, r: 'alerts-manage' },
    );
    await bind(
      `mutation($proj: ID!, $p: ID!) { addProjectMember(clusterId: "one", projectId: $proj, principalId: $p, roleTemplateId: "project-owner") { id } }`,
      // Membership takes the bare project id.
      { proj: projectA.split(':')[1], p: owner.principalId },
    );
    const n = await p.must(
      manager.token,
      `mutation($s: JSON) { createNotifier(clusterId: "one", input: { name: "hook", kind: WEBHOOK, secrets: $s }) { id } }`,
      { s: { url: SECRET_URL } },
    );
    notifierId = n.createNotifier.id;
    const r = await p.must(
      p.adminToken,
      `mutation($n: [ID!]) { createAlertRule(clusterId: "one", input: { name: "nodes", condition: { kind: NODE_CONDITION, nodeCondition: CORDONED }, forSeconds: 0, notifierIds: $n }) { id } }`,
      { n: [] },
    );
    clusterRuleId = r.createAlertRule.id;
    // Project A owns `payments`, where the seeded worker pod crash-loops.
    await waitFor('payments to move into project A', async () => {
      const moved = await p.graphql(
        p.adminToken,
        `mutation($p: ID!) { moveNamespace(clusterId: "one", name: "payments", projectId: $p) { name } }`,
        { p: projectA },
      );
      return moved.errors === undefined ? true : undefined;
    });
  });

  after(async () => {
    await p?.stop();
  });

  it('lets a cluster-member read rules and notifiers but change none of them', async () => {
    const rules = await p.must(member.token, `{ alertRules(clusterId: "one") { id } }`);
    expect(rules.alertRules.map((x: { id: string }) => x.id)).to.include(clusterRuleId);
    const notifiers = await p.must(
      member.token,
      `{ notifiers(clusterId: "one") { id secretFields settings } }`,
    );
    expect(notifiers.notifiers[0].secretFields).to.deep.equal(['url']);
    const attempts: [string, string][] = [
      [
        'createAlertRule',
        `mutation { createAlertRule(clusterId: "one", input: { name: "x", condition: { kind: CLUSTER_UNHEALTHY } }) { id } }`,
      ],
      [
        'updateAlertRule',
        `mutation { updateAlertRule(id: "${clusterRuleId}", input: { name: "x", condition: { kind: CLUSTER_UNHEALTHY } }) { id } }`,
      ],
      ['deleteAlertRule', `mutation { deleteAlertRule(id: "${clusterRuleId}") }`],
      [
        'muteAlertRule',
        `mutation { muteAlertRule(id: "${clusterRuleId}", until: "2099-01-01T00:00:00Z") { id } }`,
      ],
      [
        'createNotifier',
        `mutation { createNotifier(clusterId: "one", input: { name: "mine", kind: WEBHOOK, secrets: { url: "https://evil.invalid/" } }) { id } }`,
      ],
      [
        'updateNotifier',
        `mutation { updateNotifier(id: "${notifierId}", input: { name: "hook", kind: WEBHOOK, secrets: { url: "https://evil.invalid/" } }) { id } }`,
      ],
      ['deleteNotifier', `mutation { deleteNotifier(id: "${notifierId}") }`],
      [
        'sendTestNotification',
        `mutation { sendTestNotification(notifierId: "${notifierId}") { ok } }`,
      ],
    ];
    for (const [name, query] of attempts) {
      const r = await p.graphql(member.token, query);
      expect(codeOf(r), `${name}: ${JSON.stringify(r.errors)}`).to.equal('FORBIDDEN');
    }
    // Nothing changed.
    const after = await p.must(
      p.adminToken,
      `{ alertRules(clusterId: "one") { id name mutedUntil } notifiers(clusterId: "one") { id } }`,
    );
    expect(after.alertRules.find((x: { id: string }) => x.id === clusterRuleId)).to.include({
      name: 'nodes',
      mutedUntil: null,
    });
    expect(after.notifiers.map((x: { id: string }) => x.id)).to.deep.equal([notifierId]);
  });

  it("lets a project-owner manage its project's rules and nothing beyond them", async () => {
    const created = await p.graphql(
      owner.token,
      `mutation($p: ID!, $n: [ID!]) { createAlertRule(clusterId: "one", projectId: $p, input: { name: "crashes", condition: { kind: POD_RESTARTS, restarts: 3 }, forSeconds: 0, groupWaitSeconds: 0, notifierIds: $n }) { id projectId } }`,
      { p: projectA, n: [notifierId] },
    );
    expect(created.errors, JSON.stringify(created.errors)).to.equal(undefined);
    expect(created.data.createAlertRule.projectId).to.equal(projectA);
    const ownRule = created.data.createAlertRule.id;
    const notifiers = await p.graphql(
      owner.token,
      `query($p: ID) { notifiers(clusterId: "one", projectId: $p) { id } }`,
      { p: projectA },
    );
    expect(notifiers.errors).to.equal(undefined);
    const denied: [string, string, Record<string, unknown>][] = [
      [
        'rule in another project',
        `mutation($p: ID!) { createAlertRule(clusterId: "one", projectId: $p, input: { name: "x", condition: { kind: JOB_FAILED } }) { id } }`,
        { p: projectB },
      ],
      [
        'cluster rule',
        `mutation { createAlertRule(clusterId: "one", input: { name: "x", condition: { kind: CLUSTER_UNHEALTHY } }) { id } }`,
        {},
      ],
      [
        'update a cluster rule',
        `mutation($id: ID!) { updateAlertRule(id: $id, input: { name: "x", condition: { kind: CLUSTER_UNHEALTHY } }) { id } }`,
        { id: clusterRuleId },
      ],
      [
        'mute a cluster rule',
        `mutation($id: ID!) { muteAlertRule(id: $id, until: "2099-01-01T00:00:00Z") { id } }`,
        { id: clusterRuleId },
      ],
      ['cluster notifiers', `{ notifiers(clusterId: "one") { id } }`, {}],
      [
        'create a notifier',
        `mutation { createNotifier(clusterId: "one", input: { name: "n", kind: SLACK, secrets: { url: "https://x.invalid" } }) { id } }`,
        {},
      ],
      [
        "another project's rules",
        `query($p: ID) { alertRules(clusterId: "one", projectId: $p) { id } }`,
        { p: projectB },
      ],
    ];
    for (const [what, query, vars] of denied) {
      const r = await p.graphql(owner.token, query, vars);
      expect(codeOf(r), `${what}: ${JSON.stringify(r.errors)}`).to.equal('FORBIDDEN');
    }
    // The project's alerts are visible to its owner; cluster alerts are not.
    const alerts = await waitFor('the crash-looping worker alert', async () => {
      const data = await p.must(
        owner.token,
        `query($p: ID) { alerts(clusterId: "one", projectId: $p) { ruleId labels } }`,
        { p: projectA },
      );
      return data.alerts.length > 0 ? data.alerts : undefined;
    });
    expect(alerts.every((a: { ruleId: string }) => a.ruleId === ownRule)).to.equal(true);
    const everything = await p.must(owner.token, `{ alerts { ruleId clusterId projectId } }`);
    expect(
      everything.alerts.every((a: { projectId: string }) => a.projectId === projectA),
    ).to.equal(true);
  });

  it('shows someone without a binding no rule and no alert, not even through the subscription', async () => {
    await waitFor('an alert to exist', async () => {
      const data = await p.must(p.adminToken, `{ alerts(clusterId: "one") { fingerprint } }`);
      return data.alerts.length > 0 ? true : undefined;
    });
    const rules = await p.graphql(nobody.token, `{ alertRules(clusterId: "one") { id } }`);
    expect(codeOf(rules)).to.equal('FORBIDDEN');
    const alerts = await p.must(nobody.token, `{ alerts { fingerprint } }`);
    expect(alerts.alerts).to.deep.equal([]);
    const sub = subscribeHttp(
      p.url,
      nobody.token,
      'subscription { alertChanges(clusterId: "one") { type } }',
    );
    try {
      await waitFor('the subscription to be refused', () =>
        sub.errors.length > 0 ? true : undefined,
      );
      expect(JSON.stringify(sub.errors)).to.include('FORBIDDEN');
      expect(sub.events).to.deep.equal([]);
    } finally {
      await sub.stop();
    }
  });

  it('refuses bad input by field name and writes nothing', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [
        'project condition at cluster scope',
        { name: 'x', condition: { kind: 'JOB_FAILED' } },
        'condition.kind',
      ],
      [
        'negative for',
        { name: 'x', condition: { kind: 'CLUSTER_UNHEALTHY' }, forSeconds: -1 },
        'forSeconds',
      ],
      [
        'unknown notifier',
        { name: 'x', condition: { kind: 'CLUSTER_UNHEALTHY' }, notifierIds: ['n-nope'] },
        'notifierIds',
      ],
      [
        'missing field of the kind',
        { name: 'x', condition: { kind: 'NODE_CONDITION' } },
        'condition.nodeCondition',
      ],
    ];
    for (const [what, input, field] of cases) {
      const r = await p.graphql(
        p.adminToken,
        `mutation($i: AlertRuleInputType!) { createAlertRule(clusterId: "one", input: $i) { id } }`,
        { i: input },
      );
      expect(codeOf(r), what).to.equal('BAD_USER_INPUT');
      expect(fieldOf(r), what).to.equal(field);
    }
    const badNotifiers: [Record<string, unknown>, string][] = [
      [
        { name: 'm', kind: 'EMAIL', settings: { host: 'smtp.example.org', to: ['a@example.org'] } },
        'settings.from',
      ],
      [
        {
          name: 'm',
          kind: 'WEBHOOK',
          settings: { bogus: 1 },
          secrets: { url: 'https://x.invalid' },
        },
        'settings.bogus',
      ],
      [{ name: 'm', kind: 'PAGERDUTY' }, 'secrets.routingKey'],
    ];
    for (const [input, field] of badNotifiers) {
      const r = await p.graphql(
        p.adminToken,
        `mutation($i: NotifierInputType!) { createNotifier(clusterId: "one", input: $i) { id } }`,
        { i: input },
      );
      expect(codeOf(r), field).to.equal('BAD_USER_INPUT');
      expect(fieldOf(r)).to.equal(field);
    }
    const inUse = await p.graphql(manager.token, `mutation($id: ID!) { deleteNotifier(id: $id) }`, {
      id: notifierId,
    });
    expect(codeOf(inUse)).to.equal('CONFLICT');
  });

  it("gives an admin's key scoped to another cluster no right over this cluster's tools", async () => {
    const admin = await p.app.identity.users.findByUsername('admin');
    const key = await p.app.identity.apiKeys.create({
      userId: admin!.id,
      kind: 'api-key',
      clusterId: 'elsewhere',
    });
    const attempts: [string, string][] = [
      [
        'createAlertRule',
        `mutation { createAlertRule(clusterId: "one", input: { name: "x", condition: { kind: CLUSTER_UNHEALTHY } }) { id } }`,
      ],
      [
        'createNotifier',
        `mutation { createNotifier(clusterId: "one", input: { name: "k", kind: WEBHOOK, secrets: { url: "https://x.invalid" } }) { id } }`,
      ],
      ['alertRules', `{ alertRules(clusterId: "one") { id } }`],
      [
        'createLoggingTarget',
        `mutation { createLoggingTarget(clusterId: "one", input: { name: "k", kind: HTTP, settings: { url: "https://x.invalid" } }) { id } }`,
      ],
    ];
    for (const [name, query] of attempts) {
      const r = await p.graphql(key.token, query);
      expect(codeOf(r), `${name}: ${JSON.stringify(r.errors)}`).to.equal('FORBIDDEN');
    }
    expect((await p.must(key.token, `{ alerts { fingerprint } }`)).alerts).to.deep.equal([]);
  });

  it('never returns a notifier secret in any answer', () => {
    expect(p.bodies.length).to.be.above(10);
    for (const body of p.bodies) expect(body).to.not.include('n0t-for-your-eyes');
  });
});
