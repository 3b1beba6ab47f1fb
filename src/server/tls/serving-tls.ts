import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PaddockError } from '../../errors/index.js';
import {
  createCertificateAuthority,
  issueServingCertificate,
  type PemKeyPair,
} from './certificate-authority.js';
import { type SharedCaOptions, sharedCa } from './shared-ca.js';

export interface ServingTlsOptions {
  readonly dataDir: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly caFile?: string;
  readonly now?: () => Date;
  /** Share the generated CA with the other replicas through the store (shared-ca.ts). */
  readonly shared?: SharedCaOptions;
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
 * start into `<dataDir>/tls/` (keys 0600) and reused afterwards, the CA shared with the other
 * replicas through the store when `shared` is given. The serving certificate is reissued from
 * the same CA when it nears expiry, so kubeconfigs keep working.
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
    checkPair(certPem, keyPem, options.certFile, options.keyFile);
    return { certPem, keyPem, caPem, origin: 'configured' };
  }
  const now = options.now ?? (() => new Date());
  const dir = join(options.dataDir, 'tls');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const newCa = () =>
    createCertificateAuthority({ commonName: 'Paddock CA', validDays: 3650, now: now() });
  let ca: PemKeyPair;
  if (options.shared === undefined) {
    ca = await loadOrCreate(dir, 'ca', newCa);
  } else {
    const local = await loadPair(dir, 'ca');
    ca =
      (await sharedCa(options.shared, async () => local ?? (await newCa()))) ??
      local ??
      (await newCa());
    if (local?.certPem !== ca.certPem) await savePair(dir, 'ca', ca);
  }
  let serving = await loadOrCreate(dir, 'serving', () => issueFor(ca, now()));
  const leaf = new X509Certificate(serving.certPem);
  const issuedByCa = leaf.verify(new X509Certificate(ca.certPem).publicKey);
  // Reissued when it nears expiry, or when this replica adopted the CA of the others.
  if (!issuedByCa || Date.parse(leaf.validTo) - now().getTime() < renewBeforeMs) {
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

async function loadPair(dir: string, name: string): Promise<PemKeyPair | undefined> {
  const [certPem, keyPem] = await Promise.all([
    readOptional(join(dir, `${name}.crt`)),
    readOptional(join(dir, `${name}.key`)),
  ]);
  return certPem !== undefined && keyPem !== undefined ? { certPem, keyPem } : undefined;
}

async function loadOrCreate(
  dir: string,
  name: string,
  create: () => Promise<PemKeyPair>,
): Promise<PemKeyPair> {
  const existing = await loadPair(dir, name);
  if (existing !== undefined) return existing;
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

/** A certificate and key that do not belong together would fail at the first handshake. */
function checkPair(certPem: string, keyPem: string, certFile: string, keyFile: string): void {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    throw new PaddockError(
      'CONFIG_INVALID',
      `PADDOCK_TLS_CERT_FILE: ${certFile} holds no readable certificate`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    throw new PaddockError(
      'CONFIG_INVALID',
      `PADDOCK_TLS_KEY_FILE: ${keyFile} holds no readable private key (an encrypted key is not supported)`,
    );
  }
  if (!cert.checkPrivateKey(key)) {
    throw new PaddockError(
      'CONFIG_INVALID',
      `PADDOCK_TLS_KEY_FILE: ${keyFile} is not the private key of the certificate in PADDOCK_TLS_CERT_FILE (${certFile})`,
    );
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
