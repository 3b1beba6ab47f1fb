// Catalogs end to end: an HTTPS chart repository (basic auth, its own CA) served from charts
// made with `helm create`/`helm package`/`helm repo index`, and Debian's docker-registry with
// charts pushed by `helm push`, both added through GraphQL to a Paddock composed as `paddock
// serve` composes it. Also who may manage catalogs at each scope, and that a bad repository
// is an error on that catalog alone.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { type ChartRepoServer, startChartRepoServer } from '../../../scripts/chart-repo-server.js';
import { indexRepository, makeSampleChart } from '../../../scripts/sample-charts.js';
import { type HelmCli, helmCli } from '../../support/helm.js';
import { type OciRegistryProcess, startOciRegistry } from '../../support/oci-registry.js';
import { createTestCa, type TestCa } from '../../support/test-ca.js';
import { waitFor } from '../../support/wait-for.js';
import { type AppsHarness, type HarnessUser, startAppsHarness } from './support/apps-harness.js';

const CATALOG_FIELDS = `id name scope kind url username hasPassword clusterId projectId
  refresh { state message chartCount lastSuccessAt }`;

describe('catalogs through GraphQL', function () {
  this.timeout(240_000);
  let h: AppsHarness;
  let helm: HelmCli;
  let ca: TestCa;
  let repo: ChartRepoServer;
  let registry: OciRegistryProcess;
  let httpCatalogId: string;
  let owner: HarnessUser;
  let member: HarnessUser;
  let outsider: HarnessUser;
  let projectId: string;

  before(async () => {
    h = await startAppsHarness({ catalogRefreshIntervalMs: 1_500 });
    helm = await helmCli();
    const charts = join(h.dir, 'charts');
    await mkdir(charts, { recursive: true });
    await makeSampleChart(helm.binary, charts, { name: 'hello', version: '1.0.0' });
    await makeSampleChart(helm.binary, charts, {
      name: 'hello',
      version: '1.1.0',
      appVersion: '1.1.0',
    });
    await makeSampleChart(helm.binary, charts, { name: 'ledger', version: '0.3.0' });
    await indexRepository(helm.binary, charts);
    ca = await createTestCa(h.dir, 'charts');
    const cert = await ca.issueServerCert('charts', { ips: ['127.0.0.1'] });
    const { readFile } = await import('node:fs/promises');
    repo = await startChartRepoServer({
      dir: charts,
      certPem: cert.certPem,
      keyPem: await readFile(cert.keyPath, 'utf8'),
      prefix: '/charts',
      credentials: { username: 'reader', password: 'repo-secret' },
    });
    const regDir = join(h.dir, 'registry');
    await mkdir(regDir, { recursive: true });
    registry = await startOciRegistry({ dir: regDir });
    await helm.ok([
      'registry',
      'login',
      registry.host,
      '--username',
      registry.username,
      '--password',
      registry.password,
    ]);
    for (const tgz of ['hello-1.0.0.tgz', 'ledger-0.3.0.tgz']) {
      await helm.ok(['push', join(charts, tgz), `oci://${registry.host}/charts`]);
    }
    owner = await h.addUser('olga');
    member = await h.addUser('mika');
    outsider = await h.addUser('otto');
    projectId = await h.addProject('one', 'Web', 'web');
    await h.addMember('one', projectId, 'web', owner, 'project-owner');
    await h.addMember('one', projectId, 'web', member, 'project-member');
  });

  after(async () => {
    await registry?.stop();
    await repo?.close();
    await helm?.remove();
    await h?.stop();
  });

  it('adds an HTTPS repository with basic auth and its own CA, and reads its charts', async () => {
    const data = await h.ok(
      h.admin,
      `mutation($i: AddCatalogInput!) { addCatalog(input: $i) { ${CATALOG_FIELDS} } }`,
      {
        i: {
          name: 'library',
          scope: 'GLOBAL',
          url: repo.url,
          username: 'reader',
          password: 'repo-secret',
          caPem: ca.caPem,
        },
      },
    );
    const c = data.addCatalog;
    httpCatalogId = c.id;
    expect(c).to.deep.include({
      name: 'library',
      scope: 'GLOBAL',
      kind: 'HTTP',
      username: 'reader',
      hasPassword: true,
    });
    expect(c.refresh.state).to.equal('READY');
    expect(c.refresh.chartCount).to.equal(2);
  });

  it('keeps the repository password sealed in the store and never returns it', async () => {
    const records = [];
    for await (const r of h.app.store.exportRecords())
      if (r.collection === 'catalogs') records.push(r);
    const text = JSON.stringify(records);
    expect(text).to.not.contain('repo-secret');
    expect(text).to.contain('sealedPassword');
    const answer = await h.graphql(h.admin, `{ catalogs { ${CATALOG_FIELDS} } }`);
    expect(JSON.stringify(answer)).to.not.contain('repo-secret');
  });

  it('searches charts by name, keyword and category annotation', async () => {
    const q = `query($s: ChartSearchInput) { charts(search: $s) { totalCount items { catalogName name latestVersion keywords category iconUrl } } }`;
    const byText = await h.ok(h.admin, q, { s: { text: 'hello' } });
    expect(
      byText.charts.items.map(
        (c: { name: string; latestVersion: string }) => `${c.name}@${c.latestVersion}`,
      ),
    ).to.deep.equal(['hello@1.1.0']);
    const byKeyword = await h.ok(h.admin, q, { s: { keyword: 'database' } });
    expect(byKeyword.charts.items.map((c: { name: string }) => c.name)).to.deep.equal(['ledger']);
    const byCategory = await h.ok(h.admin, q, { s: { category: 'WebApp' } });
    expect(byCategory.charts.items[0]).to.include({
      name: 'hello',
      category: 'WebApp',
      iconUrl: 'https://example.org/icons/hello.svg',
    });
  });

  it("shows a chart's versions, README, values, schema and registry keys", async () => {
    const versions = await h.ok(
      h.admin,
      'query($c: ID!) { chartVersions(catalogId: $c, chart: "hello") { version appVersion digest } }',
      {
        c: httpCatalogId,
      },
    );
    expect(versions.chartVersions.map((v: { version: string }) => v.version)).to.deep.equal([
      '1.1.0',
      '1.0.0',
    ]);
    expect(versions.chartVersions[0].digest).to.match(/^sha256:[0-9a-f]{64}$/);
    const detail = await h.ok(
      h.admin,
      'query($c: ID!) { chart(catalogId: $c, name: "hello", version: "1.0.0") { version readme valuesYaml valuesSchema registryValueKeys } }',
      { c: httpCatalogId },
    );
    expect(detail.chart.readme).to.contain('Says hello');
    expect(detail.chart.valuesYaml).to.contain('greeting: hello');
    expect(detail.chart.valuesSchema.properties.replicaCount).to.deep.include({ type: 'integer' });
    expect(detail.chart.registryValueKeys).to.deep.equal(['global.systemDefaultRegistry']);
  });

  it('refreshes with If-None-Match, so an unchanged index costs a 304', async () => {
    const before = repo.requests.length;
    const data = await h.ok(
      h.admin,
      `mutation($id: ID!) { refreshCatalog(id: $id) { ${CATALOG_FIELDS} } }`,
      { id: httpCatalogId },
    );
    expect(data.refreshCatalog.refresh.state).to.equal('READY');
    const asked = repo.requests.slice(before).filter((r) => r.path.endsWith('/index.yaml'));
    // (A background refresh may ask at the same moment; every ask is conditional all the same.)
    expect(asked.length).to.be.greaterThan(0);
    expect(new Set(asked.map((r) => `${r.conditional}:${r.status}`))).to.deep.equal(
      new Set(['true:304']),
    );
    expect(data.refreshCatalog.refresh.chartCount).to.equal(2);
  });

  it('adds an OCI registry and reads the charts helm pushed to it', async () => {
    const data = await h.ok(
      h.admin,
      `mutation($i: AddCatalogInput!) { addCatalog(input: $i) { ${CATALOG_FIELDS} } }`,
      {
        i: {
          name: 'oci-library',
          scope: 'GLOBAL',
          url: `oci://${registry.host}/charts`,
          username: registry.username,
          password: registry.password,
        },
      },
    );
    expect(data.addCatalog.kind, JSON.stringify(data.addCatalog.refresh)).to.equal('OCI');
    expect(data.addCatalog.refresh.message).to.equal(null);
    expect(data.addCatalog.refresh).to.deep.include({ state: 'READY', chartCount: 2 });
    const detail = await h.ok(
      h.admin,
      'query($c: ID!) { chart(catalogId: $c, name: "ledger") { version readme } }',
      {
        c: data.addCatalog.id,
      },
    );
    expect(detail.chart).to.deep.include({ version: '0.3.0' });
    expect(detail.chart.readme).to.contain('Keeps a ledger');
  });

  it('records a bad repository as an error on that catalog only', async () => {
    const bad = await h.ok(
      h.admin,
      `mutation($i: AddCatalogInput!) { addCatalog(input: $i) { ${CATALOG_FIELDS} } }`,
      {
        i: {
          name: 'wrong-password',
          scope: 'GLOBAL',
          url: repo.url,
          username: 'reader',
          password: 'nope',
          caPem: ca.caPem,
        },
      },
    );
    expect(bad.addCatalog.refresh.state).to.equal('ERROR');
    expect(bad.addCatalog.refresh.message).to.match(/refused the credentials \(HTTP 401\)/);
    const untrusted = await h.ok(
      h.admin,
      `mutation($i: AddCatalogInput!) { addCatalog(input: $i) { ${CATALOG_FIELDS} } }`,
      {
        i: { name: 'no-ca', scope: 'GLOBAL', url: repo.url },
      },
    );
    expect(untrusted.addCatalog.refresh.state).to.equal('ERROR');
    expect(untrusted.addCatalog.refresh.message).to.match(/certificate/i);
    const all = await h.ok(h.admin, `{ catalogs { name refresh { state } } }`);
    const states = Object.fromEntries(
      all.catalogs.map((c: { name: string; refresh: { state: string } }) => [
        c.name,
        c.refresh.state,
      ]),
    );
    expect(states).to.deep.equal({
      library: 'READY',
      'no-ca': 'ERROR',
      'oci-library': 'READY',
      'wrong-password': 'ERROR',
    });
    const charts = await h.ok(h.admin, '{ charts { items { name } } }');
    expect(charts.charts.items.length).to.be.greaterThan(0);
  });

  it('never fetches from a network the outbound settings deny, including on refresh', async () => {
    const setAllowed = (value: string | null) =>
      h.ok(
        h.admin,
        'mutation($v: String) { updateSetting(name: "outbound-allowed-networks", value: $v) { value } }',
        {
          v: value,
        },
      );
    await setAllowed('10.0.0.0/8');
    const served = repo.requests.length;
    try {
      const denied = await h.ok(
        h.admin,
        `mutation($i: AddCatalogInput!) { addCatalog(input: $i) { ${CATALOG_FIELDS} } }`,
        {
          i: {
            name: 'denied-network',
            scope: 'GLOBAL',
            url: repo.url,
            username: 'reader',
            password: 'repo-secret',
            caPem: ca.caPem,
          },
        },
      );
      expect(denied.addCatalog.refresh.state).to.equal('ERROR');
      const again = await h.ok(
        h.admin,
        `mutation($id: ID!) { refreshCatalog(id: $id) { ${CATALOG_FIELDS} } }`,
        {
          id: httpCatalogId,
        },
      );
      expect(again.refreshCatalog.refresh.state).to.equal('ERROR');
      expect(repo.requests.length).to.equal(served);
    } finally {
      await setAllowed(null);
    }
    const back = await h.ok(
      h.admin,
      `mutation($id: ID!) { refreshCatalog(id: $id) { ${CATALOG_FIELDS} } }`,
      {
        id: httpCatalogId,
      },
    );
    expect(back.refreshCatalog.refresh.state).to.equal('READY');
  });

  it('refuses a bad URL or CA with an error naming the field, writing nothing', async () => {
    const r = await h.graphql(
      h.admin,
      'mutation($i: AddCatalogInput!) { addCatalog(input: $i) { id } }',
      {
        i: { name: 'bad', scope: 'GLOBAL', url: 'ftp://example.org/charts' },
      },
    );
    expect(r.errors?.[0]?.extensions?.code, r.errors?.[0]?.message).to.equal('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).to.match(/^url:/);
    const r2 = await h.graphql(
      h.admin,
      'mutation($i: AddCatalogInput!) { addCatalog(input: $i) { id } }',
      {
        i: { name: 'bad', scope: 'GLOBAL', url: repo.url, caPem: 'not a certificate' },
      },
    );
    expect(r2.errors?.[0]?.message).to.match(/^caPem:/);
    const names = (await h.ok(h.admin, '{ catalogs { name } }')).catalogs.map(
      (c: { name: string }) => c.name,
    );
    expect(names).to.not.include('bad');
  });

  it('refreshes catalogs in the background, asking conditionally', async () => {
    const before = repo.requests.length;
    const refreshed = await waitFor(
      'a background refresh of library',
      () => {
        const asked = repo.requests.slice(before).filter((r) => r.path.endsWith('/index.yaml'));
        return asked.some((r) => r.conditional && r.status === 304) ? asked : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(refreshed.length).to.be.greaterThan(0);
    const c = await h.ok(h.admin, `query($id: ID!) { catalog(id: $id) { ${CATALOG_FIELDS} } }`, {
      id: httpCatalogId,
    });
    expect(c.catalog.refresh).to.deep.include({ state: 'READY', chartCount: 2 });
  });

  it('lets nobody without catalogs rights change or refresh a global catalog', async () => {
    const update = await h.graphql(
      member,
      'mutation($id: ID!) { updateCatalog(id: $id, input: { url: "https://evil.example.com" }) { id } }',
      {
        id: httpCatalogId,
      },
    );
    expect(update.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    const refresh = await h.graphql(
      member,
      'mutation($id: ID!) { refreshCatalog(id: $id) { id } }',
      { id: httpCatalogId },
    );
    expect(refresh.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    const remove = await h.graphql(outsider, 'mutation($id: ID!) { removeCatalog(id: $id) }', {
      id: httpCatalogId,
    });
    expect(remove.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    const still = await h.ok(h.admin, `query($id: ID!) { catalog(id: $id) { url } }`, {
      id: httpCatalogId,
    });
    expect(still.catalog.url).to.equal(repo.url);
  });

  it('lets only catalogs-manage holders add a global catalog', async () => {
    const r = await h.graphql(
      member,
      'mutation($i: AddCatalogInput!) { addCatalog(input: $i) { id } }',
      {
        i: { name: 'sneaky', scope: 'GLOBAL', url: repo.url },
      },
    );
    expect(r.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
  });

  it('lets a project-owner manage its project catalogs, and nobody else below cluster-owner', async () => {
    const add = (user: HarnessUser, name: string) =>
      h.graphql(
        user,
        `mutation($i: AddCatalogInput!) { addCatalog(input: $i) { ${CATALOG_FIELDS} } }`,
        {
          i: {
            name,
            scope: 'PROJECT',
            clusterId: 'one',
            projectId,
            url: repo.url,
            username: 'reader',
            password: 'repo-secret',
            caPem: ca.caPem,
          },
        },
      );
    const byOwner = await add(owner, 'team-charts');
    expect(byOwner.errors).to.equal(undefined);
    expect(byOwner.data.addCatalog).to.deep.include({
      scope: 'PROJECT',
      clusterId: 'one',
      projectId,
    });
    const byMember = await add(member, 'member-charts');
    expect(byMember.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    const clusterWide = await h.graphql(
      owner,
      'mutation($i: AddCatalogInput!) { addCatalog(input: $i) { id } }',
      {
        i: { name: 'cluster-charts', scope: 'CLUSTER', clusterId: 'one', url: repo.url },
      },
    );
    expect(clusterWide.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    const id = byOwner.data.addCatalog.id as string;
    const seenByMember = await h.graphql(member, 'query($id: ID!) { catalog(id: $id) { name } }', {
      id,
    });
    expect(seenByMember.data.catalog.name).to.equal('team-charts');
    const seenByOutsider = await h.graphql(
      outsider,
      'query($id: ID!) { catalog(id: $id) { name } }',
      { id },
    );
    expect(seenByOutsider.errors?.[0]?.extensions?.code).to.equal('NOT_FOUND');
    const removedByMember = await h.graphql(
      member,
      'mutation($id: ID!) { removeCatalog(id: $id) }',
      { id },
    );
    expect(removedByMember.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    const removedByOwner = await h.ok(owner, 'mutation($id: ID!) { removeCatalog(id: $id) }', {
      id,
    });
    expect(removedByOwner.removeCatalog).to.equal(true);
  });
});
