// bench/auth: how fast Paddock verifies credentials and logs LDAP users in, each against the
// direct call it is built on, measured in the same run:
//   session JWT   authenticate() (cached / uncached)  vs  jose.jwtVerify on the same token
//   API key       authenticate() (cached / uncached)  vs  one HMAC-SHA-256 + timingSafeEqual
//   LDAP login    OpenLdapProvider.login()            vs  a bare ldapts search + bind
// Run: npm run bench -- auth
import 'reflect-metadata';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { importJWK, jwtVerify } from 'jose';
import { Client } from 'ldapts';
import { AesGcmSecretBox, createIdentityServices } from '../../src/identity/index.js';
import { OpenLdapProvider } from '../../src/identity/ldap/index.js';
import { EmbeddedStore } from '../../src/store/index.js';
import {
  getSlapd,
  personDn,
  SLAPD_GROUPS,
  SLAPD_PEOPLE,
  SLAPD_SERVICE_DN,
  SLAPD_SERVICE_PASSWORD,
  slapdPassword,
  stopSlapd,
} from '../../tests/support/slapd.js';
import { makeTempDir } from '../../tests/support/temp-dir.js';
import { fmt, latency, printTable, throughput } from '../support/measure.js';

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 2000);

async function main(): Promise<void> {
  const dir = await makeTempDir('bench-auth');
  const store = await EmbeddedStore.open({ dataDir: dir.path });
  const identity = (cacheMaxEntries?: number) =>
    createIdentityServices({
      store,
      secretBox: new AesGcmSecretBox(randomBytes(32)),
      apiKeyPepper: pepper,
      issuer: 'https://paddock.bench',
      hasAnyMembership: async () => false,
      ...(cacheMaxEntries === undefined ? {} : { tokenCache: { maxEntries: cacheMaxEntries } }),
    });
  const pepper = randomBytes(32);
  const cached = identity();
  await cached.start();
  const uncached = identity(0);
  await uncached.start();
  try {
    const user = await cached.local.createUser({
      username: 'bench',
      password: 'bench-password-1234',
    });
    const session = await cached.login.login({
      provider: 'local',
      username: 'bench',
      password: 'bench-password-1234',
    });
    const key = await cached.apiKeys.create({ userId: user.id, description: 'bench' });
    const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

    // Peer for sessions: jose's own verification of the same token with the same public key.
    const [jwk] = (await cached.keyRing.publicJwks()).keys as Record<string, unknown>[];
    const publicKey = await importJWK(jwk as Parameters<typeof importJWK>[0], 'ES256');
    const joseVerify = () =>
      jwtVerify(session.token, publicKey, {
        algorithms: ['ES256'],
        issuer: 'https://paddock.bench',
        audience: 'paddock',
      });
    // Peer for API keys: the irreducible work, one keyed hash and a constant-time compare.
    const expected = createHmac('sha256', pepper).update(key.token).digest();
    const hmacCompare = () =>
      timingSafeEqual(createHmac('sha256', pepper).update(key.token).digest(), expected);

    const rows: string[][] = [];
    const add = async (what: string, fn: () => unknown, peer: number) => {
      const t = await throughput(fn, { durationMs });
      rows.push([what, fmt(t.perSecond), peer > 0 ? `${fmt(t.perSecond / peer, 2)}×` : '']);
      return t.perSecond;
    };
    const jose = await add('session JWT: jose.jwtVerify (peer)', joseVerify, 0);
    await add(
      'session JWT: authenticate(), cached',
      () => cached.authenticator.authenticate(bearer(session.token)),
      jose,
    );
    await add(
      'session JWT: authenticate(), uncached',
      () => uncached.authenticator.authenticate(bearer(session.token)),
      jose,
    );
    const hmac = await add('API key: HMAC + timingSafeEqual (peer)', hmacCompare, 0);
    await add(
      'API key: authenticate(), cached',
      () => cached.authenticator.authenticate(bearer(key.token)),
      hmac,
    );
    await add(
      'API key: authenticate(), uncached',
      () => uncached.authenticator.authenticate(bearer(key.token)),
      hmac,
    );
    console.log(`\nCredential verification (${durationMs} ms per row, one connection-less loop)\n`);
    printTable(['what', 'verifications/s', 'vs peer'], rows);
  } finally {
    cached.close();
    uncached.close();
    await store.close();
    await dir.remove();
  }

  const slapd = await getSlapd();
  try {
    const provider = OpenLdapProvider.fromConfig({
      servers: [`127.0.0.1:${slapd.ldapsPort}`],
      tls: { mode: 'ldaps', caPem: slapd.caPem },
      connectionTimeoutMs: 2000,
      serviceAccount: { bindDn: SLAPD_SERVICE_DN, password: SLAPD_SERVICE_PASSWORD },
      users: { searchBase: SLAPD_PEOPLE },
      groups: { searchBase: SLAPD_GROUPS },
    });
    // Peer: what any LDAP login must do at least: connect, service bind, find the user, bind as it.
    const bare = async () => {
      const client = new Client({
        url: `ldaps://127.0.0.1:${slapd.ldapsPort}`,
        tlsOptions: { ca: slapd.caPem },
      });
      try {
        await client.bind(SLAPD_SERVICE_DN, SLAPD_SERVICE_PASSWORD);
        const { searchEntries } = await client.search(SLAPD_PEOPLE, {
          filter: '(uid=alice)',
          scope: 'sub',
        });
        if (searchEntries.length !== 1) throw new Error('alice not found');
        await client.bind(personDn('uid=alice'), slapdPassword('alice'));
      } finally {
        await client.unbind();
      }
    };
    const samples = Number(process.env.BENCH_LDAP_SAMPLES ?? 200);
    const peer = await latency(bare, samples);
    const ours = await latency(() => provider.login('alice', slapdPassword('alice')), samples);
    console.log(
      `\nLDAP login latency over LDAPS against the local slapd (${samples} logins each)\n`,
    );
    printTable(
      ['what', 'p50 ms', 'p99 ms', 'mean ms'],
      [
        [
          'bare ldapts connect + bind + search + bind (peer)',
          fmt(peer.p50Ms, 2),
          fmt(peer.p99Ms, 2),
          fmt(peer.meanMs, 2),
        ],
        [
          'OpenLdapProvider.login (with nested groups)',
          fmt(ours.p50Ms, 2),
          fmt(ours.p99Ms, 2),
          fmt(ours.meanMs, 2),
        ],
      ],
    );
    console.log(`\np50 ratio vs peer: ${fmt(ours.p50Ms / peer.p50Ms, 2)}×`);
  } finally {
    await stopSlapd();
  }
}

await main();
