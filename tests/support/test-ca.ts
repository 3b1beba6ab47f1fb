import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A throwaway certificate authority for TLS fixtures (slapd), made with the openssl CLI. */
export interface TestCa {
  readonly caPem: string;
  readonly caPath: string;
  /** Issues a server certificate for the given names (DNS names and IP addresses). */
  issueServerCert(
    name: string,
    altNames: { dns?: readonly string[]; ips?: readonly string[] },
  ): Promise<{ certPath: string; keyPath: string; certPem: string }>;
}

async function openssl(args: readonly string[]): Promise<void> {
  try {
    await run('openssl', [...args]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('openssl not found: install it with `apt-get install -y openssl`');
    }
    throw err;
  }
}

/** Creates a CA named `name` whose files live in `dir` (which must exist). */
export async function createTestCa(dir: string, name: string): Promise<TestCa> {
  const caKey = join(dir, `${name}-ca.key`);
  const caPath = join(dir, `${name}-ca.pem`);
  await openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-days',
    '2',
    '-keyout',
    caKey,
    '-out',
    caPath,
    '-subj',
    `/CN=Paddock test CA ${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const caPem = await readFile(caPath, 'utf8');
  return {
    caPem,
    caPath,
    async issueServerCert(certName, altNames) {
      const keyPath = join(dir, `${certName}.key`);
      const csrPath = join(dir, `${certName}.csr`);
      const certPath = join(dir, `${certName}.pem`);
      const extPath = join(dir, `${certName}.ext`);
      const san = [
        ...(altNames.dns ?? []).map((d) => `DNS:${d}`),
        ...(altNames.ips ?? []).map((ip) => `IP:${ip}`),
      ].join(',');
      await writeFile(
        extPath,
        [
          'basicConstraints=CA:FALSE',
          'keyUsage=critical,digitalSignature,keyEncipherment',
          'extendedKeyUsage=serverAuth',
          `subjectAltName=${san}`,
          '',
        ].join('\n'),
      );
      await openssl([
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        csrPath,
        '-subj',
        `/CN=${certName}`,
      ]);
      await openssl([
        'x509',
        '-req',
        '-sha256',
        '-days',
        '2',
        '-in',
        csrPath,
        '-CA',
        caPath,
        '-CAkey',
        caKey,
        '-CAcreateserial',
        '-out',
        certPath,
        '-extfile',
        extPath,
      ]);
      return { certPath, keyPath, certPem: await readFile(certPath, 'utf8') };
    },
  };
}
