import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  isListening,
  requireBinary,
  runCommand,
  type ServiceProcess,
  startService,
  waitFor,
} from './ldap-process.js';
import { reapStrays } from './stray-processes.js';
import { createTestCa } from './test-ca.js';

/**
 * A real OpenLDAP slapd for the LDAP provider tests: generated slapd.conf in a temp dir, mdb
 * backend, memberof overlay, LDAP (with StartTLS) and LDAPS on random loopback ports with a
 * generated CA, seeded with ldapadd. Started once per mocha run on first use and stopped by the
 * root after hook below (or at process exit).
 */

const SLAPD_PACKAGES = 'slapd ldap-utils';

export const SLAPD_BASE_DN = 'dc=example,dc=org';
export const SLAPD_ADMIN_DN = `cn=admin,${SLAPD_BASE_DN}`;
export const SLAPD_ADMIN_PASSWORD = 'admin-secret';
export const SLAPD_SERVICE_DN = `cn=paddock-svc,ou=services,${SLAPD_BASE_DN}`;
export const SLAPD_SERVICE_PASSWORD = 'svc-secret';
export const SLAPD_PEOPLE = `ou=people,${SLAPD_BASE_DN}`;
export const SLAPD_GROUPS = `ou=groups,${SLAPD_BASE_DN}`;
/** Login name made of every character RFC 4515 escapes, except NUL (not storable in uid). */
export const WEIRD_UID = 'we*ird(name)\\x';
/** Users bulk01..bulk25, more than the server size limit and than the page sizes used. */
export const BULK_USERS = 25;
/** Alice's direct team groups, more than the server size limit of 10. */
export const TEAM_GROUPS = 12;

export const slapdPassword = (uid: string) => `${uid}-pw`;
export const personDn = (rdn: string) => `${rdn},${SLAPD_PEOPLE}`;
export const groupDn = (cn: string) => `cn=${cn},${SLAPD_GROUPS}`;

export interface SlapdFixture {
  readonly host: '127.0.0.1';
  /** Plain LDAP (StartTLS available). */
  readonly ldapPort: number;
  readonly ldapsPort: number;
  readonly caPem: string;
  /** A CA that did not sign the server certificate. */
  readonly wrongCaPem: string;
  /** Applies an LDIF change as the rootdn (ldapmodify). */
  modify(ldif: string): Promise<void>;
  stop(): Promise<void>;
}

function person(uid: string, cn: string, extra: string[] = [], rdn = `uid=${uid}`): string {
  return [
    `dn: ${personDn(rdn)}`,
    'objectClass: inetOrgPerson',
    `uid: ${uid}`,
    `cn: ${cn}`,
    `sn: ${cn.split(' ').at(-1)}`,
    `mail: ${rdn.replace(/^[a-z]+=/, '')}@example.org`,
    `userPassword: ${slapdPassword(uid)}`,
    ...extra,
  ].join('\n');
}

function group(cn: string, members: readonly string[]): string {
  return [`dn: ${groupDn(cn)}`, 'objectClass: groupOfNames', `cn: ${cn}`]
    .concat(members.map((m) => `member: ${m}`))
    .join('\n');
}

function seedLdif(): string {
  const alice = personDn('uid=alice');
  const entries = [
    [
      `dn: ${SLAPD_BASE_DN}`,
      'objectClass: dcObject',
      'objectClass: organization',
      'o: Example',
      'dc: example',
    ].join('\n'),
    ...['people', 'groups', 'services'].map((ou) =>
      [`dn: ou=${ou},${SLAPD_BASE_DN}`, 'objectClass: organizationalUnit', `ou: ${ou}`].join('\n'),
    ),
    [
      `dn: ${SLAPD_SERVICE_DN}`,
      'objectClass: organizationalRole',
      'objectClass: simpleSecurityObject',
      'cn: paddock-svc',
      `userPassword: ${SLAPD_SERVICE_PASSWORD}`,
    ].join('\n'),
    person('alice', 'Alice Liddell'),
    person('bob', 'Bob Builder'),
    person('carol', 'Carol Disabled', ['employeeType: disabled']),
    person('dave', 'Dave Loner'),
    person('erin', 'Erin Leaving'),
    person('frank', 'Frank Fading'),
    person(WEIRD_UID, 'Weird Name', [], 'cn=weird'),
    ...Array.from({ length: BULK_USERS }, (_, i) => {
      const n = String(i + 1).padStart(2, '0');
      return person(`bulk${n}`, `Bulk User ${n}`);
    }),
    // devs ⊂ platform ⊂ engineering: three levels above alice.
    group('devs', [alice, personDn('uid=erin')]),
    group('platform', [groupDn('devs')]),
    group('engineering', [groupDn('platform')]),
    // devs ⊂ loop-a ⊂ loop-b ⊂ loop-a: a cycle the walk must survive.
    group('loop-a', [groupDn('devs'), groupDn('loop-b')]),
    group('loop-b', [groupDn('loop-a')]),
    group('ops', [personDn('uid=bob'), personDn('uid=erin')]),
    group('weird(group)*', [personDn('cn=weird')]),
    ...Array.from({ length: TEAM_GROUPS }, (_, i) =>
      group(`team-${String(i + 1).padStart(2, '0')}`, [alice]),
    ),
  ];
  return `${entries.join('\n\n')}\n`;
}

