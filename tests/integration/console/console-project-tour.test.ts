/**
 * The console's project pages for load balancing, service discovery, certificates, registries
 * and namespaces in a real browser (Debian's Chromium) against `npm run demo`: the admin
 * creates a namespace, a service, an ingress to it, a TLS certificate and a registry
 * credential with the forms, and each shows up as the API reads it back; a read-only member
 * of the project sees them all and no create form or delete button, and the API refuses the
 * same writes when the member forces them; the admin then deletes each. Each step starts from
 * the state the one before left. Screenshots go to test-artifacts/console/.
 */
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { makeTempDir } from '../../support/temp-dir.js';
import { createTestCa } from '../../support/test-ca.js';
import { waitFor } from '../../support/wait-for.js';
import { openBrowser, screenshot, type TestBrowser } from './support/chromium.js';
import { type DemoProcess, startDemo } from './support/demo-process.js';
import {
  graphqlFromPage,
  keepFirstFailure,
  seriousAxeFindings,
  signIn,
} from './support/page-helpers.js';

const VIEWER_PASSWORD = 'viewer-picked-this-one';
const REGISTRY_PASSWORD = 'registry-secret-never-shown';
const NAMESPACE = 'demo-apps';

describe('the console’s project networking, certificate, registry and namespace pages on the demo, in Chromium', function () {
  this.timeout(150_000);
  let demo: DemoProcess;
  let admin: TestBrowser;
  let url = '';
  let project = '';
  let projectId = '';
  const axeFindings: string[] = [];

  const axe = async (page: Page, where: string) => {
    for (const finding of await seriousAxeFindings(page)) axeFindings.push(`${where}: ${finding}`);
  };
  /** The table row that has a cell reading exactly `name`. */
  const rowOf = (page: Page, table: string, name: string) =>
    page
      .getByRole('table', { name: table, exact: true })
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name, exact: true }) });

  keepFirstFailure('project', () => admin?.page);

  before(async () => {
    demo = await startDemo(2);
    url = demo.demo.paddockUrl;
    admin = await openBrowser();
  });
  after(async () => {
    await admin?.close();
    await demo?.stop();
  });

  it('signs the admin in and creates a namespace in the Demo Apps project', async () => {
    const { page } = admin;
    await signIn(page, demo.demo.consoleUrl, 'admin', demo.demo.admin.password);
    await page.waitForURL(/\/clusters$/);
    const projects = await graphqlFromPage(
      page,
      '{ projectSettings(clusterId: "demo-1") { projectId name } }',
      {},
    );
    projectId = projects.body.data.projectSettings.find(
      (p: { name: string }) => p.name === 'Demo Apps',
    ).projectId;
    project = `${url}/c/demo-1/p/${projectId}`;
    await page.goto(`${project}/workloads`);
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: 'Namespaces' })
      .click();
    await page.getByRole('heading', { name: 'Namespaces of Demo Apps' }).waitFor();
    await rowOf(page, 'Namespaces', NAMESPACE).waitFor();
    const form = page.getByRole('form', { name: 'Create namespace' });
    await form.getByLabel('Namespace name').fill('demo-extra');
    await form.getByRole('button', { name: 'Create namespace' }).click();
    await rowOf(page, 'Namespaces', 'demo-extra').getByText('Active', { exact: true }).waitFor();
    const read = await graphqlFromPage(
      page,
      '{ namespaces(filter: { clusterIds: ["demo-1"], nameContains: "demo-extra" }) { items { name projectId } } }',
      {},
    );
    expect(read.body.data.namespaces.items).to.deep.equal([
      { name: 'demo-extra', projectId: `demo-1:${projectId}` },
    ]);
    await screenshot(page, 'project-01-namespaces');
    await axe(page, 'namespaces');
  });

  it('creates a service, refusing a selector that is not key=value, and shows its DNS name and one made elsewhere live', async () => {
    const { page } = admin;
    await page.goto(`${project}/services`);
    const form = page.getByRole('form', { name: 'Create service' });
    await form.getByLabel('Name', { exact: true }).fill('web');
    await form.getByLabel('Namespace').selectOption(NAMESPACE);
    await form.getByLabel('Port', { exact: true }).fill('80');
    await form.getByLabel('Target port').fill('8080');
    await form.getByLabel('Pod selector').fill('app');
    await form.getByRole('button', { name: 'Create service' }).click();
    await form
      .getByRole('alert')
      .getByText(/“app” is not/)
      .waitFor();
    await form.getByLabel('Pod selector').fill('app=web');
    await form.getByRole('button', { name: 'Create service' }).click();
    const row = rowOf(page, 'Services', 'web');
    await row.getByText(`web.${NAMESPACE}.svc.cluster.local`).waitFor();
    await row.getByText('80→8080/TCP').waitFor();
    // Made elsewhere (here through the API), it appears on the open page without a reload.
    const elsewhere = await graphqlFromPage(
      page,
      'mutation ($i: ServiceInput!) { createService(input: $i) { id } }',
      {
        i: { clusterId: 'demo-1', namespace: NAMESPACE, name: 'web-api', ports: [{ port: 9090 }] },
      },
    );
    expect(elsewhere.body.errors, JSON.stringify(elsewhere.body)).to.equal(undefined);
    await rowOf(page, 'Services', 'web-api').getByText('9090→9090/TCP').waitFor();
    await screenshot(page, 'project-02-services');
    await axe(page, 'services');
  });

  it('creates an ingress to the service on the load balancing page', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'Load balancing' }).click();
    const form = page.getByRole('form', { name: 'Create ingress' });
    await form.getByLabel('Name', { exact: true }).fill('web');
    await form.getByLabel('Namespace').selectOption(NAMESPACE);
    await form.getByLabel('Host').fill('web.example.com');
    await form.getByLabel('Path').fill('/shop');
    await form.getByLabel('Service', { exact: true }).fill('web');
    await form.getByLabel('Service port').fill('80');
    await form.getByRole('button', { name: 'Create ingress' }).click();
    await rowOf(page, 'Ingresses', 'web').getByText('web.example.com/shop → web:80').waitFor();
    await screenshot(page, 'project-03-ingresses');
    await axe(page, 'load balancing');
  });

  it('adds a TLS certificate from PEM and shows it parsed, with its names', async () => {
    const { page } = admin;
    const dir = await makeTempDir('console-cert');
    try {
      const ca = await createTestCa(dir.path, 'console');
      const issued = await ca.issueServerCert('web', { dns: ['web.example.com'] });
      const key = await readFile(issued.keyPath, 'utf8');
      await page.getByRole('link', { name: 'Certificates', exact: true }).click();
      const form = page.getByRole('form', { name: 'Add certificate' });
      await form.getByLabel('Name', { exact: true }).fill('web-tls');
      await form.getByLabel('Namespace').selectOption(NAMESPACE);
      // A key that does not belong to the certificate is refused by the API, named.
      await form.getByLabel(/^Certificate/).fill(issued.certPem);
      await form
        .getByLabel(/^Private key/)
        .fill('-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n');
      await form.getByRole('button', { name: 'Add certificate' }).click();
      await form.getByRole('alert').waitFor();
      expect(await rowOf(page, 'Certificates', 'web-tls').count()).to.equal(0);
      await form.getByLabel(/^Private key/).fill(key);
      await form.getByRole('button', { name: 'Add certificate' }).click();
      const row = rowOf(page, 'Certificates', 'web-tls');
      await row.getByText('Valid', { exact: true }).waitFor();
      await row.getByText('web.example.com').waitFor();
    } finally {
      await dir.remove();
    }
    await screenshot(page, 'project-04-certificates');
    await axe(page, 'certificates');
  });

  it('adds a registry credential whose password never comes back', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'Registries' }).click();
    const form = page.getByRole('form', { name: 'Add registry credential' });
    await form.getByLabel('Name', { exact: true }).fill('private-registry');
    await form.getByLabel('Namespace').selectOption(NAMESPACE);
    await form.getByLabel('Registry', { exact: true }).fill('registry.example.com');
    await form.getByLabel('Registry username').fill('bob');
    await form.getByLabel('Registry password').fill(REGISTRY_PASSWORD);
    await form.getByRole('button', { name: 'Add registry credential' }).click();
    await rowOf(page, 'Registry credentials', 'private-registry')
      .getByText('bob@registry.example.com')
      .waitFor();
    expect(await form.getByLabel('Registry password').inputValue()).to.equal('');
    await page.reload();
    await rowOf(page, 'Registry credentials', 'private-registry').waitFor();
    expect(await page.content()).not.to.contain(REGISTRY_PASSWORD);
    await screenshot(page, 'project-05-registries');
    await axe(page, 'registries');
  });

  it('shows a read-only member every object and no write control, and the API refuses the writes when forced', async () => {
    const { page } = admin;
    // A config map and a claim, made through the API, for the config and volumes pages.
    const made = await graphqlFromPage(
      page,
      'mutation ($c: ConfigMapInput!, $v: PersistentVolumeClaimInput!) { createConfigMap(input: $c) { id } createPersistentVolumeClaim(input: $v) { id } }',
      {
        c: { clusterId: 'demo-1', namespace: NAMESPACE, name: 'web-settings', data: { mode: 'x' } },
        v: { clusterId: 'demo-1', namespace: NAMESPACE, name: 'web-data', storage: '1Gi' },
      },
    );
    expect(made.body.errors, JSON.stringify(made.body)).to.equal(undefined);
    const found = await graphqlFromPage(page, '{ principals(search: "viewer") { id } }', {});
    for (const role of ['read-only', 'secrets-view']) {
      // read-only hides Secrets, and certificates and registry credentials are Secrets: to
      // see them at all the member also gets View Secrets, which writes nothing either.
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
      const pages = [
        { path: 'namespaces', table: 'Namespaces', name: 'demo-extra', form: 'Create namespace' },
        { path: 'services', table: 'Services', name: 'web', form: 'Create service' },
        { path: 'config', table: 'Config maps', name: 'web-settings', form: 'New config map' },
        { path: 'volumes', table: 'Volumes', name: 'web-data', form: 'Create claim' },
        { path: 'load-balancing', table: 'Ingresses', name: 'web', form: 'Create ingress' },
        { path: 'certificates', table: 'Certificates', name: 'web-tls', form: 'Add certificate' },
        {
          path: 'registries',
          table: 'Registry credentials',
          name: 'private-registry',
          form: 'Add registry credential',
        },
      ];
      for (const p of pages) {
        // The new binding reaches the cluster shortly after it is made: reload until it has.
        await waitFor(
          `${p.name} on the viewer's ${p.path} page`,
          async () => {
            await v.goto(`${project}/${p.path}`);
            const table = v.getByRole('table', { name: p.table, exact: true });
            await table.waitFor();
            await table.getByText('Loading…').waitFor({ state: 'detached' });
            return (await rowOf(v, p.table, p.name).count()) > 0 ? true : undefined;
          },
          { timeoutMs: 60_000, intervalMs: 1_000 },
        );
        // Shown once the permission answer says no: only then is an absent button telling.
        await v.getByText('You may view these but not change them.').waitFor();
        expect(await v.getByRole('form', { name: p.form }).count(), p.path).to.equal(0);
        const writes = v.getByRole('button', { name: /^(Delete|Edit|New|Create|Add)\b/ });
        expect(await writes.count(), p.path).to.equal(0);
      }
      await screenshot(v, 'project-06-viewer-registries');

      const refused = async (query: string, variables: Record<string, unknown>) => {
        const r = await graphqlFromPage(v, query, variables);
        expect(r.body.errors?.[0]?.extensions?.code, JSON.stringify(r.body)).to.equal('FORBIDDEN');
      };
      const ref = { clusterId: 'demo-1', namespace: NAMESPACE, name: 'web' };
      await refused('mutation ($r: ObjectRefInput!) { deleteService(ref: $r) }', { r: ref });
      await refused('mutation ($r: ObjectRefInput!) { deleteIngress(ref: $r) }', { r: ref });
      await refused('mutation ($r: ObjectRefInput!) { deleteConfigMap(ref: $r) }', {
        r: { ...ref, name: 'web-settings' },
      });
      await refused('mutation ($r: ObjectRefInput!) { deletePersistentVolumeClaim(ref: $r) }', {
        r: { ...ref, name: 'web-data' },
      });
      await refused('mutation ($r: ObjectRefInput!) { deleteCertificate(ref: $r) }', {
        r: { ...ref, name: 'web-tls' },
      });
      await refused('mutation ($r: ObjectRefInput!) { deleteRegistryCredential(ref: $r) }', {
        r: { ...ref, name: 'private-registry' },
      });
      await refused(
        'mutation ($i: RegistryCredentialInput!) { createRegistryCredential(input: $i) { id } }',
        {
          i: {
            clusterId: 'demo-1',
            namespace: NAMESPACE,
            name: 'forced',
            registries: [{ server: 'r.example.com', username: 'x', password: 'y' }],
          },
        },
      );
      await refused('mutation ($i: ServiceInput!) { createService(input: $i) { id } }', {
        i: { clusterId: 'demo-1', namespace: NAMESPACE, name: 'forced', ports: [{ port: 1 }] },
      });
      await refused(
        'mutation ($c: ID!, $p: ID!) { createNamespace(clusterId: $c, name: "forced", projectId: $p) { id } }',
        { c: 'demo-1', p: projectId },
      );
      // Everything is still there, as the admin reads it.
      const still = await graphqlFromPage(
        page,
        `{ services(filter: { clusterIds: ["demo-1"], namespaces: ["${NAMESPACE}"], nameContains: "web" }) { items { name } } registryCredentials(filter: { clusterIds: ["demo-1"], namespaces: ["${NAMESPACE}"] }) { items { name } } }`,
        {},
      );
      expect(still.body.data.services.items).to.deep.include({ name: 'web' });
      expect(still.body.data.registryCredentials.items).to.deep.equal([
        { name: 'private-registry' },
      ]);
      expect(viewer.problems).to.deep.equal([]);
    } catch (err) {
      await screenshot(viewer.page, 'project-failed-viewer').catch(() => undefined);
      throw err;
    } finally {
      await viewer.close();
    }
  });

  it('deletes the ingress, service, config map, claim, certificate and registry credential after confirming', async () => {
    const { page } = admin;
    const steps = [
      {
        path: 'config',
        table: 'Config maps',
        name: 'web-settings',
        button: 'Delete config map web-settings',
      },
      { path: 'volumes', table: 'Volumes', name: 'web-data', button: 'Delete claim web-data' },
      { path: 'load-balancing', table: 'Ingresses', name: 'web', button: 'Delete ingress web' },
      { path: 'services', table: 'Services', name: 'web', button: 'Delete service web' },
      {
        path: 'certificates',
        table: 'Certificates',
        name: 'web-tls',
        button: 'Delete certificate web-tls',
      },
      {
        path: 'registries',
        table: 'Registry credentials',
        name: 'private-registry',
        button: 'Delete registry credential private-registry',
      },
    ];
    for (const s of steps) {
      await page.goto(`${project}/${s.path}`);
      await rowOf(page, s.table, s.name).waitFor();
      page.once('dialog', (d) => void d.accept());
      await page.getByRole('button', { name: s.button, exact: true }).click();
      await rowOf(page, s.table, s.name).waitFor({ state: 'detached' });
    }
  });

  it('found no serious accessibility issue and no CSP violation on any of these pages', () => {
    expect(axeFindings).to.deep.equal([]);
    expect(admin.problems).to.deep.equal([]);
  });
});
