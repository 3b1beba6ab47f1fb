import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';
import {
  isListening,
  requireBinary,
  runCommand,
  type ServiceProcess,
  startService,
  waitFor,
} from './ldap-process.js';
import { reapStrays } from './stray-processes.js';

/**
 * A real Samba Active Directory domain controller for the AD provider tests, provisioned once per
 * mocha run into a temp dir (`samba-tool domain provision`), seeded with samba-tool and served by
 * `samba -i -M single` on 127.0.0.1:389/636 (AD's ports cannot be moved, so nothing else may hold
 * them). Simple binds need TLS there; the CA Samba generates on first start is read back.
 */

// samba-ad-provision (the provisioning templates) is only a Recommends of samba-ad-dc.
const SAMBA_PACKAGES = 'samba samba-ad-dc samba-ad-provision winbind krb5-user ldb-tools';

export const AD_REALM = 'PADDOCK.TEST';
export const AD_DOMAIN = 'PADDOCK';
/** Name in Samba's self-signed certificate (its CN; there is no SAN). */
export const AD_SERVER_NAME = 'DC1.paddock.test';
export const AD_BASE_DN = 'DC=paddock,DC=test';
export const AD_USERS_DN = `CN=Users,${AD_BASE_DN}`;
export const AD_ADMIN_PASSWORD = 'Adm1n-Paddock!2024';
export const AD_SERVICE_USER = 'paddock-svc';
export const AD_SERVICE_DN = `CN=${AD_SERVICE_USER},${AD_USERS_DN}`;
export const AD_SERVICE_PASSWORD = 'Svc-Paddock!2024';

/** AD's password policy wants three character classes. */
export const adPassword = (user: string) => `${user}-Pw!2024`;

export interface SambaAdFixture {
  readonly host: '127.0.0.1';
  readonly ldapPort: 389;
  readonly ldapsPort: 636;
  readonly caPem: string;
  /** Runs `samba-tool <args> -s <smb.conf>` against the DC's database. */
  sambaTool(...args: string[]): Promise<string>;
  /** How long provisioning + seeding took, and until LDAPS answered (from the start). */
  readonly timings: { readonly provisionAndSeedMs: number; readonly readyMs: number };
  stop(): Promise<void>;
}

interface SeedUser {
  readonly name: string;
  readonly given: string;
  readonly surname: string;
}

/** Users of the seed; their CN is "given surname" as samba-tool makes it. */
export const AD_USERS: readonly SeedUser[] = [
  { name: 'alice', given: 'Alice', surname: 'Liddell' },
  { name: 'bob', given: 'Bob', surname: 'Builder' },
  { name: 'carol', given: 'Carol', surname: 'Disabled' },
  { name: 'dave', given: 'Dave', surname: 'Loner' },
  { name: 'erin', given: 'Erin', surname: 'Leaving' },
  { name: 'frank', given: 'Frank', surname: 'Fading' },
];

async function seed(tool: (...args: string[]) => Promise<string>): Promise<void> {
  await tool('user', 'create', AD_SERVICE_USER, AD_SERVICE_PASSWORD, '--use-username-as-cn');
  for (const u of AD_USERS) {
    await tool(
      'user',
      'create',
      u.name,
      adPassword(u.name),
      `--given-name=${u.given}`,
      `--surname=${u.surname}`,
      `--mail-address=${u.name}@paddock.test`,
    );
  }
  for (const g of ['devs', 'platform', 'engineering', 'ops', 'loop-a', 'loop-b', 'weird(group)']) {
    await tool('group', 'add', g);
  }
  // devs ⊂ platform ⊂ engineering, and devs ⊂ loop-a ⊂ loop-b ⊂ loop-a (a cycle).
  await tool('group', 'addmembers', 'devs', 'alice,erin');
  await tool('group', 'addmembers', 'platform', 'devs');
  await tool('group', 'addmembers', 'engineering', 'platform');
  await tool('group', 'addmembers', 'loop-a', 'devs,loop-b');
  await tool('group', 'addmembers', 'loop-b', 'loop-a');
  await tool('group', 'addmembers', 'ops', 'bob,erin');
  await tool('user', 'disable', 'carol');
}

function provision(sambaTool: string, dir: string, options: readonly string[]): Promise<string> {
  return runCommand(
    sambaTool,
    [
      'domain',
      'provision',
      '--server-role=dc',
      '--dns-backend=SAMBA_INTERNAL',
      `--realm=${AD_REALM}`,
      `--domain=${AD_DOMAIN}`,
      '--host-name=dc1',
      `--adminpass=${AD_ADMIN_PASSWORD}`,
      '--host-ip=127.0.0.1',
      ...options.map((o) => `--option=${o}`),
      `--targetdir=${dir}`,
    ],
    { timeoutMs: 120_000 },
  );
}

