/**
 * `/metrics` on a running Paddock with kubesim and OpenLDAP users: anonymous callers and users
 * without `view-metrics` are refused, a user with it sees only its clusters' series, and the
 * scrape token sees all of them.
 */
import { expect } from 'chai';
import {
  getSlapd,
  SLAPD_GROUPS,
  SLAPD_PEOPLE,
  SLAPD_SERVICE_DN,
  SLAPD_SERVICE_PASSWORD,
  slapdPassword,
} from '../../support/slapd.js';
import { waitFor } from '../../support/wait-for.js';
import { type RunningPaddock, startRunningPaddock } from './support/running-paddock.js';

const SCRAPE_TOKEN = 'scrape-9f2c4e1a7b3d5f6e8a0c2e4f6a8b0d2e';
const ALICE = `openldap_user://uid=alice,${SLAPD_PEOPLE}`;

describe('/metrics on a running Paddock', function () {
  this.timeout(120_000);
  let p: RunningPaddock;

  before(async () => {
    const slapd = await getSlapd();
    p = await startRunningPaddock({
      clusters: ['east', 'west'],
      env: { PADDOCK_METRICS_SCRAPE_TOKEN: SCRAPE_TOKEN },
      configFile: {
        auth: {
          openldap: {
            accessMode: 'unrestricted',
            settings: {
              servers: [`127.0.0.1:${slapd.ldapsPort}`],
              tls: { mode: 'ldaps', caPem: slapd.caPem },
              serviceAccount: { bindDn: SLAPD_SERVICE_DN, password: SLAPD_SERVICE_PASSWORD },
              users: { searchBase: SLAPD_PEOPLE },
              groups: { searchBase: SLAPD_GROUPS },
            },
          },
        },
      },
    });
    // Traffic through the proxy to both clusters, so both have per-cluster series.
    for (const cluster of ['east', 'west']) {
      const res = await p.get(`/k8s/clusters/${cluster}/api/v1/namespaces`, {
        authorization: `Bearer ${p.adminToken}`,
      });
      expect(res.status).to.equal(200);
    }
  });
  after(() => p?.stop());

  async function ldapLogin(user: string): Promise<string> {
    const res = await p.login(user, slapdPassword(user), { provider: 'openldap' });
    expect(res.status, res.body).to.equal(200);
    return JSON.parse(res.body).token;
  }

  const metrics = (authorization?: string) =>
    p.get('/metrics', authorization === undefined ? {} : { authorization });
  const clustersIn = (body: string) =>
    [...new Set([...body.matchAll(/cluster="([^"]+)"/g)].map((m) => m[1]))].sort();

  it('refuses an anonymous caller with 401, and keeps /healthz and /readyz public', async () => {
    expect((await metrics()).status).to.equal(401);
    expect((await metrics('Bearer not-the-scrape-token')).status).to.equal(401);
    expect((await p.get('/healthz')).status).to.equal(200);
    expect((await p.get('/readyz')).status).to.equal(200);
  });

  it('shows every cluster to the scrape token and to the admin', async () => {
    const scraped = await metrics(`Bearer ${SCRAPE_TOKEN}`);
    expect(scraped.status).to.equal(200);
    expect(clustersIn(scraped.body)).to.deep.equal(['east', 'west']);
    const admin = await metrics(`Bearer ${p.adminToken}`);
    expect(clustersIn(admin.body)).to.deep.equal(['east', 'west']);
  });

  it('refuses a user without view-metrics and a cluster-scoped key of the admin with 403', async () => {
    const bob = await ldapLogin('bob');
    const denied = await metrics(`Bearer ${bob}`);
    expect(denied.status).to.equal(403);
    expect(JSON.parse(denied.body).error.message).to.contain('view-metrics');
    const key = await p.graphql(
      p.adminToken,
      'mutation { createApiKey(input: { clusterId: "east" }) { token } }',
    );
    expect((await metrics(`Bearer ${key.data.createApiKey.token}`)).status).to.equal(403);
  });

  it('shows a user with view-metrics the series of its own clusters only', async () => {
    const alice = await ldapLogin('alice');
    for (const mutation of [
      `mutation { bindGlobalRole(globalRoleId: "view-metrics", principalId: "${ALICE}") { id } }`,
      `mutation { addClusterMember(clusterId: "east", principalId: "${ALICE}", roleTemplateId: "cluster-member") { id } }`,
    ]) {
      const res = await p.graphql(p.adminToken, mutation);
      expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
    }
    const seen = await waitFor('alice to read metrics', async () => {
      const res = await metrics(`Bearer ${alice}`);
      return res.status === 200 ? res.body : undefined;
    });
    expect(clustersIn(seen)).to.deep.equal(['east']);
    expect(seen).to.contain('paddock_http_requests_total');
    expect(seen).not.to.contain('cluster="west"');
  });
});