function slapdConf(dir: string, cert: { certPath: string; keyPath: string }, caPath: string) {
  return `
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
TLSCACertificateFile ${caPath}
TLSCertificateFile ${cert.certPath}
TLSCertificateKeyFile ${cert.keyPath}

database mdb
maxsize 104857600
suffix "${SLAPD_BASE_DN}"
rootdn "${SLAPD_ADMIN_DN}"
rootpw ${SLAPD_ADMIN_PASSWORD}
directory ${dir}/data
index objectClass eq
index uid,cn,mail eq,sub
index member eq
# A small size limit: only paged searches can read more than 10 entries, as in many real
# directories (and AD's MaxPageSize).
sizelimit size.soft=10 size.hard=10 size.pr=unlimited size.prtotal=unlimited
overlay memberof
access to attrs=userPassword
  by anonymous auth
  by * none
access to *
  by dn.exact="${SLAPD_SERVICE_DN}" read
  by self read
  by * none
`;
}

async function start(): Promise<SlapdFixture> {
  const slapd = requireBinary('slapd', SLAPD_PACKAGES);
  const ldapadd = requireBinary('ldapadd', SLAPD_PACKAGES);
  const ldapmodify = requireBinary('ldapmodify', SLAPD_PACKAGES);
  // slapd of a test run killed from outside: nothing needs its ports, but it would run forever.
  reapStrays('paddock-slapd-');
  const dir = mkdtempSync(join(tmpdir(), 'paddock-slapd-'));
  mkdirSync(join(dir, 'data'));
  const ca = await createTestCa(dir, 'slapd');
  const wrongCa = await createTestCa(dir, 'other');
  const cert = await ca.issueServerCert('slapd-server', { dns: ['localhost'], ips: ['127.0.0.1'] });
  const confPath = join(dir, 'slapd.conf');
  writeFileSync(confPath, slapdConf(dir, cert, ca.caPath));

  let service: ServiceProcess | undefined;
  let ldapPort = 0;
  let ldapsPort = 0;
  // A port picked as free can be taken before slapd binds it; try again with new ones.
  for (let attempt = 1; ; attempt++) {
    ldapPort = await freePort();
    ldapsPort = await freePort();
    const urls = `ldap://127.0.0.1:${ldapPort}/ ldaps://127.0.0.1:${ldapsPort}/`;
    // -d 0: stay in the foreground without debug output.
    service = startService(slapd, ['-d', '0', '-f', confPath, '-h', urls], dir);
    const current = service;
    try {
      await waitFor(
        'slapd',
        async () => (await isListening(ldapPort)) && (await isListening(ldapsPort)),
        { timeoutMs: 15_000, failed: () => current.exited() },
      );
      break;
    } catch (err) {
      if (attempt >= 3 || !current.exited()) {
        await current.stop();
        throw err;
      }
    }
  }
  const running = service;
  const admin = ['-x', '-H', `ldap://127.0.0.1:${ldapPort}`, '-D', SLAPD_ADMIN_DN];
  const adminArgs = [...admin, '-w', SLAPD_ADMIN_PASSWORD];
  try {
    await runCommand(ldapadd, adminArgs, { input: seedLdif() });
  } catch (err) {
    await running.stop();
    throw err;
  }
  return {
    host: '127.0.0.1',
    ldapPort,
    ldapsPort,
    caPem: ca.caPem,
    wrongCaPem: wrongCa.caPem,
    async modify(ldif) {
      await runCommand(ldapmodify, adminArgs, { input: ldif });
    },
    stop: () => running.stop(),
  };
}

let instance: Promise<SlapdFixture> | undefined;

/** The slapd of this test run, started on first use. */
export function getSlapd(): Promise<SlapdFixture> {
  instance ??= start();
  return instance;
}

/** Stops slapd if it was started. */
export async function stopSlapd(): Promise<void> {
  const current = instance;
  instance = undefined;
  if (current) await (await current.catch(() => undefined))?.stop();
}

// Evaluated while mocha loads the spec files, so this is a root-level hook: it runs once after
// every test of the run.
if (typeof after === 'function') after(stopSlapd);
