import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { freePort } from '../../support/free-port.js';
import { fetchText } from '../../support/http-client.js';
import { type PaddockProcess, runPaddock, startPaddock } from '../../support/paddock-process.js';
import {
  AD_BASE_DN,
  AD_SERVER_NAME,
  AD_SERVICE_DN,
  AD_SERVICE_PASSWORD,
  AD_USERS_DN,
  adPassword,
  getSambaAd,
} from '../../support/samba-ad.js';
import {
  getSlapd,
  SLAPD_GROUPS,
  SLAPD_PEOPLE,
  SLAPD_SERVICE_DN,
  SLAPD_SERVICE_PASSWORD,
  slapdPassword,
} from '../../support/slapd.js';
import { makeTempDir } from '../../support/temp-dir.js';

describe('POST /v1/auth/login for directory users of a running Paddock', function () {
  this.timeout(120_000);
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let paddock: PaddockProcess;

  before(async () => {
    const [slapd, ad] = await Promise.all([getSlapd(), getSambaAd()]);
    dir = await makeTempDir('directory-login');
    const configFile = join(dir.path, 'paddock.yaml');
    await writeFile(
      configFile,
      stringify({
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
          activedirectory: {
            accessMode: 'unrestricted',
            settings: {
              servers: [`127.0.0.1:${ad.ldapsPort}`],
              tls: { mode: 'ldaps', caPem: ad.caPem, serverName: AD_SERVER_NAME },
              connectionTimeoutMs: 5000,
              serviceAccount: { bindDn: AD_SERVICE_DN, password: AD_SERVICE_PASSWORD },
              users: { searchBase: AD_USERS_DN },
              groups: { searchBase: AD_BASE_DN },
            },
          },
        },
      }),
    );
    paddock = await startPaddock({
      port: await freePort(),
      dataDir: join(dir.path, 'data'),
      env: { PADDOCK_CONFIG: configFile },
    });
  });

  after(async () => {
    await paddock?.stop();
    await dir?.remove();
  });

  const login = (provider: string, username: string, password: string) =>
    fetchText(`${paddock.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider, username, password }),
      ca: paddock.caPem,
    });

  async function me(token: string) {
    const res = await fetchText(`${paddock.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { username provider principals { id } } }' }),
      ca: paddock.caPem,
    });
    return JSON.parse(res.body).data.me as {
      username: string;
      provider: string;
      principals: { id: string }[];
    };
  }

  it('logs an OpenLDAP user in and keeps its nested groups as principals', async () => {
    const res = await login('openldap', 'alice', slapdPassword('alice'));
    expect(res.status, res.body).to.equal(200);
    const who = await me(JSON.parse(res.body).token);
    expect(who.provider).to.equal('OPENLDAP');
    const ids = who.principals.map((p) => p.id);
    expect(ids).to.include(`openldap_user://uid=alice,${SLAPD_PEOPLE}`);
    expect(ids).to.include(`openldap_group://cn=engineering,${SLAPD_GROUPS}`);
  });

  it('logs an Active Directory user in, keyed by objectGUID', async () => {
    const res = await login('activedirectory', 'alice', adPassword('alice'));
    expect(res.status, res.body).to.equal(200);
    const who = await me(JSON.parse(res.body).token);
    expect(who.provider).to.equal('ACTIVEDIRECTORY');
    expect(who.principals.map((p) => p.id)).to.satisfy((ids: string[]) =>
      ids.some((id) => /^activedirectory_user:\/\/[0-9a-f-]{36}$/.test(id)),
    );
  });

  it('answers a wrong directory password with 401', async () => {
    expect((await login('openldap', 'alice', 'wrong-password')).status).to.equal(401);
    expect((await login('activedirectory', 'alice', 'wrong-password')).status).to.equal(401);
  });

  it('refuses a bad auth section with status 2 naming the key', async () => {
    const file = join(dir.path, 'bad.yaml');
    await writeFile(
      file,
      stringify({ auth: { openldap: { accessMode: 'sometimes', settings: {} } } }),
    );
    const run = runPaddock(['serve'], {
      PADDOCK_CONFIG: file,
      PADDOCK_DATA_DIR: join(dir.path, 'bad-data'),
      PADDOCK_PORT: String(await freePort()),
    });
    expect(await run.exited).to.equal(2);
    expect(run.output()).to.contain('auth.openldap.accessMode');
  });
});
