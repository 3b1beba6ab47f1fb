/**
 * The web console in a real browser (Debian's Chromium) against `npm run demo`: the tour a
 * person takes, step by step, each step leaving the state the next one starts from.
 * Screenshots are kept under test-artifacts/console/.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { waitFor } from '../../support/wait-for.js';
import { openBrowser, screenshot, type TestBrowser } from './support/chromium.js';
import { type DemoProcess, startDemo } from './support/demo-process.js';
import { keepFirstFailure, waitForUrl } from './support/page-helpers.js';

const require = createRequire(import.meta.url);
const VIEWER_PASSWORD = 'viewer-chose-this-password';

async function signIn(page: Page, url: string, username: string, password: string) {
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A GraphQL request from inside the page, as its own session cookie allows. */
async function graphqlFromPage(page: Page, query: string, variables: Record<string, unknown>) {
  const text = await page.evaluate(
    async ([q, v]) => {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: q, variables: v }),
      });
      return `${res.status} ${await res.text()}`;
    },
    [query, variables] as const,
  );
  const space = text.indexOf(' ');
  return { status: Number(text.slice(0, space)), body: JSON.parse(text.slice(space + 1)) };
}

describe('the web console on the demo, in Chromium', function () {
  this.timeout(120_000);
  let demo: DemoProcess;
  let admin: TestBrowser;
  let projectPath = '';

  keepFirstFailure('tour', () => admin?.page);

  before(async () => {
    demo = await startDemo(3);
    admin = await openBrowser();
  });
  after(async () => {
    await admin?.close();
    await demo?.stop();
  });

  it('prints the console URL and signs the admin in from the login page', async () => {
    expect(demo.output()).to.contain(`Console       ${demo.demo.consoleUrl}`);
    const { page } = admin;
    await page.goto(demo.demo.consoleUrl);
    await waitForUrl(page, /\/login$/);
    await screenshot(page, '01-login');
    await signIn(page, demo.demo.consoleUrl, 'admin', demo.demo.admin.password);
    await page.waitForURL(/\/clusters$/);
  });

  it('shows the three clusters and the agent’s with their health and capacity as charts', async () => {
    const { page } = admin;
    const cards = page.locator('.cluster-card');
    // Three imported directly, and `demo-agent` reached through its agent.
    const ids = demo.demo.clusters.map((c) => c.id);
    expect(ids).to.include('demo-agent').and.have.length(4);
    await waitFor('a card per cluster', async () =>
      (await cards.count()) === ids.length ? true : undefined,
    );
    for (const id of ids) {
      const card = page.locator(`.cluster-card[data-cluster="${id}"]`);
      // The agent's tunnel may still be coming up: its card turns Active live.
      await card.getByText('Active', { exact: true }).waitFor();
      for (const label of ['CPU', 'Memory', 'Pods']) {
        await card.getByRole('img', { name: new RegExp(`^${label}: \\d+%`) }).waitFor();
      }
    }
    await page.getByRole('img', { name: new RegExp(`Active ${ids.length}`) }).waitFor();
    await screenshot(page, '02-clusters');
  });

  it('loads the clusters page fresh, with a strict CSP, no page errors and no serious axe findings', async () => {
    const { page } = admin;
    const started = Date.now();
    await page.goto(`${demo.demo.paddockUrl}/clusters`);
    await page.locator('.cluster-card .gauge').first().waitFor();
    const ms = Date.now() - started;
    const navigation = await page.evaluate(
      "JSON.stringify(performance.getEntriesByType('navigation')[0])",
    );
    console.log(
      `      first load of the clusters page: ${ms} ms to the charts (DOM ready ${Math.round(
        JSON.parse(String(navigation)).domContentLoadedEventEnd,
      )} ms)`,
    );
    const axe = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(axe);
    const violations = JSON.parse(
      String(
        await page.evaluate(
          "axe.run(document, { resultTypes: ['violations'] }).then(r => JSON.stringify(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))",
        ),
      ),
    );
    expect(violations).to.deep.equal([]);
    expect(admin.problems).to.deep.equal([]);
  });

  it('shows a cluster that went down beside the others: its error on its lists, its health live', async () => {
    const { page } = admin;
    const faults = `${demo.demo.kubesimAdminUrl}/clusters/demo-3/faults`;
    const down = await fetch(faults, { method: 'PUT', body: JSON.stringify({ down: true }) });
    expect(down.status).to.equal(200);
    try {
      // Nodes come from the fleet index: a cluster whose watch broke is marked STALE there.
      await page.goto(`${demo.demo.paddockUrl}/c/demo-3/nodes`);
      const errors = page.getByRole('list', { name: 'Clusters that could not answer' });
      await errors.getByText(/demo-3 · (UNREACHABLE|UNAVAILABLE|TIMEOUT|STALE)/).waitFor();
      await screenshot(page, '02b-cluster-error');
      await page.goto(`${demo.demo.paddockUrl}/clusters`);
      // The background probe (every 15 s) notices; the page hears it through its subscription.
      const card = page.locator('.cluster-card[data-cluster="demo-3"]');
      await card.getByText('Unavailable', { exact: true }).waitFor({ timeout: 40_000 });
      // Only demo-3 is down: every other card, the agent's included, stays Active.
      expect(
        await page.locator('.cluster-card').getByText('Active', { exact: true }).count(),
      ).to.equal(demo.demo.clusters.length - 1);
    } finally {
      await fetch(faults, { method: 'DELETE' });
    }
    await page
      .locator('.cluster-card[data-cluster="demo-3"]')
      .getByText('Active', { exact: true })
      .waitFor({ timeout: 40_000 });
  });

  it('creates a project with a namespace in a cluster and opens it', async () => {
    const { page } = admin;
    await page.getByLabel('Cluster', { exact: true }).selectOption('demo-1');
    await page.waitForURL(/\/c\/demo-1$/);
    await page.getByRole('link', { name: 'Projects and namespaces' }).click();
    await page.getByLabel('Project name').fill('Web team');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('link', { name: 'Web team' }).waitFor();
    await page.getByLabel('Namespace name').fill('web');
    await page.getByLabel('Project', { exact: true }).last().selectOption({ label: 'Web team' });
    await page.getByRole('button', { name: 'Create namespace' }).click();
    await page.getByRole('cell', { name: 'web', exact: true }).first().waitFor();
    const webProject = page.getByLabel('Project of web', { exact: true });
    expect(await webProject.locator('option:checked').textContent()).to.equal('Web team');
    await page.getByRole('button', { name: 'Settings of Web team' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Pod security/).selectOption('baseline');
    await dialog.getByLabel(/^Quota of the whole project/).fill('pods=50');
    await dialog.getByLabel('Quota each namespace gets').fill('pods=20');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const settings = await graphqlFromPage(
      page,
      '{ projectSettings(clusterId: "demo-1") { name podSecurityEnforce quotaLimit { resource quantity } } }',
      {},
    );
    expect(settings.body.data.projectSettings).to.deep.include({
      name: 'Web team',
      podSecurityEnforce: 'baseline',
      quotaLimit: [{ resource: 'pods', quantity: '50' }],
    });
    await page.getByRole('link', { name: 'Web team' }).click();
    await page.waitForURL(/\/c\/demo-1\/p\/[^/]+\/workloads$/);
    projectPath = new URL(page.url()).pathname.replace(/\/workloads$/, '');
    await page.getByRole('heading', { name: 'Workloads of Web team' }).waitFor();
  });

  it('deploys a workload and watches it become ready without a reload', async () => {
    const { page } = admin;
    await page.getByRole('button', { name: 'Deploy' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('hello');
    await dialog.getByLabel('Image').fill('nginx:1.27');
    await dialog.getByLabel('Replicas', { exact: true }).fill('2');
    await dialog.getByRole('button', { name: 'Deploy' }).click();
    const row = page
      .getByRole('row')
      .filter({ hasText: 'hello' })
      .filter({ hasText: 'Deployment' });
    await row.getByText('Ready 2/2').waitFor({ timeout: 60_000 });
    await screenshot(page, '03-deployed');
  });

  it('scales the workload and sees the new replica become ready', async () => {
    const { page } = admin;
    await page.getByLabel('Replicas of hello').fill('3');
    const row = page
      .getByRole('row')
      .filter({ hasText: 'hello' })
      .filter({ hasText: 'Deployment' });
    await row.getByRole('button', { name: 'Scale' }).click();
    await row.getByText('Ready 3/3').waitFor({ timeout: 60_000 });
  });

  it("reads a pod's log and the deployment's YAML", async () => {
    const { page } = admin;
    await page
      .getByRole('button', { name: /^Logs of hello-/ })
      .first()
      .click();
    const logs = page.getByRole('dialog');
    await logs
      .locator('pre.logs')
      .filter({ hasText: /pod=hello-/ })
      .waitFor();
    await screenshot(page, '04-logs');
    await logs.getByRole('button', { name: 'Close' }).first().click();
    await page.getByRole('button', { name: 'YAML of hello', exact: true }).click();
    const yaml = page.getByRole('dialog').getByLabel('YAML');
    await waitFor('the YAML', async () =>
      /kind: Deployment[\s\S]*replicas: 3/.test(await yaml.inputValue()) ? true : undefined,
    );
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).first().click();
  });

  it('creates a config map and a secret with the forms, then edits the config map as YAML', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'Config maps and secrets' }).click();
    await page.getByRole('button', { name: 'New config map' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('site');
    await dialog.getByRole('button', { name: 'Add key' }).click();
    await dialog.getByLabel('Key', { exact: true }).fill('colour');
    await dialog.getByLabel('Value', { exact: true }).fill('blue');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'colour' }).waitFor();

    await page.getByRole('button', { name: 'New secret' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('api');
    await dialog.getByRole('button', { name: 'Add key' }).click();
    await dialog.getByLabel('Key', { exact: true }).fill('token');
    await dialog.getByLabel('Value', { exact: true }).fill('s3cret-value');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'token', exact: true }).waitFor();

    await page.getByRole('button', { name: 'YAML of site', exact: true }).click();
    dialog = page.getByRole('dialog');
    const yaml = dialog.getByLabel('YAML');
    await waitFor('the YAML', async () =>
      (await yaml.inputValue()).includes('colour: blue') ? true : undefined,
    );
    await yaml.fill((await yaml.inputValue()).replace('colour: blue', 'colour: green'));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Saved.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    const read = await graphqlFromPage(
      page,
      '{ configMaps(filter: { clusterIds: ["demo-1"], namespaces: ["web"] }) { items { name data } } secrets(filter: { clusterIds: ["demo-1"], namespaces: ["web"], nameContains: "api" }) { items { name values } } }',
      {},
    );
    expect(read.body.data.configMaps.items).to.deep.include({
      name: 'site',
      data: { colour: 'green' },
    });
    expect(read.body.data.secrets.items).to.deep.equal([
      { name: 'api', values: { token: 's3cret-value' } },
    ]);
    await page.getByRole('link', { name: 'Workloads' }).click();
  });

  it('adds the demo viewer to the project as a read-only member', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'Project members' }).click();
    await page.getByLabel('Find a user or group').fill('viewer');
    await page.getByLabel('Who').locator('option').first().waitFor({ state: 'attached' });
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Read-only' });
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('cell', { name: 'read-only' }).waitFor();
  });

  it('creates a custom role template from YAML rules and deletes it', async () => {
    const { page } = admin;
    await page.goto(`${demo.demo.paddockUrl}/roles`);
    const form = page.getByRole('form', { name: 'Create role template' });
    await form.getByLabel('ID').fill('configmap-reader');
    await form.getByLabel('Name').fill('Config map reader');
    await form.getByRole('button', { name: 'Create role template' }).click();
    await page.getByRole('cell', { name: 'Config map reader' }).waitFor();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete role template configmap-reader' }).click();
    await page.getByRole('cell', { name: 'Config map reader' }).waitFor({ state: 'detached' });
  });

  it('changes an identity provider: its access mode, disabled and enabled again', async () => {
    const { page } = admin;
    const set = await graphqlFromPage(
      page,
      'mutation { setAuthConfig(input: { provider: GITHUB, enabled: true, settings: { clientId: "console-test", clientSecret: "not-a-real-secret" } }) { provider } }',
      {},
    );
    expect(set.body.errors).to.equal(undefined);
    await page.goto(`${demo.demo.paddockUrl}/auth-configs`);
    await page.getByLabel('Access mode of github').selectOption('REQUIRED');
    await page.getByRole('button', { name: 'Disable github' }).click();
    await page.getByRole('button', { name: 'Enable github' }).waitFor();
    expect(await page.getByLabel('Access mode of github').inputValue()).to.equal('REQUIRED');
    const configs = await graphqlFromPage(
      page,
      '{ authConfigs { provider enabled accessMode secretsSet } }',
      {},
    );
    expect(configs.body.data.authConfigs).to.deep.equal([
      { provider: 'GITHUB', enabled: false, accessMode: 'REQUIRED', secretsSet: ['clientSecret'] },
    ]);
    await page.getByRole('button', { name: 'Enable github' }).click();
    await page.getByRole('button', { name: 'Disable github' }).waitFor();
  });

  it('adds a cluster through the import manifest, sees it pending, and removes it', async () => {
    const { page } = admin;
    await page.goto(`${demo.demo.paddockUrl}/clusters`);
    await page.getByRole('button', { name: 'Add cluster' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).first().fill('extra');
    await dialog.getByRole('button', { name: 'Create the import manifest' }).click();
    await dialog
      .getByText(/kubectl apply -f https:\/\/.+\/v1\/import\/c-[a-z0-9]+\.yaml/)
      .waitFor();
    await dialog.getByRole('button', { name: 'Later' }).click();
    const card = page.locator('.cluster-card').filter({ hasText: 'extra' });
    await card.getByText('Pending', { exact: true }).waitFor();
    page.once('dialog', (d) => void d.accept());
    await card.getByRole('button', { name: 'Remove cluster extra' }).click();
    await card.waitFor({ state: 'detached' });
    expect(await page.locator('.cluster-card').count()).to.equal(demo.demo.clusters.length);
  });

  it('creates an API key whose token is shown once', async () => {
    const { page } = admin;
    await page.locator('.user-menu > button').click();
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Description').fill('console test key');
    await page.getByRole('button', { name: 'Create API key' }).click();
    const token = page.getByLabel(/shown this once only/);
    expect(await token.inputValue()).to.match(/^pdk_[^_]+_.+/);
    await screenshot(page, '05-api-key');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await token.count()).to.equal(0);
    await page.getByRole('cell', { name: 'console test key' }).waitFor();
  });

  it('downloads a kubeconfig for the signed-in user', async () => {
    const { page } = admin;
    await page.locator('.user-menu > button').click();
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download kubeconfig' }).click();
    const file = await (await download).path();
    const text = await readFile(file, 'utf8');
    expect(text).to.contain('kind: Config').and.to.contain('demo-1');
  });

  it('switches to Chinese and the dark theme, kept with the user across a reload', async () => {
    const { page } = admin;
    await page.goto(`${demo.demo.paddockUrl}/account/preferences`);
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '偏好设置' }).waitFor();
    await page.getByLabel('主题').selectOption('DARK');
    await waitFor('the dark theme', async () =>
      (await page.locator('html').getAttribute('data-theme')) === 'dark' ? true : undefined,
    );
    await page.goto(`${demo.demo.paddockUrl}/clusters`);
    await page.getByRole('heading', { name: '集群' }).waitFor();
    await page.locator('.cluster-card .gauge').first().waitFor();
    expect(await page.locator('html').getAttribute('lang')).to.equal('zh-CN');
    expect(await page.locator('html').getAttribute('data-theme')).to.equal('dark');
    await screenshot(page, '06-clusters-zh-dark');
    await page.goto(`${demo.demo.paddockUrl}${projectPath}/workloads`);
    await page.getByRole('row').filter({ hasText: 'hello' }).first().waitFor();
    await screenshot(page, '07-workloads-zh-dark');
  });

  it('makes the viewer choose a new password, then shows no write buttons, and the API refuses a forced write', async () => {
    const viewer = await openBrowser();
    try {
      const { page } = viewer;
      await signIn(page, demo.demo.consoleUrl, 'viewer', demo.demo.viewer.password);
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await page.getByLabel('Current password').fill(demo.demo.viewer.password);
      await page.getByLabel('New password', { exact: true }).fill(VIEWER_PASSWORD);
      await page.getByLabel('New password again').fill(VIEWER_PASSWORD);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('heading', { name: 'Clusters' }).waitFor();
      // A standard user may add clusters of their own, but not see users, roles or providers,
      // nor forget a cluster.
      await page.locator('nav[data-permissions="known"]').waitFor();
      for (const name of ['Users', 'Roles', 'Authentication']) {
        expect(await page.getByRole('link', { name, exact: true }).count(), name).to.equal(0);
      }
      expect(await page.getByRole('button', { name: /^Remove cluster/ }).count()).to.equal(0);
      await page.goto(`${demo.demo.paddockUrl}${projectPath}/workloads`);
      const row = page
        .getByRole('row')
        .filter({ hasText: 'hello' })
        .filter({ hasText: 'Deployment' });
      await row.getByText('Ready 3/3').waitFor();
      await page.getByRole('button', { name: 'YAML of hello', exact: true }).waitFor();
      await screenshot(page, '08-viewer-workloads');
      for (const name of ['Deploy', 'Scale', 'Redeploy', 'Delete']) {
        expect(await page.getByRole('button', { name, exact: true }).count(), name).to.equal(0);
      }
      expect(await page.getByLabel('Replicas of hello').count()).to.equal(0);
      await page.getByRole('link', { name: 'Config maps and secrets' }).click();
      await page.getByRole('cell', { name: 'site', exact: true }).waitFor();
      for (const name of ['New config map', 'New secret', 'Edit site']) {
        expect(await page.getByRole('button', { name, exact: true }).count(), name).to.equal(0);
      }
      await page.getByRole('link', { name: 'Project members' }).click();
      await page.getByRole('cell', { name: 'read-only' }).waitFor();
      expect(await page.getByRole('button', { name: 'Add member' }).count()).to.equal(0);
      expect(await page.getByRole('button', { name: /^Remove / }).count()).to.equal(0);

      const forced = await graphqlFromPage(
        page,
        'mutation ($w: WorkloadRefInput!) { scaleWorkload(workload: $w, replicas: 7) { replicas } }',
        { w: { clusterId: 'demo-1', namespace: 'web', name: 'hello', kind: 'DEPLOYMENT' } },
      );
      expect(forced.body.errors?.[0]?.extensions?.code, JSON.stringify(forced.body)).to.equal(
        'FORBIDDEN',
      );
      const member = await graphqlFromPage(
        page,
        'mutation ($c: ID!, $p: ID!, $who: ID!) { addProjectMember(clusterId: $c, projectId: $p, principalId: $who, roleTemplateId: "project-owner") { id } }',
        { c: 'demo-1', p: projectPath.split('/').pop(), who: 'local://nobody' },
      );
      expect(member.body.errors?.[0]?.extensions?.code, JSON.stringify(member.body)).to.equal(
        'FORBIDDEN',
      );
      const after = await graphqlFromPage(
        page,
        '{ deployments(filter: { clusterIds: ["demo-1"], namespaces: ["web"] }) { items { name replicas } } }',
        {},
      );
      expect(after.body.data.deployments.items).to.deep.equal([{ name: 'hello', replicas: 3 }]);
      expect(viewer.problems).to.deep.equal([]);
    } catch (err) {
      await screenshot(viewer.page, 'failed-viewer').catch(() => undefined);
      throw err;
    } finally {
      await viewer.close();
    }
  });

  it('sends a page whose session ended elsewhere to the login page, and back after signing in', async () => {
    const { page, context } = admin;
    await page.goto(`${demo.demo.paddockUrl}/c/demo-1/nodes`);
    await page.locator('td').first().waitFor();
    const other = await context.newPage();
    await other.goto(`${demo.demo.paddockUrl}/clusters`);
    const ended = await graphqlFromPage(other, 'mutation { logout }', {});
    expect(ended.body.data.logout).to.equal(true);
    await other.close();
    await page.getByRole('link', { name: '存储' }).click();
    await waitForUrl(page, /\/login\?next=%2Fc%2Fdemo-1%2Fstorage$/);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(demo.demo.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/c\/demo-1\/storage$/);
    await page.getByRole('heading', { name: '存储', exact: true }).waitFor();
  });

  it('signs out: the session ends and the console is back at the login page', async () => {
    const { page } = admin;
    await page.locator('.user-menu > button').click();
    await page.getByRole('button', { name: '退出登录' }).click();
    await waitForUrl(page, /\/login$/);
    // The login page offers every enabled provider: the password form and GitHub's redirect.
    const github = page.getByRole('link', { name: 'Sign in with GitHub' });
    expect(await github.getAttribute('href')).to.equal('/v1/auth/github/start');
    const me = await graphqlFromPage(page, '{ me { id } }', {});
    expect(me.status).to.equal(401);
    expect(admin.problems).to.deep.equal([]);
  });
});