async function ldapsReady(): Promise<boolean> {
  if (!(await isListening(636))) return false;
  const client = new Client({
    url: 'ldaps://127.0.0.1:636',
    connectTimeout: 2000,
    timeout: 5000,
    // Only a readiness probe: the CA is read once Samba has generated it.
    tlsOptions: { rejectUnauthorized: false },
  });
  try {
    await client.bind(`Administrator@${AD_REALM.toLowerCase()}`, AD_ADMIN_PASSWORD);
    return true;
  } catch {
    return false;
  } finally {
    await client.unbind().catch(() => {});
  }
}

async function start(): Promise<SambaAdFixture> {
  const samba = requireBinary('samba', SAMBA_PACKAGES);
  const sambaTool = requireBinary('samba-tool', SAMBA_PACKAGES);
  if (!existsSync('/usr/share/samba/setup')) {
    throw new Error(
      `Samba's provisioning templates are missing: install them with \`DEBIAN_FRONTEND=noninteractive apt-get install -y ${SAMBA_PACKAGES}\``,
    );
  }
  if (process.getuid?.() !== 0) {
    throw new Error('the Samba AD DC fixture must run as root (AD serves LDAP on ports 389/636)');
  }
  // A Samba of a test run killed from outside still holds AD's fixed ports: end it first.
  const reaped = reapStrays('paddock-samba-');
  if (reaped > 0) {
    console.warn(`samba fixture: ended ${reaped} stray process(es) of an earlier, killed test run`);
    await waitFor(
      'ports 389 and 636 to be free',
      async () => !(await isListening(389)) && !(await isListening(636)),
      { timeoutMs: 10_000, intervalMs: 100 },
    );
  }
  for (const port of [389, 636]) {
    if (await isListening(port)) {
      throw new Error(
        `port ${port} on 127.0.0.1 is taken; Samba AD needs it (stop the system slapd/samba, e.g. \`service slapd stop\`)`,
      );
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'paddock-samba-'));
  const options = [
    'interfaces = lo',
    'bind interfaces only = yes',
    // Stores the NT ACLs of sysvol in a user xattr, so no CAP_SYS_ADMIN is needed.
    'acl_xattr:security_acl_name = user.NTACL',
    `log file = ${dir}/log.%m`,
    `pid directory = ${dir}/run`,
    `ncalrpc dir = ${dir}/run/ncalrpc`,
    `winbindd socket directory = ${dir}/run/winbindd`,
  ];
  mkdirSync(join(dir, 'run'));
  const started = Date.now();
  const smbConf = join(dir, 'etc', 'smb.conf');
  const tool = (...args: string[]) => runCommand(sambaTool, [...args, '-s', smbConf]);
  try {
    await provision(sambaTool, dir, options);
    await seed(tool);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const provisionedMs = Date.now() - started;

  const service: ServiceProcess = startService(
    samba,
    // Only the LDAP service: the others (RPC on dynamic ports 49152+, KDC, SMB) are not used, and
    // a dynamic RPC port can collide with an ephemeral port another test socket holds.
    ['-s', smbConf, '-i', '-M', 'single', '--option=server services = ldap'],
    dir,
  );
  try {
    await waitFor('samba', ldapsReady, {
      timeoutMs: 60_000,
      intervalMs: 200,
      failed: () => service.exited(),
    });
  } catch (err) {
    await service.stop();
    throw err;
  }
  const readyMs = Date.now() - started;
  return {
    host: '127.0.0.1',
    ldapPort: 389,
    ldapsPort: 636,
    caPem: readFileSync(join(dir, 'private', 'tls', 'ca.pem'), 'utf8'),
    sambaTool: tool,
    timings: { provisionAndSeedMs: provisionedMs, readyMs },
    stop: () => service.stop(),
  };
}

let instance: Promise<SambaAdFixture> | undefined;

/** The Samba AD DC of this test run, provisioned and started on first use. */
export function getSambaAd(): Promise<SambaAdFixture> {
  instance ??= start();
  return instance;
}

/** Stops Samba if it was started. */
export async function stopSambaAd(): Promise<void> {
  const current = instance;
  instance = undefined;
  if (current) await (await current.catch(() => undefined))?.stop();
}

// Evaluated while mocha loads the spec files: a root-level hook, run once after all tests.
if (typeof after === 'function') after(stopSambaAd);
