/**
 * The console's newer pages in a real browser (Debian's Chromium) against `npm run demo`: an
 * app installed from the demo catalog with Helm's log streaming, the demo's multi-cluster app,
 * an alert rule and the demo alert firing when kubesim makes a node NotReady, a local user
 * created, disabled (their open session is thrown out), enabled and deleted, the caller's own
 * sessions, and a read-only member who sees no write button on any of these pages. Each step
 * starts from the state the one before left. Screenshots go to test-artifacts/console/.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { waitFor } from '../../support/wait-for.js';
import { openBrowser, screenshot, type TestBrowser } from './support/chromium.js';
import { type DemoProcess, startDemo } from './support/demo-process.js';
import {
  graphqlFromPage,
  keepFirstFailure,
  seriousAxeFindings,
  signIn,
  waitForUrl,
} from './support/page-helpers.js';

const VIEWER_PASSWORD = 'viewer-picked-this-one';
const CAROL_PASSWORD = 'carol-first-password-1';

describe('the console’s apps, alerting and user pages on the demo, in Chromium', function () {
  this.timeout(150_000);
  let demo: DemoProcess;
  let admin: TestBrowser;
  let url = '';
  let projectId = '';
  const axeFindings: string[] = [];

  /** Runs axe on the page as it is now and keeps what it finds, named by the step. */
  const axe = async (page: Page, where: string) => {
    for (const finding of await seriousAxeFindings(page)) axeFindings.push(`${where}: ${finding}`);
  };

  keepFirstFailure('apps', () => admin?.page);

  before(async () => {
    demo = await startDemo(2);
    url = demo.demo.paddockUrl;
    admin = await openBrowser();
  });
  after(async () => {
    await admin?.close();
    await demo?.stop();
  });

  it('signs the admin in and finds the demo catalog with its charts and a README', async () => {
    const { page } = admin;
    await signIn(page, demo.demo.consoleUrl, 'admin', demo.demo.admin.password);
    await page.waitForURL(/\/clusters$/);
    await page.getByRole('link', { name: 'Catalogs', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: 'demo-charts' });
    await row.getByText('Ready', { exact: true }).waitFor();
    await axe(page, 'catalogs');
    await page.getByRole('link', { name: 'Browse charts' }).click();
    await page.getByRole('link', { name: 'hello', exact: true }).click();
    await page.getByRole('heading', { name: 'Chart hello' }).waitFor();
    await page.getByRole('heading', { name: 'README' }).waitFor();
    // The README's markdown becomes elements: its title a heading under the section's.
    await page.locator('.markdown').getByRole('heading', { name: 'hello' }).waitFor();
    await page.getByLabel('Version').selectOption('1.0.0');
    await page.waitForURL(/version=1\.0\.0$/);
    await page.locator('.markdown').getByText('Says hello. Version 1.0.0.').waitFor();
    await screenshot(page, 'apps-01-chart');
    await axe(page, 'chart');
  });

  it('installs hello into a project: the schema refuses a bad value, then Helm’s log streams until deployed', async () => {
    const { page } = admin;
    const projects = await graphqlFromPage(
      page,
      '{ projectSettings(clusterId: "demo-1") { projectId name } }',
      {},
    );
    projectId = projects.body.data.projectSettings.find(
      (p: { name: string }) => p.name === 'Demo Apps',
    ).projectId;
    await page.goto(`${url}/c/demo-1/p/${projectId}/apps`);
    await page.getByRole('heading', { name: 'Apps of Demo Apps' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'hello-fleet' }).first().waitFor();
    await page.getByRole('link', { name: 'Install app' }).click();
    await page.getByRole('link', { name: 'hello', exact: true }).click();
    await page.getByRole('heading', { name: 'Install hello into Demo Apps' }).waitFor();
    await page.getByLabel('Release name').fill('hello-console');
    const values = page.getByLabel('Values (YAML)');
    await waitFor('the chart’s default values', async () =>
      (await values.inputValue()).includes('greeting: hello') ? true : undefined,
    );
    const defaults = await values.inputValue();
    await values.fill(defaults.replace('greeting: hello', `greeting: ${'x'.repeat(80)}`));
    await page.getByRole('button', { name: 'Install app' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'schema' });
    await refusal.getByText(/^greeting: must NOT have more than 64 characters/).waitFor();
    await screenshot(page, 'apps-02-schema-refused');
    await axe(page, 'install form');
    await values.fill(defaults.replace('greeting: hello', 'greeting: hello from the console'));
    await page.getByRole('button', { name: 'Install app' }).click();
    const operation = page.getByRole('region', { name: 'Install', exact: true });
    const log = operation.getByLabel('Helm log');
    await waitFor('Helm log lines', async () =>
      (await log.inputValue()).includes('hello-console') ? true : undefined,
    );
    await operation
      .locator('.badge')
      .getByText('Succeeded', { exact: true })
      .waitFor({ timeout: 90_000 });
    await screenshot(page, 'apps-03-installed');
    await page.getByRole('link', { name: 'Open release hello-console' }).click();
    await page.getByRole('heading', { name: 'Release hello-console' }).waitFor();
    await page.locator('.facts').getByText('deployed', { exact: true }).waitFor();
    expect(await page.getByLabel('Values (YAML)').inputValue()).to.contain(
      'greeting: hello from the console',
    );
    await axe(page, 'release');
    await page.getByRole('link', { name: 'Apps', exact: true }).click();
    await page
      .getByRole('row')
      .filter({ hasText: 'hello-console' })
      .getByText('deployed', { exact: true })
      .waitFor();
  });

  it('shows the demo’s multi-cluster app hello-fleet with each target deployed', async () => {
    const { page } = admin;
    await page.goto(`${url}/multi-cluster-apps`);
    await page.getByRole('link', { name: 'hello-fleet' }).click();
    await page.getByRole('heading', { name: 'Multi-cluster app hello-fleet' }).waitFor();
    const targets = page.getByRole('table', { name: 'Targets' });
    for (const { id } of demo.demo.clusters) {
      await targets
        .getByRole('row')
        .filter({ hasText: id })
        .getByText('Deployed', { exact: true })
        .waitFor({ timeout: 60_000 });
    }
    await screenshot(page, 'apps-04-fleet');
    await axe(page, 'multi-cluster app');
  });

  it('creates an alert rule and watches the demo alert fire and resolve when a node goes NotReady', async () => {
    const { page } = admin;
    const { clusterId, node } = demo.demo.alerting;
    await page.goto(`${url}/c/${clusterId}/alerts`);
    await page.getByRole('button', { name: 'New alert rule' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('console nodes');
    await dialog.getByLabel('Watch for').selectOption('NODE_CONDITION');
    await dialog.getByLabel('Node condition').selectOption('NOT_READY');
    await dialog.getByLabel('Holds for (s) before firing').fill('0');
    await dialog.getByLabel(/^demo webhook/).check();
    await axe(page, 'alert rule dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const rules = page.getByRole('table', { name: 'Alert rules' });
    await rules.getByRole('cell', { name: 'console nodes', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Mute console nodes' }).click();
    await rules.getByText(/^muted until/).waitFor();
    await page.getByRole('button', { name: 'Unmute console nodes' }).click();
    await page.getByRole('button', { name: 'Mute console nodes' }).waitFor();

    const fault = `${demo.demo.kubesimAdminUrl}/clusters/${clusterId}/nodes/${node}/fault`;
    const live = page.getByRole('table', { name: 'Alerts now' });
    const stateOf = (rule: string, state: string) =>
      live.getByRole('row').filter({ hasText: rule }).locator(`[data-alert-state="${state}"]`);
    const down = await fetch(fault, { method: 'PUT', body: JSON.stringify({ ready: false }) });
    expect(down.status).to.equal(200);
    try {
      await stateOf('console nodes', 'FIRING').waitFor({ timeout: 40_000 });
      // The demo's rule holds for 10 s: pending first, then firing, on the same open page.
      await stateOf('node not ready', 'FIRING').waitFor({ timeout: 40_000 });
      await screenshot(page, 'apps-05-alert-firing');
    } finally {
      await fetch(fault, { method: 'PUT', body: JSON.stringify({ ready: true }) });
    }
    await stateOf('node not ready', 'RESOLVED').waitFor({ timeout: 40_000 });
    await axe(page, 'alerts');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete rule console nodes' }).click();
    await rules
      .getByRole('cell', { name: 'console nodes', exact: true })
      .waitFor({ state: 'detached' });
  });

  it('sends a test notification, saves a webhook notifier, and builds each notifier and logging form from its kind', async () => {
    const { page } = admin;
    await page.goto(`${url}/c/demo-1/notifiers`);
    await page.getByRole('button', { name: 'Send a test notification to demo webhook' }).click();
    await page.getByText(/^Test notification to demo webhook delivered/).waitFor();
    await page.getByRole('button', { name: 'Add notifier' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('Kind').selectOption('EMAIL');
    for (const label of [/^Host/, /^From/, /^To/, /^Password/]) {
      await dialog.getByLabel(label).first().waitFor();
    }
    expect(await dialog.getByLabel(/^Password/).getAttribute('type')).to.equal('password');
    await axe(page, 'notifier dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // Saved through the form: a webhook whose URL (a secret) is never shown again.
    await page.getByRole('button', { name: 'Add notifier' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('tour webhook');
    await dialog.getByLabel('Kind').selectOption('WEBHOOK');
    await dialog.getByLabel(/^URL/).fill('https://127.0.0.1:9/tour-hook');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'tour webhook', exact: true }).waitFor();
    expect(await page.content()).not.to.contain('tour-hook');
    await page.goto(`${url}/c/demo-1/logging`);
    await page.getByRole('heading', { name: 'Log collector' }).waitFor();
    await page.getByRole('button', { name: 'Add logging target' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('Kind').selectOption('KAFKA');
    await dialog.getByLabel(/^Brokers/).waitFor();
    await dialog.getByLabel(/^SASL password/).waitFor();
    await axe(page, 'logging dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('creates a local user, throws their open session out by disabling them, enables and deletes them', async () => {
    const { page } = admin;
    await page.goto(`${url}/users`);
    const form = page.getByRole('form', { name: 'Create user' });
    await form.getByLabel('Username').fill('dave');
    await form.getByRole('button', { name: 'Create user' }).click();
    const generated = page.getByLabel(/^The generated password of dave/);
    expect((await generated.inputValue()).length).to.be.greaterThan(11);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await form.getByLabel('Username').fill('carol');
    await form.getByLabel('Initial password').fill(CAROL_PASSWORD);
    await form.getByLabel('Must choose a new password at the next sign-in').uncheck();
    await form.getByRole('button', { name: 'Create user' }).click();
    // A user's display name defaults to the username: the row holds two cells of it.
    const userRow = (name: string) =>
      page.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
    await userRow('carol').waitFor();
    await axe(page, 'users');

    const carol = await openBrowser();
    try {
      await signIn(carol.page, demo.demo.consoleUrl, 'carol', CAROL_PASSWORD);
      await carol.page.getByRole('heading', { name: 'Clusters' }).waitFor();
      await page.getByRole('button', { name: 'Disable carol' }).click();
      await page.getByRole('button', { name: 'Enable carol' }).waitFor();
      await carol.page.getByRole('link', { name: 'Catalogs', exact: true }).click();
      await waitForUrl(carol.page, /\/login\?next=%2Fcatalogs$/);
      expect(carol.problems).to.deep.equal([]);
    } finally {
      await carol.close();
    }
    await page.getByRole('button', { name: 'Enable carol' }).click();
    await page.getByRole('button', { name: 'Disable carol' }).waitFor();
    await page.getByRole('button', { name: 'Manage carol' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'User carol' }).waitFor();
    await dialog.getByRole('form', { name: 'Reset password' }).waitFor();
    await axe(page, 'user dialog');
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    for (const name of ['carol', 'dave']) {
      page.once('dialog', (d) => void d.accept());
      await page.getByRole('button', { name: `Delete user ${name}` }).click();
      await userRow(name).waitFor({ state: 'detached' });
    }
  });

  it('lists the admin’s own sessions, this browser marked', async () => {
    const { page } = admin;
    await page.locator('.user-menu > button').click();
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('heading', { name: 'Sessions', exact: true }).waitFor();
    await page.getByRole('table', { name: 'Sessions' }).getByText('this browser').waitFor();
    await axe(page, 'sessions');
    await screenshot(page, 'apps-06-sessions');
  });

  it('shows a read-only member no write button on the new pages, and the API refuses a forced uninstall', async () => {
    const { page } = admin;
    const found = await graphqlFromPage(page, '{ principals(search: "viewer") { id } }', {});
    for (const role of ['read-only', 'secrets-view']) {
      // read-only hides Secrets, and Helm keeps its release records in Secrets: to see the
      // releases at all the member also gets View Secrets, which writes nothing either.
      const member = await graphqlFromPage(
        page,
        'mutation ($c: ID!, $p: ID!, $who: ID!, $role: ID!) { addProjectMember(clusterId: $c, projectId: $p, principalId: $who, roleTemplateId: $role) { id } }',
        { c: 'demo-1', p: projectId, who: found.body.data.principals[0].id, role },
      );
      expect(member.body.errors, JSON.stringify(member.body)).to.equal(undefined);
    }
    const viewer = await openBrowser();
    try {
      const v = viewer.page;
      await signIn(v, demo.demo.consoleUrl, 'viewer', demo.demo.viewer.password);
      await v.getByLabel('Current password').fill(demo.demo.viewer.password);
      await v.getByLabel('New password', { exact: true }).fill(VIEWER_PASSWORD);
      await v.getByLabel('New password again').fill(VIEWER_PASSWORD);
      await v.getByRole('button', { name: 'Change password' }).click();
      await v.getByRole('heading', { name: 'Clusters' }).waitFor();
      const none = async (where: string, names: (string | RegExp)[]) => {
        for (const name of names) {
          const count = await v.getByRole('button', { name }).count();
          expect(count, `${where}: ${String(name)}`).to.equal(0);
        }
      };
      const project = `${url}/c/demo-1/p/${projectId}`;
      await v.goto(`${project}/apps`);
      await v.getByRole('link', { name: 'hello-console' }).waitFor();
      // Shown once the permission answer says no: only then is an absent button telling.
      const readOnly = v.getByText('You may view these but not change them.');
      await readOnly.waitFor();
      expect(await v.getByRole('link', { name: 'Install app' }).count()).to.equal(0);
      await v.getByRole('link', { name: 'hello-console' }).click();
      await v.locator('.facts').getByText('deployed', { exact: true }).waitFor();
      await readOnly.waitFor();
      await none('release', ['Upgrade', 'Uninstall', /^Roll back/]);
      await screenshot(v, 'apps-07-viewer-release');
      await v.goto(`${project}/alerts`);
      await v.getByRole('table', { name: 'Alert rules' }).waitFor();
      await readOnly.waitFor();
      await none('project alerts', ['New alert rule', /^Delete rule/, /^Mute/]);
      await v.goto(`${project}/logging`);
      await v.getByRole('table', { name: 'Logging targets' }).waitFor();
      await readOnly.waitFor();
      await none('project logging', ['Add logging target']);
      await v.goto(`${project}/catalogs`);
      await v.getByRole('table', { name: 'Catalogs' }).waitFor();
      await readOnly.waitFor();
      await none('project catalogs', ['Add catalog']);
      await v.goto(`${url}/catalogs`);
      await v.getByRole('cell', { name: /demo-charts/ }).waitFor();
      // Global pages decide from the caller's global roles, the same answer the side nav uses.
      await v.locator('nav[data-permissions="known"]').waitFor();
      await none('catalogs', ['Add catalog', /^Refresh /, /^Edit catalog/, /^Remove catalog/]);
      await v.goto(`${url}/multi-cluster-apps`);
      await v.getByRole('link', { name: 'hello-fleet' }).click();
      await v.getByRole('table', { name: 'Targets' }).getByRole('row').nth(1).waitFor();
      await v.locator('nav[data-permissions="known"]').waitFor();
      await none('multi-cluster app', ['Upgrade', 'Delete', /^Remove target/, 'Add target']);
      expect(await v.getByRole('link', { name: 'New multi-cluster app' }).count()).to.equal(0);
      await v.locator('nav[data-permissions="known"]').waitFor();
      expect(await v.getByRole('link', { name: 'Users', exact: true }).count()).to.equal(0);

      const forced = await graphqlFromPage(
        v,
        'mutation ($r: AppRefInput!) { uninstallApp(ref: $r) { id } }',
        { r: { clusterId: 'demo-1', namespace: 'demo-apps', name: 'hello-console' } },
      );
      expect(forced.body.errors?.[0]?.extensions?.code, JSON.stringify(forced.body)).to.equal(
        'FORBIDDEN',
      );
      expect(viewer.problems).to.deep.equal([]);
    } catch (err) {
      await screenshot(viewer.page, 'apps-failed-viewer').catch(() => undefined);
      throw err;
    } finally {
      await viewer.close();
    }
  });

  it('found no serious accessibility issue and no CSP violation on any of these pages', () => {
    expect(axeFindings).to.deep.equal([]);
    expect(admin.problems).to.deep.equal([]);
  });

  it('signs out everywhere from the sessions page', async () => {
    const { page } = admin;
    await page.goto(`${url}/account/sessions`);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await waitForUrl(page, /\/login$/);
    const me = await graphqlFromPage(page, '{ me { id } }', {});
    expect(me.status).to.equal(401);
  });
});
