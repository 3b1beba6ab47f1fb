import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PaddockError } from '../../errors/index.js';
import {
  createCertificateAuthority,
  issueServingCertificate,
  type PemKeyPair,
} from './certificate-authority.js';

export interface ServingTlsOptions {
  readonly dataDir: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly caFile?: string;
  readonly now?: () => Date;
}

export interface ServingTls {
  readonly certPem: string;
  readonly keyPem: string;
  /** The CA that clients (kubeconfigs) should trust; undefined for a configured public cert. */
  readonly caPem: string | undefined;
  /** `generated` when Paddock made and keeps the CA in the data directory. */
  readonly origin: 'generated' | 'configured';
}

const renewBeforeMs = 30 * 24 * 60 * 60 * 1000;

/**
 * The serving certificate: the configured one, else a CA and certificate generated on first
 * start into `<dataDir>/tls/` (keys 0600) and reused afterwards. The serving certificate is
 * reissued from the same CA when it nears expiry, so kubeconfigs keep working.
 */
export async function loadServingTls(options: ServingTlsOptions): Promise<ServingTls> {
  if (options.certFile !== undefined && options.keyFile !== undefined) {
    // One after the other, so a start with several bad files always names the first one.
    const certPem = await readPem(options.certFile, 'PADDOCK_TLS_CERT_FILE');
    const keyPem = await readPem(options.keyFile, 'PADDOCK_TLS_KEY_FILE');
    const caPem =
      options.caFile === undefined
        ? undefined
        : await readPem(options.caFile, 'PADDOCK_TLS_CA_FILE');
    return { certPem, keyPem, caPem, origin: 'configured' };
  }
  const now = options.now ?? (() => new Date());
  const dir = join(options.dataDir, 'tls');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = await loadOrCreate(dir, 'ca', () =>
    createCertificateAuthority({ commonName: 'Paddock CA', validDays: 3650, now: now() }),
  );
  let serving = await loadOrCreate(dir, 'serving', () => issueFor(ca, now()));
  const notAfter = new X509Certificate(serving.certPem).validTo;
  if (Date.parse(notAfter) - now().getTime() < renewBeforeMs) {
    serving = await issueFor(ca, now());
    await savePair(dir, 'serving', serving);
  }
  return {
    certPem: serving.certPem,
    keyPem: serving.keyPem,
    caPem: ca.certPem,
    origin: 'generated',
  };
}

function issueFor(ca: PemKeyPair, now: Date): Promise<PemKeyPair> {
  return issueServingCertificate({
    ca,
    commonName: 'paddock',
    dnsNames: [...new Set(['localhost', hostname()])],
    ipAddresses: ['127.0.0.1', '::1'],
    validDays: 397,
    now,
  });
}

async function loadOrCreate(
  dir: string,
  name: string,
  create: () => Promise<PemKeyPair>,
): Promise<PemKeyPair> {
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  const existing = await Promise.all([readOptional(certPath), readOptional(keyPath)]);
  if (existing[0] !== undefined && existing[1] !== undefined) {
    return { certPem: existing[0], keyPem: existing[1] };
  }
  const pair = await create();
  await savePair(dir, name, pair);
  return pair;
}

async function savePair(dir: string, name: string, pair: PemKeyPair): Promise<void> {
  // Key first, each through a temp file and rename, so a crash never leaves a cert without key.
  await writeAtomically(join(dir, `${name}.key`), pair.keyPem, 0o600);
  await writeAtomically(join(dir, `${name}.crt`), pair.certPem, 0o644);
}

async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text, { mode, flush: true });
  await chmod(tmp, mode);
  await rename(tmp, path);
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function readPem(path: string, key: string): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    if (!text.includes('-----BEGIN ')) throw new Error('no PEM block found');
    return text;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new PaddockError('CONFIG_INVALID', `${key}: cannot use ${path}: ${why}`, { cause: err });
  }
}
